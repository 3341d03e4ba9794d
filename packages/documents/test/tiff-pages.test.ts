import { RocheError } from '@roche/core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { openDocument } from '../src/open-document.js';
import { readBuffer } from '../src/read-at.js';
import { tiffPageSizes } from '../src/tiff-pages.js';
import { makeMixedTiff } from '../../../test/support/documents.js';

/** A TIFF of IFDs only (no pixels): enough for the chain reader. `next` overrides an IFD's link. */
function chain(
  pages: Array<{ w: number; h: number; o?: number; wType?: 3 | 4 }>,
  opts: { le?: boolean; next?: Record<number, number> } = {},
) {
  const le = opts.le ?? true;
  const ifdBytes = (n: number) => 2 + 12 * n + 4;
  const entries = pages.map((p) => (p.o ? 3 : 2));
  const offsets: number[] = [];
  let at = 8;
  for (const n of entries) {
    offsets.push(at);
    at += ifdBytes(n);
  }
  const b = Buffer.alloc(at);
  const u16 = (v: number, o: number) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (v: number, o: number) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  b.write(le ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2);
  u32(offsets[0] ?? 0, 4);
  pages.forEach((p, i) => {
    let o = offsets[i]!;
    u16(entries[i]!, o);
    o += 2;
    const put = (tag: number, type: number, value: number) => {
      u16(tag, o);
      u16(type, o + 2);
      u32(1, o + 4);
      if (type === 3) u16(value, o + 8);
      else u32(value, o + 8);
      o += 12;
    };
    put(256, p.wType ?? 4, p.w);
    put(257, 3, p.h);
    if (p.o) put(274, 3, p.o);
    u32(opts.next?.[i] ?? offsets[i + 1] ?? 0, o);
  });
  return b;
}

describe('tiffPageSizes', () => {
  it('reads every page of the chain, in either byte order, with SHORT or LONG sizes', () => {
    const pages = [
      { w: 40, h: 30 },
      { w: 20, h: 90, o: 6, wType: 3 as const },
      { w: 70000, h: 10 },
    ];
    for (const le of [true, false]) {
      expect(tiffPageSizes(readBuffer(chain(pages, { le })), 10)).toEqual([
        { width: 40, height: 30, orientation: 1 },
        { width: 20, height: 90, orientation: 6 },
        { width: 70000, height: 10, orientation: 1 },
      ]);
    }
  });

  it('answers null for loops, links outside the file, pages without a size, BigTIFF and non-TIFF', () => {
    const two = [
      { w: 1, h: 1 },
      { w: 2, h: 2 },
    ];
    expect(tiffPageSizes(readBuffer(chain(two, { next: { 1: 8 } })), 10)).toBeNull();
    expect(tiffPageSizes(readBuffer(chain(two, { next: { 1: 1 << 30 } })), 10)).toBeNull();
    expect(tiffPageSizes(readBuffer(chain([{ w: 0, h: 5 }])), 10)).toBeNull();
    const big = chain(two);
    big.writeUInt16LE(43, 2);
    expect(tiffPageSizes(readBuffer(big), 10)).toBeNull();
    expect(tiffPageSizes(readBuffer(Buffer.from('%PDF-1.7')), 10)).toBeNull();
    expect(tiffPageSizes(readBuffer(chain(two).subarray(0, 20)), 10)).toBeNull();
  });

  it('answers null for a page that gives its width twice (libtiff would take the first)', () => {
    const b = chain([
      { w: 100000, h: 100 },
      { w: 5, h: 5 },
    ]);
    // Page 1's height entry becomes a second width entry.
    const entry = 8 + 2 + 12;
    expect(b.readUInt16LE(entry)).toBe(257);
    b.writeUInt16LE(256, entry);
    expect(tiffPageSizes(readBuffer(b), 10)).toBeNull();
  });

  it('stops one page past the limit', () => {
    const many = chain(Array.from({ length: 50 }, () => ({ w: 3, h: 4 })));
    expect(tiffPageSizes(readBuffer(many), 5)).toHaveLength(6);
  });

  it('agrees with libvips on a real mixed-size TIFF', async () => {
    const sizes: Array<[number, number]> = [
      [40, 30],
      [20, 90],
      [70, 10],
    ];
    expect(tiffPageSizes(readBuffer(await makeMixedTiff(sizes)), 10)).toEqual(
      sizes.map(([width, height]) => ({ width, height, orientation: 1 })),
    );
  });
});

describe('openDocument on TIFFs of many mixed pages', () => {
  it('measures 1500 pages of different sizes from bytes and from a file, and renders the last', async () => {
    // Page by page through libvips this took ~17 s of CPU (O(pages²)); the chain reader, milliseconds.
    const sizes = Array.from({ length: 1500 }, (_, i) => [8 + (i % 7), 8 + (i % 5)] as [number, number]);
    const tiff = await makeMixedTiff(sizes);
    const limits = { maxPages: 2000, maxPagePixels: 1e8, dpi: 144 } as never;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-tiff-'));
    try {
      fs.writeFileSync(path.join(dir, 'm.tiff'), tiff);
      for (const source of [tiff, { file: path.join(dir, 'm.tiff') }]) {
        const doc = await openDocument(source, 'tiff', limits);
        expect(doc.pageCount).toBe(1500);
        expect(doc.pageSize(1499)).toEqual({ width: sizes[1499]![0], height: sizes[1499]![1] });
        expect(doc.pageSize(700)).toEqual({ width: sizes[700]![0], height: sizes[700]![1] });
        const last = await doc.renderPage(1499);
        expect([last.width, last.height]).toEqual(sizes[1499]);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a long TIFF whose chain it cannot read instead of measuring it page by page', async () => {
    const sizes = Array.from({ length: 100 }, (_, i) => [8 + (i % 7), 8] as [number, number]);
    const tiff = Buffer.from(await makeMixedTiff(sizes));
    // Page 2 gets a second Orientation entry of two values (in place of its PlanarConfiguration):
    // libtiff ignores it and pages through all 100; the chain reader takes no tag it cannot read.
    let ifd = tiff.readUInt32LE(4);
    for (let i = 0; i < 2; i++) ifd = tiff.readUInt32LE(ifd + 2 + 12 * tiff.readUInt16LE(ifd));
    let edited = 0;
    for (let i = 0, n = tiff.readUInt16LE(ifd); i < n; i++) {
      const e = ifd + 2 + 12 * i;
      if (tiff.readUInt16LE(e) !== 284) continue;
      tiff.writeUInt16LE(274, e);
      tiff.writeUInt16LE(3, e + 2);
      tiff.writeUInt32LE(2, e + 4);
      edited++;
    }
    expect(edited).toBe(1);
    expect((await sharp(tiff).metadata()).pages).toBe(100);
    expect(tiffPageSizes(readBuffer(tiff), 200)).toBeNull();
    const err = await openDocument(tiff, 'tiff', { maxPages: 2000, maxPagePixels: 1e8, dpi: 144 } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RocheError);
    expect((err as RocheError).code).toBe('corrupt_document');
  });
});
