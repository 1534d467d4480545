import { randomUUID } from 'node:crypto';
import { SecurityHardening1764100000000 } from '../../../libs/persistence/src/migrations/1764100000000-security-hardening';
import { createTestDatabase, TestDatabase } from '../../support/database';

/** Secrets stored in unit rows before the migration move to unit_secret (and back on down). */
describe('migration 1764100000000: unit secrets move out of the unit row', () => {
  let db: TestDatabase;
  const migration = new SecurityHardening1764100000000();
  const run = async (step: 'up' | 'down') => {
    const qr = db.dataSource.createQueryRunner();
    try {
      await migration[step](qr);
    } finally {
      await qr.release();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('moves webhook_url and contact robot fields to unit_secret, strips them from the row, and restores them on down', async () => {
    await run('down');
    const id = randomUUID();
    const contacts = [
      { name: '王芳', email: 'wf@x.cn', wecomWebhook: 'https://qyapi.weixin.qq.com/x?key=k1' },
      { name: '钉钉', dingtalkWebhook: 'https://oapi.dingtalk.com/robot/send?access_token=t1', dingtalkSecret: 'SEC1' },
    ];
    await db.query(
      `INSERT INTO unit (id, code, name, kind, webhook_url, contacts) VALUES ($1, 'm1', 'm1', 'school', 'https://h.example.cn/?token=w', $2)`,
      [id, JSON.stringify(contacts)],
    );
    await run('up');
    expect(await db.query(`SELECT webhook_url, contacts FROM unit WHERE id = $1`, [id])).toEqual([
      { webhook_url: null, contacts: [{ name: '王芳', email: 'wf@x.cn' }, { name: '钉钉' }] },
    ]);
    expect(await db.query(`SELECT ref, value FROM unit_secret WHERE unit_id = $1 ORDER BY ref`, [id])).toEqual([
      { ref: 'contacts[0].wecomWebhook', value: 'https://qyapi.weixin.qq.com/x?key=k1' },
      { ref: 'contacts[1].dingtalkSecret', value: 'SEC1' },
      { ref: 'contacts[1].dingtalkWebhook', value: 'https://oapi.dingtalk.com/robot/send?access_token=t1' },
      { ref: 'webhookUrl', value: 'https://h.example.cn/?token=w' },
    ]);
    await run('down');
    expect(await db.query(`SELECT webhook_url, contacts FROM unit WHERE id = $1`, [id])).toEqual([
      { webhook_url: 'https://h.example.cn/?token=w', contacts },
    ]);
    await run('up');
  });
});
