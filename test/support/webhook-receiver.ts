import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string>;
  body: string;
  status: number;
}

type Behaviour = { status: number; retryAfter?: string } | 'stall';

/**
 * A real HTTP receiver on 127.0.0.1. Queue behaviours (`respond({ status: 500 }, 'stall')`) for the next
 * requests; when the queue is empty it answers 200. Every request is recorded.
 */
export async function startReceiver() {
  const received: Received[] = [];
  const plan: Behaviour[] = [];
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const b = plan.shift() ?? { status: 200 };
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      received.push({ headers, body, status: b === 'stall' ? 0 : b.status });
      for (const w of waiters.splice(0)) w();
      if (b === 'stall') return; // never answers; the sender must time out
      res.writeHead(b.status, b.retryAfter ? { 'retry-after': b.retryAfter } : {});
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    respond(...b: Behaviour[]) {
      plan.push(...b);
    },
    async waitFor(pred: (r: Received[]) => boolean, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pred(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met; got ${received.length} requests`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 200);
        });
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
