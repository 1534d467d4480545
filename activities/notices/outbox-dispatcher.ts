import type { NoticeChannel } from './notice-delivery.contract';
import type { AttemptOutcome, NoticeDeliverer } from './notice-deliverer';

export interface OutboxDispatcherOptions {
  channel: NoticeChannel;
  /** Sends in flight at once in this process (each holds one pool connection while it sends). */
  lanes: number;
  deliverer: NoticeDeliverer;
  rate: { take(): Promise<void>; giveBack(): Promise<void> };
  /** How often idle lanes look again without a wake-up (retry backoff, quiet hours, a lost notification). */
  pollMs: number;
  /** Due-ness is judged by this clock (tests move it; production: Date.now). */
  now?: () => number;
  log?: { warn(message: string): void };
  /** Told of every attempt's outcome and the instant it was judged at (benchmarks and tests count them). */
  onOutcome?: (outcome: AttemptOutcome, atMs: number) => void;
}

type State = 'INITIALIZED' | 'RUNNING' | 'STOPPING' | 'STOPPED';

const ERROR_BACKOFF_MS = [500, 1000, 2000, 5000, 10_000];

/**
 * The outbox dispatcher of one channel: lanes that take a send token from the channel's shared bucket, claim the
 * oldest due `notice_delivery` row (FOR UPDATE SKIP LOCKED) and send it through NoticeDeliverer, one row per
 * transaction — so a crash can cost at most the one message in flight (the same window as ever), never a batch.
 * Idle lanes sleep until `wake()` (LISTEN/NOTIFY from recordNotice, or the poll timer). No Temporal task per message:
 * the rate is the bucket's, not the task throughput's.
 *
 * Shaped like a Temporal Worker (run / shutdown / getState) so the worker hosts both side by side.
 */
export class OutboxDispatcher {
  private state: State = 'INITIALIZED';
  /** Bumped by every wake-up: a lane that saw work vanish only sleeps if nothing woke it meanwhile. */
  private signals = 0;
  private sleepers: (() => void)[] = [];
  private poll?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly o: OutboxDispatcherOptions) {
    this.now = o.now ?? Date.now;
  }

  get channel(): NoticeChannel {
    return this.o.channel;
  }

  getState(): State {
    return this.state;
  }

  async run(): Promise<void> {
    if (this.state === 'STOPPED') return; // shut down before it ran
    if (this.state !== 'INITIALIZED') throw new Error(`outbox dispatcher for ${this.o.channel} is ${this.state}`);
    this.state = 'RUNNING';
    this.poll = setInterval(() => this.wake(), this.o.pollMs);
    try {
      await Promise.all(Array.from({ length: this.o.lanes }, () => this.lane()));
    } finally {
      clearInterval(this.poll);
      this.state = 'STOPPED';
    }
  }

  /** New work may be due: every idle lane looks. */
  wake(): void {
    this.signals++;
    const sleepers = this.sleepers;
    this.sleepers = [];
    for (const s of sleepers) s();
  }

  /** Lanes finish the message they are sending and stop. */
  shutdown(): void {
    if (this.state === 'INITIALIZED') this.state = 'STOPPED';
    if (this.state !== 'RUNNING') return;
    this.state = 'STOPPING';
    this.wake();
  }

  private async lane(): Promise<void> {
    let errors = 0;
    while (this.state === 'RUNNING') {
      const seen = this.signals;
      try {
        const sent = await this.sendOne();
        errors = 0;
        if (!sent) await this.sleep(seen);
      } catch (error) {
        // the database or the bucket's store is unreachable: back off, then look again
        this.o.log?.warn(`${this.o.channel} dispatcher: ${(error as Error).message}`);
        await this.pause(ERROR_BACKOFF_MS[Math.min(errors++, ERROR_BACKOFF_MS.length - 1)]);
      }
    }
  }

  /** One message: false when nothing was due. */
  private async sendOne(): Promise<boolean> {
    // A cheap look first, so idle lanes take no tokens (a 0.3/s robot bucket would starve on probes).
    if (!(await this.o.deliverer.hasDue(this.o.channel, this.now()))) return false;
    await this.o.rate.take();
    if (this.state !== 'RUNNING') {
      await this.o.rate.giveBack();
      return false;
    }
    // One instant for the claim and the backoff: read twice, a clock that moved between (a test's, or the wait for a
    // pool connection) would count the retry's backoff from before the row was due.
    const nowMs = this.now();
    const done = await this.o.deliverer.deliver((outbox) => outbox.claimDue(this.o.channel, new Date(nowMs)), nowMs);
    if (!done) {
      // another lane or replica took it meanwhile
      await this.o.rate.giveBack();
      return false;
    }
    this.o.onOutcome?.(done.outcome, nowMs);
    return true;
  }

  private sleep(seen: number): Promise<void> {
    if (this.signals !== seen || this.state !== 'RUNNING') return Promise.resolve();
    return new Promise((resolve) => this.sleepers.push(resolve));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.sleepers.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
