import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { stringify } from 'yaml';
import { TemplatesService } from '../../../apps/api/src/templates/templates.service';
import { resolvePlan } from '../../../libs/domain/src/template';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs, type LoggedIn } from '../../support/auth';
import { createTestDatabase, type TestDatabase } from '../../support/database';

const BUILTINS = ['changzhou-2010-2012-excellence', 'xuhui-2009-study-practice', 'xuhui-2011-satisfaction'];

/** A fourth campaign, written only as data here: an office needs no code change to run it. */
function drillDocument() {
  return {
    key: 'drill-2027',
    name: '2027年短周期演练',
    referenceYear: 2027,
    defaults: {
      reminders: ['PT20S'],
      escalation: [
        { after: 'PT0S', to: 'unit' },
        { after: 'PT30S', to: 'parent' },
        { after: 'PT1M', to: 'office', bulletin: true },
      ],
    },
    stages: [
      {
        key: 'kick-off',
        title: '启动',
        window: { opens: { after: 'PT0S' }, closes: { after: 'PT5M', from: 'stage' } },
        steps: [
          {
            key: 'plan',
            title: '活动方案',
            due: { after: 'PT30S', from: 'stage' },
            deliverables: [{ key: 'plan', kind: 'plan_with_items', title: '方案' }],
          },
          {
            key: 'pledge',
            title: '公开承诺',
            appliesTo: ['school'],
            due: { after: 'PT2M', from: 'stage' },
            deliverables: [{ key: 'pledge', kind: 'commitment', title: '承诺' }],
          },
        ],
      },
    ],
    recurring: [
      {
        series: 'check-in',
        title: '进度报告',
        stage: 'kick-off',
        every: 'PT2M',
        count: 2,
        deliverables: [{ key: 'note', kind: 'free_form', title: '进度' }],
      },
    ],
  };
}

describe('templates api', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let office: LoggedIn;
  const http = () => request(app.getHttpServer());
  const countRows = async () => Number((await db.query('SELECT count(*)::int AS n FROM campaign_template'))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two api processes starting at once on an empty database: the built-ins must still be stored once each.
    const [first, second] = await Promise.all([
      createTestApi({ databaseUrl: db.url }),
      createTestApi({ databaseUrl: db.url }),
    ]);
    app = first;
    await second.close();
    office = await loginAs(app, 'office_admin');
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('stores the built-in templates once when the api starts (two processes at once, then a restart)', async () => {
    const rows = await db.query('SELECT key, version, source FROM campaign_template ORDER BY key');
    expect(rows).toEqual(BUILTINS.map((key) => ({ key, version: 1, source: 'builtin' })));
    const again = await createTestApi({ databaseUrl: db.url });
    await again.close();
    expect(await countRows()).toBe(3);
    const list = await http().get('/api/templates').set(office.headers).expect(200);
    expect(list.body.map((t: any) => [t.key, t.version, t.source])).toEqual(BUILTINS.map((key) => [key, 1, 'builtin']));
  });

  it('serves a built-in with a preview: the 2010 implementation plan due 2010-07-15 (Asia/Shanghai)', async () => {
    const res = await http()
      .get('/api/templates/changzhou-2010-2012-excellence/versions/1?startsOn=2010-06-28&unitKind=university')
      .set(office.headers)
      .expect(200);
    expect(res.body).toMatchObject({ key: 'changzhou-2010-2012-excellence', version: 1, source: 'builtin' });
    const steps = res.body.preview.stages.flatMap((s: any) => s.steps);
    expect(steps.find((s: any) => s.key === 'implementation-plan').dueAt).toBe('2010-07-15T15:59:59.000Z');
    expect(steps.filter((s: any) => s.milestone?.series === 'semester-summary')).toHaveLength(6);
    expect(steps.map((s: any) => s.key)).toContain('university-governance');
  });

  it('validates without storing: 200 with a summary, 400 with every problem', async () => {
    const ok = await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .send({ document: drillDocument() })
      .expect(200);
    expect(ok.body).toEqual({
      key: 'drill-2027',
      name: '2027年短周期演练',
      referenceYear: 2027,
      timeZone: 'Asia/Shanghai',
      stages: [{ key: 'kick-off', title: '启动', steps: ['plan', 'pledge'] }],
      recurring: [{ series: 'check-in', title: '进度报告' }],
    });
    const bad = drillDocument() as any;
    bad.stages[0].steps[0].due = 'next week';
    bad.recurring[0].every = 'often';
    const res = await http().post('/api/templates/validate').set(office.headers).send({ document: bad }).expect(400);
    expect(res.body.details).toEqual([
      {
        field: 'stages[0].steps[0].due',
        problem: 'must be a local date or date-time such as 2010-07-15 or 2010-07-15T17:00',
      },
      {
        field: 'recurring[0].every',
        problem: 'must be quarter, half-year, semester or an ISO-8601 duration such as PT2M',
      },
    ]);
    expect(await countRows()).toBe(3);
  });

  it('saves a data-only template: new → version 1, same document (as YAML, reordered, commented) → still 1, changed → 2', async () => {
    const first = await http()
      .post('/api/templates')
      .set(office.headers)
      .send({ document: drillDocument() })
      .expect(201);
    expect(first.body).toMatchObject({ key: 'drill-2027', version: 1, created: true });

    const { recurring, stages, ...rest } = drillDocument();
    const sameAsYaml = `# the same campaign, keys in another order\n${stringify({ stages, recurring, ...rest })}`;
    const same = await http()
      .post('/api/templates')
      .set(office.headers)
      .set('Content-Type', 'application/yaml')
      .send(sameAsYaml)
      .expect(200);
    expect(same.body).toMatchObject({ key: 'drill-2027', version: 1, created: false, checksum: first.body.checksum });

    const changed = drillDocument();
    changed.defaults.reminders = ['PT40S', 'PT20S'];
    const second = await http()
      .post('/api/templates')
      .set(office.headers)
      .set('Content-Type', 'text/yaml')
      .send(stringify(changed))
      .expect(201);
    expect(second.body).toMatchObject({ key: 'drill-2027', version: 2, created: true });

    const rows = await db.query(
      'SELECT version, source, created_by AS "createdBy" FROM campaign_template WHERE key = \'drill-2027\' ORDER BY version',
    );
    expect(rows).toEqual([
      { version: 1, source: 'api', createdBy: office.user.email },
      { version: 2, source: 'api', createdBy: office.user.email },
    ]);
    // Every save is audited, also the one that found its document already stored.
    const audit = await db.query(
      'SELECT actor_email AS "actor", entity, entity_id AS "entityId", after->>\'version\' AS version FROM audit_log WHERE action = \'template.save\' ORDER BY id',
    );
    expect(audit).toEqual([
      { actor: office.user.email, entity: 'campaign_template', entityId: first.body.id, version: '1' },
      { actor: office.user.email, entity: 'campaign_template', entityId: first.body.id, version: '1' },
      { actor: office.user.email, entity: 'campaign_template', entityId: second.body.id, version: '2' },
    ]);
    const versions = await http().get('/api/templates/drill-2027/versions').set(office.headers).expect(200);
    expect(versions.body.map((v: any) => v.version)).toEqual([1, 2]);
    const latest = await http().get('/api/templates').set(office.headers).expect(200);
    expect(latest.body.find((t: any) => t.key === 'drill-2027').version).toBe(2);
  });

  it('resolves the saved template: the preview, and TemplatesService.getVersion + resolvePlan (what cycles use)', async () => {
    const res = await http()
      .get('/api/templates/drill-2027/versions/2?startsOn=2027-03-01&unitKind=agency')
      .set(office.headers)
      .expect(200);
    expect(res.body.document).toEqual({
      ...drillDocument(),
      defaults: { ...drillDocument().defaults, reminders: ['PT40S', 'PT20S'] },
    });
    const [stage] = res.body.preview.stages;
    // 2027-03-01 00:00 Asia/Shanghai = 2027-02-28T16:00Z; agencies get no pledge (schools only).
    expect(stage.steps.map((s: any) => [s.key, s.opensAt, s.dueAt, s.reminderOffsetsMs])).toEqual([
      ['plan', '2027-02-28T16:00:00.000Z', '2027-02-28T16:00:30.000Z', [40_000, 20_000]],
      ['check-in#1', '2027-02-28T16:00:00.000Z', '2027-02-28T16:02:00.000Z', [40_000, 20_000]],
      ['check-in#2', '2027-02-28T16:02:00.000Z', '2027-02-28T16:04:00.000Z', [40_000, 20_000]],
    ]);
    expect(res.body.preview.templateVersion).toBe(2);

    const v1 = await app.get(TemplatesService).getVersion('drill-2027', 1);
    const plan = resolvePlan(v1.template, {
      cycleStartsAt: '2027-03-01T02:00:00.000Z',
      unitKind: 'school',
      templateVersion: v1.version,
    });
    expect(plan.stages[0].steps.map((s) => [s.key, s.dueAt, s.reminderOffsetsMs])).toEqual([
      ['plan', '2027-03-01T02:00:30.000Z', [20_000]],
      ['pledge', '2027-03-01T02:02:00.000Z', [20_000]],
      ['check-in#1', '2027-03-01T02:02:00.000Z', [20_000]],
      ['check-in#2', '2027-03-01T02:04:00.000Z', [20_000]],
    ]);
    expect((await app.get(TemplatesService).getVersion('drill-2027')).version).toBe(2);
  });

  it('rejects a bad document with 400 listing every problem, and writes nothing', async () => {
    const before = await countRows();
    const bad = drillDocument() as any;
    bad.key = 'drill-2027';
    bad.stages[0].window.closes = { after: 'PT0S', from: 'cycle' };
    bad.stages[0].steps[1].appliesTo = ['castle'];
    bad.defaults.escalation[2].after = 'PT10S';
    const schemaErrors = await http().post('/api/templates').set(office.headers).send({ document: bad }).expect(400);
    expect(schemaErrors.body).toMatchObject({ statusCode: 400, error: 'VALIDATION_FAILED' });
    expect(schemaErrors.body.details).toEqual([
      {
        field: 'stages[0].steps[1].appliesTo[0]',
        problem:
          'must be one of the unit kinds: office, agency, university, vocational, school, kindergarten, retirees, general_branch, other',
      },
    ]);
    bad.stages[0].steps[1].appliesTo = ['school'];
    const semantic = await http().post('/api/templates').set(office.headers).send({ document: bad }).expect(400);
    expect(semantic.body.details).toEqual([
      {
        field: 'defaults.escalation[2].after',
        problem: 'must be later than the previous rung (PT30S); rungs climb in order',
      },
      // A template of relative times only is checked as if the cycle started on 1 January of referenceYear.
      {
        field: 'stages[0].window.closes',
        problem: 'closes the moment the window opens (2027-01-01T00:00:00); a window needs some length',
      },
      { field: 'stages[0].steps[0].due', problem: 'after the stage window closes' },
      { field: 'stages[0].steps[1].due', problem: 'after the stage window closes' },
      {
        field: 'recurring[0].every',
        problem: 'occurrence 1 (due 2027-01-01T00:02:00) is due after the stage window closes',
      },
      {
        field: 'recurring[0].every',
        problem: 'occurrence 2 (due 2027-01-01T00:04:00) is due after the stage window closes',
      },
    ]);
    const yamlError = await http()
      .post('/api/templates')
      .set(office.headers)
      .set('Content-Type', 'application/yaml')
      .send('key: [unclosed\n')
      .expect(400);
    expect(yamlError.body.details).toHaveLength(1);
    expect(yamlError.body.details[0].field).toBe('document');
    const noDocument = await http().post('/api/templates').set(office.headers).send({ template: {} }).expect(400);
    expect(noDocument.body.details).toEqual([
      {
        field: 'document',
        problem: 'is required: send JSON { "document": {...} } or the YAML text with Content-Type application/yaml',
      },
      {
        field: 'template',
        problem: 'unknown field (send JSON { "document": {...} } or the YAML text with Content-Type application/yaml)',
      },
    ]);
    expect(await countRows()).toBe(before);
  });

  it('requires an office account to save, any account to read; 404 for unknown templates', async () => {
    await http().post('/api/templates').send({ document: drillDocument() }).expect(401);
    const secretary = await loginAs(app, 'unit_secretary', await insertUnit(app, 'tpl-unit-1'));
    await http().post('/api/templates').set(secretary.headers).send({ document: drillDocument() }).expect(403);
    await http().get('/api/templates').expect(401);
    await http().get('/api/templates').set(secretary.headers).expect(200);
    await http().get('/api/templates/nope/versions').set(office.headers).expect(404);
    await http().get('/api/templates/drill-2027/versions/9').set(office.headers).expect(404);
    const badQuery = await http()
      .get('/api/templates/drill-2027/versions/1?startsOn=1.3.2027&unitKind=castle')
      .set(office.headers)
      .expect(400);
    expect(badQuery.body.details.map((d: any) => d.field)).toEqual(['startsOn', 'unitKind']);
  });
});
