import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp, type ApiDeps } from './app.js';

export interface RunningApi {
  url: string;
  port: number;
  /** Stops accepting, lets requests in flight finish for up to `graceMs` (SSE streams included), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

export async function startApi(deps: ApiDeps, opts: { host: string; port: number }): Promise<RunningApi> {
  const app = createApp(deps);
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: (graceMs = 10_000) =>
            new Promise<void>((res) => {
              const http = server as import('node:http').Server;
              const force = setTimeout(() => http.closeAllConnections(), graceMs);
              http.close(() => {
                clearTimeout(force);
                res();
              });
              http.closeIdleConnections();
            }),
        });
      });
      server.once('error', reject);
    } catch (e) {
      reject(e);
    }
  });
}
