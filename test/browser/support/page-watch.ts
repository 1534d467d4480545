import type { Page } from 'playwright-core';

interface Allowed {
  status: number;
  url: RegExp;
  seen: number;
}

/**
 * Collects what must not happen on a console page: console errors, uncaught exceptions, failed requests (network)
 * and HTTP answers ≥ 400. A test declares the 4xx it provokes on purpose with `allow(400, /\/api\/units\/import/)`;
 * Chromium's "Failed to load resource" console line for such an answer is allowed with it. `assertClean()` at the end.
 */
export function watchPage(page: Page) {
  const problems: string[] = [];
  const allowed: Allowed[] = [];
  const isAllowed = (status: number, url: string) => {
    const a = allowed.find((x) => x.status === status && x.url.test(url));
    if (a) a.seen++;
    return Boolean(a);
  };

  page.on('response', (res) => {
    if (res.status() < 400) return;
    if (!isAllowed(res.status(), res.url()))
      problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    // A navigation away (or React Query cancelling a superseded fetch) aborts requests on purpose.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium's line for an HTTP error answer: judged above, with its URL, by the response handler.
    if (/^Failed to load resource: the server responded with a status of/.test(msg.text())) return;
    problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));

  return {
    problems,
    allow(status: number, url: RegExp) {
      allowed.push({ status, url, seen: 0 });
    },
    /** How many answers matched an allow(status, url): a test that provokes a 400 can check it really came. */
    seen(status: number, url: RegExp) {
      return allowed
        .filter((a) => a.status === status && String(a.url) === String(url))
        .reduce((n, a) => n + a.seen, 0);
    },
    /** No console error, no failed request, no unexpected HTTP error so far. */
    assertClean() {
      expect(problems).toEqual([]);
    },
  };
}
