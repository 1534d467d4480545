/**
 * One cycle of N units through the public api, each figure beside its bare baseline on the same servers:
 *   - start: POST /api/cycles until every unit workflow is started / has written   vs  a bare `client.workflow.start`
 *     loop of a trivial workflow that writes one row through one activity (diagnostics round trip, no delay);
 *   - notice burst (./notice-burst-suite.ts): every unit's step falls due at one instant; e-mails through the real
 *     notice path (unit workflow → recordNotice → the outbox dispatcher at the configured rate → pooled SMTP)   vs  a
 *     bare nodemailer pooled send loop to the same SMTP server; reminder lag = due instant → accepted by SMTP;
 *   - fan-outs (fanout-suite.ts): pause / resume / extend / cancel of the whole cycle until the read model shows it
 *     vs  a bare signal loop to the same unit workflows (a resume signal to running units, which ignore it).
 */
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { CampaignCycleId, UnitCode, UnitKind } from '../../libs/temporal/src/search-attributes';
import { unitWorkflowId } from '../../workflows/campaign/types';
import { coordinatorStartTimeline, fanoutSuite, profiled, rate, settled, type FanoutFigures } from './fanout-suite';
import { bareMailLoop, drainFigures, measureBurst, type BurstFigures } from './notice-burst-suite';
import { call, count, inFlight, TASK_QUEUE, until, type Stack } from './stack';
import type { PhaseProfile } from './temporal-metrics';

const START_WIDTH = 200;

export interface CycleFigures extends FanoutFigures, BurstFigures, Awaited<ReturnType<typeof drainFigures>> {
  units: number;
  bareStartPerSec: number;
  /**
   * The same bare loop with the three keyword search attributes every unit start carries (CampaignCycleId, UnitCode,
   * UnitKind): how much of a unit start's cost is what Temporal charges for them.
   */
  bareStartWithAttributesPerSec: number;
  /** Size of the first workflow input as stored in history: a bare round trip's and a unit's, bytes. */
  bareStartInputBytes: number;
  unitStartInputBytes: number;
  bareStartRowsWrittenMs: number;
  /** WorkflowTaskTimedOut events in 20 sampled bare round-trip histories. */
  bareWorkflowTaskTimeoutsInHistories: number;
  startAnswerMs: number;
  progressCompleteAfterAnswerMs: number;
  allStartedMs: number;
  startPerSec: number;
  /** The coordinator's start batches, ms after the request (its histories, server clock). */
  startTimeline: string;
  allFirstWritesMs: number;
  dueAfterStartS: number;
  configuredEmailRate: number;
  /** Where each phase's time went (Temporal server and SDK metrics), by phase. */
  profiles: Record<string, PhaseProfile>;
}

export async function cycleSuite(stack: Stack, units: number, log: (m: string) => void): Promise<CycleFigures> {
  const f = { units, configuredEmailRate: stack.settings.emailRate, profiles: {} } as unknown as CycleFigures;
  await seedUnits(stack, units);

  log(`bare start loop: ${units} round-trip workflows`);
  const ids = Array.from({ length: units }, () => randomUUID());
  let t = Date.now();
  await profiled(stack, f.profiles, 'bare start loop', () =>
    inFlight(ids, START_WIDTH, (id) =>
      stack.env.client.workflow.start('roundTripWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: `bare/${id}`,
        args: [{ id, message: 'bench', delayMs: 0 }],
      }),
    ),
  );
  f.bareStartPerSec = rate(units, Date.now() - t);
  f.bareStartRowsWrittenMs = await until(
    'bare rows',
    async () => (await count(stack, 'diagnostic_round_trip')) === units,
    t,
    30 * 60_000,
  );
  log(`bare start loop with the units' search attributes: ${units} round-trip workflows`);
  await settled(stack);
  const withAttributes = Array.from({ length: units }, () => randomUUID());
  t = Date.now();
  await profiled(stack, f.profiles, 'bare start loop with search attributes', () =>
    inFlight(withAttributes, START_WIDTH, (id) =>
      stack.env.client.workflow.start('roundTripWorkflow', {
        taskQueue: TASK_QUEUE,
        workflowId: `bare-sa/${id}`,
        args: [{ id, message: 'bench', delayMs: 0 }],
        typedSearchAttributes: [
          { key: CampaignCycleId, value: id },
          { key: UnitCode, value: `B${id.slice(0, 6)}` },
          { key: UnitKind, value: 'school' },
        ],
      }),
    ),
  );
  f.bareStartWithAttributesPerSec = rate(units, Date.now() - t);
  await until(
    'bare rows with search attributes',
    async () => (await count(stack, 'diagnostic_round_trip')) === 2 * units,
    t,
    30 * 60_000,
  );
  // the same count of timed-out workflow tasks in the bare workflows, for comparison with ours
  const bareHistories = await Promise.all(
    ids
      .filter((_, i) => i % Math.max(1, Math.floor(units / 20)) === 0)
      .map((id) => stack.env.client.workflow.getHandle(`bare/${id}`).fetchHistory()),
  );
  f.bareStartInputBytes = firstInputBytes(bareHistories[0]);
  f.bareWorkflowTaskTimeoutsInHistories = bareHistories.reduce(
    (n, h) => n + (h.events ?? []).filter((e) => e.workflowTaskTimedOutEventAttributes).length,
    0,
  );

  log(`bare pooled SMTP loop: ${units} messages over ${stack.settings.smtpConnections} connections`);
  f.bareMailPerSec = await bareMailLoop(stack, units);
  const sessionsBefore = stack.smtp.connections;

  // Due late enough that every unit workflow is surely running (a unit started after its due instant skips the
  // notice, and the burst would never complete): 3× the bare start time, and 1.5× the time the bare loop took end to
  // end (a loaded dev server accepts starts quickly but runs them slowly), at least 20 s.
  f.dueAfterStartS = Math.ceil(
    Math.max(20 + (3 * units) / f.bareStartPerSec, 20 + (1.5 * f.bareStartRowsWrittenMs) / 1000),
  );
  await storeBurstTemplate(stack, f.dueAfterStartS);
  await settled(stack);
  const startsAtMs = Math.ceil(Date.now() / 1000) * 1000;
  log(`our start: POST /api/cycles for ${units} units, all due ${f.dueAfterStartS} s after the start`);
  t = Date.now();
  const cycle = await call(stack, 'POST', '/api/cycles', {
    templateKey: 'bench-burst',
    name: 'bench',
    startsAt: new Date(startsAtMs).toISOString(),
    units: { subtreeOf: 'bench-root', kinds: ['school'] },
  });
  f.startAnswerMs = Date.now() - t;
  const answered = Date.now();
  f.progressCompleteAfterAnswerMs = await until(
    'progress complete',
    async () => (await call(stack, 'GET', `/api/cycles/${cycle.id}/progress`)).steps[0]?.total === units,
    answered,
    60_000,
  );
  f.allStartedMs = await profiled(stack, f.profiles, 'start', () =>
    until(
      'all started',
      async () => (await count(stack, `cycle_unit WHERE cycle_id = $1 AND status <> 'pending'`, [cycle.id])) === units,
      t,
      30 * 60_000,
    ),
  );
  f.startPerSec = rate(units, f.allStartedMs);
  f.allFirstWritesMs = await until(
    'first writes',
    async () => (await count(stack, `unit_event WHERE cycle_id = $1 AND kind = 'started'`, [cycle.id])) === units,
    t,
    30 * 60_000,
  );
  // read after the timed waits, so the fetches do not delay their polls
  f.startTimeline = await coordinatorStartTimeline(stack, cycle.workflowId, t);
  f.unitStartInputBytes = firstInputBytes(
    await stack.env.client.workflow
      .getHandle(unitWorkflowId(cycle.id, await firstUnitId(stack, cycle.id)))
      .fetchHistory(),
  );
  const dueMs = startsAtMs + f.dueAfterStartS * 1000;
  if (Date.now() > dueMs) log(`WARNING: the unit workflows were not all running before the due instant`);

  log(
    `notice burst at ${new Date(dueMs).toISOString()}: waiting for ${units} e-mails at ${stack.settings.emailRate}/s`,
  );
  Object.assign(f, await measureBurst(stack, units, dueMs, sessionsBefore, log));
  log(`outbox drain: ${units} due notices recorded at once, no Temporal in front`);
  Object.assign(f, await drainFigures(stack, units, cycle.id));

  Object.assign(f, await fanoutSuite(stack, cycle, { units, stepKey: 'report', profiles: f.profiles }, log));
  return f;
}

/** Bytes of the workflow's input as its first history event stores it (all payloads, data and metadata). */
function firstInputBytes(history: temporal.api.history.v1.IHistory): number {
  const payloads = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  return payloads.reduce((n, p) => n + temporal.api.common.v1.Payload.encode(p).finish().length, 0);
}

async function firstUnitId(stack: Stack, cycleId: string): Promise<string> {
  const { rows } = await stack.sql.query(
    `SELECT unit_id FROM cycle_unit WHERE cycle_id = $1 ORDER BY ordinal LIMIT 1`,
    [cycleId],
  );
  return rows[0].unit_id;
}

export async function seedUnits(stack: Stack, units: number) {
  await stack.sql.query(
    `INSERT INTO unit (id, code, name, kind) VALUES (gen_random_uuid(), 'bench-root', '区教育党工委', 'office')`,
  );
  await stack.sql.query(
    `INSERT INTO unit (id, code, name, kind, parent_id, secretary_name, email)
     SELECT gen_random_uuid(), 'B' || lpad(i::text, 6, '0'), '第' || i || '中学党支部', 'school', (SELECT id FROM unit WHERE code = 'bench-root'), '书记' || i, 'u' || i || '@bench.example.cn'
       FROM generate_series(1, $1) i`,
    [units],
  );
}

/** One stage, one step, due `dueAfterS` after the cycle start; the due notice goes to the unit; nothing else. */
export async function storeBurstTemplate(stack: Stack, dueAfterS: number) {
  const document = {
    key: 'bench-burst',
    name: '基准：同一截止时间',
    referenceYear: 2026,
    timeZone: 'Asia/Shanghai',
    defaults: { review: 'office', reminders: [], escalation: [{ after: 'PT0S', to: 'unit' }] },
    stages: [
      {
        key: 'study',
        title: '学习调研',
        window: { opens: { after: 'PT0S' }, closes: { after: 'P30D' } },
        steps: [
          {
            key: 'report',
            title: '学习情况报告',
            due: { after: `PT${dueAfterS}S` },
            deliverables: [{ key: 'report', kind: 'report', title: '报告' }],
          },
        ],
      },
    ],
  };
  await stack.sql.query(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES (gen_random_uuid(), 'bench-burst', 1, $1, $2, 'bench', 'api')`,
    [document.name, JSON.stringify(document)],
  );
}
