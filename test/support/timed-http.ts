import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

export interface TimedResponse {
  status: number;
  /** Milliseconds from sending to the full body; a request still waiting at the deadline is status 0. */
  ms: number;
  headers: Headers;
  body: any;
}

/**
 * The api listening on a free port of 127.0.0.1, for tests that need real concurrent HTTP (supertest opens a server
 * per request). Returns the base URL.
 */
export async function listenOnFreePort(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * One HTTP request with a hard deadline: a request that has not answered after `timeoutMs` is aborted and reported
 * as status 0, so a wedged api fails the test with counts instead of hanging it.
 */
export async function timedFetch(
  url: string,
  init: RequestInit & { json?: unknown } = {},
  timeoutMs = 10_000,
): Promise<TimedResponse> {
  const started = Date.now();
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('Content-Type', 'application/json');
  try {
    const res = await fetch(url, {
      ...rest,
      headers,
      body: json !== undefined ? JSON.stringify(json) : rest.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, ms: Date.now() - started, headers: res.headers, body };
  } catch {
    return { status: 0, ms: Date.now() - started, headers: new Headers(), body: null };
  }
}

/** Status → how many responses had it, e.g. `{ 200: 38, 503: 2 }`. */
export function statusCounts(responses: Pick<TimedResponse, 'status'>[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/** Races `work` against a deadline, so a wedged app's close() cannot hang a test's cleanup. */
export function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([work, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref())]);
}
