import { EmailChannel } from '../../../libs/notifications/src/channels/email.channel';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';

/** A burst of e-mails reuses a few pooled SMTP connections (real SMTP server on 127.0.0.1). */
describe('e-mail channel: pooled SMTP connections', () => {
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  afterAll(() => smtp.close());

  it('sends 40 concurrent messages over at most maxConnections sessions, each once with its own Message-ID', async () => {
    const channel = new EmailChannel({
      host: '127.0.0.1',
      port: smtp.port,
      secure: false,
      from: 'office@bench.example.cn',
      maxConnections: 3,
    });
    try {
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          channel.send({
            deliveryId: String(i),
            messageId: `<pool-${i}@campaigns.local>`,
            address: `u${i}@bench.example.cn`,
            recipient: { name: `书记${i}` },
            subject: `提醒 ${i}`,
            body: '请按时提交',
            locale: 'zh-CN',
          } as never),
        ),
      );
    } finally {
      channel.close();
    }
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(
      Array.from({ length: 40 }, (_, i) => `<pool-${i}@campaigns.local>`).sort(),
    );
    expect(smtp.connections).toBeGreaterThanOrEqual(1);
    expect(smtp.connections).toBeLessThanOrEqual(3);
  });
});
