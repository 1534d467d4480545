/**
 * At most `limit` calls running at once; the others wait in arrival order. One per worker process for the
 * coordinator's Temporal calls (cycle-fanout.activities.ts). p-limit does the same; it is not a dependency here.
 */
export class CallLimit {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
    else this.running++;
    try {
      return await call();
    } finally {
      // the slot passes straight to the next waiting call
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
