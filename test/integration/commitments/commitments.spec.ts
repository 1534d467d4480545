import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertUnit, loginAs, twoBranchesWithAccounts, type LoggedIn } from '../../support/auth';
import { insertCycle, submissionTestPlan } from '../../support/cycle-fixtures';
import { useTestApi } from '../../support/test-stack';

/** The cycle starts 2027-01-01 00:00 in Asia/Shanghai (2026-12-31T16:00Z). */
const CYCLE_START_PLUS_ONE_DAY = Date.parse('2027-01-02T00:00:00+08:00');

const commitmentBody = (cycleId: string, unitId: string) => ({
  cycleId,
  unitId,
  title: '“增效减负”我承诺',
  content: '围绕中小学“增效减负”行动，党员教师带头“增效”、率先“减负”，形成学校推进有效作业的行动方案。',
  goals: [
    { title: '有效作业行动方案', measure: '3月底前经教代会讨论通过并在校园网公示', targetDate: '2027-03-31' },
    {
      title: '作业时间达标',
      measure: '三至六年级每天书面作业不超过1小时，每月抽查两次并公示结果',
      targetDate: '2027-06-30',
    },
    {
      title: '党员示范课',
      measure: '每名党员教师每学期开设一节“轻负担、高质量”示范课，教研组评课记录存档',
      targetDate: '2027-12-31',
    },
  ],
});

/** Commitments api on real PostgreSQL: role boundaries, field-level 400s with nothing written, two half-yearly reviews. */
describe('public commitments and leader reviews', () => {
  const stack = useTestApi();
  let cycleId: string, unitA: string, unitB: string, outsider: string;
  let secA: LoggedIn,
    subA: LoggedIn,
    secB: LoggedIn,
    secParent: LoggedIn,
    reviewer: LoggedIn,
    admin: LoggedIn,
    auditor: LoggedIn;
  let commitmentId: string;
  let goalIds: string[];
  const http = () => request(stack.api.getHttpServer());
  const counts = async () =>
    (
      await stack.db
        .query(`SELECT (SELECT count(*) FROM public_commitment)::int AS c, (SELECT count(*) FROM commitment_goal)::int AS g, (SELECT count(*) FROM leader_review)::int AS r,
                            (SELECT count(*) FROM leader_review_goal)::int AS rg, (SELECT count(*) FROM audit_log WHERE entity = 'commitment')::int AS a, (SELECT count(*) FROM idempotency_key)::int AS k`)
    )[0];
  const post = (path: string, who: LoggedIn, body: object, key: string | null = randomUUID()) => {
    const r = http().post(path).set(who.headers);
    return (key ? r.set('Idempotency-Key', key) : r).send(body);
  };

  beforeAll(async () => {
    ({ unitA, unitB, secA, subA, secB, secParent, reviewer, admin, auditor } = await twoBranchesWithAccounts(
      stack.api,
      { parent: 'XH-GB1', a: 'XH-S01', b: 'XH-S02' },
    ));
    outsider = await insertUnit(stack.api, 'XH-U01', { kind: 'university' });
    cycleId = await insertCycle(stack.db.dataSource, [unitA, unitB], submissionTestPlan(CYCLE_START_PLUS_ONE_DAY));
  });

  it('rejects bad commitments with every field named, and writes nothing', async () => {
    const before = await counts();
    const bad = async (
      who: LoggedIn,
      body: object,
      details: { field: string; problem: string }[],
      key: string | null = randomUUID(),
    ) => {
      const res = await post('/api/commitments', who, body, key).expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(details);
    };
    const ok = commitmentBody(cycleId, unitA);
    await bad(secA, { ...ok, title: '', goals: [] }, [
      { field: 'title', problem: 'title must be longer than or equal to 1 characters' },
      { field: 'goals', problem: 'needs at least one staged goal' },
    ]);
    await bad(
      secA,
      {
        ...ok,
        goals: [
          { title: '作业时间达标', measure: '', targetDate: '2027-02-30' },
          { title: 'x', measure: '每月抽查', targetDate: '30.06.2027' },
        ],
      },
      [
        { field: 'goals[0].measure', problem: 'measure must be longer than or equal to 2 characters' },
        { field: 'goals[0].targetDate', problem: 'is not a valid date' },
        { field: 'goals[1].targetDate', problem: 'is not a valid date' },
        { field: 'goals[1].targetDate', problem: 'must be a date YYYY-MM-DD' },
      ],
    );
    await bad(
      secA,
      {
        ...ok,
        goals: [
          ok.goals[0],
          { ...ok.goals[1], targetDate: '2026-12-31' },
          { ...ok.goals[2], title: ok.goals[0].title },
        ],
      },
      [
        { field: 'goals[1].targetDate', problem: 'is before the cycle starts (2027-01-01)' },
        { field: 'goals[2].title', problem: 'repeats goals[0].title' },
      ],
    );
    await bad(secA, { ...ok, cycleId: randomUUID() }, [{ field: 'cycleId', problem: 'unknown cycle' }]);
    await bad(secA, { ...ok, unitId: 'XH-S01' }, [{ field: 'unitId', problem: 'must be a UUID' }]);
    await bad(secA, { ...ok, extra: 1 }, [{ field: 'extra', problem: 'property extra should not exist' }]);
    await bad(
      secA,
      ok,
      [
        {
          field: 'Idempotency-Key',
          problem: 'header is required: 1–200 printable ASCII characters, unique per intended write (e.g. a UUID)',
        },
      ],
      null,
    );
    // a unit outside the cycle
    const outsiderSec = await loginAs(stack.api, 'unit_secretary', outsider);
    await bad(outsiderSec, commitmentBody(cycleId, outsider), [
      { field: 'unitId', problem: 'is not a unit of this cycle' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('a unit records only its own commitment; parents, the office and auditors cannot record it', async () => {
    const before = await counts();
    const body = commitmentBody(cycleId, unitA);
    expect((await post('/api/commitments', secB, body).expect(403)).body.message).toMatch(
      /a unit records only its own commitment/,
    );
    await post('/api/commitments', secParent, body).expect(403);
    await post('/api/commitments', reviewer, body).expect(403);
    await post('/api/commitments', admin, body).expect(403);
    await post('/api/commitments', auditor, body).expect(403);
    await http().post('/api/commitments').set('Idempotency-Key', randomUUID()).send(body).expect(401);
    expect(await counts()).toEqual(before);

    const key = randomUUID();
    const created = await post('/api/commitments', secA, body, key).expect(201);
    commitmentId = created.body.id;
    goalIds = created.body.goals.map((g: { id: string }) => g.id);
    expect(created.body).toMatchObject({
      cycleId,
      unitId: unitA,
      unitCode: 'XH-S01',
      title: body.title,
      createdBy: secA.user.id,
      goals: body.goals.map((g, i) => ({ ordinal: i + 1, ...g })),
      reviews: [],
      fulfilment: {
        latestPeriod: null,
        reviewCount: 0,
        counts: { fulfilled: 0, partly: 0, notYet: 0, notReviewed: 3 },
        fulfilledShare: 0,
        en: 'Not reviewed yet: 3 staged goals',
        zh: '尚未点评：共3项阶段性目标',
      },
    });
    expect(await counts()).toEqual({ ...before, c: 1, g: 3, a: 1, k: before.k + 1 });
    // the same request again (same key): the first answer, nothing more written
    const replay = await post('/api/commitments', secA, body, key).expect(201);
    expect(replay.body).toEqual(created.body);
    expect(await counts()).toEqual({ ...before, c: 1, g: 3, a: 1, k: before.k + 1 });
    // the submitter of the same unit cannot record a second one
    const again = await post('/api/commitments', subA, body).expect(409);
    expect(again.body.details).toEqual([{ field: 'unitId', problem: 'already has a commitment for this cycle' }]);
    const [audit] = await stack.db.query(
      `SELECT actor_id, actor_roles, action, entity_id, after->>'title' AS title FROM audit_log WHERE entity = 'commitment'`,
    );
    expect(audit).toEqual({
      actor_id: secA.user.id,
      actor_roles: ['unit_secretary'],
      action: 'commitment.create',
      entity_id: commitmentId,
      title: body.title,
    });
  });

  it('reads: the unit, the parent organisation (read only), the office and auditors; not another unit', async () => {
    for (const who of [secA, subA, secParent, reviewer, admin, auditor])
      await http().get(`/api/commitments/${commitmentId}`).set(who.headers).expect(200);
    await http().get(`/api/commitments/${commitmentId}`).set(secB.headers).expect(403);
    await http().get(`/api/commitments/${randomUUID()}`).set(admin.headers).expect(404);
    const ids = async (who: LoggedIn) =>
      (await http().get('/api/commitments').query({ cycleId }).set(who.headers).expect(200)).body.map(
        (c: { id: string }) => c.id,
      );
    expect(await ids(secParent)).toEqual([commitmentId]);
    expect(await ids(auditor)).toEqual([commitmentId]);
    expect(await ids(secB)).toEqual([]);
    const review = {
      period: '2027-H1',
      reviewer: '张书记',
      reviewedOn: '2027-07-05',
      strengths: '方案公示及时',
      shortcomings: '抽查记录不全',
      direction: '下半年完善抽查公示',
      goals: goalIds.map((goalId) => ({ goalId, assessment: 'fulfilled' })),
    };
    await post(`/api/commitments/${commitmentId}/reviews`, secParent, review).expect(403);
    await post(`/api/commitments/${commitmentId}/reviews`, auditor, review).expect(403);
    await post(`/api/commitments/${commitmentId}/reviews`, secA, review).expect(403);
    expect((await counts()).r).toBe(0);
  });

  it('rejects bad reviews with every field named, and writes nothing', async () => {
    const before = await counts();
    const base = {
      period: '2027-H1',
      reviewer: '张书记',
      reviewedOn: '2027-07-05',
      strengths: '方案公示及时',
      shortcomings: '抽查记录不全',
      direction: '下半年完善抽查公示',
    };
    const bad = async (body: object, details: { field: string; problem: string }[]) => {
      const res = await post(`/api/commitments/${commitmentId}/reviews`, reviewer, body).expect(400);
      expect(res.body.details).toEqual(details);
    };
    await bad(
      { ...base, period: '2027-H3', reviewedOn: '2027-7-5', goals: [{ goalId: goalIds[0], assessment: 'done' }] },
      [
        { field: 'period', problem: 'must be YYYY-H1 or YYYY-H2' },
        { field: 'reviewedOn', problem: 'is not a valid date' },
        { field: 'reviewedOn', problem: 'must be a date YYYY-MM-DD' },
        { field: 'goals[0].assessment', problem: 'must be one of: fulfilled, partly, not_yet' },
      ],
    );
    await bad({ ...base, goals: [{ goalId: goalIds[0], assessment: 'fulfilled' }] }, [
      {
        field: 'goals',
        problem: `every goal must be assessed; missing: goal 2 (${goalIds[1]}), goal 3 (${goalIds[2]})`,
      },
    ]);
    const stranger = randomUUID();
    await bad(
      {
        ...base,
        period: '2026-H2',
        reviewedOn: '2026-06-30',
        goals: [
          { goalId: goalIds[0], assessment: 'fulfilled' },
          { goalId: goalIds[0], assessment: 'partly', comment: '…' },
          { goalId: stranger, assessment: 'not_yet' },
        ],
      },
      [
        { field: 'period', problem: 'is before the cycle starts (2027-01-01)' },
        { field: 'reviewedOn', problem: 'is before the half-year 2026-H2 begins (2026-07-01)' },
        { field: 'goals[1].goalId', problem: 'assesses the same goal as goals[0]' },
        { field: 'goals[2].goalId', problem: 'is not a goal of this commitment' },
        { field: 'goals[2].comment', problem: 'is required when a goal is not fulfilled (say what is missing)' },
      ],
    );
    await post(`/api/commitments/${randomUUID()}/reviews`, reviewer, {
      ...base,
      goals: [{ goalId: goalIds[0], assessment: 'fulfilled' }],
    }).expect(404);
    expect(await counts()).toEqual(before);
  });

  it('two half-yearly leader reviews and the fulfilment summary (践诺)', async () => {
    const h1 = {
      period: '2027-H1',
      reviewer: '张书记（教育党工委）',
      reviewedOn: '2027-07-05',
      strengths: '有效作业方案按时公示，家长反映良好',
      shortcomings: '作业时间抽查仅完成一半',
      direction: '下半年每月两次抽查并公示',
      goals: [
        { goalId: goalIds[0], assessment: 'fulfilled', comment: '3月28日公示' },
        { goalId: goalIds[1], assessment: 'partly', comment: '6月抽查未公示' },
        { goalId: goalIds[2], assessment: 'not_yet', comment: '下半年开设' },
      ],
    };
    const first = await post(`/api/commitments/${commitmentId}/reviews`, reviewer, h1).expect(201);
    expect(first.body.fulfilment).toMatchObject({
      latestPeriod: '2027-H1',
      reviewCount: 1,
      counts: { fulfilled: 1, partly: 1, notYet: 1, notReviewed: 0 },
      fulfilledShare: 0.33,
      en: 'As of the 2027-H1 review (2027-07-05, 张书记（教育党工委）): 1 of 3 goals fulfilled, 1 partly, 1 not yet; past target and not fulfilled: goal 2 (2027-06-30)',
      zh: '截至2027年上半年点评（2027-07-05，张书记（教育党工委））：3项阶段性目标中已践诺1项、部分践诺1项、尚未践诺1项；逾期未践诺：目标2（2027-06-30）',
    });
    // the same half-year twice → 409, even from another office account
    const dup = await post(`/api/commitments/${commitmentId}/reviews`, admin, h1).expect(409);
    expect(dup.body.details).toEqual([{ field: 'period', problem: 'already reviewed' }]);

    const h2 = {
      ...h1,
      period: '2027-H2',
      reviewedOn: '2028-01-08',
      strengths: '抽查公示常态化，示范课全部开设',
      shortcomings: '示范课评课记录个别缺失',
      direction: '来年将示范课纳入校本研修',
      goals: [
        { goalId: goalIds[2], assessment: 'partly', comment: '两份评课记录缺失' },
        { goalId: goalIds[1], assessment: 'fulfilled' },
        { goalId: goalIds[0], assessment: 'fulfilled' },
      ],
    };
    const second = await post(`/api/commitments/${commitmentId}/reviews`, admin, h2).expect(201);
    const view = (await http().get(`/api/commitments/${commitmentId}`).set(secParent.headers).expect(200)).body;
    expect(second.body).toEqual(view);
    expect(
      view.reviews.map((r: any) => [
        r.period,
        r.reviewer,
        r.reviewedOn,
        r.recordedBy,
        r.goals.map((g: any) => [g.ordinal, g.assessment, g.comment]),
      ]),
    ).toEqual([
      [
        '2027-H1',
        '张书记（教育党工委）',
        '2027-07-05',
        reviewer.user.id,
        [
          [1, 'fulfilled', '3月28日公示'],
          [2, 'partly', '6月抽查未公示'],
          [3, 'not_yet', '下半年开设'],
        ],
      ],
      [
        '2027-H2',
        '张书记（教育党工委）',
        '2028-01-08',
        admin.user.id,
        [
          [1, 'fulfilled', ''],
          [2, 'fulfilled', ''],
          [3, 'partly', '两份评课记录缺失'],
        ],
      ],
    ]);
    expect(view.reviews[1]).toMatchObject({
      strengths: h2.strengths,
      shortcomings: h2.shortcomings,
      direction: h2.direction,
    });
    expect(view.fulfilment).toEqual({
      latestPeriod: '2027-H2',
      reviewCount: 2,
      counts: { fulfilled: 2, partly: 1, notYet: 0, notReviewed: 0 },
      fulfilledShare: 0.67,
      goals: [
        {
          goalId: goalIds[0],
          ordinal: 1,
          title: '有效作业行动方案',
          targetDate: '2027-03-31',
          latest: 'fulfilled',
          history: [
            { period: '2027-H1', assessment: 'fulfilled' },
            { period: '2027-H2', assessment: 'fulfilled' },
          ],
          pastTargetUnfulfilled: false,
        },
        {
          goalId: goalIds[1],
          ordinal: 2,
          title: '作业时间达标',
          targetDate: '2027-06-30',
          latest: 'fulfilled',
          history: [
            { period: '2027-H1', assessment: 'partly' },
            { period: '2027-H2', assessment: 'fulfilled' },
          ],
          pastTargetUnfulfilled: false,
        },
        {
          goalId: goalIds[2],
          ordinal: 3,
          title: '党员示范课',
          targetDate: '2027-12-31',
          latest: 'partly',
          history: [
            { period: '2027-H1', assessment: 'not_yet' },
            { period: '2027-H2', assessment: 'partly' },
          ],
          pastTargetUnfulfilled: true,
        },
      ],
      en: 'As of the 2027-H2 review (2028-01-08, 张书记（教育党工委）): 2 of 3 goals fulfilled, 1 partly, 0 not yet; past target and not fulfilled: goal 3 (2027-12-31)',
      zh: '截至2027年下半年点评（2028-01-08，张书记（教育党工委））：3项阶段性目标中已践诺2项、部分践诺1项、尚未践诺0项；逾期未践诺：目标3（2027-12-31）',
    });
    const audit = await stack.db.query(
      `SELECT actor_id, action, entity_id, after->>'period' AS period FROM audit_log WHERE entity = 'commitment' ORDER BY id`,
    );
    expect(audit).toEqual([
      { actor_id: secA.user.id, action: 'commitment.create', entity_id: commitmentId, period: null },
      { actor_id: reviewer.user.id, action: 'commitment.review', entity_id: commitmentId, period: '2027-H1' },
      { actor_id: admin.user.id, action: 'commitment.review', entity_id: commitmentId, period: '2027-H2' },
    ]);
    expect(await counts()).toMatchObject({ c: 1, g: 3, r: 2, rg: 6, a: 3 });
  });
});
