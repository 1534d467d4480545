/**
 * The unit workflow's two kinds of side effects, as activities that never block its loop: read-model writes
 * (one activity per batch, applied in order) and notices (recorded, then delivered per channel). The promise
 * chains here decide the order in which activities are scheduled, which recorded histories pin down: keep their
 * shape when changing this file (test/workflows/replay).
 */
import { log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { RecordNoticeInput, UnitReadModelActivities } from '../../activities/campaign/unit-read-model.activities';
import type { NoticeDeliveryActivities, PlannedDelivery } from '../../activities/notices/notice-delivery.contract';
import { noticeTaskQueue } from '../../libs/domain/src/notices/channels';
import { deliverNoticeActivityOptions } from '../notices/notice-delivery.options';
import type { TransitionBatch } from './unit-campaign';

const { recordUnitTransition } = proxyActivities<UnitReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  // The read model must catch up eventually; a database outage only delays it.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { recordNotice } = proxyActivities<UnitReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** Batches go out one after the other: a write starts when the previous one has landed (or failed for good). */
export class ReadModelWriter {
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly takeBatch: () => TransitionBatch | undefined) {}

  /** Sends what is buffered, if anything; resolves when every write so far has landed. */
  flush(): Promise<void> {
    const batch = this.takeBatch();
    if (!batch) return this.writes;
    const payload = { ...batch, workflowRunId: workflowInfo().runId };
    this.writes = this.writes.then(() => recordUnitTransition(payload)).catch((err) => log.error('read model write failed', { err }));
    return this.writes;
  }
}

/** Notices recorded exactly once (by dedupe key), then one delivery per recipient × channel on the channel's queue. */
export class NoticeOutbox {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingDeliveries = new Map<string, PlannedDelivery>();

  /** Recording or delivering: continue-as-new waits for these (or hands the deliveries on). */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Deliveries still running, for the next run to restart (deliverNotice is idempotent). */
  unfinishedDeliveries(): PlannedDelivery[] {
    return [...this.pendingDeliveries.values()];
  }

  send(notice: RecordNoticeInput): void {
    this.track(
      recordNotice(notice)
        .then((r) => r.deliveries.forEach((d) => this.deliver(d)))
        .catch((err) => log.warn('recording a notice failed', { dedupeKey: notice.dedupeKey, err })),
    );
  }

  deliver(d: PlannedDelivery): void {
    // The delivery helper's policy: unlimited retries with backoff; the activity itself declares a delivery dead.
    const { deliverNotice } = proxyActivities<NoticeDeliveryActivities>(deliverNoticeActivityOptions(noticeTaskQueue(workflowInfo().taskQueue, d.channel)));
    this.pendingDeliveries.set(d.deliveryId, d);
    this.track(
      deliverNotice(d)
        .then(() => undefined)
        .catch((err) => log.warn('notice delivery failed', { deliveryId: d.deliveryId, err }))
        .finally(() => this.pendingDeliveries.delete(d.deliveryId)),
    );
  }

  private track(p: Promise<void>): void {
    const tracked = p.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
