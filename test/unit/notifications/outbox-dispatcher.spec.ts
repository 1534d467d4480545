import { OutboxDispatcher } from '../../../activities/notices/outbox-dispatcher';
import type { NoticeDeliverer } from '../../../activities/notices/notice-deliverer';
import type { NoticeDeliveryRepository } from '../../../libs/persistence/src/repositories/notice-delivery.repository';

/**
 * The dispatcher's own logic, with the deliverer faked at its edge (the real one, on PostgreSQL, SMTP and HTTP
 * receivers, is in test/integration/notifications).
 */
describe('OutboxDispatcher', () => {
  it('claims the row and counts the backoff from one instant, even when the clock moves while the lane waits', async () => {
    // Each look at the clock is 30 s later: a lane that read it once for the claim and once for the backoff
    // (the race dead-letters.spec.ts once lost: a retry due at +60 s instead of +90 s) would see two instants.
    let clockMs = 0;
    const now = () => (clockMs += 30_000);
    const seen: { claimedAt: number; backoffFrom: number }[] = [];
    let dispatcher: OutboxDispatcher | undefined = undefined;
    const deliverer = {
      hasDue: async () => true,
      deliver: async (select: (outbox: NoticeDeliveryRepository) => Promise<unknown>, nowMs: number) => {
        let claimedAt = NaN;
        await select({
          claimDue: async (_channel: string, at: Date) => void (claimedAt = at.getTime()),
        } as unknown as NoticeDeliveryRepository);
        seen.push({ claimedAt, backoffFrom: nowMs });
        dispatcher!.shutdown();
        return undefined;
      },
    } as unknown as NoticeDeliverer;
    dispatcher = new OutboxDispatcher({
      channel: 'webhook',
      lanes: 1,
      deliverer,
      rate: { take: async () => undefined, giveBack: async () => undefined },
      pollMs: 60_000,
      now,
    });
    await dispatcher.run();
    expect(seen).toHaveLength(1);
    expect(seen[0].claimedAt).toBe(seen[0].backoffFrom);
  });
});
