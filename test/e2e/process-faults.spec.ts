import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { alive, descendants, launch, launcherEnv, stop, waitForOutput, type Launch } from './support/launcher';
import { startSmtpProcess, type SmtpProcess } from './support/smtp-process';
import { SECOND } from '../support/time';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../support/eventually';

/** Instants of the cycle, in seconds after its start S (the template below). */
const REMINDERS = [20, 40];
const DUE = 60;
const TO_PARENT = 80;
const TO_OFFICE = 100;
const KILL = { worker: 27, api: 44, temporal: 50, postgres: TO_PARENT + 0.3 };

/** A one-step campaign in real time: reminders 40 s and 20 s before the due time (60 s), then the escalation ladder. */
const drillTemplate = {
  key: 'fault-drill',
  name: '故障演练',
  referenceYear: 2026,
  timeZone: 'Asia/Shanghai',
  defaults: {
    review: 'office',
    reminders: ['PT40S', 'PT20S'],
    escalation: [
      { after: 'PT0S', to: 'unit' },
      { after: 'PT20S', to: 'parent' },
      { after: 'PT40S', to: 'office', bulletin: true },
    ],
  },
  stages: [
    {
      key: 'study',
      title: '学习调研',
      window: { opens: { after: 'PT0S' }, closes: { after: 'PT10M' } },
      steps: [
        {
          key: 'study-record',
          title: '学习交流记录',
          due: { after: 'PT60S' },
          deliverables: [{ key: 'record', kind: 'report', title: '学习记录' }],
        },
      ],
    },
  ],
};

/** A 党总支 with three branches and NO unit of kind office: office notices go to NOTICE_OFFICE_EMAILS (issue 13). */
const tree = [
  { code: 'fd-gb1', name: '小学幼教党总支', kind: 'general_branch', email: 'gb1@fd.example.cn' },
  ...[1, 2, 3].map((i) => ({
    code: `fd-s0${i}`,
    name: `第${i}中学党支部`,
    kind: 'school',
    parentCode: 'fd-gb1',
    email: `s0${i}@fd.example.cn`,
  })),
];
const OFFICE_EMAIL = 'office@fd.example.cn';

/**
 * Issues 13 and 9: process faults under the real launcher (scripts/start.js with its own DATA_DIR and ports), during
 * a 3-unit cycle that runs in real time, with a real SMTP server process counting the e-mails. One stack serves every
 * case, in order: kill -9 of the worker, of the api (while imports are being written), of the Temporal dev server and
 * of PostgreSQL (as the parent escalations fire); then the cycle's outcome against an undisturbed run; then a crash
 * loop, which ends the stack.
 */
describe('process faults under npm start (launcher, PostgreSQL, Temporal dev server, worker, api; SMTP server process)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'campaigns-faults-'));
  let smtp: SmtpProcess;
  let l: Launch;
  let api: string;
  let dbUrl: string;
  let authorization: string;
  let S: number; // the cycle's start (ms)
  let cycleId: string;
  const admin = { email: 'faults-admin@campaigns.local', password: 'faults-admin-password-0123' };

  const at = async (seconds: number) => {
    const wait = S + seconds * SECOND - Date.now();
    if (wait > 0) await sleep(wait);
  };
  const query = async (sql: string, params: unknown[] = []) => {
    const client = new Client({ connectionString: dbUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', authorization, ...(init.headers as Record<string, string>) },
    });
  /** The pid of the launcher's child whose command line contains `marker`. */
  const pidOf = (marker: string) => {
    const found = descendants(l.child.pid!).filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    });
    if (found.length !== 1) throw new Error(`expected one process with ${marker}, found ${found.length}`);
    return found[0];
  };
  const pids = () => ({
    worker: pidOf('apps/worker/src/main.js'),
    api: pidOf('apps/api/src/main.js'),
    temporal: pidOf('start-dev'),
    postgres: pidOf('pg-runner.js'),
  });
  /** While processes restart, probes fail: those count as "not yet". */
  const until = <T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs: number) =>
    eventually(probe, accept, { timeoutMs, intervalMs: 200, tolerateErrors: true });
  const healthy = () =>
    until(
      () => fetch(`${api}/health`).then((r) => r.status),
      (s) => s === 200,
      20_000,
    );

  beforeAll(async () => {
    smtp = await startSmtpProcess();
    const launcher = await launcherEnv(dataDir, admin, {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      NOTICE_OFFICE_EMAILS: OFFICE_EMAIL,
    });
    const { env, pgPort } = launcher;
    api = launcher.api;
    l = launch(env);
    await l.ready;
    const credentials = JSON.parse(readFileSync(join(dataDir, 'pg.credentials.json'), 'utf8'));
    dbUrl = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${pgPort}/campaigns`;

    const login = await fetch(`${api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    authorization = `Bearer ${((await login.json()) as { accessToken: string }).accessToken}`;
    const imported = await call('/api/units/import', { method: 'POST', body: JSON.stringify({ units: tree }) });
    expect(await imported.json()).toEqual({ created: 4, updated: 0, warnings: [] });
    expect(
      (await call('/api/templates', { method: 'POST', body: JSON.stringify({ document: drillTemplate }) })).status,
    ).toBe(201);
    S = Math.ceil((Date.now() + 5 * SECOND) / SECOND) * SECOND;
    const started = await call('/api/cycles', {
      method: 'POST',
      body: JSON.stringify({
        templateKey: 'fault-drill',
        name: '故障演练',
        startsAt: new Date(S).toISOString(),
        units: { subtreeOf: 'fd-gb1', kinds: ['school'] },
      }),
    });
    expect(started.status).toBe(201);
    cycleId = ((await started.json()) as { id: string }).id;
  }, 180_000);

  afterAll(async () => {
    if (l && l.child.exitCode === null && l.child.signalCode === null) await stop(l);
    await smtp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, 90_000);

  it('kill -9 of the worker mid-cycle: the launcher restarts it (its heartbeat is back) within 15 s; nothing else restarts', async () => {
    await at(KILL.worker);
    const before = pids();
    const from = l.output().length;
    const killedAt = Date.now();
    process.kill(before.worker, 'SIGKILL');
    const [, pid] = await waitForOutput(l, /worker restarted \(pid (\d+)\)/, from, 15_000);
    await until(
      () => query(`SELECT 1 FROM worker_heartbeat WHERE instance_id = $1`, [`${hostname()}/${pid}`]),
      (rows) => rows.length === 1,
      15_000,
    );
    const backMs = Date.now() - killedAt;
    expect(backMs).toBeLessThan(15_000);
    expect(l.output().slice(from)).toContain(
      'worker exited unexpectedly (signal SIGKILL); crash 1 of 5 allowed within 60 s — restarting in 0.5 s',
    );
    expect({ ...pids(), worker: before.worker }).toEqual(before);
    process.stdout.write(`worker back ${backMs} ms after kill -9\n`);
  }, 60_000);

  it('kill -9 of the api while unit imports are being written: back within 15 s, every import all or nothing', async () => {
    await at(KILL.api);
    const before = pids();
    const batches = Array.from({ length: 6 }, (_, b) =>
      Array.from({ length: 200 }, (_, i) => ({ code: `kb${b}-${i}`, name: `批量党支部 ${b}-${i}`, kind: 'school' })),
    );
    const answers = batches.map((units) =>
      call('/api/units/import', { method: 'POST', body: JSON.stringify({ units }) }).then(
        (r) => r.status,
        () => 'cut off',
      ),
    );
    await sleep(150);
    const from = l.output().length;
    const killedAt = Date.now();
    process.kill(before.api, 'SIGKILL');
    const statuses = await Promise.all(answers);
    await waitForOutput(l, /api restarted \(pid \d+\)/, from, 15_000);
    await healthy();
    const backMs = Date.now() - killedAt;
    expect(backMs).toBeLessThan(15_000);
    const counts = await Promise.all(
      batches.map((_, b) =>
        query(`SELECT count(*)::int AS n FROM unit WHERE code LIKE $1`, [`kb${b}-%`]).then((r) => r[0].n),
      ),
    );
    for (const [b, n] of counts.entries()) {
      expect([0, 200]).toContain(n);
      if (statuses[b] === 200) expect(n).toBe(200);
    }
    expect({ ...pids(), api: before.api }).toEqual(before);
    process.stdout.write(
      `api back ${backMs} ms after kill -9; imports answered ${JSON.stringify(statuses)}, stored ${JSON.stringify(counts)}\n`,
    );
  }, 60_000);

  it('kill -9 of the Temporal dev server, then of PostgreSQL as the parent escalations fire: both restarted on their data', async () => {
    await at(KILL.temporal);
    let from = l.output().length;
    let killedAt = Date.now();
    process.kill(pidOf('start-dev'), 'SIGKILL');
    await waitForOutput(l, /temporal restarted \(pid \d+\)/, from, 15_000);
    await healthy();
    const temporalBackMs = Date.now() - killedAt;

    await at(KILL.postgres);
    from = l.output().length;
    killedAt = Date.now();
    const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await waitForOutput(l, /postgres is accepting connections again/, from, 20_000);
    await healthy();
    const postgresBackMs = Date.now() - killedAt;
    expect(l.output().slice(from)).toMatch(/postgres exited unexpectedly \(code 1\); crash 1 of 5/);
    expect(temporalBackMs).toBeLessThan(15_000);
    expect(postgresBackMs).toBeLessThan(20_000);
    process.stdout.write(`Temporal back ${temporalBackMs} ms, PostgreSQL back ${postgresBackMs} ms after kill -9\n`);
  }, 90_000);

  it('ends as an undisturbed run: every notice once, at its instant; every transition once in the read model', async () => {
    const units = tree.filter((u) => u.kind === 'school');
    const expectedMails = units.length * 5;
    // Every outbox row settles; a delivery whose COMMIT died with PostgreSQL is retried after its 30 s backoff.
    const unsettled = () =>
      query(
        `SELECT count(*)::int AS n FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE n.cycle_id = $1 AND d.status = 'pending'`,
        [cycleId],
      );
    const total = () =>
      query(
        `SELECT count(*)::int AS n FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE n.cycle_id = $1`,
        [cycleId],
      );
    await until(
      async () => [(await total())[0].n, (await unsettled())[0].n],
      ([all, pending]) => all === 30 && pending === 0,
      S + (TO_OFFICE + 90) * SECOND - Date.now(),
    );
    await sleep(3 * SECOND); // a late duplicate would arrive now

    // Every notice recorded once, at the template's instant.
    const notices = await query(
      `SELECT u.code, n.kind, n.audience, n.scheduled_for FROM notice n JOIN unit u ON u.id = n.unit_id WHERE n.cycle_id = $1 ORDER BY u.code, n.scheduled_for`,
      [cycleId],
    );
    const instant = (s: number) => new Date(S + s * SECOND).toISOString();
    expect(notices.map((n) => [n.code, n.kind, n.audience, n.scheduled_for.toISOString()])).toEqual(
      units.flatMap((u) => [
        [u.code, 'reminder', 'unit', instant(REMINDERS[0])],
        [u.code, 'reminder', 'unit', instant(REMINDERS[1])],
        [u.code, 'due', 'unit', instant(DUE)],
        [u.code, 'escalation', 'parent', instant(TO_PARENT)],
        [u.code, 'escalation', 'office', instant(TO_OFFICE)],
      ]),
    );
    // Every delivery sent (e-mail and inbox), none dead.
    expect(
      await query(
        `SELECT d.channel, d.status, count(*)::int AS n FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE n.cycle_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
        [cycleId],
      ),
    ).toEqual([
      { channel: 'email', status: 'sent', n: 15 },
      { channel: 'inbox', status: 'sent', n: 15 },
    ]);

    // The SMTP server process: each e-mail to the right address, one copy each — except a parent escalation the SMTP
    // server accepted just before PostgreSQL died and whose COMMIT died with it: resent once with the SAME Message-ID
    // (the documented window between SMTP 250 and COMMIT; receivers drop the copy by its Message-ID).
    const rows = await query(
      `SELECT d.message_id, d.address, n.kind, n.audience, n.scheduled_for, u.code FROM notice_delivery d JOIN notice n ON n.id = d.notice_id
         JOIN unit u ON u.id = n.unit_id WHERE n.cycle_id = $1 AND d.channel = 'email'`,
      [cycleId],
    );
    const lateness: Record<string, number> = {};
    let resends = 0;
    for (const r of rows) {
      const copies = smtp.mails.filter((m) => m.messageId === r.message_id);
      expect(copies.map((m) => m.to)).toContainEqual([r.address]);
      const seconds = (r.scheduled_for.getTime() - S) / SECOND;
      if (copies.length > 1) {
        expect([copies.length, seconds]).toEqual([2, TO_PARENT]);
        resends++;
      }
      const late = copies[0].receivedAt - r.scheduled_for.getTime();
      lateness[`${r.code} ${r.kind}@${seconds}s`] = late;
      expect(late).toBeGreaterThanOrEqual(-1_000);
      // At its instant; a parent escalation may wait for PostgreSQL and then for one delivery retry backoff (30 s).
      expect(late).toBeLessThan(seconds === TO_PARENT ? 45_000 : 10_000);
    }
    expect(resends).toBeLessThanOrEqual(units.length);
    expect(smtp.mails).toHaveLength(expectedMails + resends);
    expect(rows.map((r) => r.address).sort()).toEqual(
      [
        ...units.flatMap((u) => [u.email, u.email, u.email]),
        ...units.map(() => 'gb1@fd.example.cn'),
        ...units.map(() => OFFICE_EMAIL),
      ].sort(),
    );

    // The read model: per unit, the transitions of an undisturbed run, each once, seq without gaps.
    for (const u of units) {
      const events = await query(
        `SELECT e.seq, e.kind, e.at FROM unit_event e JOIN unit x ON x.id = e.unit_id WHERE e.cycle_id = $1 AND x.code = $2 ORDER BY e.seq`,
        [cycleId, u.code],
      );
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      // The workflow starts (and enters its first stage) when the cycle is started, a few seconds before S.
      const startedAt = events[0]?.at.toISOString();
      expect(startedAt <= instant(0)).toBe(true);
      expect(events.map((e) => [e.kind, e.at.toISOString()])).toEqual([
        ['started', startedAt],
        ['stage_entered', startedAt],
        ['step_opened', instant(0)],
        ['reminder_sent', instant(REMINDERS[0])],
        ['reminder_sent', instant(REMINDERS[1])],
        ['due_notice_sent', instant(DUE)],
        ['escalated', instant(TO_PARENT)],
        ['escalated', instant(TO_OFFICE)],
      ]);
      const [step] = await query(
        `SELECT s.status, s.escalation_level, s.on_bulletin FROM unit_step_status s JOIN unit x ON x.id = s.unit_id WHERE s.cycle_id = $1 AND x.code = $2`,
        [cycleId, u.code],
      );
      expect(step).toEqual({ status: 'open', escalation_level: 3, on_bulletin: true }); // rungs unit, parent, office
    }
    process.stdout.write(
      `e-mails: ${smtp.mails.length} (${resends} resend); ms after their instant: ${JSON.stringify(lateness)}\n`,
    );
  }, 240_000);

  it('a crash loop (the worker killed five times within a minute) stops everything with a message and leaves no process', async () => {
    const processes = descendants(l.child.pid!);
    for (let crash = 1; crash <= 5; crash++) {
      const from = l.output().length;
      process.kill(pidOf('apps/worker/src/main.js'), 'SIGKILL');
      if (crash < 5) await waitForOutput(l, /worker restarted \(pid \d+\)/, from, 20_000);
    }
    expect(await l.exited).toBe(1);
    expect(l.output()).toContain(
      'crash loop: worker exited 5 times within 60 s (last: signal SIGKILL); restarting will not help — stopping everything',
    );
    expect(l.output()).toMatch(/api stopped[\s\S]*worker stopped[\s\S]*temporal stopped[\s\S]*postgres stopped/);
    expect(processes.filter(alive)).toEqual([]);
  }, 120_000);
});
