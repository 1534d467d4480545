import type { EntityManager } from 'typeorm';
import type { Db } from '../db';

/**
 * What a repository runs its statements on: `Db` (the open transaction of the async context, else the pool), or the
 * EntityManager of a transaction someone else opened (recordNotice's, an api service's) through `onManager`.
 */
export type SqlRunner = Pick<Db, 'query'>;

export function onManager(manager: EntityManager): SqlRunner {
  return { query: (sql, params) => manager.query(sql, params as any[]) };
}

/** TypeORM answers an UPDATE … RETURNING / DELETE with [rows, count]. */
export function affected(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
