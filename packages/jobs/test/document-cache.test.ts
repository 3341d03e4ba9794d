import { describe, expect, it } from 'vitest';
import { RocheError } from '@roche/core';
import { openDocument, type OpenedDocument } from '@roche/documents';
import { makeTextPdf } from '../../../test/support/documents.js';
import { DocumentCache } from '../src/document-cache.js';

const LIMITS = { maxPages: 10, maxPagePixels: 50_000_000, dpi: 72 };

/** A cache over real PDFs that records every document it opened and whether it was closed. */
function cache(capacity = 2) {
  const opened: Array<{ doc: OpenedDocument; closed: boolean }> = [];
  const c = new DocumentCache(
    capacity,
    async () => ({ bytes: makeTextPdf(2), type: 'pdf' as const, limits: LIMITS }),
    async (bytes, type, limits) => {
      const doc = await openDocument(bytes, type, limits);
      const entry = { doc, closed: false };
      opened.push(entry);
      return {
        ...doc,
        close: () => {
          entry.closed = true;
          doc.close();
        },
      };
    },
  );
  return { c, opened };
}

const fails = (e: Error) => async () => {
  throw e;
};

describe('DocumentCache', () => {
  it('opens a job once for all its pages and closes idle documents beyond its capacity', async () => {
    const { c, opened } = cache(1);
    await c.use('a', (d) => d.renderPage(0));
    await c.use('a', (d) => d.renderPage(1));
    expect(opened.length).toBe(1);
    await c.use('b', (d) => d.renderPage(0));
    expect(opened.map((o) => o.closed)).toEqual([true, false]);
  });

  it('opens the document afresh after a failure worth retrying, closing the old one; a final failure keeps it', async () => {
    const { c, opened } = cache();
    await c.use('a', (d) => d.renderPage(0));
    const final = new RocheError('corrupt_document', 'page 2 is broken', { retryable: false });
    await expect(c.use('a', fails(final))).rejects.toBe(final);
    await c.use('a', (d) => d.renderPage(0));
    expect(opened.length).toBe(1);
    const retry = new RocheError('internal', 'PDFium was restarted under this document', { retryable: true });
    await expect(c.use('a', fails(retry))).rejects.toBe(retry);
    await new Promise((r) => setImmediate(r));
    expect(opened[0]!.closed).toBe(true);
    expect((await c.use('a', (d) => d.renderPage(1))).width).toBe(612);
    expect(opened.length).toBe(2);
    expect(opened[1]!.closed).toBe(false);
  });

  it('closes a dropped document only when its last user is done', async () => {
    const { c, opened } = cache();
    let release!: () => void;
    const slow = c.use('a', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(c.use('a', fails(new RocheError('internal', 'x', { retryable: true })))).rejects.toThrow('x');
    await new Promise((r) => setImmediate(r));
    expect(opened[0]!.closed).toBe(false);
    release();
    await slow;
    await new Promise((r) => setImmediate(r));
    expect(opened[0]!.closed).toBe(true);
  });
});
