import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import { evaluationBody, overallQuestion } from '../../support/evaluation-fixtures';
import { useTestApi } from '../../support/test-stack';

/** 满意度测评 with one-time anonymous tokens: exact aggregates, refused reuse and late answers, no token–answer link. */
describe('evaluations: anonymous tokens and results', () => {
  const stack = useTestApi();
  let admin: LoggedIn;
  let unitA: string, unitB: string;
  let evaluationId: string;
  const http = () => request(stack.api.getHttpServer());
  const count = async (t: string) => (await stack.db.query(`SELECT count(*)::int AS n FROM ${t}`))[0].n as number;
  const respond = (token: string, answers: object) =>
    http().post('/api/evaluations/responses').send({ token, answers });
  const issue = (unitId: string, body: object, key = randomUUID()) =>
    http()
      .post(`/api/evaluations/${evaluationId}/tokens`)
      .set(admin.headers)
      .set('Idempotency-Key', key)
      .send({ unitId, ...body });

  // 30 answers for unit A: overall 12×5, 9×4, 6×3, 2×2, 1×1; satisfaction 18 satisfied, 7 basically, 5 dissatisfied
  const overall = [...Array(12).fill(5), ...Array(9).fill(4), ...Array(6).fill(3), 2, 2, 1];
  const satisfaction = [
    ...Array(18).fill('satisfied'),
    ...Array(7).fill('basically_satisfied'),
    ...Array(5).fill('dissatisfied'),
  ];

  beforeAll(async () => {
    admin = await loginAs(stack.api, 'office_admin');
    unitA = await insertUnit(stack.api, 'EV-A');
    unitB = await insertUnit(stack.api, 'EV-B');
    const res = await http()
      .post('/api/evaluations')
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send(
        evaluationBody({
          questions: [
            overallQuestion(),
            {
              key: 'satisfaction',
              text: '满意程度',
              type: 'choice',
              options: [
                { value: 'satisfied', label: '满意', satisfied: true },
                { value: 'basically_satisfied', label: '基本满意', satisfied: true },
                { value: 'dissatisfied', label: '不满意' },
              ],
            },
            { key: 'comment', text: '意见建议', type: 'text' },
          ],
        }),
      )
      .expect(201);
    evaluationId = res.body.id;
  });

  it('aggregates 30 anonymous respondents exactly, per unit', async () => {
    const batch = await issue(unitA, { count: 30 }).expect(201);
    expect(batch.body.issued).toBe(30);
    const tokens: string[] = batch.body.tokens.map((t: { token: string }) => t.token);
    expect(new Set(tokens).size).toBe(30);
    for (const [i, token] of tokens.entries()) {
      const answers = {
        overall: overall[i],
        satisfaction: satisfaction[i],
        ...(i < 3 ? { comment: `意见${3 - i}` } : {}),
      };
      await respond(token, answers).expect(201, { accepted: true });
    }
    const bTokens = (await issue(unitB, { count: 5 }).expect(201)).body.tokens.map((t: { token: string }) => t.token);
    await respond(bTokens[0], { overall: 2, satisfaction: 'dissatisfied' }).expect(201);
    await respond(bTokens[1], { overall: 3, satisfaction: 'satisfied' }).expect(201);
    const twoOnly = (
      await http().get(`/api/evaluations/${evaluationId}/results?unitId=${unitB}`).set(admin.headers).expect(200)
    ).body.units[0];
    expect(twoOnly).toEqual({
      unitId: unitB,
      unitCode: 'EV-B',
      unitName: 'Unit EV-B',
      issued: 5,
      responded: 2,
      responseRate: 0.4,
      questions: null,
      withheld: expect.stringMatching(/^fewer than 3 responses/),
    });
    await respond(bTokens[2], { overall: 4, satisfaction: 'basically_satisfied', comment: '加强沟通' }).expect(201);

    const res = await http()
      .get(`/api/evaluations/${evaluationId}/results?unitId=${unitA}`)
      .set(admin.headers)
      .expect(200);
    expect(res.body.units).toEqual([
      {
        unitId: unitA,
        unitCode: 'EV-A',
        unitName: 'Unit EV-A',
        issued: 30,
        responded: 30,
        responseRate: 1,
        questions: [
          {
            key: 'overall',
            type: 'scale',
            responses: 30,
            mean: 119 / 30,
            distribution: { 1: 1, 2: 2, 3: 6, 4: 9, 5: 12 },
            satisfactionRate: 21 / 30,
          },
          {
            key: 'satisfaction',
            type: 'choice',
            responses: 30,
            mean: null,
            distribution: { satisfied: 18, basically_satisfied: 7, dissatisfied: 5 },
            satisfactionRate: 25 / 30,
          },
          {
            key: 'comment',
            type: 'text',
            responses: 3,
            mean: null,
            distribution: {},
            satisfactionRate: null,
            comments: ['意见1', '意见2', '意见3'],
          },
        ],
      },
    ]);
    const all = await http().get(`/api/evaluations/${evaluationId}/results`).set(admin.headers).expect(200);
    const b = all.body.units.find((u: { unitId: string }) => u.unitId === unitB);
    expect(b).toEqual({
      unitId: unitB,
      unitCode: 'EV-B',
      unitName: 'Unit EV-B',
      issued: 5,
      responded: 3,
      responseRate: 0.6,
      questions: [
        {
          key: 'overall',
          type: 'scale',
          responses: 3,
          mean: 3,
          distribution: { 1: 0, 2: 1, 3: 1, 4: 1, 5: 0 },
          satisfactionRate: 1 / 3,
        },
        {
          key: 'satisfaction',
          type: 'choice',
          responses: 3,
          mean: null,
          distribution: { satisfied: 1, basically_satisfied: 1, dissatisfied: 1 },
          satisfactionRate: 2 / 3,
        },
        {
          key: 'comment',
          type: 'text',
          responses: 1,
          mean: null,
          distribution: {},
          satisfactionRate: null,
          comments: ['加强沟通'],
        },
      ],
    });
  });

  it('refuses a reused token, an unknown token and bad answers — writing nothing', async () => {
    const [token, spare] = (await issue(unitB, { count: 2 }).expect(201)).body.tokens.map(
      (t: { token: string }) => t.token,
    );
    await respond(token, { overall: 5, satisfaction: 'satisfied' }).expect(201);
    const before = [await count('evaluation_response'), await count('audit_log')];
    const reused = await respond(token, { overall: 1, satisfaction: 'dissatisfied' }).expect(409);
    expect(reused.body.details).toEqual([{ field: 'token', problem: 'has already been used' }]);
    await respond('not-a-real-token-at-all', { overall: 1, satisfaction: 'dissatisfied' }).expect(401);
    const bad = await respond(spare, { overall: 6, satisfaction: 'meh', extra: 1 }).expect(400);
    expect(bad.body.details).toEqual([
      { field: 'answers.extra', problem: 'is not a question of this evaluation' },
      { field: 'answers.overall', problem: 'must be an integer from 1 to 5' },
      { field: 'answers.satisfaction', problem: 'must be one of: satisfied, basically_satisfied, dissatisfied' },
    ]);
    expect([await count('evaluation_response'), await count('audit_log')]).toEqual(before);
    // the spare token was not burnt by the bad answer
    await respond(spare, { overall: 4, satisfaction: 'satisfied' }).expect(201);
  });

  it('refuses a late answer and keeps the token unused', async () => {
    const late = await http()
      .post('/api/evaluations')
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send({
        title: '已结束的测评',
        kind: 'mass_evaluation',
        opensAt: new Date(Date.now() - 7200_000).toISOString(),
        closesAt: new Date(Date.now() + 3600_000).toISOString(),
        questions: [{ key: 'q', text: 'q', type: 'scale' }],
      })
      .expect(201);
    const t = (
      await http()
        .post(`/api/evaluations/${late.body.id}/tokens`)
        .set(admin.headers)
        .set('Idempotency-Key', randomUUID())
        .send({ unitId: unitA, count: 1 })
        .expect(201)
    ).body.tokens[0].token;
    await stack.db.query(`UPDATE evaluation SET closes_at = now() - interval '1 second' WHERE id = $1`, [late.body.id]);
    const res = await respond(t, { q: 3 }).expect(409);
    expect(res.body.details).toEqual([{ field: 'token', problem: 'the evaluation is closed' }]);
    expect(
      await stack.db.query(`SELECT count(*)::int AS n FROM evaluation_response WHERE evaluation_id = $1`, [
        late.body.id,
      ]),
    ).toEqual([{ n: 0 }]);
    expect(await stack.db.query(`SELECT used FROM evaluation_token WHERE evaluation_id = $1`, [late.body.id])).toEqual([
      { used: false },
    ]);
  });

  it('keeps no plaintext token and no link between tokens and answers', async () => {
    const key = randomUUID();
    const first = await issue(unitA, { count: 2 }, key).expect(201);
    const replay = await issue(unitA, { count: 2 }, key).expect(201);
    expect(replay.body).toEqual({
      batchId: first.body.batchId,
      evaluationId,
      unitId: unitA,
      issued: 2,
      tokens: null,
      note: expect.stringMatching(/shown only once/),
    });
    expect(
      await stack.db.query(`SELECT count(*)::int AS n FROM evaluation_token WHERE batch_id = $1`, [first.body.batchId]),
    ).toEqual([{ n: 2 }]);
    const token = first.body.tokens[0].token as string;
    const dump =
      JSON.stringify(await stack.db.query(`SELECT * FROM evaluation_token`)) +
      JSON.stringify(await stack.db.query(`SELECT * FROM idempotency_key`)) +
      JSON.stringify(await stack.db.query(`SELECT * FROM audit_log`));
    expect(dump).not.toContain(token);
    const columns = await stack.db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'evaluation_response' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'evaluation_id', 'unit_id', 'answers']);
  });

  it('scopes results by unit and lets only the office open evaluations and issue tokens', async () => {
    const secB = await loginAs(stack.api, 'unit_secretary', unitB);
    const own = await http()
      .get(`/api/evaluations/${evaluationId}/results?unitId=${unitB}`)
      .set(secB.headers)
      .expect(200);
    expect(own.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([unitB]);
    await http().get(`/api/evaluations/${evaluationId}/results?unitId=${unitA}`).set(secB.headers).expect(403);
    const scoped = await http().get(`/api/evaluations/${evaluationId}/results`).set(secB.headers).expect(200);
    expect(scoped.body.units.map((u: { unitId: string }) => u.unitId)).toEqual([unitB]);
    const auditor = await loginAs(stack.api, 'auditor');
    await http().get(`/api/evaluations/${evaluationId}/results`).set(auditor.headers).expect(200);
    await http()
      .post(`/api/evaluations/${evaluationId}/tokens`)
      .set(auditor.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ unitId: unitA, count: 1 })
      .expect(403);
    await http()
      .post(`/api/evaluations/${evaluationId}/tokens`)
      .set(secB.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ unitId: unitB, count: 1 })
      .expect(403);
    await http().get(`/api/evaluations/${evaluationId}/results`).expect(401);
  });

  it('400s a malformed form field by field', async () => {
    const before = await count('evaluation');
    const problemsOf = async (window: { opensAt: string; closesAt: string }) => {
      const questions = [
        { key: 'q', text: 'q', type: 'scale', min: 5, max: 3 },
        { key: 'q', text: 'c', type: 'choice', options: [{ value: 'a', label: 'A' }] },
      ];
      const res = await http()
        .post('/api/evaluations')
        .set(admin.headers)
        .set('Idempotency-Key', randomUUID())
        .send(evaluationBody({ title: 'x', ...window, questions }))
        .expect(400);
      return res.body.details;
    };
    // a date-time that does not parse is reported alone: the form is checked once the window is readable
    expect(await problemsOf({ opensAt: '2026-12-01', closesAt: 'next week' })).toEqual([
      { field: 'closesAt', problem: 'must be an ISO 8601 date-time' },
    ]);
    expect(await problemsOf({ opensAt: '2026-12-10T00:00:00Z', closesAt: '2026-12-01T00:00:00Z' })).toEqual([
      { field: 'questions[0].max', problem: 'must be greater than min (5)' },
      { field: 'questions[1].key', problem: 'appears twice' },
      { field: 'questions[1].options', problem: 'a choice question needs at least two options' },
      { field: 'closesAt', problem: 'must be after opensAt' },
    ]);
    expect(await count('evaluation')).toBe(before);
  });
});
