import { DeliveryError } from '../message';

/**
 * POSTs JSON and classifies failures: network errors, timeouts, 429 and 5xx are transient (retried); other 4xx are
 * permanent (a wrong URL or a rejected body does not get better by retrying). Returns the parsed JSON body, if any.
 */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new DeliveryError(`POST ${redactUrl(url)} failed: ${(error as Error).message}`, false);
  }
  const text = await res.text();
  if (!res.ok) {
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 429 && res.status !== 408;
    throw new DeliveryError(`POST ${redactUrl(url)} answered HTTP ${res.status}: ${text.slice(0, 200)}`, permanent);
  }
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Robot webhook URLs carry their key in the query string: keep it out of errors and logs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](key|access_token|sign)=)[^&]+/g, '$1***');
}
