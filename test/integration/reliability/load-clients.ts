/**
 * The 200 unit users of load-200-users.spec.ts, as a process of their own (issue 9: "from a second process"), so
 * the clients' fetch and JSON work does not run on the event loop of the api or the worker it measures. Reads one
 * JSON `LoadInput` on stdin, runs every user's flow at once while probing /health, and writes one JSON `LoadOutput`
 * line on stdout. Run with the swc register hook (the spec spawns it).
 */
import { randomUUID } from 'node:crypto';
import { timedFetch, type TimedResponse } from '../../support/timed-http';

export interface LoadInput {
  base: string;
  cycleId: string;
  stepKey: string;
  users: { unitId: string; token: string }[];
  /** The draft that completes the step (its first deliverable gets the uploaded file). */
  completeDraft: { deliverables: { key: string; kind: string; text?: string; attachmentIds?: string[] }[] };
  /** A request still waiting after this is aborted and recorded as status 0. */
  timeoutMs: number;
  healthEveryMs: number;
}

/** One answered (or aborted: status 0) request; `retryAfter` as sent. */
export interface LoadRequest {
  what: 'create' | 'save' | 'upload' | 'submit';
  status: number;
  ms: number;
  retryAfter: string | null;
}

export interface LoadOutput {
  elapsedMs: number;
  requests: LoadRequest[];
  health: { status: number; ms: number }[];
}

async function run(input: LoadInput): Promise<LoadOutput> {
  const requests: LoadRequest[] = [];
  /** A request as the portal makes it: a 503 is retried after Retry-After (at most 5 times), everything is recorded. */
  const send = async (
    what: LoadRequest['what'],
    token: string,
    path: string,
    init: RequestInit & { json?: unknown },
  ): Promise<TimedResponse> => {
    for (let attempt = 0; ; attempt++) {
      const res = await timedFetch(
        `${input.base}${path}`,
        { ...init, headers: { Authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } },
        input.timeoutMs,
      );
      const retryAfter = res.headers.get('retry-after');
      requests.push({ what, status: res.status, ms: res.ms, retryAfter });
      if (res.status !== 503 || attempt === 5) return res;
      await new Promise((r) => setTimeout(r, Number(retryAfter ?? 1) * 1000));
    }
  };
  const unitFlow = async (u: LoadInput['users'][number], i: number) => {
    const created = await send('create', u.token, '/api/submissions', {
      method: 'POST',
      json: { cycleId: input.cycleId, unitId: u.unitId, stepKey: input.stepKey, deliverables: [] },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    const id = created.body?.id;
    let revision = created.body?.draftRevision;
    const [first] = input.completeDraft.deliverables;
    for (const n of [1, 2, 3]) {
      const saved = await send('save', u.token, `/api/submissions/${id}/draft`, {
        method: 'PUT',
        json: { deliverables: [{ key: first.key, kind: first.kind, text: `草稿 ${n}` }] },
        headers: { 'If-Match': `"${revision}"` },
      });
      revision = saved.body?.draftRevision ?? revision;
    }
    const form = new FormData();
    form.append('deliverableKey', first.key);
    form.append('file', new Blob([`调研报告附件 ${i}`], { type: 'text/plain' }), `report-${i}.txt`);
    const file = await send('upload', u.token, `/api/submissions/${id}/attachments`, {
      method: 'POST',
      body: form,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    const draft = structuredClone(input.completeDraft);
    draft.deliverables[0].attachmentIds = [file.body?.id];
    await send('save', u.token, `/api/submissions/${id}/draft`, {
      method: 'PUT',
      json: draft,
      headers: { 'If-Match': `"${revision}"` },
    });
    await send('submit', u.token, `/api/submissions/${id}/submit`, {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
    });
  };

  const health: LoadOutput['health'] = [];
  let rushing = true;
  const probe = (async () => {
    while (rushing) {
      const { status, ms } = await timedFetch(`${input.base}/health`, {}, input.timeoutMs);
      health.push({ status, ms });
      await new Promise((r) => setTimeout(r, input.healthEveryMs));
    }
  })();
  const started = Date.now();
  await Promise.all(input.users.map(unitFlow));
  const elapsedMs = Date.now() - started;
  rushing = false;
  await probe;
  return { elapsedMs, requests, health };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const output = await run(JSON.parse(Buffer.concat(chunks).toString('utf8')) as LoadInput);
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load-clients: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
