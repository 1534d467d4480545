import { CallLimit } from '../../../activities/campaign/call-limit';

describe('CallLimit (the coordinator batches\' bound on Temporal calls in flight)', () => {
  it('runs at most `limit` calls at once, the rest in arrival order, and passes results and errors through', async () => {
    const limit = new CallLimit(3);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const call = (i: number) =>
      limit.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5 + (i % 3)));
        running--;
        if (i === 7) throw new Error('seven');
        return i * 10;
      });
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => call(i)));
    expect(most).toBe(3);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, 30, 40, 50, 60, 'seven', 80, 90]);
    // every slot was given back: a new call runs at once
    expect(await limit.run(async () => running)).toBe(0);
  });
});
