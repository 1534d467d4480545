import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import {
  completeStudyDraft,
  insertCycle,
  schoolUnitInput,
  startUnitWorkflow,
  submissionTestPlan,
} from '../../support/cycle-fixtures';
import { ApiStack, startApiStack } from '../../support/api-stack';
import type { TestDatabase } from '../../support/database';
import { statusCounts, timedFetch, TimedResponse } from '../../support/timed-http';

const TASK_QUEUE = 'concurrent-writes';
const UNITS = 10;
/** A pool this small makes the old "second connection inside a transaction" wedge certain within a few requests. */
const POOL = 3;

/**
 * Issue 9 item 1: concurrent writes through the real api (real PostgreSQL with a 3-connection pool, real unit
 * workflows on the time-skipping server) never wedge it. Every request answers within 5 s; the only errors allowed
 * are 503s carrying Retry-After; /health answers throughout.
 */
describe('concurrent writes on a small pool', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let api: INestApplication;
  let stack: ApiStack;
  let base: string;
  let cycleId: string;
  const units: { id: string; user: LoggedIn; submissionId?: string }[] = [];
  let reviewer: LoggedIn;

  /** Every attempt, for the 5 s and 503-with-Retry-After checks. */
  const attempts: TimedResponse[] = [];
  const once = (
    method: string,
    path: string,
    user: LoggedIn | null,
    opts: { json?: unknown; body?: FormData; headers?: Record<string, string> } = {},
  ) =>
    timedFetch(
      `${base}${path}`,
      { method, json: opts.json, body: opts.body, headers: { ...(user ? user.headers : {}), ...opts.headers } },
      10_000,
    );
  /** As the units' portal does: a 503 is retried after its Retry-After (this pool is tiny and the CI machine shared). */
  const call = async (...args: Parameters<typeof once>): Promise<TimedResponse> => {
    for (let attempt = 0; ; attempt++) {
      const res = await once(...args);
      attempts.push(res);
      if (res.status !== 503 || attempt === 5) return res;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after')) * 1000));
    }
  };
  const key = () => ({ 'Idempotency-Key': randomUUID() });
  const upload = (u: (typeof units)[number], name: string) => {
    const form = new FormData();
    form.append('deliverableKey', 'research-report');
    form.append('file', new Blob([`evidence ${name}`], { type: 'text/plain' }), name);
    return call('POST', `/api/submissions/${u.submissionId}/attachments`, u.user, { body: form, headers: key() });
  };
  /** Nothing waited past 5 s; every failure is a documented 503 with Retry-After. */
  const expectAnswered = (responses: TimedResponse[]) => {
    const slow = responses.filter((r) => r.ms > 5_000 || r.status === 0);
    expect({ slow: slow.length, statuses: statusCounts(responses) }).toEqual({ slow: 0, statuses: expect.any(Object) });
    for (const r of responses.filter((r) => r.status >= 500)) {
      expect([r.status, r.headers.get('retry-after')]).toEqual([503, expect.stringMatching(/^\d+$/)]);
    }
  };

  beforeAll(async () => {
    stack = await startApiStack({
      taskQueue: TASK_QUEUE,
      listen: true,
      env: { DATABASE_POOL_SIZE: String(POOL), DATABASE_ACQUIRE_TIMEOUT: '1s', DATABASE_STATEMENT_TIMEOUT: '2s' },
    });
    ({ env, db, api, base } = stack);
    const plan = submissionTestPlan(await env.currentTimeMs());
    for (let i = 0; i < UNITS; i++)
      units.push({ id: await insertUnit(api, `CW-${i}`), user: undefined as unknown as LoggedIn });
    cycleId = await insertCycle(
      db.dataSource,
      units.map((u) => u.id),
      plan,
    );
    for (const [i, u] of units.entries()) {
      await startUnitWorkflow(env.client, TASK_QUEUE, schoolUnitInput(cycleId, { id: u.id, code: `CW-${i}` }, plan));
      u.user = await loginAs(api, 'unit_secretary', u.id);
    }
    reviewer = await loginAs(api, 'office_reviewer');
    for (const u of units) {
      const created = await call('POST', '/api/submissions', u.user, {
        json: { cycleId, unitId: u.id, stepKey: 'study-research', deliverables: [] },
        headers: key(),
      });
      expect(created.status).toBe(201);
      u.submissionId = created.body.id;
    }
  });

  // a wedged api (the old code) never finishes close(): the stack bounds it, then drops the database by force
  afterAll(() => stack?.close());

  it('answers 40 concurrent draft saves of one submission by one user, and /health throughout', async () => {
    const u = units[0];
    const saves = Array.from({ length: 40 }, (_, i) =>
      call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, {
        json: { deliverables: [{ key: 'research-report', kind: 'report', text: `save ${i}` }] },
      }),
    );
    const health = call('GET', '/health', null);
    const responses = await Promise.all(saves);
    expectAnswered(responses);
    expect(statusCounts(responses)).toEqual({ 200: 40 });
    expect((await health).status).toBe(200);
    expect((await call('GET', '/health', null)).status).toBe(200);
    const [row] = await db.query(`SELECT draft, draft_revision FROM submission WHERE id = $1`, [u.submissionId]);
    expect(row.draft.deliverables[0].text).toMatch(/^save \d+$/);
    expect(row.draft_revision).toBe(41);
    // each save is one statement that locks the row first: the audit entries chain, every one's `before` is the
    // draft the previous one wrote, revisions 2…41 once each, and the last `after` is the stored draft
    const audit: { before: unknown; after: { revision: number } }[] = await db.query(
      `SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'submission.update_draft' ORDER BY (after->>'revision')::int`,
      [u.submissionId],
    );
    expect(audit.map((a) => a.after.revision)).toEqual(Array.from({ length: 40 }, (_, i) => i + 2));
    expect(audit[0].before).toEqual({ deliverables: [] });
    const withoutRevision = ({ revision: _r, ...draft }: { revision: number }) => draft;
    expect(audit.slice(1).map((a) => a.before)).toEqual(audit.slice(0, -1).map((a) => withoutRevision(a.after)));
    expect(withoutRevision(audit[39].after)).toEqual(row.draft);
  });

  it('refuses a save with a stale If-Match without writing anything, and takes the current one', async () => {
    const u = units[1];
    const draft = (text: string) => ({ deliverables: [{ key: 'research-report', kind: 'report', text }] });
    const first = await call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, {
      json: draft('first'),
      headers: { 'If-Match': '"1"' },
    });
    expect([first.status, first.body.draftRevision, first.headers.get('etag')]).toEqual([200, 2, '"2"']);
    const stale = await call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, {
      json: draft('stale'),
      headers: { 'If-Match': '"1"' },
    });
    expect([stale.status, stale.body.code]).toEqual([409, 'STALE_DRAFT']);
    const next = await call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, {
      json: draft('second'),
      headers: { 'If-Match': '"2"' },
    });
    expect([next.status, next.body.draftRevision, next.body.draft]).toEqual([200, 3, draft('second')]);
    const audit = await db.query(
      `SELECT before, after FROM audit_log WHERE entity_id = $1 AND action = 'submission.update_draft' ORDER BY id`,
      [u.submissionId],
    );
    expect(audit).toEqual([
      { before: { deliverables: [] }, after: { ...draft('first'), revision: 2 } },
      { before: draft('first'), after: { ...draft('second'), revision: 3 } },
    ]);
  });

  it('answers drafts, uploads, submits and reviews of 10 units at once, and the rows and workflows agree', async () => {
    // drafts and uploads of every unit at once (3 saves + 2 uploads each)
    const edits = units.flatMap((u) => [
      ...[1, 2, 3].map((n) =>
        call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, {
          json: { deliverables: [{ key: 'research-report', kind: 'report', text: `draft ${n}` }] },
        }),
      ),
      upload(u, 'a.txt'),
      upload(u, 'b.txt'),
    ]);
    const editResponses = await Promise.all([...edits, call('GET', '/health', null)]);
    expectAnswered(editResponses);
    expect(statusCounts(editResponses)).toEqual({ 200: UNITS * 3 + 1, 201: UNITS * 2 });

    // every unit saves its complete draft, then submits twice with the same key (a double click) — all at once
    await Promise.all(
      units.map((u) => call('PUT', `/api/submissions/${u.submissionId}/draft`, u.user, { json: completeStudyDraft() })),
    );
    const submits = units.flatMap((u) => {
      const headers = key();
      return [
        call('POST', `/api/submissions/${u.submissionId}/submit`, u.user, { headers }),
        call('POST', `/api/submissions/${u.submissionId}/submit`, u.user, { headers }),
      ];
    });
    const submitResponses = await Promise.all([...submits, call('GET', '/health', null)]);
    expectAnswered(submitResponses);
    expect(statusCounts(submitResponses)).toEqual({ 200: UNITS * 2 + 1 });
    expect(submitResponses.slice(0, -1).map((r) => [r.body.status, r.body.currentVersion])).toEqual(
      Array(UNITS * 2).fill(['submitted', 1]),
    );

    // the reviewer accepts all ten at once
    const reviews = await Promise.all(
      units.map((u) =>
        call('POST', `/api/submissions/${u.submissionId}/versions/1/review`, reviewer, {
          json: { decision: 'accept' },
          headers: key(),
        }),
      ),
    );
    expectAnswered(reviews);
    expect(statusCounts(reviews)).toEqual({ 200: UNITS });
    // every attempt (503s the portal retried included) answered within 5 s, any 5xx a 503 with Retry-After
    expectAnswered(attempts);
    expect(
      await db.query(`SELECT status, count(*)::int AS n FROM submission WHERE cycle_id = $1 GROUP BY status`, [
        cycleId,
      ]),
    ).toEqual([{ status: 'accepted', n: UNITS }]);
    expect(
      await db.query(
        `SELECT count(*)::int AS n FROM submission_version v JOIN submission s ON s.id = v.submission_id WHERE s.cycle_id = $1 AND v.decision = 'accepted'`,
        [cycleId],
      ),
    ).toEqual([{ n: UNITS }]);
    for (const u of units) {
      const status = await env.client.workflow.getHandle(unitWorkflowId(cycleId, u.id)).query(unitStatusQuery);
      expect(status.steps.find((s) => s.key === 'study-research')?.status).toBe('accepted');
    }
  });

  it('answers 503 with Retry-After instead of hanging while the pool is exhausted, and recovers', async () => {
    const u = units[1];
    const notes = { deliverables: [{ key: 'notes', kind: 'free_form', text: '学习心得' }] };
    const created = await call('POST', '/api/submissions', u.user, {
      json: { cycleId, unitId: u.id, stepKey: 'study-notes', ...notes },
      headers: key(),
    });
    expect(created.status).toBe(201);
    // another session holds the submission's row lock: every save waits on it while holding a pool connection
    const holder = new PgClient({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM submission WHERE id = $1 FOR UPDATE', [created.body.id]);
    const responses = await Promise.all([
      ...Array.from({ length: 8 }, () =>
        once('PUT', `/api/submissions/${created.body.id}/draft`, u.user, { json: notes }),
      ),
      once('GET', '/health', null),
    ]);
    await holder.query('ROLLBACK');
    await holder.end();
    const health = responses.pop()!;
    expect(health.status).toBe(200);
    expectAnswered(responses);
    // some waited for the lock until the statement timeout, the others for a connection until the acquire timeout
    expect(statusCounts(responses)).toEqual({ 503: 8 });
    expect(new Set(responses.map((r) => r.body.code))).toEqual(new Set(['DATABASE_BUSY']));
    // nothing is left wedged: the next save goes through at once
    const after = await once('PUT', `/api/submissions/${created.body.id}/draft`, u.user, { json: notes });
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(1_000);
  });
});
