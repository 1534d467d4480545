import request from 'supertest';
import { audienceUnits, recipientsOf } from '../../../libs/notifications/src/planning/notice-recipients';
import { loginAs, type LoggedIn } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';

const WECOM = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-robot-key-7f3a';
const DINGTALK = 'https://oapi.dingtalk.com/robot/send?access_token=dingtalk-token-91bc';
const DING_SECRET = 'SECdingtalk-signing-secret-55d2';
const UNIT_HOOK = 'https://hooks.school.example.cn/notify?token=unit-hook-token-0e4f';
const SECRETS = [
  WECOM,
  DINGTALK,
  DING_SECRET,
  UNIT_HOOK,
  'wecom-robot-key',
  'dingtalk-token',
  'dingtalk-signing-secret',
  'unit-hook-token',
];

/** Robot URLs (their key= / access_token=) and DingTalk signing secrets are write-only: masked for office admins, absent for everyone else. */
describe('units: robot and webhook secrets are write-only', () => {
  const stack = useTestApi();
  let admin: LoggedIn, reviewer: LoggedIn, auditor: LoggedIn, parentSecretary: LoggedIn, submitter: LoggedIn;
  const as = (who: LoggedIn) => request.agent(stack.api.getHttpServer()).set(who.headers);
  const importUnits = (units: object[]) => as(admin).post('/api/units/import').send({ units });

  beforeAll(async () => {
    admin = await loginAs(stack.api, 'office_admin');
    await importUnits([
      { code: 'sec-office', name: '教工委', kind: 'office' },
      { code: 'sec-gb', name: '党总支', kind: 'general_branch', parentCode: 'sec-office' },
      {
        code: 'sec-s01',
        name: '第一中学党支部',
        kind: 'school',
        parentCode: 'sec-gb',
        webhookUrl: UNIT_HOOK,
        contacts: [
          { name: '王芳', email: 'wf@school.example.cn', wecomWebhook: WECOM },
          { name: '钉钉群', dingtalkWebhook: DINGTALK, dingtalkSecret: DING_SECRET },
        ],
      },
    ]).expect(200);
    const id = async (code: string) =>
      (await stack.db.query('SELECT id FROM unit WHERE code = $1', [code]))[0].id as string;
    reviewer = await loginAs(stack.api, 'office_reviewer');
    auditor = await loginAs(stack.api, 'auditor');
    parentSecretary = await loginAs(stack.api, 'unit_secretary', await id('sec-gb'));
    submitter = await loginAs(stack.api, 'unit_submitter', await id('sec-s01'));
  });

  const leaks = (body: unknown) => SECRETS.filter((s) => JSON.stringify(body).includes(s));

  it.each([
    ['the unit’s own submitter', () => submitter],
    ['the parent’s secretary', () => parentSecretary],
    ['an office reviewer', () => reviewer],
    ['an auditor', () => auditor],
  ])('%s reads the unit and the list without any secret, masked or not', async (_who, who) => {
    const one = (await as(who()).get('/api/units/sec-s01').expect(200)).body;
    expect(leaks(one)).toEqual([]);
    expect(one.webhookUrl).toBeNull();
    expect(one.contacts).toEqual([{ name: '王芳', email: 'wf@school.example.cn' }, { name: '钉钉群' }]);
    const list = (await as(who()).get('/api/units').expect(200)).body;
    expect(list.items.find((u: { code: string }) => u.code === 'sec-s01')).toEqual(one);
    expect(leaks(list)).toEqual([]);
  });

  it('an office admin sees each secret masked to its last four characters', async () => {
    const one = (await as(admin).get('/api/units/sec-s01').expect(200)).body;
    expect(leaks(one)).toEqual([]);
    expect(one.webhookUrl).toBe('…0e4f');
    expect(one.contacts).toEqual([
      { name: '王芳', email: 'wf@school.example.cn', wecomWebhook: '…7f3a' },
      { name: '钉钉群', dingtalkWebhook: '…91bc', dingtalkSecret: '…55d2' },
    ]);
    const list = (await as(admin).get('/api/units').expect(200)).body;
    expect(list.items.find((u: { code: string }) => u.code === 'sec-s01')).toEqual(one);
  });

  it('keeps the secrets out of the unit row readers query (stored apart)', async () => {
    const [row] = await stack.db.query(`SELECT webhook_url, contacts FROM unit WHERE code = 'sec-s01'`);
    expect(leaks(row)).toEqual([]);
  });

  it('the notice worker still gets the real values', async () => {
    const [{ id }] = await stack.db.query(`SELECT id FROM unit WHERE code = 'sec-s01'`);
    const recipients = recipientsOf(await audienceUnits(stack.db.dataSource.manager, id, 'unit'), []);
    const byChannel = Object.fromEntries(
      recipients.filter((r) => r.channel !== 'email' && r.channel !== 'inbox').map((r) => [r.channel, r]),
    );
    expect(byChannel.wecom.address).toBe(WECOM);
    expect(byChannel.dingtalk.address).toBe(DINGTALK);
    expect(byChannel.dingtalk.contact.dingtalkSecret).toBe(DING_SECRET);
    expect(byChannel.webhook.address).toBe(UNIT_HOOK);
  });

  it('audits that secrets changed (which ones, on which unit), never their values', async () => {
    await importUnits([
      {
        code: 'sec-s01',
        name: '第一中学党支部',
        kind: 'school',
        contacts: [{ name: '钉钉群', dingtalkWebhook: DINGTALK, dingtalkSecret: 'SECa-new-secret-9999' }],
      },
    ]).expect(200);
    const audit = await stack.db.query(
      `SELECT action, entity, entity_id, before, after FROM audit_log WHERE action = 'unit.secrets_changed' ORDER BY id`,
    );
    expect(audit.map((a) => a.after)).toEqual([
      {
        units: [
          {
            code: 'sec-s01',
            changed: [
              'contacts[0].wecomWebhook',
              'contacts[1].dingtalkSecret',
              'contacts[1].dingtalkWebhook',
              'webhookUrl',
            ],
            removed: [],
          },
        ],
      },
      {
        units: [
          {
            code: 'sec-s01',
            changed: ['contacts[0].dingtalkSecret', 'contacts[0].dingtalkWebhook'],
            removed: ['contacts[0].wecomWebhook', 'contacts[1].dingtalkSecret', 'contacts[1].dingtalkWebhook'],
          },
        ],
      },
    ]);
    const everything = await stack.db.query(`SELECT * FROM audit_log`);
    expect(leaks(everything)).toEqual([]);
    expect(JSON.stringify(everything)).not.toContain('SECa-new-secret-9999');
    // the unit's own webhook was not in this import: it stays
    expect((await as(admin).get('/api/units/sec-s01').expect(200)).body.webhookUrl).toBe('…0e4f');
  });
});
