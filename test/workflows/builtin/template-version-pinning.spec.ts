import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { createTestApi } from '../../support/api';
import { loginAs, type LoggedIn } from '../../support/auth';
import { noticesOf, startHarness, type CampaignHarness } from '../campaign/harness';
import { DAY, HOUR, isoOf } from '../../support/time';
import { eventually } from '../../support/eventually';

const deliverables = [{ key: 'record', kind: 'report', title: '学习记录' }];
/** Version 1: one step due 10 days after the cycle starts. */
const v1 = {
  key: 'pin-drill',
  name: '版本固定演练',
  referenceYear: 2026,
  timeZone: 'Asia/Shanghai',
  defaults: { review: 'office', reminders: ['P1D'], escalation: [{ after: 'PT0S', to: 'unit' }] },
  stages: [
    {
      key: 'study',
      title: '学习调研',
      window: { opens: { after: 'PT0S' }, closes: { after: 'P30D' } },
      steps: [{ key: 'study-record', title: '学习交流记录', due: { after: 'P10D' }, deliverables }],
    },
  ],
};
/** Version 2, saved while a cycle of version 1 runs: a later due date, a new title and a second step. */
const v2 = {
  ...v1,
  stages: [
    {
      ...v1.stages[0],
      steps: [
        { key: 'study-record', title: '学习交流记录（修订）', due: { after: 'P20D' }, deliverables },
        { key: 'study-report', title: '调研报告', due: { after: 'P25D' }, deliverables },
      ],
    },
  ],
};

/**
 * Versioning through the api: a cycle pins the template version it started with. Saving the template again (a new
 * version) changes neither the running cycle's stored plan nor its unit workflows — their timers and notices follow
 * the old version — while a new cycle gets the new version, and an explicit templateVersion still starts the old one.
 */
describe('template versions: a running cycle keeps the version it started with (api, time-skipping server, real worker, real PostgreSQL)', () => {
  let h: CampaignHarness;
  let api: INestApplication;
  let office: LoggedIn;
  const http = () => request(api.getHttpServer());

  beforeAll(async () => {
    h = await startHarness('template-pinning');
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: h.taskQueue },
    });
    office = await loginAs(api, 'office_admin');
    await http()
      .post('/api/units/import')
      .set(office.headers)
      .send({
        units: [
          { code: 'pd-office', name: '教育党工委', kind: 'office' },
          { code: 'pd-s01', name: '徐汇中学党支部', kind: 'school', parentCode: 'pd-office' },
        ],
      })
      .expect(200);
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  const save = (document: object) => http().post('/api/templates').set(office.headers).send({ document });
  const start = (name: string, startsAt: number, templateVersion?: number) =>
    http()
      .post('/api/cycles')
      .set(office.headers)
      .send({
        templateKey: 'pin-drill',
        ...(templateVersion ? { templateVersion } : {}),
        name,
        startsAt: isoOf(startsAt),
        units: { codes: ['pd-s01'] },
      });
  const stepsOfPlan = (body: {
    plans: { unitKind: string; stages: { steps: { key: string; title: string; dueAt: string }[] }[] }[];
  }) =>
    body.plans.flatMap((p) => p.stages.flatMap((s) => s.steps.map((st) => [p.unitKind, st.key, st.title, st.dueAt])));

  it('keeps version 1 for the cycle started with it after version 2 is saved; new cycles get version 2 unless they ask for 1', async () => {
    expect((await save(v1).expect(201)).body).toMatchObject({ key: 'pin-drill', version: 1, created: true });
    const t0 = Math.ceil((await h.env.currentTimeMs()) / 1000) * 1000 + 60_000;

    const first = (await start('第一期', t0).expect(201)).body;
    expect(first).toMatchObject({ templateKey: 'pin-drill', templateVersion: 1 });
    expect(stepsOfPlan(first)).toEqual([['school', 'study-record', '学习交流记录', isoOf(t0 + 10 * DAY)]]);
    const unitId = (await h.db.query(`SELECT id FROM unit WHERE code = 'pd-s01'`))[0].id as string;
    const firstUnit = h.env.client.workflow.getHandle(unitWorkflowId(first.id, unitId));
    await eventually(
      () =>
        h.db.query(`SELECT count(*)::int AS n FROM unit_event WHERE cycle_id = $1 AND kind = 'started'`, [first.id]),
      (r) => r[0].n === 1,
    );

    // The office edits the template: version 2. Saving the same document again is not a new version.
    expect((await save(v2).expect(201)).body).toMatchObject({ key: 'pin-drill', version: 2, created: true });
    expect((await save(v2).expect(200)).body).toMatchObject({ version: 2, created: false });
    expect(
      (await http().get('/api/templates/pin-drill/versions').set(office.headers).expect(200)).body.map(
        (r: { version: number }) => r.version,
      ),
    ).toEqual([1, 2]);

    // The running cycle still shows and runs version 1: stored plan, workflow state, timers and notices.
    const again = (await http().get(`/api/cycles/${first.id}`).set(office.headers).expect(200)).body;
    expect(again.templateVersion).toBe(1);
    expect(stepsOfPlan(again)).toEqual([['school', 'study-record', '学习交流记录', isoOf(t0 + 10 * DAY)]]);
    await h.advanceTo(t0 + 10 * DAY + HOUR);
    const status = await firstUnit.query(unitStatusQuery);
    expect(status.steps.map((s) => [s.key, s.title, s.status, s.dueAt])).toEqual([
      ['study-record', '学习交流记录', 'open', isoOf(t0 + 10 * DAY)],
    ]);
    const notices = await eventually(
      () => noticesOf(h.db, unitId),
      (n) => n.length === 2,
    );
    expect(notices.map((n) => [n.step, n.kind, n.scheduledFor, n.dueAt])).toEqual([
      ['study-record', 'reminder', isoOf(t0 + 9 * DAY), isoOf(t0 + 10 * DAY)],
      ['study-record', 'due', isoOf(t0 + 10 * DAY), isoOf(t0 + 10 * DAY)],
    ]);
    const firstRows = await h.db.query(`SELECT step_key, title, due_at FROM unit_step_status WHERE cycle_id = $1`, [
      first.id,
    ]);
    expect(firstRows).toEqual([{ step_key: 'study-record', title: '学习交流记录', due_at: new Date(t0 + 10 * DAY) }]);
    const startedDetail = (
      await h.db.query(`SELECT detail FROM unit_event WHERE cycle_id = $1 AND kind = 'started'`, [first.id])
    )[0].detail;
    expect(startedDetail).toEqual({ templateKey: 'pin-drill', templateVersion: 1 });

    // A cycle started now gets version 2; one that names version 1 gets version 1.
    const t1 = Math.ceil((await h.env.currentTimeMs()) / 1000) * 1000 + 60_000;
    const second = (await start('第二期', t1).expect(201)).body;
    expect(second.templateVersion).toBe(2);
    expect(stepsOfPlan(second)).toEqual([
      ['school', 'study-record', '学习交流记录（修订）', isoOf(t1 + 20 * DAY)],
      ['school', 'study-report', '调研报告', isoOf(t1 + 25 * DAY)],
    ]);
    const third = (await start('第三期（沿用旧版）', t1, 1).expect(201)).body;
    expect(third.templateVersion).toBe(1);
    expect(stepsOfPlan(third)).toEqual([['school', 'study-record', '学习交流记录', isoOf(t1 + 10 * DAY)]]);
    const secondUnit = h.env.client.workflow.getHandle(unitWorkflowId(second.id, unitId));
    const secondStatus = await eventually(
      () => secondUnit.query(unitStatusQuery).catch(() => undefined),
      (s) => s !== undefined,
    );
    expect(secondStatus!.steps.map((s) => [s.key, s.dueAt])).toEqual([
      ['study-record', isoOf(t1 + 20 * DAY)],
      ['study-report', isoOf(t1 + 25 * DAY)],
    ]);
    expect(await h.db.query(`SELECT name, template_version FROM campaign_cycle ORDER BY created_at`)).toEqual([
      { name: '第一期', template_version: 1 },
      { name: '第二期', template_version: 2 },
      { name: '第三期（沿用旧版）', template_version: 1 },
    ]);
    // The first cycle's unit is untouched by the later cycles: still version 1's single step.
    expect((await firstUnit.query(unitStatusQuery)).steps.map((s) => s.key)).toEqual(['study-record']);
  });
});
