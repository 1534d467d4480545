import http from 'node:http';
import https from 'node:https';
import { DeliveryError } from '../message';
import { OutboundGuard } from '../outbound-guard';

/** Robots answer a few hundred bytes of JSON; more is not read. */
const MAX_REPLY_BYTES = 64 * 1024;
/** Without a configured allow-list every private, loopback and link-local address is refused. */
const STRICT = new OutboundGuard('');

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  guard?: OutboundGuard;
}

/**
 * POSTs JSON through the outbound guard and classifies failures: network errors, timeouts, 429 and 5xx are
 * transient (retried); other 4xx, redirects (never followed: a redirect could lead anywhere, past the guard) and
 * refused addresses are permanent. Errors carry the status and a short reason, never the receiver's body (it
 * could be anything the receiver chose to show, e.g. an internal page). Returns the parsed JSON reply, if any.
 */
export function postJson(url: string, body: unknown, opts: PostOptions = {}): Promise<unknown> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const where = `POST ${redactUrl(url)}`;
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: 'POST',
      agent: (opts.guard ?? STRICT).agentFor(target),
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length, ...opts.headers },
      timeout: opts.timeoutMs ?? 10_000,
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => reject(classifyNetworkError(where, target.hostname, error)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
        else res.destroy();
      });
      res.on('error', () => undefined);
      res.on('close', () => {
        if (status >= 300 && status < 400)
          return reject(new DeliveryError(`${where} answered HTTP ${status}: redirects are not followed`, true));
        if (status < 200 || status >= 300) {
          const permanent = status >= 400 && status < 500 && status !== 429 && status !== 408;
          return reject(new DeliveryError(`${where} answered HTTP ${status}`, permanent));
        }
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve(text ? JSON.parse(text) : undefined);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.end(payload);
  });
}

function classifyNetworkError(where: string, hostname: string, error: Error): DeliveryError {
  // request-filtering-agent: "DNS lookup 127.0.0.1(family:4, host:localhost) is not allowed. Because, It is private IP address."
  const refused = /^DNS lookup (\S+)\(family:[^,]*, host:[^)]*\) is not allowed/.exec(error.message);
  if (refused) {
    const address = refused[1];
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const name = host !== address ? `${host} (${address})` : address;
    return new DeliveryError(
      `${where} refused: ${name} is not a public address; notices reach it only when OUTBOUND_ALLOW_HOSTS names it`,
      true,
    );
  }
  return new DeliveryError(`${where} failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`, false);
}

/** Robot webhook URLs carry their key in the query string: keep it out of errors and logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](key|access_token|sign|token)=)[^&]+/g, '$1***');
}
