import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { JobView, loadConfig, TERMINAL_STATES } from '@roche/core';
import { freePort, startEmbeddedRedis, type EmbeddedRedis } from '@roche/queue';
// s3rver ships no types.
// @ts-expect-error untyped module
import S3rver from 's3rver';
import { startService, type RunningService } from '../../apps/cli/src/service.js';
import { RocheClient } from '../../apps/cli/src/client.js';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy.js';
import { startKserveServer } from '../support/kserve-server.js';
import { startReceiver } from '../support/webhook-receiver.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUCKET = 'roche-faults';

/** Every PUT the object store received, in order: key and ETag (MD5 of the body). */
export interface Put {
  key: string;
  etag: string;
}

/**
 * A whole Roche deployment on loopback whose parts can be broken and mended: its own redis-server
 * (AOF, fsync always, restartable on its port), a real S3 server (s3rver, restartable on its port
 * and folder, logging every PUT), the KServe test server standing in for Triton (PP-DocLayout's
 * tensors), a webhook receiver, the API in this process and workers as child processes that can
 * be killed with SIGKILL and started again.
 */
export async function startRig(opts: { workers?: number; env?: Record<string, string> } = {}) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-faults-'));
  const redisDir = path.join(dir, 'redis');
  const s3Dir = path.join(dir, 's3');
  let redis: EmbeddedRedis = await startEmbeddedRedis({ dir: redisDir, persist: true });
  const redisPort = redis.port;

  const puts: Put[] = [];
  const s3Port = await freePort();
  let s3: { close(): Promise<void> } | null = null;
  const startS3 = async () => {
    const server = new S3rver({ address: '127.0.0.1', port: s3Port, silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] });
    server.on('event', (e: { Records: Array<{ eventName: string; s3: { object: { key: string; eTag?: string } } }> }) => {
      for (const r of e.Records)
        if (r.eventName.startsWith('ObjectCreated')) puts.push({ key: r.s3.object.key, etag: r.s3.object.eTag ?? '' });
    });
    const addr = (await server.run()) as AddressInfo;
    if (addr.port !== s3Port) throw new Error('s3rver did not bind the expected port');
    s3 = server;
  };
  await startS3();
  // Roche reaches the store through a proxy that can make it slow (slowS3); stopping the store stops
  // the proxy's listener too, so a store that is down refuses connections as before.
  let s3Proxy: DelayProxy | null = await startDelayProxy(s3Port);
  const s3ProxyPort = s3Proxy.port;
  let s3DelayMs = 0;

  const kserve = await startKserveServer();
  const receiver = await startReceiver();
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    ROCHE_DATA_DIR: path.join(dir, 'data'),
    ROCHE_PORT: '0',
    ROCHE_QUEUE_PREFIX: 'faults',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: s3Proxy.url,
    S3_FORCE_PATH_STYLE: 'true',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    ROCHE_ENGINE: 'triton',
    ROCHE_TRITON_URL: kserve.url,
    ROCHE_TRITON_MODEL: 'pp_doclayout_u8',
    ROCHE_TRITON_TIMEOUT_MS: '3000',
    ROCHE_BATCH_MAX: '8',
    ROCHE_PDF_DPI: '72',
    ROCHE_WORKER_CONCURRENCY: '4',
    ROCHE_WORKER_LOCK_MS: '3000',
    ROCHE_ORT_INTRA_OP_THREADS: '1',
    ROCHE_WEBHOOK_ALLOW: '127.0.0.1/32',
    ROCHE_WEBHOOK_SCHEDULE: '300,600,1200,2400,4800',
    ROCHE_WEBHOOK_TIMEOUT_MS: '2000',
    ...opts.env,
  };
  const config = loadConfig(env);
  const api: RunningService = await startService(config, { api: true, worker: false }, () => {});
  const client = new RocheClient(api.api!.url);

  const children = new Map<number, ChildProcess>();
  // Workers' logs (JSON lines, warnings and up) are kept for a failed run to be read afterwards.
  const logDir = path.join(ROOT, '.data/test-output/faults-logs', path.basename(dir));
  await fs.mkdir(logDir, { recursive: true });
  const spawnWorker = (i: number) => {
    const log = createWriteStream(path.join(logDir, `worker-${i}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve', '--worker-only'], {
      cwd: ROOT,
      env: { ...process.env, ROCHE_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Drained (a full pipe would block the worker) into the log file.
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    // 'close', not 'exit': output may still be arriving at exit, and a write after end would throw.
    child.once('close', () => log.end());
    children.set(i, child);
    return child;
  };
  for (let i = 0; i < (opts.workers ?? 2); i++) spawnWorker(i);

  const rig = {
    dir,
    config,
    client,
    kserve,
    receiver,
    puts,
    get redisUrl() {
      return redis.url;
    },
    async submit(bytes: Buffer, extra: Record<string, string> = {}): Promise<JobView> {
      const f = new FormData();
      f.set('file', new Blob([new Uint8Array(bytes)]), 'doc');
      for (const [k, v] of Object.entries(extra)) f.set(k, v);
      const res = await fetch(`${api.api!.url}/v1/jobs`, { method: 'POST', body: f });
      const body = await res.json();
      if (res.status !== 202) throw Object.assign(new Error(`submit answered ${res.status}`), { status: res.status, body });
      return JobView.parse(body);
    },
    /** SIGKILL worker `i` (no goodbye: locks stay until they expire) and start a fresh one in its place. */
    async killWorker(i: number, restart = true): Promise<void> {
      const c = children.get(i);
      if (c && c.exitCode === null) {
        c.kill('SIGKILL');
        await new Promise((r) => c.once('exit', r));
      }
      if (restart) spawnWorker(i);
    },
    /** SIGKILL redis-server, then start it again on the same port from its append-only file. */
    async crashRedis(downMs: number): Promise<void> {
      await redis.kill();
      await new Promise((r) => setTimeout(r, downMs));
      redis = await startEmbeddedRedis({ dir: redisDir, persist: true, port: redisPort });
    },
    async stopS3(): Promise<void> {
      await s3Proxy?.close();
      s3Proxy = null;
      await s3?.close();
      s3 = null;
    },
    async startS3(): Promise<void> {
      await startS3();
      s3Proxy = await startDelayProxy(s3Port, { listenPort: s3ProxyPort, delayMs: s3DelayMs });
    },
    /** Every answer of the object store arrives `ms` late from now on (0: on time again). */
    slowS3(ms: number): void {
      s3DelayMs = ms;
      s3Proxy?.setDelay(ms);
    },
    /** Waits until every job has ended; returns the final views. */
    async settle(ids: string[], timeoutMs: number): Promise<JobView[]> {
      const deadline = Date.now() + timeoutMs;
      const out: JobView[] = [];
      for (const id of ids) {
        for (;;) {
          const v = await client.status(id).catch(() => null);
          if (v && TERMINAL_STATES.has(v.state)) {
            out.push(v);
            break;
          }
          if (Date.now() > deadline) throw new Error(`job ${id} did not end within ${timeoutMs} ms (now ${v?.state ?? 'unreadable'})`);
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      return out;
    },
    /** The workers' log lines of level warn and up, the last `n` (for a failure message). */
    async workerWarnings(n = 30): Promise<string[]> {
      const lines: string[] = [];
      for (const f of await fs.readdir(logDir))
        for (const line of (await fs.readFile(path.join(logDir, f), 'utf8')).split('\n'))
          if (/^\{"level":(4|5|6)0,/.test(line)) lines.push(line);
      const time = (line: string) => /"time":"([^"]+)"/.exec(line)?.[1] ?? '';
      return lines.sort((a, b) => time(a).localeCompare(time(b))).slice(-n);
    },
    /** Page-result PUTs beyond the first per page (identical rewrites are harmless; see conflictingWrites). */
    pageRewrites(): number {
      const keys = puts.filter((p) => /\/pages\/\d+\.json$/.test(p.key)).map((p) => p.key);
      return keys.length - new Set(keys).size;
    },
    /** Page results written more than once with different contents (a page processed twice). */
    conflictingWrites(): string[] {
      const byKey = new Map<string, Set<string>>();
      for (const p of puts)
        if (/\/pages\/\d+\.json$/.test(p.key)) (byKey.get(p.key) ?? byKey.set(p.key, new Set()).get(p.key)!).add(p.etag);
      return [...byKey].filter(([, etags]) => etags.size > 1).map(([k]) => k);
    },
    async stop(): Promise<void> {
      for (const c of children.values()) if (c.exitCode === null) c.kill('SIGKILL');
      await Promise.all([...children.values()].map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
      await api.stop().catch(() => {});
      await kserve.close();
      await receiver.close();
      await s3Proxy?.close();
      await s3?.close();
      await redis.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

export type Rig = Awaited<ReturnType<typeof startRig>>;

/** What every fault test checks once the dust settles. */
export function invariants(views: JobView[]): { ended: number; succeeded: number; pageCountErrors: string[] } {
  const pageCountErrors = views
    .filter((v) => (v.pagesDone ?? 0) + (v.pagesFailed ?? 0) !== v.pagesTotal)
    .map((v) => `${v.id}: ${v.pagesDone} done + ${v.pagesFailed} failed of ${v.pagesTotal}`);
  return { ended: views.length, succeeded: views.filter((v) => v.state === 'succeeded').length, pageCountErrors };
}
