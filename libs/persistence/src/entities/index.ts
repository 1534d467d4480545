import { DiagnosticRoundTrip } from './diagnostic-round-trip.entity';
import { UnitRow } from './unit.entity';
import { UserRow } from './user.entity';

export * from './diagnostic-round-trip.entity';
export * from './unit.entity';
export * from './user.entity';
// Status types of rows read with SQL (kept here for the importers of the former entity files).
export * from '../row-types';

/**
 * The entities code uses through TypeORM's repositories (`@InjectRepository`, `manager.getRepository`), listed
 * explicitly so compiled code, Jest and the migration runner see the same set. Every other table is read and written
 * with SQL in repository modules; its schema is in the migrations.
 */
export const allEntities = [DiagnosticRoundTrip, UnitRow, UserRow];
