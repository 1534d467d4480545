import type { EntityManager } from 'typeorm';
import type { Db } from '../../libs/persistence/src';

/**
 * Service-level unit tests (issue 12, the way immich's server tests build a `sut`): a service is constructed with
 * fakes of its repositories instead of PostgreSQL. Fakes sit at the unit test's edge only; the real-database
 * integration tests (test/integration) stay the proof that the statements do what the fakes pretend.
 */

/** The public surface of a class (its private fields make it nominal): what a fake implements. */
export type Public<T> = { [K in keyof T]: T[K] };

/** Hands a fake to a constructor expecting the real class. */
export const asReal = <T>(fake: Public<T> | Partial<Public<T>>): T => fake as T;

/** The manager a fake Db hands to transaction work: no statement may reach it (repositories are faked). */
export const NO_MANAGER = new Proxy({} as EntityManager, {
  get: (_target, property) => {
    throw new Error(`a unit test's transaction manager was used (${String(property)}): fake the repository instead`);
  },
});

/** A Db whose transactions just run their work (no rollback: a test of a failing write checks the fakes' state). */
export function fakeDb(): Db {
  return asReal<Db>({
    transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(NO_MANAGER),
    inTransaction: false,
  });
}
