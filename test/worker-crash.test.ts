import { spawn } from 'node:child_process';
import path from 'node:path';
import { JobView } from '@roche/core';
import { expect, it } from 'vitest';
import { startService } from '../apps/cli/src/service.js';
import { makeTextPdf } from './support/documents.js';
import { startTestService } from './support/service.js';

const ROOT = path.resolve(import.meta.dirname, '..');

it('a worker process killed mid-document loses nothing: another worker finishes, no page counted twice', async () => {
  const env = { ROCHE_PDF_DPI: '72', ROCHE_WORKER_LOCK_MS: '2000', ROCHE_WORKER_CONCURRENCY: '1' };
  const api = await startTestService(env, { api: true, worker: false });
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve', '--worker-only'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...env,
      REDIS_URL: api.config.redisUrl,
      ROCHE_DATA_DIR: api.dataDir,
      ROCHE_QUEUE_PREFIX: api.config.queuePrefix,
      ROCHE_ORT_INTRA_OP_THREADS: '1',
    },
    stdio: 'ignore',
  });
  try {
    const f = new FormData();
    f.set('file', new Blob([new Uint8Array(await makeTextPdf(12))]), 'doc.pdf');
    const job = JobView.parse(await (await fetch(`${api.svc.api!.url}/v1/jobs`, { method: 'POST', body: f })).json());
    let v = job;
    while ((v.pagesDone ?? 0) < 2) v = JobView.parse(await (await fetch(`${api.svc.api!.url}/v1/jobs/${job.id}?wait=20`)).json());
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const stuckAt = (await api.client.status(job.id)).pagesDone!;
    expect(stuckAt).toBeLessThan(12);

    const rescue = await startService(api.config, { api: false, worker: true }, () => {});
    try {
      const done = await api.client.waitForTerminal(job.id, 120_000);
      expect(done).toMatchObject({ state: 'succeeded', pagesTotal: 12, pagesDone: 12, pagesFailed: 0 });
      expect((await api.client.result(job.id)).pages.map((p) => p.page)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    } finally {
      await rescue.stop();
    }
  } finally {
    child.kill('SIGKILL');
    await api.stop();
  }
}, 180_000);
