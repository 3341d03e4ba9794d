import fs from 'node:fs';
import * as mupdf from 'mupdf';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentResult, ErrorBody, JobView, TERMINAL_STATES } from '@roche/core';
import { startService } from '../apps/cli/src/service.js';
import { makeCorruptPdf, makeEncryptedPdf, makeMultipageTiff, makePageBombPdf, makeTextPdf, pngBomb } from './support/documents.js';
import { SHARED_SAMPLES, startTestService, type TestService } from './support/service.js';

const FW9 = path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf');
const haveSamples = fs.existsSync(FW9);

/** A PDF whose pages have the given sizes in points, each with a line of text. */
function pdfWithPageSizes(sizes: Array<[number, number]>): Buffer {
  const doc = new mupdf.PDFDocument();
  const res = doc.addObject({ Font: { F1: doc.addSimpleFont(new mupdf.Font('Helvetica')) } });
  for (const [w, h] of sizes)
    doc.insertPage(-1, doc.addPage([0, 0, w, h], 0, res, `BT /F1 20 Tf 72 ${h - 100} Td (A line of text on this page) Tj ET`));
  return Buffer.from(doc.saveToBuffer('compress').asUint8Array());
}

async function submit(t: TestService, bytes: Buffer, options?: object, name = 'doc.pdf') {
  const f = new FormData();
  f.set('file', new Blob([new Uint8Array(bytes)]), name);
  if (options) f.set('options', JSON.stringify(options));
  const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
  return { status: res.status, body: (await res.json()) as unknown };
}

/** Reads an SSE stream until it ends, returning the JobView of every event. */
async function readEvents(url: string): Promise<Array<{ event: string; view: JobView; at: number }>> {
  const res = await fetch(url);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const out: Array<{ event: string; view: JobView; at: number }> = [];
  let buf = '';
  for await (const chunk of res.body!) {
    buf += Buffer.from(chunk).toString();
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      const id = /^id: (.*)$/m.exec(block)?.[1];
      if (event && data) out.push({ event, view: JobView.parse(JSON.parse(data)), at: Number(id) });
    }
  }
  return out;
}

describe('multi-page documents', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ROCHE_PDF_DPI: '72', ROCHE_MAX_PAGES: '400', ROCHE_MAX_PAGE_PIXELS: '20000000' });
  });
  afterAll(async () => t?.stop());

  it('an event stream sends progress at most four times a second, however fast pages finish, and always the end', async () => {
    const { status, body } = await submit(t, makeTextPdf(40), {});
    expect(status).toBe(202);
    const job = JobView.parse(body);
    const events = await readEvents(`${t.svc.api!.url}/v1/jobs/${job.id}/events`);
    expect(events.at(-1)).toMatchObject({ event: 'end', view: { state: 'succeeded', pagesDone: 40 } });
    // Each stream read its job once per page finished; now at most every 250 ms (a little less
    // between two writes when one read took longer than the next).
    for (let i = 1; i < events.length; i++) expect(events[i]!.at - events[i - 1]!.at).toBeGreaterThanOrEqual(200);
    expect(events.length).toBeLessThan(40);
  });

  it.skipIf(!haveSamples)('a page range of a real PDF: progress over SSE is monotonic and complete, overlays are served', async () => {
    const { status, body } = await submit(t, fs.readFileSync(FW9), { pages: '1-2,5', overlays: true, crops: ['text'] });
    expect(status).toBe(202);
    const job = JobView.parse(body);
    expect(job.pagesTotal).toBe(3);
    const events = await readEvents(`${t.svc.api!.url}/v1/jobs/${job.id}/events`);
    const done = events.map((e) => e.view.pagesDone ?? 0);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ event: 'end', view: { state: 'succeeded', pagesDone: 3, pagesFailed: 0 } });
    const result = DocumentResult.parse(await (await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}/result`)).json());
    expect(result.pages.map((p) => p.page)).toEqual([1, 2, 5]);
    // Letter at 72 dpi.
    expect(result.pages[0]).toMatchObject({ width: 612, height: 792 });
    expect(result.pages[1]!.regions.length).toBeGreaterThan(5);
    const overlay = await fetch(`${t.svc.api!.url}${result.pages[0]!.overlay}`);
    expect(overlay.status).toBe(200);
    const meta = await sharp(Buffer.from(await overlay.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 612, 792]);
    const crop = result.pages[1]!.crops![0]!;
    expect((await fetch(`${t.svc.api!.url}${crop.href}`)).status).toBe(200);
  });

  it('long-poll answers at the first change, well before the wait is over', async () => {
    const { body } = await submit(t, await makeTextPdf(3));
    const job = JobView.parse(body);
    const t0 = Date.now();
    const res = await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}?wait=30`);
    const view = JobView.parse(await res.json());
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(JSON.stringify([view.state, view.pagesDone])).not.toBe(JSON.stringify(['queued', 0]));
    expect((await t.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
  });

  it('long-poll with until=end answers once the job has ended, not at its pages; a bad until is a 400', async () => {
    const { body } = await submit(t, await makeTextPdf(20));
    const job = JobView.parse(body);
    let changes = 0;
    const watch = (async () => {
      for await (const v of t.client.events(job.id))
        if (TERMINAL_STATES.has(v.state)) break;
        else changes++;
    })();
    const res = await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}?wait=60&until=end`);
    const view = JobView.parse(await res.json());
    await watch;
    expect(view.state).toBe('succeeded');
    expect(view.pagesDone).toBe(20);
    // The job changed several times while that one request waited (a plain long-poll answers at the first).
    expect(changes).toBeGreaterThan(1);
    const bad = await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}?wait=1&until=never`);
    expect([bad.status, ErrorBody.parse(await bad.json()).error.code]).toEqual([400, 'validation_failed']);
    // An ended job answers at once.
    const t0 = Date.now();
    expect(JobView.parse(await (await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}?wait=30&until=end`)).json()).state).toBe('succeeded');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('multi-page TIFF pages each become a page result', async () => {
    const { status, body } = await submit(t, await makeMultipageTiff(3), undefined, 'scan.tif');
    expect(status).toBe(202);
    const done = await t.client.waitForTerminal(JobView.parse(body).id, 60_000);
    expect(done.state).toBe('succeeded');
    expect((await t.client.result(done.id)).pages.map((p) => p.page)).toEqual([1, 2, 3]);
  });

  it('refuses at submit what is knowable: corrupt, encrypted, page bomb, bad range, too many pages', async () => {
    const cases: Array<[Buffer, object | undefined, number, string]> = [
      [await makeCorruptPdf(), undefined, 422, 'corrupt_document'],
      [await makeEncryptedPdf(), undefined, 422, 'encrypted_document'],
      [await makePageBombPdf(), undefined, 422, 'image_too_large'],
      [
        pdfWithPageSizes([
          [612, 792],
          [612, 792],
        ]),
        { pages: '2-4' },
        400,
        'validation_failed',
      ],
      [pdfWithPageSizes([[612, 792]]), { pages: 'one' }, 400, 'validation_failed'],
      [pdfWithPageSizes([[612, 792]]), { dpi: 5000 }, 400, 'validation_failed'],
      [await makeTextPdf(401), undefined, 422, 'too_many_pages'],
      [await pngBomb(60_000, 60_000), undefined, 422, 'image_too_large'],
      // Within the pixel budget, but no model can take a page 100,000,000 pixels long.
      [await pngBomb(100_000_000, 1), undefined, 422, 'image_too_large'],
    ];
    for (const [bytes, options, status, code] of cases) {
      const r = await submit(t, bytes, options);
      expect([r.status, ErrorBody.parse(r.body).error.code], `${code}`).toEqual([status, code]);
    }
    expect(await t.svc.infra.queue.pages.count()).toBe(0);
  });

  it('cancel mid-document stops pending pages and ends canceled', async () => {
    const { body } = await submit(t, await makeTextPdf(40));
    const job = JobView.parse(body);
    // Wait for the first finished page, then cancel.
    for (let v = job; (v.pagesDone ?? 0) === 0;)
      v = JobView.parse(await (await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}?wait=10`)).json());
    const res = await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}/cancel`, { method: 'POST' });
    expect(res.status).toBe(200);
    const canceled = (await res.json()) as JobView & { pagesRemoved: number };
    expect(canceled.state).toBe('canceled');
    expect(canceled.pagesRemoved).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    const later = await t.client.status(job.id);
    expect(later.state).toBe('canceled');
    expect(later.pagesDone!).toBeLessThan(40);
    expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}/cancel`, { method: 'POST' })).status).toBe(409);
    expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}/result`)).status).toBe(409);
  });

  it('DELETE removes the job record and its objects', async () => {
    const { body } = await submit(t, pdfWithPageSizes([[300, 300]]));
    const job = JobView.parse(body);
    await t.client.waitForTerminal(job.id, 60_000);
    const res = await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { objects: number }).objects).toBeGreaterThanOrEqual(3); // input, page, result (and overlays when asked)
    expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}`)).status).toBe(404);
    const left: string[] = [];
    for await (const o of t.svc.infra.store.list(`jobs/${job.id}/`)) left.push(o.key);
    expect(left).toEqual([]);
  });
});

describe('retention', () => {
  it('deletes a finished job and its objects after ROCHE_RETENTION_HOURS', async () => {
    const t = await startTestService({ ROCHE_RETENTION_HOURS: String(1.5 / 3600) }); // 1.5 s
    try {
      const { body } = await submit(t, pdfWithPageSizes([[300, 300]]), { overlays: true });
      const job = JobView.parse(body);
      expect((await t.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
      const keys = async () => {
        const out: string[] = [];
        for await (const o of t.svc.infra.store.list(`jobs/${job.id}/`)) out.push(o.key);
        return out;
      };
      expect((await keys()).length).toBeGreaterThanOrEqual(4); // input, page, overlay, result
      const deadline = Date.now() + 20_000;
      while ((await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}`)).status !== 404 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job.id}`)).status).toBe(404);
      expect(await keys()).toEqual([]);
    } finally {
      await t.stop();
    }
  });
});

describe('pages that keep failing', () => {
  it('mark the document partial with per-page errors instead of losing the rest', async () => {
    // The API admits large pages; this worker's limit is lower, so page 2 fails on every attempt.
    const api = await startTestService(
      { ROCHE_PDF_DPI: '72', ROCHE_MAX_PAGE_PIXELS: '50000000', ROCHE_JOB_ATTEMPTS: '2' },
      { api: true, worker: false },
    );
    const worker = await startService(
      { ...api.config, limits: { ...api.config.limits, maxPagePixels: 1_000_000 } },
      { api: false, worker: true },
      () => {},
    );
    try {
      const { body } = await submit(
        api,
        pdfWithPageSizes([
          [612, 792],
          [3000, 3000],
          [612, 792],
        ]),
      );
      const done = await api.client.waitForTerminal(JobView.parse(body).id, 60_000);
      expect(done).toMatchObject({ state: 'partial', pagesTotal: 3, pagesDone: 2, pagesFailed: 1 });
      const result = await api.client.result(done.id);
      expect(result.pages.map((p) => p.page)).toEqual([1, 3]);
      expect(result.errors).toEqual([expect.objectContaining({ page: 2, code: 'image_too_large' })]);
    } finally {
      await worker.stop();
      await api.stop();
    }
  });
});

describe('a 300-page document end to end', () => {
  it('is split into pages, processed and assembled in order', async () => {
    const t = await startTestService({ ROCHE_PDF_DPI: '36', ROCHE_MAX_PAGES: '1000', ROCHE_WORKER_CONCURRENCY: '4' });
    try {
      const { status, body } = await submit(t, await makeTextPdf(300), { overlays: false });
      expect(status).toBe(202);
      const done = await t.client.waitForTerminal(JobView.parse(body).id, 600_000);
      expect(done).toMatchObject({ state: 'succeeded', pagesTotal: 300, pagesDone: 300, pagesFailed: 0 });
      const result = await t.client.result(done.id);
      expect(result.pages.map((p) => p.page)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
      expect(result.pages.filter((p) => p.regions.length > 0).length).toBeGreaterThan(290);
    } finally {
      await t.stop();
    }
  }, 600_000);
});
