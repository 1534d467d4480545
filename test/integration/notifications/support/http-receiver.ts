import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: any;
  receivedAt: number;
}

export interface HttpReceiver {
  base: string;
  requests: ReceivedRequest[];
  /** Reply for a path (default 200 `{ errcode: 0, errmsg: 'ok' }`, as WeCom/DingTalk robots answer). */
  replies: Map<string, { status: number; body: unknown }>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 recording every POST, standing where a WeCom / DingTalk robot or a webhook would. */
export async function startHttpReceiver(): Promise<HttpReceiver> {
  const receiver: HttpReceiver = { base: '', requests: [], replies: new Map(), close: async () => undefined };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      receiver.requests.push({
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
        receivedAt: Date.now(),
      });
      const reply = receiver.replies.get(url.pathname) ?? { status: 200, body: { errcode: 0, errmsg: 'ok' } };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}
