import { serve, type ServerType } from '@hono/node-server';
import { RocheError } from '@roche/core';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp, type ApiDeps } from './app.js';
import { staleUploadMs, startUploadSweeper, uploadDir } from './upload.js';

/**
 * Node answers requests it cannot parse (a 100 KB URL, oversized headers) itself, with an empty
 * body; answer them in the JSON error shape instead.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  // A response already begun on this socket (the app answered a slow upload, then Node's limit fired)
  // must not get a second one written after it; Node's own handler checks the same.
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || current?.headersSent) return void socket.destroy();
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  // Node's headers or whole-request time limit (serverOptions below), before any route could answer.
  const late = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const e = tooLarge
    ? new RocheError('bad_request', 'the request line and headers exceed the 16 KiB limit', { status: 431 })
    : late
      ? new RocheError('bad_request', 'the request was not received in time (ROCHE_REQUEST_TIMEOUT_MS)', { status: 408 })
      : new RocheError('bad_request', 'malformed HTTP request');
  const body = JSON.stringify(e.toBody());
  const reason = tooLarge ? 'Request Header Fields Too Large' : late ? 'Request Timeout' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${e.status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export interface RunningApi {
  url: string;
  port: number;
  /** The Hono app being served (its route table, for tests and tooling). */
  app: ReturnType<typeof createApp>;
  /** Stops accepting, lets requests in flight finish for up to `graceMs` (SSE streams included), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

export async function startApi(deps: ApiDeps, opts: { host: string; port: number; log?: (m: string) => void }): Promise<RunningApi> {
  const app = createApp(deps);
  const log = opts.log ?? ((m: string) => console.error(m));
  // Uploads a killed API process was staging are removed here, at the next start and then now and then.
  const sweeper = startUploadSweeper(uploadDir(deps.config.dataDir), staleUploadMs(deps.config.http.requestTimeoutMs), (e) =>
    log(`could not sweep abandoned uploads: ${(e as Error).message}`),
  );
  // Before listening, so what a killed predecessor left is gone (or reported) when the API says it is up;
  // a folder on a disk that hangs delays the start by 5 s at most (the sweep then goes on behind).
  const reportRemoved = (n: number) => n && log(`removed ${n} abandoned upload(s) from ${uploadDir(deps.config.dataDir)}`);
  await Promise.race([sweeper.swept.then(reportRemoved), sleep(5000, undefined, { ref: false })]);
  return new Promise((resolve, reject) => {
    let server: ServerType;
    try {
      const { requestTimeoutMs } = deps.config.http;
      const headersTimeout = Math.min(60_000, requestTimeoutMs);
      const serverOptions = {
        // Headers arrive before any middleware runs: Node's own 60 s (checked every 30 s) held a client
        // sending a header line a second past ROCHE_REQUEST_TIMEOUT_MS.
        headersTimeout,
        connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(headersTimeout / 4))),
        // Node's whole-request limit (300 s by default) would cut uploads short of a longer
        // ROCHE_REQUEST_TIMEOUT_MS; past the setting, the app's own 408 answers first.
        requestTimeout: requestTimeoutMs + 5_000,
      };
      server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port, serverOptions }, (info: AddressInfo) => {
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          app,
          port: info.port,
          close: (graceMs = 10_000) =>
            new Promise<void>((res) => {
              sweeper.stop();
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
      server.once('error', (e) => {
        sweeper.stop();
        reject(e);
      });
      server.on('clientError', answerClientError);
    } catch (e) {
      sweeper.stop();
      reject(e);
    }
  });
}
