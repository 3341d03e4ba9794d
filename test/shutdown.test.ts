import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { JobView } from '@roche/core';
import { expect, it } from 'vitest';
import { startService } from '../apps/cli/src/service.js';
import { makeTextPdf } from './support/documents.js';
import { startTestService } from './support/service.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** `roche serve` as its own process; resolves with the API URL it prints (when it runs one). */
function serve(env: Record<string, string>, args: string[]): { child: ChildProcess; url: Promise<string | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = new Promise<string | null>((resolve) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /api listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
      if (/worker ready/.test(out) && args.includes('--worker-only')) resolve(null);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', () => resolve(null));
  });
  return { child, url, output: () => out };
}

const exited = (c: ChildProcess) =>
  new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.once('exit', (code) => r(code))));

it('SIGTERM mid-document: the process stops taking work, finishes or hands back its pages, exits 0; the job still completes once', async () => {
  const base = await startTestService({ ROCHE_PDF_DPI: '72' }, { api: false, worker: false });
  const env = {
    REDIS_URL: base.config.redisUrl!,
    ROCHE_DATA_DIR: base.dataDir,
    ROCHE_QUEUE_PREFIX: base.config.queuePrefix,
    ROCHE_PORT: '0',
    ROCHE_PDF_DPI: '72',
    ROCHE_WORKER_CONCURRENCY: '1',
    ROCHE_ORT_INTRA_OP_THREADS: '1',
    ROCHE_SHUTDOWN_GRACE_MS: '5000',
  };
  const proc = serve(env, []);
  try {
    const url = await proc.url;
    expect(url, proc.output()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const job = JobView.parse(await (await fetch(`${url}/v1/jobs`, { method: 'POST', body: new Uint8Array(makeTextPdf(10)) })).json());
    let v = job;
    while ((v.pagesDone ?? 0) < 2) v = JobView.parse(await (await fetch(`${url}/v1/jobs/${job.id}?wait=20`)).json());
    proc.child.kill('SIGTERM');
    expect(await exited(proc.child)).toBe(0);
    const afterStop = await base.svc.jobs.get(job.id);
    expect(afterStop.state).not.toBe('failed');

    const rescue = await startService(base.config, { api: false, worker: true }, () => {});
    try {
      for (let i = 0; i < 600; i++) {
        const r = await base.svc.jobs.get(job.id);
        if (r.state === 'succeeded') break;
        await new Promise((res) => setTimeout(res, 100));
      }
      const done = await base.svc.jobs.get(job.id);
      expect(done).toMatchObject({ state: 'succeeded', pagesTotal: 10, pagesDone: 10, pagesFailed: 0 });
      expect((await base.svc.jobs.result(done)).pages.map((p) => p.page)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    } finally {
      await rescue.stop();
    }
  } finally {
    proc.child.kill('SIGKILL');
    await base.stop();
  }
}, 180_000);

it('a worker killed with SIGKILL hands its page to another worker within 15 s with the default lock settings', async () => {
  const base = await startTestService({ ROCHE_PDF_DPI: '72' }, { api: false, worker: false });
  const env = {
    REDIS_URL: base.config.redisUrl!,
    ROCHE_DATA_DIR: base.dataDir,
    ROCHE_QUEUE_PREFIX: base.config.queuePrefix,
    ROCHE_PDF_DPI: '72',
    ROCHE_WORKER_CONCURRENCY: '1',
    ROCHE_ORT_INTRA_OP_THREADS: '1',
  };
  const proc = serve(env, ['--worker-only']);
  try {
    await proc.url;
    const rec = await base.svc.jobs.submit({ bytes: makeTextPdf(6) });
    // Wait until the child holds a page, then kill it without a goodbye.
    let active: number | undefined;
    for (let i = 0; i < 300 && active === undefined; i++) {
      const [job] = await base.svc.infra.queue.pages.getActive();
      active = job ? (job.data as { page: number }).page : undefined;
      if (active === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    expect(active).toBeDefined();
    proc.child.kill('SIGKILL');
    await exited(proc.child);
    const killedAt = Date.now();
    const rescue = await startService(base.config, { api: false, worker: true }, () => {});
    try {
      const key = `jobs/${rec.id}/pages/${active}.json`;
      while (!(await base.svc.infra.store.head(key))) {
        if (Date.now() - killedAt > 30_000) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const handedOverMs = Date.now() - killedAt;
      expect(handedOverMs).toBeLessThan(15_000);
      for (let i = 0; i < 300 && (await base.svc.jobs.get(rec.id)).state !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await base.svc.jobs.get(rec.id)).toMatchObject({ state: 'succeeded', pagesDone: 6, pagesFailed: 0 });
    } finally {
      await rescue.stop();
    }
  } finally {
    proc.child.kill('SIGKILL');
    await base.stop();
  }
}, 120_000);

it('an API killed mid-upload accepts nothing, keeps the partial file while it may be in use, and a later start removes it', async () => {
  const base = await startTestService({}, { api: false, worker: false });
  const env = {
    REDIS_URL: base.config.redisUrl!,
    ROCHE_DATA_DIR: base.dataDir,
    ROCHE_QUEUE_PREFIX: base.config.queuePrefix,
    ROCHE_PORT: '0',
  };
  const uploads = path.join(base.dataDir, 'uploads');
  const staged = async () => (await fs.readdir(uploads).catch(() => [] as string[])).filter((n) => n.endsWith('.upload'));
  const procs: ChildProcess[] = [];
  const start = async () => {
    const p = serve(env, ['--api-only']);
    procs.push(p.child);
    const url = await p.url;
    expect(url, p.output()).toMatch(/^http:\/\//);
    return { url: url!, output: p.output };
  };
  try {
    const { url } = await start();
    // 3 MiB of a declared 8 MiB: past what stays in memory, so the API is writing it to a file.
    const req = http.request(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'content-length': String(8 << 20) },
    });
    req.on('error', () => {});
    req.write(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3 << 20, 0x20)]));
    for (let i = 0; i < 400 && !(await staged()).length; i++) await new Promise((r) => setTimeout(r, 25));
    const [name] = await staged();
    expect(name).toBeDefined();
    procs[0]!.kill('SIGKILL');
    await exited(procs[0]!);
    req.destroy();

    // The client got no 202, and nothing was recorded or stored for a job.
    expect(await base.svc.jobs.list()).toEqual([]);
    const stored: string[] = [];
    for await (const o of base.svc.infra.store.list('jobs/')) stored.push(o.key);
    expect(stored).toEqual([]);

    // A start within the hour leaves the file: it could be another replica's upload in progress.
    await start();
    expect(await staged()).toEqual([name]);
    procs[1]!.kill('SIGKILL');
    await exited(procs[1]!);

    // Once it is old enough to be nobody's (its clock moved back two hours), the next start removes it.
    const past = new Date(Date.now() - 7_200_000);
    await fs.utimes(path.join(uploads, name!), past, past);
    // The sweep runs before the API says it listens, so both are settled by then.
    const third = await start();
    expect(await staged()).toEqual([]);
    expect(third.output()).toMatch(/removed 1 abandoned upload/);
    expect(third.output().indexOf('removed 1 abandoned upload')).toBeLessThan(third.output().indexOf('api listening'));
  } finally {
    for (const p of procs) p.kill('SIGKILL');
    await base.stop();
  }
}, 120_000);
