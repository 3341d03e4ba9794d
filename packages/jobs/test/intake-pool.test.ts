import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IntakePool } from '../src/intake-pool.js';
import { makeTextPdf, makeUniformTiff, makeXrefBombPdf } from '../../../test/support/documents.js';

const limits = { maxUploadBytes: 1e9, maxPagePixels: 1e8, maxPages: 5000, dpi: 144 };

describe('IntakePool', () => {
  it('refuses a document that takes longer than the limit to open, and its thread gives way to the next document', async () => {
    // 5,000 equal pages: libvips reads the TIFF's directory chain once, ~170 ms on the development
    // machine, against a limit of 20 ms. (Mixed sizes used to be slower still, O(pages²), until the
    // chain reader of tiff-pages.ts.)
    const tiff = await makeUniformTiff(5000, 8);
    const pool = new IntakePool(limits, 1, 20);
    try {
      const e = await pool.selectPages({ bytes: tiff }, 'tiff').catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'corrupt_document', status: 422 });
      expect(String((e as Error).message)).toMatch(/took over 0.02 s to open/);
      // The one thread was replaced: a plain document still goes through.
      expect(await pool.selectPages({ bytes: makeTextPdf(3) }, 'pdf')).toEqual([1, 2, 3]);
    } finally {
      await pool.close();
    }
  });

  it('counts the pages of a document within the limit', async () => {
    const pool = new IntakePool(limits, 1);
    try {
      const file = `/tmp/roche-intake-${process.pid}.pdf`;
      await fs.writeFile(file, makeTextPdf(4));
      expect(await pool.selectPages({ file, size: (await fs.stat(file)).size }, 'pdf')).toEqual([1, 2, 3, 4]);
      await fs.rm(file);
    } finally {
      await pool.close();
    }
  });

  it('refuses a PDF whose opening makes PDFium abort (422, not retried), and ends that thread, whose heap cannot shrink', async () => {
    // 2.3 KB whose cross-reference stream inflates to 1 GiB: PDFium's 2 GiB heap runs out while it opens.
    const bomb = await makeXrefBombPdf();
    expect(bomb.length).toBeLessThan(32 * 1024);
    // As a staged upload is: a file the thread reads on demand, which must be closed after the abort.
    const file = `/tmp/roche-intake-bomb-${process.pid}.pdf`;
    await fs.writeFile(file, bomb);
    const pool = new IntakePool(limits, 1);
    try {
      expect(await pool.selectPages({ bytes: makeTextPdf(2) }, 'pdf')).toEqual([1, 2]);
      expect(pool.threads).toBe(1);
      const openFiles = async () => (await fs.readdir('/proc/self/fd')).length;
      const before = await openFiles();
      const e = await pool.selectPages({ file, size: bomb.length }, 'pdf').catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'corrupt_document', status: 422, retryable: false });
      expect(String((e as Error).message)).toMatch(/^cannot open the PDF: PDFium gave up/);
      expect(pool.threads).toBe(0);
      expect(await openFiles()).toBe(before);
      expect(await pool.selectPages({ bytes: makeTextPdf(3) }, 'pdf')).toEqual([1, 2, 3]);
    } finally {
      await pool.close();
      await fs.rm(file, { force: true });
    }
  }, 60_000);
});
