import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { METRICS_CONTENT_TYPE, scrape } from './metrics.js';

/**
 * `/metrics`, `/healthz` and `/readyz` for processes that serve no API (worker-only, watcher), so
 * Prometheus and Kubernetes probes reach every process the same way.
 */
export async function startMetricsServer(
  port: number,
  ready: () => Promise<void>,
  host: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.url === '/metrics') {
      scrape().then(
        (text) => reply(200, text, METRICS_CONTENT_TYPE),
        (e: Error) => reply(500, JSON.stringify({ error: { code: 'internal', message: e.message } })),
      );
    } else if (req.url === '/healthz') reply(200, '{"ok":true}');
    else if (req.url === '/readyz') {
      ready().then(
        () => reply(200, '{"ok":true}'),
        // The failing part's own code (`assertReady`: queue_unavailable, storage_unavailable, inference_unavailable).
        (e: Error & { code?: unknown }) =>
          reply(503, JSON.stringify({ error: { code: typeof e.code === 'string' ? e.code : 'internal', message: e.message } })),
      );
    } else reply(404, JSON.stringify({ error: { code: 'not_found', message: `no route for ${req.url}` } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
