/**
 * The notice burst alone, for district sizes the full `npm run bench` would take too long at: N units whose step
 * falls due at one instant, beside the bare pooled nodemailer loop, on the same stack as `npm run bench`
 * (bench/lib/stack.ts). Prints one JSON line: ours (e-mails/s in the burst) / the configured rate, the bare loop,
 * reminder lag p50/p99, how fast Temporal recorded the notices, exactly-once counts, and the outbox dispatcher alone
 * draining N notices recorded at once.
 *
 *   node -r ./test/integration/notifications/support/swc-register.js bench/notice-burst.ts --units 10000 --email-rate 20
 *   (options: --units N (1000), --drain D (N: notices of the drain), --email-rate R (20), --smtp-connections C (4),
 *    --notice-concurrency L (8))
 */
import { seedUnits, storeBurstTemplate } from './lib/cycle-suite';
import { bareMailLoop, drainFigures, measureBurst } from './lib/notice-burst-suite';
import { call, count, startStack, until } from './lib/stack';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const UNITS = option('units', 1000);
const DRAIN = option('drain', UNITS);
const settings = {
  emailRate: option('email-rate', 20),
  smtpConnections: option('smtp-connections', 4),
  noticeConcurrency: option('notice-concurrency', 8),
};
const log = (m: string) => process.stderr.write(`[notice-burst ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function main() {
  const began = Date.now();
  const stack = await startStack(settings);
  try {
    await seedUnits(stack, UNITS);
    log(`bare pooled SMTP loop: ${UNITS} messages`);
    const bareMailPerSec = await bareMailLoop(stack, UNITS);
    const sessionsBefore = stack.smtp.connections;
    // Due once every unit workflow surely runs (a unit started after its due instant skips the notice): starts reach
    // ≈ 20–100/s on this shared dev server, so N/20 s and at least 90 s.
    const dueAfterStartS = Math.max(90, Math.ceil(UNITS / 20));
    await storeBurstTemplate(stack, dueAfterStartS);
    const startsAtMs = Math.ceil(Date.now() / 1000) * 1000;
    log(`POST /api/cycles for ${UNITS} units, all due ${dueAfterStartS} s after the start`);
    const cycle = await call(stack, 'POST', '/api/cycles', {
      templateKey: 'bench-burst',
      name: 'bench',
      startsAt: new Date(startsAtMs).toISOString(),
      units: { subtreeOf: 'bench-root', kinds: ['school'] },
    });
    const allStartedMs = await until(
      'all started',
      async () => (await count(stack, `cycle_unit WHERE cycle_id = $1 AND status <> 'pending'`, [cycle.id])) === UNITS,
      startsAtMs,
      60 * 60_000,
    );
    const dueMs = startsAtMs + dueAfterStartS * 1000;
    if (Date.now() > dueMs) log('WARNING: the unit workflows were not all running before the due instant');
    log(`burst at ${new Date(dueMs).toISOString()}: waiting for ${UNITS} e-mails at ${settings.emailRate}/s`);
    const burst = await measureBurst(stack, UNITS, dueMs, sessionsBefore, log);
    log(`outbox drain: ${DRAIN} due notices recorded at once, no Temporal in front`);
    const drain = await drainFigures(stack, DRAIN, cycle.id);
    const figures = {
      units: UNITS,
      drained: DRAIN,
      configuredEmailRate: settings.emailRate,
      ratioToConfigured: +(burst.emailPerSec / settings.emailRate).toFixed(2),
      bareMailPerSec,
      allStartedMs,
      dueAfterStartS,
      ...burst,
      ...drain,
      seconds: Math.round((Date.now() - began) / 1000),
    };
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
