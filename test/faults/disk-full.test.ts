import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RocheApiError } from '@roche/client';
import { TERMINAL_STATES, type JobView } from '@roche/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from '../support/documents.js';
import { startKserveServer } from '../support/kserve-server.js';
import { startTestService, type TestService } from '../support/service.js';

/**
 * A real full disk under the embedded (fs) object store: a small tmpfs mounted as the data folder and
 * filled up. Mounting needs root and a kernel that lets this process mount; where it cannot (an
 * unprivileged container) the test says so and is skipped, never counted as passed.
 */
const mountable = (() => {
  if (process.platform !== 'linux') return false;
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-mount-probe-'));
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' }).status === 0;
  if (ok) spawnSync('umount', [probe], { stdio: 'ignore' });
  fs.rmSync(probe, { recursive: true, force: true });
  if (!ok) console.warn('disk-full test skipped: this process cannot mount a tmpfs (needs root outside an unprivileged container)');
  return ok;
})();

const pdf = (pages: number) => new Uint8Array(makeTextPdf(pages));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `file` until the filesystem refuses (ENOSPC), in large then small pieces; the bytes written. */
function fillDisk(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += fs.writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return written;
}

describe.skipIf(!mountable)('a full disk under the fs object store', () => {
  let mnt: string;
  let kserve: Awaited<ReturnType<typeof startKserveServer>>;
  let api: TestService;
  let worker: TestService | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-disk-full-'));
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (m.status !== 0) throw new Error(`mount failed: ${m.stderr}`);
    kserve = await startKserveServer();
    env = {
      ROCHE_DATA_DIR: mnt,
      ROCHE_QUEUE_PREFIX: `full${Math.random().toString(36).slice(2, 8)}`,
      ROCHE_ENGINE: 'triton',
      ROCHE_TRITON_URL: kserve.url,
      ROCHE_TRITON_MODEL: 'pp_doclayout_u8',
      ROCHE_PDF_DPI: '72',
      ROCHE_WORKER_CONCURRENCY: '4',
    };
    // The API first, alone: the jobs wait in the queue until the disk is full.
    api = await startTestService(env, { api: true, worker: false });
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    await kserve?.close();
    spawnSync('umount', ['-l', mnt], { stdio: 'ignore' });
    fs.rmSync(mnt, { recursive: true, force: true });
  });

  it('refuses submits with 503 storage_unavailable, holds running pages without failing them, and finishes every job once space is back', async () => {
    const jobs = await Promise.all(Array.from({ length: 4 }, () => api.client.submit(pdf(2))));
    const ids = jobs.map((j) => j.id);
    const filler = path.join(mnt, 'filler.bin');
    expect(fillDisk(filler)).toBeGreaterThan(1 << 20);

    // A submit cannot store its document: the store's outage, not the request's fault, and nothing accepted.
    const refused = await api.client.submit(pdf(1)).then(
      () => ({ status: 202, code: '' }),
      (e: unknown) => (e instanceof RocheApiError ? { status: e.status, code: e.code } : { status: 0, code: String(e) }),
    );
    expect(refused).toEqual({ status: 503, code: 'storage_unavailable' });

    // Workers start on a full disk: pages render and infer but cannot store their results.
    worker = await startTestService(env, { api: false, worker: true });
    await sleep(5000);
    const mid = await Promise.all(ids.map((id) => api.client.status(id)));
    expect(mid.filter((v) => v.state === 'failed' || (v.pagesFailed ?? 0) > 0)).toEqual([]);
    expect(mid.filter((v) => v.state === 'succeeded')).toEqual([]);

    fs.rmSync(filler);
    const deadline = Date.now() + 90_000;
    let views: JobView[] = [];
    while (Date.now() < deadline) {
      views = await Promise.all(ids.map((id) => api.client.status(id)));
      if (views.every((v) => TERMINAL_STATES.has(v.state))) break;
      await sleep(300);
    }
    expect(views.map((v) => [v.state, v.pagesDone, v.pagesFailed ?? 0])).toEqual(ids.map(() => ['succeeded', 2, 0]));
    for (const id of ids) {
      const result = (await api.client.result(id)) as { pages: Array<{ regions: unknown[] }> };
      expect(result.pages).toHaveLength(2);
    }
    // Space back: submits are accepted again.
    const after = await api.client.submit(pdf(1));
    expect(after.state).not.toBe('failed');
  }, 150_000);
});
