import { afterAll, describe, expect, it } from 'vitest';
import { RocheError } from '@roche/core';
import {
  makeCorruptPdf,
  makeEncryptedPdf,
  makeFormBombPdf,
  makeLayoutPdf,
  makeMultipageTiff,
  makePageBombPdf,
  makeTextPdf,
} from '../../../test/support/documents.js';
import { openDocument } from '../src/open-document.js';
import { recyclePage, RenderPool, RenderTimeout, SPARE_PAGE_BYTES } from '../src/render-pool.js';

const LIMITS = { maxPages: 100, maxPagePixels: 50_000_000, dpi: 72 };
const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
/** The pool's live threads, as the pool holds them (to kill one as a crash would). */
const threadsOf = (pool: RenderPool) => (pool as unknown as { slots: Array<{ worker: { terminate(): Promise<number> } }> }).slots;

describe('RenderPool', () => {
  const pool = new RenderPool(2);
  afterAll(() => pool.close());

  it('renders the same pixels and reads the same text layer as the document opened on the event loop', async () => {
    const { pdf } = makeLayoutPdf();
    const limits = { ...LIMITS, dpi: 144 };
    const [here, there] = await Promise.all([openDocument(pdf, 'pdf', limits), pool.open(pdf, 'pdf', limits)]);
    expect(there.pageCount).toBe(here.pageCount);
    expect(there.pageSize(0)).toEqual(here.pageSize(0));
    const [a, b] = await Promise.all([here.renderPage(0), there.renderPage(0)]);
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(b.data.equals(a.data)).toBe(true);
    const layer = await there.textLayer!(0);
    expect(layer).not.toBeNull();
    expect(layer).toEqual(await here.textLayer!(0));
    here.close();
    there.close();
  });

  it('renders the pages of one document on several threads at once', async () => {
    const doc = await pool.open(makeTextPdf(6), 'pdf', { ...LIMITS, dpi: 144 });
    const pages = await Promise.all(Array.from({ length: 6 }, (_, i) => doc.renderPage(i)));
    expect(pages.map((p) => p.data.length)).toEqual(Array(6).fill(1224 * 1584 * 3));
    expect(pool.size).toBe(2);
    doc.close();
    await expect(doc.renderPage(0)).rejects.toThrow(/closed/);
  });

  it('reuses the buffer of a page handed back, and never one still in use', async () => {
    const doc = await pool.open(makeTextPdf(3), 'pdf', LIMITS);
    const here = await openDocument(makeTextPdf(3), 'pdf', LIMITS);
    const a = await doc.renderPage(0);
    const b = await doc.renderPage(1);
    expect(a.data.buffer).not.toBe(b.data.buffer);
    expect(a.data.equals((await here.renderPage(0)).data)).toBe(true);
    recyclePage(a);
    const c = await doc.renderPage(2);
    expect(c.data.buffer).toBe(a.data.buffer); // the page handed back
    expect(c.data.equals((await here.renderPage(2)).data)).toBe(true);
    expect(b.data.equals((await here.renderPage(1)).data)).toBe(true); // untouched
    recyclePage(c);
    recyclePage(c); // twice is harmless: it is lent out once
    const [d, e] = await Promise.all([doc.renderPage(0), doc.renderPage(1)]);
    expect(d.data.buffer).not.toBe(e.data.buffer);
    recyclePage({ data: Buffer.alloc(3), width: 1, height: 1 }); // not the pool's: ignored
    doc.close();
    here.close();
  });

  it('renders a page too large for reuse into a buffer of its own, which the garbage collector counts, not a shared one', async () => {
    // V8 (Node 20) does not count SharedArrayBuffers when it decides to collect: fresh shared
    // buffers of 48 MB pages took a worker to 5.3 GB before any collection.
    const at = (dpi: number) => pool.open(makeTextPdf(1), 'pdf', { ...LIMITS, dpi });
    const [small, large] = await Promise.all([at(300), at(400)]);
    const [s, l] = await Promise.all([small.renderPage(0), large.renderPage(0)]);
    expect(s.data.length).toBeLessThanOrEqual(SPARE_PAGE_BYTES);
    expect(s.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(l.data.length).toBeGreaterThan(SPARE_PAGE_BYTES);
    expect(l.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect([l.width, l.height]).toEqual([Math.round((612 * 400) / 72), Math.round((792 * 400) / 72)]);
    // The same pixels at either size: some ink, on white.
    expect(l.data.includes(0)).toBe(s.data.includes(0));
    for (const p of [s, l]) recyclePage(p);
    small.close();
    large.close();
  });

  it('answers bad documents and bad pages with the same errors as openDocument', async () => {
    expect(await code(pool.open(makeCorruptPdf(), 'pdf', LIMITS))).toBe('corrupt_document');
    expect(await code(pool.open(makeEncryptedPdf(), 'pdf', LIMITS))).toBe('encrypted_document');
    expect(await code(pool.open(makeTextPdf(5), 'pdf', { ...LIMITS, maxPages: 4 }))).toBe('too_many_pages');
    const bomb = await pool.open(makePageBombPdf(), 'pdf', { ...LIMITS, maxPagePixels: 1_000_000 });
    const err = await bomb.renderPage(0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RocheError);
    expect((err as RocheError).code).toBe('image_too_large');
    bomb.close();
    const doc = await pool.open(makeTextPdf(2), 'pdf', LIMITS);
    await expect(doc.renderPage(2)).rejects.toThrow(RangeError);
    expect(() => doc.pageSize(-1)).toThrow(RangeError);
    expect((await doc.renderPage(1)).width).toBe(612);
    doc.close();
  });

  it('fails only the requests of a thread that dies, retryably, and reopens its documents on a new one', async () => {
    const doc = await pool.open(makeTextPdf(4), 'pdf', LIMITS);
    await doc.renderPage(0);
    const inFlight = Promise.all(
      [0, 1, 2, 3].map((i) =>
        doc.renderPage(i).then(
          () => null,
          (e: RocheError) => e,
        ),
      ),
    );
    await Promise.all(threadsOf(pool).map((s) => s.worker.terminate()));
    const outcomes = await inFlight;
    for (const o of outcomes) if (o) expect([o.code, o.retryable]).toEqual(['internal', true]);
    expect(outcomes.some((o) => o !== null)).toBe(true);
    // New threads: the document is sent again and renders as before.
    const again = await doc.renderPage(3);
    expect([again.width, again.height]).toEqual([612, 792]);
    doc.close();
  });

  it('fails a page whose drawing exhausts PDFium for good, and a fresh thread serves the next document', async () => {
    // Before, the aborted WebAssembly module stayed in the thread and every later PDF failed with it.
    const one = new RenderPool(1);
    try {
      const bomb = await one.open(makeFormBombPdf(30), 'pdf', LIMITS);
      const e = await bomb.renderPage(0).then(
        () => null,
        (err: RocheError) => err,
      );
      expect([e?.code, e?.retryable]).toEqual(['corrupt_document', false]);
      expect(e?.message).toMatch(/too complex/);
      bomb.close();
      const good = await one.open(makeTextPdf(1), 'pdf', LIMITS);
      expect((await good.renderPage(0)).width).toBe(612);
      good.close();
    } finally {
      await one.close();
    }
  }, 120_000);

  it('stops a page that renders past the time limit; other pages on its thread are tried again; the document gives up after two', async () => {
    // Forms 14 deep draw 2^14 times: ~6 s a page, far past this pool's 1 s limit.
    const one = new RenderPool(1, 1000);
    try {
      const bomb = await one.open(makeFormBombPdf(14, 3), 'pdf', LIMITS);
      const good = await one.open(makeTextPdf(1), 'pdf', LIMITS);
      const t0 = performance.now();
      const settle = (p: Promise<unknown>) =>
        p.then(
          () => null,
          (e: RocheError) => e,
        );
      // Same thread: the good page waits behind the bomb and is failed as retryable when the thread is stopped.
      const [slow, behind] = await Promise.all([settle(bomb.renderPage(0)), settle(good.renderPage(0))]);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(slow).toBeInstanceOf(RenderTimeout);
      expect([slow?.code, slow?.retryable]).toEqual(['corrupt_document', false]);
      expect(slow?.message).toMatch(/page 1 took over 1 s/);
      expect([behind?.code, behind?.retryable]).toEqual(['internal', true]);
      // A fresh thread serves the good document.
      expect((await good.renderPage(0)).width).toBe(612);
      // A second slow page, then the third fails without rendering.
      expect(await settle(bomb.renderPage(1))).toBeInstanceOf(RenderTimeout);
      const t1 = performance.now();
      const third = await settle(bomb.renderPage(2));
      expect(performance.now() - t1).toBeLessThan(500);
      expect([third?.code, third?.retryable]).toEqual(['corrupt_document', false]);
      expect(third?.message).toMatch(/page 3 was not rendered: 2 pages of this document/);
      bomb.close();
      good.close();
    } finally {
      await one.close();
    }
  }, 60_000);

  it('replaces a thread whose PDFium heap a heavy page made large, once its documents are closed', async () => {
    // The WebAssembly heap never shrinks: one 600-dpi page (a 100 MB bitmap) kept it large for the thread's life.
    const small = new RenderPool(1, 30_000, 96 * 1024 * 1024);
    try {
      const light = await small.open(makeTextPdf(1), 'pdf', LIMITS);
      await light.renderPage(0);
      light.close();
      expect(small.size).toBe(1); // a 72-dpi page leaves the heap small: the thread stays
      const heavy = await small.open(makeTextPdf(1), 'pdf', { ...LIMITS, dpi: 600 });
      const page = await heavy.renderPage(0);
      expect(page.width).toBe(5100);
      expect(small.size).toBe(1); // still holding the open document
      heavy.close();
      expect(small.size).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('gives new documents to other threads than one that is to retire, so it drains under load', async () => {
    const two = new RenderPool(2, 30_000, 96 * 1024 * 1024);
    const threads = () => (two as unknown as { slots: Array<{ grown: boolean; docs: Set<number> }> }).slots;
    try {
      const heavy = await two.open(makeTextPdf(1), 'pdf', { ...LIMITS, dpi: 600 });
      await heavy.renderPage(0);
      const grown = threads().find((t) => t.grown)!;
      expect(grown).toBeDefined();
      // While the heavy document stays open, other documents open and render elsewhere.
      for (let i = 0; i < 3; i++) {
        const d = await two.open(makeTextPdf(2), 'pdf', LIMITS);
        await Promise.all([d.renderPage(0), d.renderPage(1)]);
        expect(grown.docs.size).toBe(1);
        d.close();
      }
      heavy.close();
      expect(threads().some((t) => t.grown)).toBe(false);
      expect(two.size).toBe(1);
    } finally {
      await two.close();
    }
  });

  it('opens raster documents on the event loop (sharp decodes them off it already)', async () => {
    const tiff = await pool.open(await makeMultipageTiff(2), 'tiff', LIMITS);
    expect(tiff.pageCount).toBe(2);
    expect((await tiff.renderPage(1)).data.length).toBeGreaterThan(0);
  });
});
