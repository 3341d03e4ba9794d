import fs from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { IntakePool } from '../src/intake-pool.js';
import { makeMixedTiff, makeTextPdf } from '../../../test/support/documents.js';

const limits = { maxUploadBytes: 1e9, maxPagePixels: 1e8, maxPages: 5000, dpi: 144 };

describe('IntakePool', () => {
  it('refuses a document that takes longer than the limit to open, and its thread gives way to the next document', async () => {
    // 1,200 pages of alternating sizes: libtiff walks the page chain for every page (O(pages²)), seconds of work.
    const sizes = Array.from({ length: 1200 }, (_, i): [number, number] => (i % 2 ? [8, 9] : [9, 8]));
    const tiff = await makeMixedTiff(sizes);
    const pool = new IntakePool(limits, 1, 300);
    try {
      const e = await pool.selectPages({ bytes: tiff }, 'tiff').catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'corrupt_document', status: 422 });
      expect(String((e as Error).message)).toMatch(/took over 0.3 s to open/);
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
});
