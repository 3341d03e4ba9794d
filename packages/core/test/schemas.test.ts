import { describe, expect, it } from 'vitest';
import { commonLabel, DocumentResult, Region } from '../src/layout.js';
import { RocheError, toRocheError } from '../src/errors.js';
import { JOB_ID_PATTERN, newJobId } from '../src/ids.js';

describe('schemas', () => {
  it('accepts a region and rejects a score above 1 or a short box', () => {
    expect(Region.safeParse({ label: 'text', score: 0.9, box: [1, 2, 3, 4], order: 0 }).success).toBe(true);
    expect(Region.safeParse({ label: 'text', score: 1.2, box: [1, 2, 3, 4], order: 0 }).success).toBe(false);
    expect(Region.safeParse({ label: 'text', score: 0.5, box: [1, 2, 3], order: 0 }).success).toBe(false);
  });

  it('requires positive page numbers in a document result', () => {
    const page = { page: 0, width: 10, height: 10, regions: [] };
    expect(DocumentResult.safeParse({ jobId: 'j', engine: 'e', createdAt: 'now', pages: [page] }).success).toBe(false);
    expect(DocumentResult.safeParse({ jobId: 'j', engine: 'e', createdAt: 'now', pages: [{ ...page, page: 1 }] }).success).toBe(true);
  });

  it('maps PP-DocLayout labels to the common taxonomy', () => {
    expect(commonLabel('doc_title')).toBe('title');
    expect(commonLabel('paragraph_title')).toBe('title');
    expect(commonLabel('chart')).toBe('figure');
    expect(commonLabel('figure_title')).toBe('caption');
    expect(commonLabel('number')).toBe('footer');
    expect(commonLabel('something_new')).toBe('other');
  });
});

describe('errors', () => {
  it('carries a stable code and HTTP status, and wraps unknown errors as internal', () => {
    const e = new RocheError('payload_too_large', 'big', { details: { max: 1 } });
    expect(e.status).toBe(413);
    expect(e.retryable).toBe(false);
    expect(e.toBody()).toEqual({ error: { code: 'payload_too_large', message: 'big', details: { max: 1 } } });
    const w = toRocheError(new TypeError('boom'));
    expect(w.code).toBe('internal');
    expect(w.retryable).toBe(true);
    expect(new RocheError('storage_unavailable', 'down').retryable).toBe(true);
  });
});

describe('job ids', () => {
  it('are unique, match the pattern and sort by creation time', () => {
    const a = newJobId(1_000);
    const b = newJobId(2_000_000);
    expect(a).toMatch(JOB_ID_PATTERN);
    expect(a < b).toBe(true);
    // Enough ids to refill the random pool several times: none repeats, none is drawn from zeroed bytes.
    const ids = Array.from({ length: 2000 }, () => newJobId());
    expect(new Set(ids).size).toBe(2000);
    expect(new Set(ids.map((id) => id.slice(-24))).size).toBe(2000);
    expect(ids.filter((id) => id.endsWith('0'.repeat(8)))).toEqual([]);
  });
});
