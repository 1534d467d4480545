/**
 * What a repository runs its statements on: `Db` (the request's transaction if one is open, else the pool), a
 * TypeORM EntityManager of a transaction opened elsewhere, or a plain pg client wrapped to resolve to its rows.
 * Repositories type the rows they read; the driver's answer itself is untyped.
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}
