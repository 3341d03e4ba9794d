import fs from 'node:fs/promises';
import path from 'node:path';
import { ErrorBody, type JobView } from '@roche/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeCorruptPdf,
  makeEncryptedPdf,
  makeAnimatedWebp,
  makeJpegTiff,
  makePageBombPdf,
  makePageTreeBombPdf,
  makeScanBombJpeg,
  makeTextPdf,
  pngBomb,
  truncate,
} from '../support/documents.js';
import { invariants, startRig, type Rig } from './rig.js';

/**
 * Faults injected into a running deployment (see rig.ts): after each, every accepted job must end,
 * succeeded, with each page counted once and no page result written twice with different contents.
 * Counts go to `.data/test-output/faults.json` for docs/reliability.md.
 */
const summary: Array<{
  fault: string;
  injected: number;
  jobs: number;
  succeeded: number;
  lost: number;
  doubleCounted: number;
  conflictingWrites: number;
}> = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function untilPagesDone(rig: Rig, ids: string[], atLeast: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(ids.map((id) => rig.client.status(id).catch(() => null)));
    if (views.reduce((s, v) => s + (v?.pagesDone ?? 0), 0) >= atLeast) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${atLeast} pages done within ${timeoutMs} ms`);
    await sleep(100);
  }
}

async function record(fault: string, injected: number, rig: Rig, accepted: string[], views: JobView[]) {
  const inv = invariants(views);
  const entry = {
    fault,
    injected,
    jobs: accepted.length,
    succeeded: inv.succeeded,
    lost: accepted.length - inv.ended,
    doubleCounted: inv.pageCountErrors.length,
    pageRewrites: rig.pageRewrites(),
    conflictingWrites: rig.conflictingWrites().length,
  };
  summary.push(entry);
  expect(inv.pageCountErrors).toEqual([]);
  expect(rig.conflictingWrites()).toEqual([]);
  // Why a job did not succeed (its page errors, the workers' warnings) in the failure message: a CI run cannot be repeated.
  const why = await Promise.all(
    views
      .filter((v) => v.state !== 'succeeded')
      .map((v) =>
        rig.client.result(v.id).then(
          (r) => [v.id, r.errors],
          (e: Error) => [v.id, e.message],
        ),
      ),
  );
  const message = why.length ? `${JSON.stringify(why)}\nworker warnings:\n${(await rig.workerWarnings()).join('\n')}` : '';
  expect(
    views.map((v) => [v.id, v.state]),
    message,
  ).toEqual(accepted.map((id) => [id, 'succeeded']));
}

describe('faults injected into a running deployment', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ workers: 2 });
  }, 120_000);
  afterAll(async () => {
    await rig?.stop();
    await fs.mkdir(path.resolve(import.meta.dirname, '../../.data/test-output'), { recursive: true });
    await fs.writeFile(path.resolve(import.meta.dirname, '../../.data/test-output/faults.json'), JSON.stringify(summary, null, 2));
  }, 60_000);

  it('workers killed with SIGKILL mid-batch, three times: nothing lost, nothing counted or written twice', async () => {
    const jobs = await Promise.all(Array.from({ length: 10 }, () => rig.submit(makeTextPdf(4))));
    const ids = jobs.map((j) => j.id);
    await untilPagesDone(rig, ids, 4);
    await rig.killWorker(0);
    await sleep(1500);
    await rig.killWorker(1);
    await sleep(1500);
    await rig.killWorker(0);
    await record('worker SIGKILL', 3, rig, ids, await rig.settle(ids, 150_000));
  }, 200_000);

  it('Redis killed with SIGKILL and restarted from its AOF while jobs run; submits during the outage answer 503', async () => {
    const jobs = await Promise.all(Array.from({ length: 6 }, () => rig.submit(makeTextPdf(4))));
    const ids = jobs.map((j) => j.id);
    await untilPagesDone(rig, ids, 2);
    const crash = rig.crashRedis(3000);
    await sleep(500);
    const during = await rig.submit(makeTextPdf(1)).then(
      () => 202,
      (e: { status?: number }) => e.status,
    );
    expect(during).toBe(503);
    await crash;
    await record('redis SIGKILL + AOF restart', 1, rig, ids, await rig.settle(ids, 150_000));
  }, 200_000);

  it('the KServe server (Triton) down for 30 s: pages wait instead of failing, then finish', async () => {
    await rig.kserve.stop();
    const jobs = await Promise.all(Array.from({ length: 6 }, () => rig.submit(makeTextPdf(3))));
    const ids = jobs.map((j) => j.id);
    await sleep(30_000);
    const mid = await Promise.all(ids.map((id) => rig.client.status(id)));
    expect(mid.filter((v) => v.state === 'failed' || (v.pagesFailed ?? 0) > 0)).toEqual([]);
    await rig.kserve.restart();
    await record('triton down 30 s', 1, rig, ids, await rig.settle(ids, 120_000));
  }, 200_000);

  it('the object store down for 8 s: submits answer 503, running pages wait, then finish', async () => {
    const jobs = await Promise.all(Array.from({ length: 6 }, () => rig.submit(makeTextPdf(3))));
    const ids = jobs.map((j) => j.id);
    await rig.stopS3();
    const during = await rig.submit(makeTextPdf(1)).then(
      () => ({ status: 202, code: '' }),
      (e: { status?: number; body?: unknown }) => ({ status: e.status, code: ErrorBody.safeParse(e.body).data?.error.code }),
    );
    expect(during).toEqual({ status: 503, code: 'storage_unavailable' });
    await sleep(8000);
    await rig.startS3();
    await record('object store down 8 s', 1, rig, ids, await rig.settle(ids, 150_000));
  }, 200_000);

  it('the object store slow for 12 s (every answer 4 s late): submits and pages wait, then finish once, each page written once', async () => {
    const rewritesBefore = rig.pageRewrites();
    rig.slowS3(4000);
    const t0 = Date.now();
    const jobs = await Promise.all(
      Array.from({ length: 6 }, () => rig.submit(makeTextPdf(3)).then((v) => ({ v, tookMs: Date.now() - t0 }))),
    );
    const ids = jobs.map((j) => j.v.id);
    // Each submit stored its document through the slow store before it answered.
    expect(Math.min(...jobs.map((j) => j.tookMs))).toBeGreaterThanOrEqual(4000);
    await sleep(Math.max(0, 12_000 - (Date.now() - t0)));
    const mid = await Promise.all(ids.map((id) => rig.client.status(id)));
    expect(mid.filter((v) => v.state === 'failed' || (v.pagesFailed ?? 0) > 0)).toEqual([]);
    rig.slowS3(0);
    await record('object store slow 12 s (answers 4 s late)', 1, rig, ids, await rig.settle(ids, 150_000));
    // Slow is not down: no page was taken for lost and run again.
    expect(rig.pageRewrites()).toBe(rewritesBefore);
  }, 200_000);

  it('a webhook receiver failing then back: each event arrives, with one webhook-id across its retries', async () => {
    rig.receiver.respond(...Array.from({ length: 8 }, () => ({ status: 503 })));
    const before = rig.receiver.received.length;
    const jobs = await Promise.all(
      Array.from({ length: 4 }, () => rig.submit(makeTextPdf(1), { webhook: JSON.stringify({ url: rig.receiver.url() }) })),
    );
    const ids = jobs.map((j) => j.id);
    const views = await rig.settle(ids, 60_000);
    await rig.receiver.waitFor((r) => r.slice(before).filter((x) => x.status === 200).length >= ids.length, 60_000);
    const mine = rig.receiver.received.slice(before);
    const delivered = mine.filter((x) => x.status === 200);
    const byJob = new Map<string, Set<string>>();
    for (const x of mine) {
      const id = (JSON.parse(x.body) as { data: { id: string } }).data.id;
      (byJob.get(id) ?? byJob.set(id, new Set()).get(id)!).add(x.headers['webhook-id']!);
    }
    expect(mine.length).toBeGreaterThan(ids.length); // some deliveries were retried
    expect(delivered.map((x) => (JSON.parse(x.body) as { data: { id: string } }).data.id).sort()).toEqual([...ids].sort());
    for (const id of ids) expect(byJob.get(id)?.size, `webhook ids of ${id}`).toBe(1);
    await record('webhook receiver 503 ×8', 8, rig, ids, views);
  }, 120_000);

  it('a corpus of bad inputs, each refused with its own clear error, while good documents keep flowing', async () => {
    const good = await Promise.all(Array.from({ length: 4 }, () => rig.submit(makeTextPdf(2))));
    const bad: Array<[string, Buffer, string[]]> = [
      ['zero bytes', Buffer.alloc(0), ['bad_request']],
      ['wrong type (text)', Buffer.from('just some text, not a document\n'), ['unsupported_media_type']],
      ['wrong type (zip)', Buffer.from('504b0304140000000800', 'hex'), ['unsupported_media_type']],
      ['corrupt PDF', makeCorruptPdf(), ['corrupt_document']],
      ['encrypted PDF', makeEncryptedPdf(), ['encrypted_document']],
      ['truncated PDF (2 %)', truncate(makeTextPdf(3), 0.02), ['corrupt_document']],
      ['page of 2 billion pixels', makePageBombPdf(), ['image_too_large']],
      ['PNG decompression bomb', await pngBomb(60_000, 60_000), ['image_too_large']],
      ['JPEG scan bomb (2,080 scans)', makeScanBombJpeg(4000), ['image_too_large']],
      ['TIFF of a JPEG tile of 2,080 scans', makeJpegTiff(makeScanBombJpeg(4000), 4000), ['image_too_large']],
      ['animated WebP of 100,000 frames', await makeAnimatedWebp(100_000), ['image_too_large']],
      ['page-tree bomb (10^9 pages)', makePageTreeBombPdf(9), ['too_many_pages', 'corrupt_document']],
    ];
    const answers = await Promise.all(
      bad.map(async ([name, bytes, codes]) => {
        const r = await rig.submit(bytes).then(
          () => ({ status: 202, code: 'accepted' }),
          (e: { status?: number; body?: unknown }) => ({
            status: e.status ?? 0,
            code: ErrorBody.safeParse(e.body).data?.error.code ?? 'no JSON error',
          }),
        );
        return { name, ...r, ok: r.status >= 400 && r.status < 500 && codes.includes(r.code) };
      }),
    );
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    const ids = good.map((j) => j.id);
    await record(`bad inputs ×${bad.length}`, bad.length, rig, ids, await rig.settle(ids, 90_000));
  }, 150_000);
});
