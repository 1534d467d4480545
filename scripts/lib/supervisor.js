'use strict';
// Keeps the launcher's processes running: a process that exits unexpectedly is started again after a backoff
// (0.5 s, 1 s, 2 s, 4 s … capped), each crash logged with its exit reason and count. Too many crashes of one process
// within the window (a crash loop: 5 in 60 s by default) means a restart will not help; the supervisor then gives up
// and the launcher stops everything, saying why. Stopping (Ctrl-C) goes in reverse start order.

const DEFAULTS = { maxCrashes: 5, windowMs: 60_000, backoffMs: 500, maxBackoffMs: 8_000 };

const exitReason = (code, signal) => (signal ? `signal ${signal}` : `code ${code}`);

class Supervisor {
  /**
   * @param {{ log: { info(m: string): void, error(m: string): void }, onGiveUp: (why: string) => void,
   *   maxCrashes?: number, windowMs?: number, backoffMs?: number, maxBackoffMs?: number }} options
   */
  constructor(options) {
    this.options = { ...DEFAULTS, ...options };
    this.slots = []; // in start order
    this.stopping = false;
  }

  /**
   * Supervises a process already started by `start()`; `start` is called again for every restart and returns the new
   * ChildProcess (started in its own process group, so it can be stopped with its children).
   */
  add(name, child, start) {
    const slot = { name, child: null, start, crashes: [], timer: null };
    this.slots.push(slot);
    this._watch(slot, child);
    return slot;
  }

  _watch(slot, child) {
    slot.child = child;
    child.once('exit', (code, signal) => {
      if (this.stopping || slot.child !== child) return;
      const now = Date.now();
      slot.crashes = slot.crashes.filter((t) => now - t < this.options.windowMs).concat(now);
      const n = slot.crashes.length;
      const reason = exitReason(code, signal);
      if (n >= this.options.maxCrashes) {
        this.options.onGiveUp(
          `crash loop: ${slot.name} exited ${n} times within ${this.options.windowMs / 1000} s (last: ${reason}); restarting will not help — stopping everything`,
        );
        return;
      }
      const delay = Math.min(this.options.backoffMs * 2 ** (n - 1), this.options.maxBackoffMs);
      this.options.log.error(
        `${slot.name} exited unexpectedly (${reason}); crash ${n} of ${this.options.maxCrashes} allowed within ${this.options.windowMs / 1000} s — restarting in ${delay / 1000} s`,
      );
      slot.timer = setTimeout(() => {
        slot.timer = null;
        if (this.stopping) return;
        let next;
        try {
          next = slot.start();
        } catch (error) {
          this.options.onGiveUp(`${slot.name} could not be started again: ${error.message}`);
          return;
        }
        this.options.log.info(`${slot.name} restarted (pid ${next.pid})`);
        this._watch(slot, next);
      }, delay);
    });
  }

  /** Stops every process in reverse start order: SIGTERM to its group, SIGKILL after `graceMs(name)`. */
  async stopAll(graceMs) {
    this.stopping = true;
    for (const slot of [...this.slots].reverse()) {
      clearTimeout(slot.timer);
      const child = slot.child;
      if (!child) continue;
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {}
      }
      await waitForExit(child, graceMs(slot.name));
      this.options.log.info(`${slot.name} stopped`);
    }
  }
}

/** Resolves when `child` has exited; after `ms`, kills its whole process group. */
function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

module.exports = { Supervisor, waitForExit, exitReason };
