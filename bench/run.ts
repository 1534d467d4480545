/**
 * `npm run bench`: every figure beside its bare baseline, measured in the same run on the same servers, twice (the
 * spread is the noise). Prints one JSON line per run and a table of ours / baseline / ratio, and with --write-docs
 * replaces the generated section of docs/BENCHMARKS.md.
 *
 *   npm run bench                                  # 1,000 units, progress matrix at 10,000 units, 2 runs
 *   npm run bench -- --units 10000 --write-docs    # district size (the dev server makes this take a while)
 *   npm run bench -- --only api-rush [--write-docs] # only the api under a deadline rush (bench/api-rush.ts), 2 runs
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cycleSuite, type CycleFigures } from './lib/cycle-suite';
import { progressSuite, type ProgressFigures } from './lib/progress-suite';
import { root, startStack } from './lib/stack';
import { apiRush, rushMarkdown } from './api-rush';

type Figures = CycleFigures & ProgressFigures & { run: number; loadAvgBefore: number; seconds: number };

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const UNITS = option('units', 1000);
const PROGRESS_UNITS = option('progress-units', 10_000);
const RUNS = option('runs', 2);
const settings = {
  emailRate: option('email-rate', 20),
  smtpConnections: option('smtp-connections', 4),
  noticeConcurrency: option('notice-concurrency', 8),
};
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

/** figure, ours, baseline, ratio and what "good" means (ratio ≥ target). */
export function comparisons(f: Figures) {
  const r = (a: number, b: number) => +(a / b).toFixed(2);
  return [
    {
      figure: `unit workflow starts/s (${f.units} units)`,
      ours: f.startPerSec,
      baseline: f.bareStartPerSec,
      ratio: r(f.startPerSec, f.bareStartPerSec),
      target: '≥ 1.0',
    },
    ...(f.bareStartWithAttributesPerSec
      ? [
          {
            figure: "unit workflow starts/s vs the bare loop carrying the units' 3 search attributes",
            ours: f.startPerSec,
            baseline: f.bareStartWithAttributesPerSec,
            ratio: r(f.startPerSec, f.bareStartWithAttributesPerSec),
            target: '≥ 1.0 (what the attributes cost is Temporal’s)',
          },
        ]
      : []),
    {
      figure: 'pause fan-out, units/s (read model shows paused)',
      ours: f.pausePerSec,
      baseline: f.bareSignalPerSec,
      ratio: r(f.pausePerSec, f.bareSignalPerSec),
      target: '≥ 1.0',
    },
    {
      figure: 'resume fan-out, units/s',
      ours: f.resumePerSec,
      baseline: f.bareBeforeResumePerSec,
      ratio: r(f.resumePerSec, f.bareBeforeResumePerSec),
      target: '≥ 1.0',
    },
    {
      figure: 'extend-all fan-out, units/s (step rows show the new due date)',
      ours: f.extendPerSec,
      baseline: f.bareBeforeExtendPerSec,
      ratio: r(f.extendPerSec, f.bareBeforeExtendPerSec),
      target: '≥ 1.0',
    },
    {
      figure: 'cancel fan-out, units/s',
      ours: f.cancelPerSec,
      baseline: f.bareBeforeCancelPerSec,
      ratio: r(f.cancelPerSec, f.bareBeforeCancelPerSec),
      target: '≥ 1.0',
    },
    {
      figure: `e-mails/s in the burst (configured ${f.configuredEmailRate}/s)`,
      ours: f.emailPerSec,
      baseline: f.configuredEmailRate,
      ratio: r(f.emailPerSec, f.configuredEmailRate),
      target: '≥ 0.9',
    },
    {
      figure: `e-mails/s draining ${f.units} due notices already recorded (outbox dispatcher alone, configured ${f.configuredEmailRate}/s)`,
      ours: f.drainEmailPerSec,
      baseline: f.configuredEmailRate,
      ratio: r(f.drainEmailPerSec, f.configuredEmailRate),
      target: '≥ 0.9',
    },
    {
      figure:
        'notices recorded/s in the burst (timer → recordNotice) vs the bare round-trip loop, workflows/s end to end',
      ours: f.noticesRecordedPerSec,
      baseline: bareRoundTripsPerSec(f),
      ratio: r(f.noticesRecordedPerSec, bareRoundTripsPerSec(f)),
      target: '≈ 1 (Temporal bounds the burst)',
    },
    {
      figure: 'configured e-mail rate vs bare pooled nodemailer e-mails/s',
      ours: f.configuredEmailRate,
      baseline: f.bareMailPerSec,
      ratio: r(f.configuredEmailRate, f.bareMailPerSec),
      target: '< 1 (the rate is reachable)',
    },
    {
      figure: `progress matrix, full dump of ${f.progressUnits} units × ${f.progressCells / f.progressUnits} steps, ms (HTTP vs raw SQL)`,
      ours: f.matrixFullMs,
      baseline: f.rawSqlFullMs,
      ratio: r(f.matrixFullMs, f.rawSqlFullMs),
      target: 'ours < 200 ms',
    },
    {
      figure: 'progress matrix, filtered page of 200 units, ms (HTTP vs raw SQL)',
      ours: f.matrixPageMs,
      baseline: f.rawSqlPageMs,
      ratio: r(f.matrixPageMs, f.rawSqlPageMs),
      target: 'ours < 200 ms',
    },
  ];
}

/** The bare loop's end-to-end rate: round-trip workflows (start → activity writes a row) completed per second. */
const bareRoundTripsPerSec = (f: Figures) => +(f.units / (f.bareStartRowsWrittenMs / 1000)).toFixed(1);

async function oneRun(run: number): Promise<Figures> {
  const began = Date.now();
  const loadAvgBefore = +loadavg()[0].toFixed(2);
  log(`run ${run}: starting PostgreSQL, Temporal dev server, SMTP server, api and worker`);
  const stack = await startStack(settings);
  try {
    const progress = await progressSuite(stack, PROGRESS_UNITS, log);
    const cycle = await cycleSuite(stack, UNITS, log);
    return { run, loadAvgBefore, ...cycle, ...progress, seconds: Math.round((Date.now() - began) / 1000) };
  } finally {
    await stack.stop();
  }
}

function machine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}, ${process.platform}`;
}

/** The first line of a generated section: the command, the machine, and the load average before each run. */
function header(command: string, runs: { loadAvgBefore: number }[]): string {
  return `Command: \`${command}\` (wrapped in \`flock /tmp/heavy.lock\` on the shared machine). Machine: ${machine()}; load average before each run: ${runs.map((f) => f.loadAvgBefore).join(', ')}.`;
}

function markdown(results: Figures[], command: string): string {
  const rows = results.map((f) => comparisons(f));
  const lines = [
    header(command, results),
    '',
    `| figure | target | ${results.map((f) => `run ${f.run}: ours / baseline = ratio`).join(' | ')} |`,
    `|---|---|${results.map(() => '---').join('|')}|`,
    ...rows[0].map(
      (c, i) =>
        `| ${c.figure} | ${c.target} | ${rows.map((r) => `${r[i].ours} / ${r[i].baseline} = **${r[i].ratio}**`).join(' | ')} |`,
    ),
    '',
    '| other figures | ' + results.map((f) => `run ${f.run}`).join(' | ') + ' |',
    `|---|${results.map(() => '---').join('|')}|`,
    ...(
      [
        [
          'start request answered (cycle, plans, units and every unit × step row in one transaction), ms',
          'startAnswerMs',
        ],
        ['progress complete after the answer, ms (first poll)', 'progressCompleteAfterAnswerMs'],
        ['all unit workflows started, ms after the request', 'allStartedMs'],
        ['every unit workflow has written its first transition, ms', 'allFirstWritesMs'],
        ['bare loop: every round-trip row written, ms', 'bareStartRowsWrittenMs'],
        [
          'e-mails received / distinct Message-IDs / inbox messages',
          (f: Figures) => `${f.emails} / ${f.distinctMessageIds} / ${f.inboxMessages}`,
        ],
        ['SMTP sessions opened for the burst', 'smtpSessions'],
        ['most e-mails in one second', 'emailPeakInOneSecond'],
        [
          'reminder lag (due instant → accepted by SMTP) p50 / p99, s',
          (f: Figures) => `${(f.reminderLagP50Ms / 1000).toFixed(1)} / ${(f.reminderLagP99Ms / 1000).toFixed(1)}`,
        ],
        [
          "units' own writes landed after pause / resume / extend / cancel, ms after the request",
          (f: Figures) =>
            `${f.pauseUnitWritesMs} / ${f.resumeUnitWritesMs} / ${f.extendUnitWritesMs} / ${f.cancelUnitWritesMs}`,
        ],
        ...(['pause', 'resume', 'extend', 'cancel'] as const).map(
          (verb) =>
            [
              `coordinator during the ${verb} fan-out: ms after the request`,
              (f: Figures) => f.timelines?.[verb] ?? '—',
            ] as const,
        ),
        ['coordinator during the start: ms after the request', (f: Figures) => f.startTimeline ?? '—'],
        [
          'workflow input stored in history, bytes: a bare round trip / a unit',
          (f: Figures) => `${f.bareStartInputBytes ?? '—'} / ${f.unitStartInputBytes ?? '—'}`,
        ],
        [
          'events in the longest sampled unit workflow history / the longest coordinator run',
          (f: Figures) => `${f.maxUnitHistoryEvents} / ${f.cycleHistoryEvents}`,
        ],
        [
          'workflow task timeouts in 20 sampled unit histories + the coordinator (sticky schedule-to-start / start-to-close) / in 20 bare round trips',
          (f: Figures) =>
            `${f.workflowTaskTimeoutsInHistories} (${f.workflowTaskTimeoutKinds}) / ${f.bareWorkflowTaskTimeoutsInHistories ?? '—'}`,
        ],
        [
          'notice recorded (due instant → recordNotice committed) p99, s',
          (f: Figures) => (f.recordLagP99Ms / 1000).toFixed(1),
        ],
        ['most e-mails in one second while draining', 'drainPeakInOneSecond'],
        ['matrix full dump size, bytes', 'matrixFullBytes'],
        ['GET /progress (summary) on the same cycle, ms', 'progressSummaryMs'],
        ['run took, s', 'seconds'],
      ] as const
    ).map(
      ([label, key]) =>
        `| ${label} | ${results.map((f) => (typeof key === 'function' ? key(f) : f[key as keyof Figures])).join(' | ')} |`,
    ),
    '',
    'Where the time went, per phase (Temporal server metrics: frontend requests and persistence busy time; SDK metrics: mean task wait in the queue and workflow task execution):',
    '',
    '| run | phase | requests served | persistence busy, s (top operations) | workflow / activity task schedule-to-start, ms | workflow task execution, ms | sticky cache misses / forced evictions / size at the end | bench process peak RSS, MB |',
    '|---|---|---|---|---|---|---|---|',
    ...results.flatMap((f) =>
      Object.entries(f.profiles).map(
        ([phase, p]) =>
          `| ${f.run} | ${phase} | ${p.requests} | ${p.persistenceBusyS} (${p.persistence}) | ${p.workflowTaskScheduleToStartMs ?? '—'} / ${p.activityTaskScheduleToStartMs ?? '—'} | ${p.workflowTaskExecutionMs ?? '—'} | ${p.stickyCacheMisses ?? '—'} / ${p.stickyCacheEvictions ?? '—'} / ${p.stickyCacheSize ?? '—'} | ${p.rssPeakMb ?? '—'} |`,
      ),
    ),
    '',
    'Raw lines:',
    '',
    '```',
    ...results.map((f) => JSON.stringify(f)),
    '```',
  ];
  return lines.join('\n');
}

async function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
  if (only === 'api-rush') {
    const runs = await apiRush(RUNS, option('rush-seconds', 10), option('soak-rounds', 0), log);
    if (process.argv.includes('--write-docs'))
      writeGenerated('bench:api-rush', rushMarkdown(runs, header(command, runs)));
    return;
  }
  if (only !== undefined) throw new Error(`--only ${only}: the only suite that runs alone is api-rush`);
  const results: Figures[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const f = await oneRun(run);
    process.stdout.write(`${JSON.stringify(f)}\n`);
    console.table(comparisons(f));
    results.push(f);
  }
  if (process.argv.includes('--write-docs')) writeGenerated('bench', markdown(results, command));
}

/**
 * Replaces docs/BENCHMARKS.md's section between `<!-- <marker>:start … -->` and `<!-- <marker>:end -->` (appended
 * when there is none yet).
 */
function writeGenerated(marker: string, body: string) {
  const file = join(root, 'docs', 'BENCHMARKS.md');
  const doc = readFileSync(file, 'utf8');
  const section = `<!-- ${marker}:start (generated by npm run bench -- --write-docs; ${new Date().toISOString().slice(0, 10)}) -->\n${body}\n<!-- ${marker}:end -->`;
  const existing = new RegExp(`<!-- ${marker}:start[\\s\\S]*?<!-- ${marker}:end -->`);
  writeFileSync(file, existing.test(doc) ? doc.replace(existing, section) : `${doc.trimEnd()}\n\n${section}\n`);
  log(`wrote ${file}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  },
);
