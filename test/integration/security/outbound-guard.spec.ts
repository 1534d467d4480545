import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { NoticeChannels } from '../../../activities/notices/notice-channels';
import { validateEnv } from '../../../libs/config/src/env.schema';
import { DeliveryError, type OutgoingMessage } from '../../../libs/notifications/src/message';
import { createTestApi } from '../../support/api';
import { loginAs, type LoggedIn } from '../../support/auth';
import { testConfig } from '../../support/env';
import { useTestApi } from '../../support/test-stack';

/** A real HTTP server on 127.0.0.1 standing where a robot would; each path answers as the test says. */
async function startReceiver(answer: (path: string, res: import('node:http').ServerResponse) => void) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hits.push(req.url!);
      answer(req.url!, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    port,
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const message = (address: string): OutgoingMessage => ({
  deliveryId: '00000000-0000-4000-8000-000000000001',
  dedupeKey: 'k',
  messageId: '<k@campaigns.local>',
  locale: 'zh-CN',
  subject: '提醒',
  body: '请按时提交',
  link: 'https://campaigns.example.cn',
  address,
  recipient: { name: '王芳' },
  notice: {
    kind: 'reminder',
    audience: 'unit',
    cycleId: 'c',
    unitCode: 'u',
    stepKey: 's',
    occurrence: 1,
    rung: 1,
    dueAt: '2026-01-01T00:00:00Z',
    scheduledFor: '2026-01-01T00:00:00Z',
  },
});

const channels = (allow?: string) =>
  new NoticeChannels(testConfig({ DATABASE_URL: 'postgres://127.0.0.1:1/none', OUTBOUND_ALLOW_HOSTS: allow }));

async function failure(send: Promise<void>): Promise<DeliveryError> {
  const error = await send.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('outbound-request guard for webhook, WeCom and DingTalk notices', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    receiver = await startReceiver((path, res) => {
      if (path.startsWith('/redirect')) return void res.writeHead(302, { location: `${receiver.base}/target` }).end();
      if (path.startsWith('/broken'))
        return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>internal-admin-page root:x:0:0</h1>');
      if (path.startsWith('/robot-error'))
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errcode: 310000, errmsg: 'internal-detail-from-receiver' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  afterAll(() => receiver?.close());
  beforeEach(() => receiver.hits.splice(0));

  it('refuses loopback, hex-encoded, IPv6-loopback, localhost, private and link-local (metadata) addresses at send time', async () => {
    const strict = channels();
    const urls = [
      `${receiver.base}/hook`,
      `http://0x7f000001:${receiver.port}/hook`,
      `http://2130706433:${receiver.port}/hook`,
      `http://[::1]:${receiver.port}/hook`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/hook`,
      `http://localhost:${receiver.port}/hook`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.20.30.40/hook',
    ];
    for (const url of urls) {
      for (const channel of ['webhook', 'wecom', 'dingtalk'] as const) {
        const error = await failure(strict.sender(channel).send(message(url)));
        expect([url, channel, error.permanent, error.message]).toEqual([
          url,
          channel,
          true,
          expect.stringMatching(
            / refused: .* is not a public address; notices reach it only when OUTBOUND_ALLOW_HOSTS names it$/,
          ),
        ]);
      }
    }
    expect(receiver.hits).toEqual([]);
  });

  it('posts to an address the allow-list names (CIDR), and to no other private one', async () => {
    const allowed = channels('127.0.0.1/32, robot.intranet');
    await allowed.sender('webhook').send(message(`${receiver.base}/hook`));
    await allowed.sender('wecom').send(message(`http://localhost:${receiver.port}/wecom`));
    const error = await failure(allowed.sender('webhook').send(message(`http://127.0.0.2:${receiver.port}/hook`)));
    expect(error.permanent).toBe(true);
    expect(receiver.hits).toEqual(['/hook', '/wecom']);
  });

  it('never follows a redirect', async () => {
    const error = await failure(
      channels('127.0.0.1')
        .sender('webhook')
        .send(message(`${receiver.base}/redirect`)),
    );
    expect(error.message).toBe(`POST ${receiver.base}/redirect answered HTTP 302: redirects are not followed`);
    expect(error.permanent).toBe(true);
    expect(receiver.hits).toEqual(['/redirect']);
  });

  it('keeps the receiver’s answer out of errors (the dead-letter list): status and a short reason only', async () => {
    const allowed = channels('127.0.0.1');
    const broken = await failure(allowed.sender('webhook').send(message(`${receiver.base}/broken?token=abc`)));
    expect(broken.message).toBe(`POST ${receiver.base}/broken?token=*** answered HTTP 500`);
    const robot = await failure(
      allowed.sender('dingtalk').send(message(`${receiver.base}/robot-error?access_token=abc`)),
    );
    expect(robot.message).toBe(`DingTalk robot ${receiver.base}/robot-error?access_token=*** answered errcode 310000`);
    const wecom = await failure(allowed.sender('wecom').send(message(`${receiver.base}/robot-error?key=abc`)));
    expect(wecom.message).toBe(`WeCom robot ${receiver.base}/robot-error?key=*** answered errcode 310000`);
  });

  it('rejects a malformed allow-list at start-up, naming the entry', () => {
    expect(() =>
      validateEnv({ DATABASE_URL: 'postgres://x/y', TEMPORAL_ADDRESS: 'x:1', OUTBOUND_ALLOW_HOSTS: '10.0.0.0/99' }),
    ).toThrow(
      'OUTBOUND_ALLOW_HOSTS: must be comma-separated host names, IP addresses or CIDRs (e.g. robot.intranet, 10.20.0.0/16) (got "10.0.0.0/99")',
    );
  });
});

describe('outbound-request guard at unit import', () => {
  const stack = useTestApi();
  let office: LoggedIn;

  beforeAll(async () => {
    office = await loginAs(stack.api, 'office_admin');
  });

  it('400s every row and field whose robot or webhook points at a non-public address, and imports nothing', async () => {
    const res = await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(office.headers)
      .send({
        units: [
          {
            code: 'ok-1',
            name: '公网',
            kind: 'school',
            webhookUrl: 'https://8.8.8.8/hook',
            contacts: [{ name: 'a', wecomWebhook: 'https://unresolvable.invalid/robot?key=1' }],
          },
          { code: 'bad-1', name: '回环', kind: 'school', webhookUrl: 'http://127.0.0.1:9000/hook' },
          {
            code: 'bad-2',
            name: '机器人',
            kind: 'school',
            contacts: [
              { name: 'b', wecomWebhook: 'http://0x7f000001/cgi-bin/webhook/send?key=1' },
              {
                name: 'c',
                dingtalkWebhook: 'http://[::1]/robot/send?access_token=1',
                webhookUrl: 'http://169.254.169.254/latest/meta-data/',
              },
            ],
          },
          { code: 'bad-3', name: '内网', kind: 'school', webhookUrl: 'http://localhost/hook' },
        ],
      })
      .expect(400);
    expect(res.body.details).toEqual([
      {
        field: 'rows[1].webhookUrl',
        problem: '127.0.0.1, a loopback address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it',
      },
      {
        field: 'rows[2].contacts[0].wecomWebhook',
        problem: '127.0.0.1, a loopback address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it',
      },
      {
        field: 'rows[2].contacts[1].dingtalkWebhook',
        problem: '::1, a loopback address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it',
      },
      {
        field: 'rows[2].contacts[1].webhookUrl',
        problem:
          '169.254.169.254, a link-local (cloud metadata) address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it',
      },
      {
        field: 'rows[3].webhookUrl',
        problem:
          'localhost resolves to 127.0.0.1, a loopback address, which notices may reach only when OUTBOUND_ALLOW_HOSTS names it',
      },
    ]);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM unit`)).toEqual([{ n: 0 }]);
  });

  it('accepts addresses the allow-list names (an intranet robot)', async () => {
    const allowing = await createTestApi({ databaseUrl: stack.db.url, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
    try {
      const admin = await loginAs(allowing, 'office_admin');
      await request(allowing.getHttpServer())
        .post('/api/units/import')
        .set(admin.headers)
        .send({
          units: [
            {
              code: 'intranet',
              name: '内网机器人',
              kind: 'school',
              contacts: [{ name: 'a', wecomWebhook: 'http://127.0.0.1:9000/robot?key=1' }],
            },
          ],
        })
        .expect(200);
      const refused = await request(allowing.getHttpServer())
        .post('/api/units/import')
        .set(admin.headers)
        .send({ units: [{ code: 'metadata', name: '元数据', kind: 'school', webhookUrl: 'http://169.254.169.254/' }] })
        .expect(400);
      expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual(['rows[0].webhookUrl']);
    } finally {
      await allowing.close();
    }
  });
});
