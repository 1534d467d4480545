import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { loginAs, LoggedIn } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';

interface Answer {
  status: number;
  body: any;
  /** Bytes of the body the client had written when the answer arrived. */
  sentWhenAnswered: number;
}

/**
 * Announces `declared` bytes (Content-Length, or chunked when null) but sends them slowly, 64 KiB at a time, and
 * stops as soon as an answer arrives: an api that answers before the body is complete did not read (or parse) it.
 */
function postSlowly(
  port: number,
  path: string,
  opts: { declared: number | null; total: number; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { 'content-type': 'application/json', ...opts.headers };
    if (opts.declared !== null) headers['content-length'] = opts.declared;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers }, (res) => {
      answered = true;
      const sentWhenAnswered = sent;
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : null, sentWhenAnswered }));
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const chunk = Buffer.from(`[${'{"a":1},'.repeat(8190)}`.slice(0, 65536));
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= opts.total) return void req.end();
      req.write(chunk);
      sent += chunk.length;
      setTimeout(pump, 20);
    };
    pump();
  });
}

describe('request body limits per route (413 at once, before authentication only for the small public routes)', () => {
  const stack = useTestApi();
  let port: number;
  let office: LoggedIn;

  beforeAll(async () => {
    await stack.api.listen(0, '127.0.0.1');
    port = (stack.api.getHttpServer().address() as AddressInfo).port;
    office = await loginAs(stack.api, 'office_admin');
  });

  it('answers a 45 MB login body with 413 before reading it, and stays responsive meanwhile', async () => {
    const pending = postSlowly(port, '/api/auth/login', { declared: 45 * 1024 * 1024, total: 45 * 1024 * 1024 });
    // while the attacker's body trickles in, ordinary requests are served
    await request(stack.api.getHttpServer()).get('/api/units').set(office.headers).expect(200);
    const answer = await pending;
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(1024 * 1024);
    expect(answer.body).toEqual({
      statusCode: 413,
      error: 'PAYLOAD_TOO_LARGE',
      message: 'the request body is larger than 4 KiB, the limit of POST /api/auth/login',
      details: [{ field: 'body', problem: 'must be at most 4 KiB' }],
    });
  });

  it('stops reading a chunked login body (no Content-Length) once it passes the limit', async () => {
    const answer = await postSlowly(port, '/api/auth/login', { declared: null, total: 45 * 1024 * 1024 });
    expect(answer.status).toBe(413);
    expect(answer.sentWhenAnswered).toBeLessThan(1024 * 1024);
    await request(stack.api.getHttpServer()).get('/api/units').set(office.headers).expect(200);
  });

  it('limits anonymous evaluation answers to 64 KiB', async () => {
    const big = { token: 'x'.repeat(20), answers: { q1: 'y'.repeat(70 * 1024) } };
    const res = await request(stack.api.getHttpServer()).post('/api/evaluations/responses').send(big).expect(413);
    expect(res.body.message).toBe(
      'the request body is larger than 64 KiB, the limit of POST /api/evaluations/responses',
    );
  });

  it('limits JSON on signed-in routes to 1 MiB', async () => {
    const res = await request(stack.api.getHttpServer())
      .post('/api/cycles')
      .set(office.headers)
      .send({ name: 'x'.repeat(1024 * 1024 + 10) })
      .expect(413);
    expect(res.body.details).toEqual([{ field: 'body', problem: 'must be at most 1 MiB' }]);
  });

  it('answers malformed JSON with a 400 in the api’s error shape', async () => {
    const res = await request(stack.api.getHttpServer())
      .post('/api/auth/login')
      .set('content-type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      error: 'VALIDATION_FAILED',
      details: [{ field: 'body', problem: 'must be valid JSON' }],
    });
  });

  it('reads a large unit import only from an office admin: without a token, 401 before the body is read', async () => {
    const anonymous = await postSlowly(port, '/api/units/import', {
      declared: 40 * 1024 * 1024,
      total: 40 * 1024 * 1024,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.sentWhenAnswered).toBeLessThan(1024 * 1024);
    const submitter = await loginAs(stack.api, 'auditor');
    const notAdmin = await postSlowly(port, '/api/units/import', {
      declared: 40 * 1024 * 1024,
      total: 40 * 1024 * 1024,
      headers: submitter.headers,
    });
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.sentWhenAnswered).toBeLessThan(1024 * 1024);
  });

  it('accepts a unit import of several MiB from an office admin', async () => {
    const units = Array.from({ length: 12_000 }, (_, i) => ({
      code: `big-${i}`,
      name: `第${i}党支部 ${'很长的名字'.repeat(10)}`,
      kind: 'school',
    }));
    const body = JSON.stringify({ units });
    expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
    const res = await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(office.headers)
      .set('content-type', 'application/json')
      .send(body)
      .expect(200);
    expect(res.body).toMatchObject({ created: 12_000, updated: 0 });
  });
});
