import { ErrorCode, ErrorReason } from '../../../libs/domain/src';
import type {
  IdempotencyKeyRef,
  IdempotencyRepository,
  StoredRequestRow,
} from '../../../apps/api/src/idempotency/idempotency.repository';
import { IdempotencyService, type IdempotentCall } from '../../../apps/api/src/idempotency/idempotency.service';
import { asReal, fakeDb, type Public } from '../../support/fakes';
import { refusal } from '../../support/rejection';

/** idempotency_key in memory: one row per (actor, key), a claim refused while a row exists — as the primary key does. */
class InMemoryKeys implements Public<IdempotencyRepository> {
  readonly rows = new Map<string, StoredRequestRow>();

  async claim(c: IdempotencyKeyRef & Pick<StoredRequestRow, 'route' | 'requestHash' | 'request'>): Promise<boolean> {
    if (this.rows.has(id(c))) return false;
    this.rows.set(id(c), {
      route: c.route,
      requestHash: c.requestHash,
      request: c.request,
      statusCode: 0,
      response: null,
    });
    return true;
  }

  async find(ref: IdempotencyKeyRef): Promise<StoredRequestRow | undefined> {
    return this.rows.get(id(ref));
  }

  async complete(ref: IdempotencyKeyRef, response: unknown): Promise<void> {
    const row = this.rows.get(id(ref));
    if (row) Object.assign(row, { statusCode: 200, response: JSON.parse(JSON.stringify(response ?? null)) });
  }

  async release(ref: IdempotencyKeyRef): Promise<void> {
    if (this.rows.get(id(ref))?.statusCode === 0) this.rows.delete(id(ref));
  }
}

const id = (ref: IdempotencyKeyRef) => `${ref.actor}\n${ref.key}`;

function newSut() {
  const keys = new InMemoryKeys();
  return { sut: new IdempotencyService(fakeDb(), asReal<IdempotencyRepository>(keys)), keys };
}

const call = (request: unknown, route = 'POST /api/commitments'): IdempotentCall => ({
  actor: 'user-1',
  key: 'k-1',
  route,
  request,
});

describe('IdempotencyService (fake repository)', () => {
  it('runs the work once; a retry with the same request gets the first answer without running it again', async () => {
    const { sut, keys } = newSut();
    const work = jest.fn(async () => ({ id: 'c-1', title: '承诺' }));
    const first = await sut.run(call({ title: '承诺', unitId: 'u-1' }), work);
    // the same request with its properties in another order is the same request
    const again = await sut.run(call({ unitId: 'u-1', title: '承诺' }), work);
    expect(first).toEqual({ id: 'c-1', title: '承诺' });
    expect(again).toEqual({ id: 'c-1', title: '承诺' });
    expect(work).toHaveBeenCalledTimes(1);
    expect([...keys.rows.values()]).toEqual([
      {
        route: 'POST /api/commitments',
        requestHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        request: { title: '承诺', unitId: 'u-1' },
        statusCode: 200,
        response: { id: 'c-1', title: '承诺' },
      },
    ]);
  });

  it('keeps what storedAs returns, not the answer itself (one-time tokens are not stored)', async () => {
    const { sut, keys } = newSut();
    const answer = await sut.run(
      call({ n: 2 }),
      async () => ({ tokens: ['t1', 't2'] }),
      () => ({ tokens: 'issued, not kept' }),
    );
    expect(answer).toEqual({ tokens: ['t1', 't2'] });
    expect(keys.rows.get('user-1\nk-1')?.response).toEqual({ tokens: 'issued, not kept' });
    expect(await sut.run(call({ n: 2 }), async () => ({ tokens: ['never'] }))).toEqual({ tokens: 'issued, not kept' });
  });

  it('refuses the key with another body: 422 IDEMPOTENCY_KEY_REUSED naming exactly the top-level fields that differ', async () => {
    const { sut } = newSut();
    await sut.run(call({ title: 'a', unitId: 'u-1', due: '2026-05-01' }), async () => 'first');
    const error = await refusal(sut.run(call({ title: 'b', unitId: 'u-1', due: '2026-05-02' }), async () => 'second'));
    expect(error.code).toBe(ErrorCode.InvalidState);
    expect(error.reason).toBe(ErrorReason.IdempotencyKeyReused);
    expect(error.details).toEqual([
      { field: 'due', problem: 'differs from the first request made with this Idempotency-Key' },
      { field: 'title', problem: 'differs from the first request made with this Idempotency-Key' },
    ]);
    expect(error.message).toBe(
      'Idempotency-Key was already used for a different request (due, title); use a new key for a new request',
    );
  });

  it('refuses the key on another route, naming the route it was used for', async () => {
    const { sut } = newSut();
    await sut.run(call({ x: 1 }, 'POST /api/submissions/s-1/submit'), async () => 'submitted');
    const error = await refusal(sut.run(call({ x: 1 }, 'POST /api/submissions/s-2/submit'), async () => 'other'));
    expect(error.details).toEqual([
      { field: 'Idempotency-Key', problem: 'was already used for POST /api/submissions/s-1/submit' },
    ]);
  });

  it('claim: claimed, then pending until the answer is stored, then done; release frees only an unfinished claim', async () => {
    const { sut, keys } = newSut();
    expect(await sut.claim(call({ step: 's1' }))).toEqual({ state: 'claimed' });
    expect(await sut.claim(call({ step: 's1' }))).toEqual({ state: 'pending' });
    await sut.release(call({ step: 's1' }));
    expect(keys.rows.size).toBe(0);
    expect(await sut.claim(call({ step: 's1' }))).toEqual({ state: 'claimed' });
    await sut.complete(call({ step: 's1' }), { version: 1 });
    await sut.release(call({ step: 's1' }));
    expect(await sut.claim(call({ step: 's1' }))).toEqual({ state: 'done', response: { version: 1 } });
  });

  it('scopes keys per caller: the same key of another actor is another request', async () => {
    const { sut } = newSut();
    await sut.run(call({ a: 1 }), async () => 'mine');
    expect(await sut.run({ ...call({ a: 2 }), actor: 'user-2' }, async () => 'theirs')).toBe('theirs');
  });
});
