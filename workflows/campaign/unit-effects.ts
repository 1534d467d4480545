/**
 * The unit workflow's two kinds of side effects, as activities that never block its loop: read-model writes
 * (one activity per batch, applied in order) and notices (recorded, then delivered per channel). The promise
 * chains here decide the order in which activities are scheduled, which recorded histories pin down: keep their
 * shape when changing this file (test/workflows/replay).
 *
 * Runs that started with the 'read-model-local-activities' patch write as local activities: the worker runs the
 * write inside the workflow task that decided it and records a marker, so a transition or a notice costs one
 * workflow task instead of three server round trips (activity scheduled → activity task → a workflow task for
 * its result). Both writes are idempotent (per-unit seq, the notice's dedupe key), which a local activity needs:
 * a worker that dies before its workflow task completes leaves no marker, and the next worker runs the write again.
 */
import {
  log,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { RecordNoticeInput, UnitReadModelActivities } from '../../activities/campaign/unit-read-model.activities';
import type { NoticeDeliveryActivities, PlannedDelivery } from '../../activities/notices/notice-delivery.contract';
import { noticeTaskQueue } from '../../libs/domain/src/notices/channels';
import { deliverNoticeActivityOptions } from '../notices/notice-delivery.options';
import type { TransitionBatch } from './unit-campaign';

/** The patch that decides, once per run at its first activation, whether its writes are local activities. */
export const LOCAL_WRITES_PATCH = 'read-model-local-activities';

// The read model must catch up eventually; a database outage only delays it.
const transitionOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} satisfies ActivityOptions;
const noticeOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
} satisfies ActivityOptions;
/**
 * A local attempt holds its workflow task open (the worker heartbeats the task past its 10 s timeout). Backoffs
 * longer than this wait on a durable timer instead, so a database outage costs one workflow task per retry, not a
 * heartbeat every 8 s.
 */
const local = { localRetryThreshold: '10 seconds' } satisfies LocalActivityOptions;

const remote = {
  recordUnitTransition: proxyActivities<UnitReadModelActivities>(transitionOptions).recordUnitTransition,
  recordNotice: proxyActivities<UnitReadModelActivities>(noticeOptions).recordNotice,
};
const inWorkflowTask = {
  recordUnitTransition: proxyLocalActivities<UnitReadModelActivities>({ ...transitionOptions, ...local })
    .recordUnitTransition,
  recordNotice: proxyLocalActivities<UnitReadModelActivities>({ ...noticeOptions, ...local }).recordNotice,
};
export type UnitWrites = typeof remote;

/** The writes a run uses: local activities when the run started with LOCAL_WRITES_PATCH, else activities. */
export const unitWrites = (localWrites: boolean): UnitWrites => (localWrites ? inWorkflowTask : remote);

/** Batches go out one after the other: a write starts when the previous one has landed (or failed for good). */
export class ReadModelWriter {
  // Promise<unknown>: the chain keeps its recorded shape (no extra step to drop the write's result).
  private landed: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly takeBatch: () => TransitionBatch | undefined,
    private readonly activities: Pick<UnitWrites, 'recordUnitTransition'>,
  ) {}

  /** Sends what is buffered, if anything; resolves when every write so far has landed. */
  flush(): Promise<unknown> {
    const batch = this.takeBatch();
    if (!batch) return this.landed;
    const payload = { ...batch, workflowRunId: workflowInfo().runId };
    this.landed = this.landed
      .then(() => this.activities.recordUnitTransition(payload))
      .catch((err) => log.error('read model write failed', { err }));
    return this.landed;
  }
}

/** Notices recorded exactly once (by dedupe key), then one delivery per recipient × channel on the channel's queue. */
export class NoticeOutbox {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly pendingDeliveries = new Map<string, PlannedDelivery>();

  constructor(private readonly activities: Pick<UnitWrites, 'recordNotice'>) {}

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
      this.activities
        .recordNotice(notice)
        .then((r) => r.deliveries.forEach((d) => this.deliver(d)))
        .catch((err) => log.warn('recording a notice failed', { dedupeKey: notice.dedupeKey, err })),
    );
  }

  deliver(d: PlannedDelivery): void {
    // The delivery helper's policy: unlimited retries with backoff; the activity itself declares a delivery dead.
    const { deliverNotice } = proxyActivities<NoticeDeliveryActivities>(
      deliverNoticeActivityOptions(noticeTaskQueue(workflowInfo().taskQueue, d.channel)),
    );
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
