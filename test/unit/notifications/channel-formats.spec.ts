import {
  dingtalkBody,
  dingtalkSign,
  dingtalkSignedUrl,
} from '../../../libs/notifications/src/channels/dingtalk.channel';
import { classifySmtpError } from '../../../libs/notifications/src/channels/email.channel';
import { redactUrl } from '../../../libs/notifications/src/channels/http-post';
import { truncateBytes, wecomBody } from '../../../libs/notifications/src/channels/wecom.channel';
import { messageIdFor } from '../../../libs/notifications/src/message-id';

describe('channel message formats (pure functions)', () => {
  const secret = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';

  it('signs DingTalk robot calls like the official sample (vector computed independently with Python hmac/base64/quote_plus)', () => {
    expect(dingtalkSign(secret, 1763700000000)).toBe('QRbrz%2FcX0xpaffE%2BJc%2F6nRh%2BOdmU%2FnALmx1LULg4DIs%3D');
    expect(dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=T', secret, 1763700000000)).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1763700000000&sign=QRbrz%2FcX0xpaffE%2BJc%2F6nRh%2BOdmU%2FnALmx1LULg4DIs%3D',
    );
    expect(dingtalkSignedUrl('https://x/robot/send?access_token=T', undefined, 1)).toBe(
      'https://x/robot/send?access_token=T',
    );
  });

  it('builds the WeCom and DingTalk markdown bodies', () => {
    expect(wecomBody({ subject: 'S', body: 'B\n' })).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**S**\n\nB\n' },
    });
    expect(dingtalkBody({ subject: 'S', body: 'B\n' })).toEqual({
      msgtype: 'markdown',
      markdown: { title: 'S', text: '#### S\n\nB\n' },
    });
  });

  it('keeps WeCom content within 4096 bytes (CJK is 3 bytes a character)', () => {
    const long = truncateBytes('通'.repeat(2000), 4096);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(4096);
    expect(long.endsWith('…')).toBe(true);
  });

  it('derives a stable Message-ID from the dedupe key only', () => {
    const id = messageIdFor('cycle|unit|step|due|0|email|a@b.cn');
    expect(id).toMatch(/^<[0-9a-f]{32}@campaigns\.local>$/);
    expect(messageIdFor('cycle|unit|step|due|0|email|a@b.cn')).toBe(id);
    expect(messageIdFor('cycle|unit|step|due|1|email|a@b.cn')).not.toBe(id);
  });

  it('classifies SMTP failures: 5xx permanent, 4xx and connection errors transient', () => {
    expect(classifySmtpError({ responseCode: 550, response: '550 5.1.1 no such user' })).toMatchObject({
      permanent: true,
      message: 'SMTP 550: 550 5.1.1 no such user',
    });
    expect(classifySmtpError({ responseCode: 451, response: '451 try later' }).permanent).toBe(false);
    expect(classifySmtpError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).permanent).toBe(false);
  });

  it('redacts robot keys from URLs shown in errors and the dead-letter list', () => {
    expect(redactUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc-123')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    );
    expect(redactUrl('https://oapi.dingtalk.com/robot/send?access_token=t0k&timestamp=1&sign=x')).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1&sign=***',
    );
  });
});
