/**
 * The units a caller may read, as a WHERE fragment a repository puts into its own statement: given the column that
 * holds the unit id and the number of the first free `$n` placeholder, `unitColumn IN (…)` with its parameters, or
 * null when every unit is readable. The api's UnitAccessService.readableUnitsFilter makes one per caller.
 */
export type UnitScope = (unitColumn: string, firstParam: number) => { sql: string; params: unknown[] } | null;
