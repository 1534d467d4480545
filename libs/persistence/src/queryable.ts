/**
 * What a repository runs its statements on: `Db` (the request's transaction if one is open, else the pool), a
 * TypeORM EntityManager of a transaction opened elsewhere, or a plain pg client wrapped to resolve to its rows.
 * Repositories type the rows they read; the driver's answer itself is untyped.
 */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** TypeORM answers an UPDATE … RETURNING / DELETE with [rows, count]: the count. */
export function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
