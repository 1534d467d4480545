import { DomainError } from '../../libs/domain/src';

/** The error `promise` rejects with, which must be a `type`: throws when it resolves, or rejects with anything else. */
export async function rejectionOf<E>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome))
    throw new Error(`expected a ${type.name}, but it resolved with ${JSON.stringify(outcome.resolved)}`);
  if (!(outcome.error instanceof type)) throw new Error(`expected a ${type.name}, got ${String(outcome.error)}`);
  return outcome.error;
}

/** The DomainError a service call is refused with. */
export const refusal = (promise: Promise<unknown>) => rejectionOf(promise, DomainError);
