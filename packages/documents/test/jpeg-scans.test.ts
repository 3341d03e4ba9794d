import { RocheError } from '@roche/core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { assertCheapToDecode, decodeImage } from '../src/decode.js';
import { jpegScanCount, MAX_JPEG_SCANS, tiffJpegScanCount } from '../src/jpeg-scans.js';
import { openDocument } from '../src/open-document.js';
import { readBuffer, type ReadAt } from '../src/read-at.js';
import { makeJpegTiff, makeScanBombJpeg } from '../../../test/support/documents.js';

const LIMITS = { maxPagePixels: 100_000_000, maxPages: 10, dpi: 144 };

/** A reader over `buf` that counts the bytes it hands out: the work a check does, measured without a clock. */
const counted = (buf: Buffer) => {
  const inner = readBuffer(buf);
  let bytes = 0;
  const read: ReadAt = (offset, length) => {
    const b = inner(offset, length);
    bytes += b.length;
    return b;
  };
  return { read, bytes: () => bytes };
};

const photo = (progressive: boolean) =>
  sharp({ create: { width: 300, height: 200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .jpeg({ progressive, quality: 80 })
    .toBuffer();

/** Every 0xFF 0xDA in the bytes: the scans, in a file whose segments hold no such pair. */
const sosMarkers = (b: Buffer) => {
  let n = 0;
  for (let i = b.indexOf(0xff); i >= 0; i = b.indexOf(0xff, i + 1)) if (b[i + 1] === 0xda) n++;
  return n;
};

const bytes = (...parts: Array<number[] | Buffer>) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const seg = (marker: number, payload: number[] | Buffer) =>
  bytes([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff], payload);
const SOS = seg(0xda, [1, 1, 0, 0, 63, 0]);

describe('jpegScanCount', () => {
  it('counts one scan in a baseline JPEG and the encoder’s scans in a progressive one', async () => {
    expect(jpegScanCount(readBuffer(await photo(false)))).toBe(1);
    const progressive = await photo(true);
    const n = jpegScanCount(readBuffer(progressive));
    // No EXIF and no Huffman value 0xDA here, so every 0xFF 0xDA in the file is a scan.
    expect(n).toBe(sosMarkers(progressive));
    expect(n).toBeGreaterThan(2);
    expect(n).toBeLessThanOrEqual(MAX_JPEG_SCANS);
  });

  it('counts the scans of a scan bomb, stopping one past the limit', () => {
    const bomb = makeScanBombJpeg(64, 63);
    expect(jpegScanCount(readBuffer(bomb), 5000)).toBe(1 + 33 * 63);
    expect(jpegScanCount(readBuffer(bomb), 10)).toBe(11);
  });

  it('reads a file through its window the same as the bytes in memory', () => {
    // Larger than the reader's 64 KiB window, so scans and markers cross its edges.
    const bomb = makeScanBombJpeg(6000, 2);
    expect(bomb.length).toBeGreaterThan(3 * 64 * 1024);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-jpeg-'));
    try {
      const file = path.join(dir, 'bomb.jpg');
      fs.writeFileSync(file, bomb);
      const fd = fs.openSync(file, 'r');
      try {
        const read = (offset: number, length: number) => {
          const b = Buffer.alloc(length);
          return b.subarray(0, fs.readSync(fd, b, 0, length, offset));
        };
        expect(jpegScanCount(read, 5000)).toBe(1 + 33 * 2);
        expect(jpegScanCount(readBuffer(bomb), 5000)).toBe(1 + 33 * 2);
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds scans where libjpeg finds them: after fill bytes and garbage, past stuffed bytes and restarts, not inside a segment', () => {
    const data = [0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xff, 0xd3, 0x78];
    // A thumbnail's scans inside an APP1 segment are not the image's.
    const app1 = seg(0xe1, bytes(Buffer.from('Exif\0\0'), SOS, SOS, SOS));
    const jpeg = bytes(
      [0xff, 0xd8],
      app1,
      [0x00, 0x42, 0x17],
      SOS,
      data,
      [0xff, 0xff, 0xff],
      SOS,
      data,
      [0x00, 0x42],
      SOS,
      [0xff, 0xd9],
      SOS,
      SOS,
    );
    expect(sosMarkers(jpeg)).toBe(8);
    expect(jpegScanCount(readBuffer(jpeg))).toBe(3);
  });

  it('stops where a stream cut short ends, and counts nothing in what is not a JPEG', () => {
    const jpeg = bytes([0xff, 0xd8], SOS, [1, 2, 3], SOS, [4, 5]);
    for (let cut = 0; cut <= jpeg.length; cut++) expect(jpegScanCount(readBuffer(jpeg.subarray(0, cut)))).toBeLessThanOrEqual(2);
    expect(jpegScanCount(readBuffer(jpeg))).toBe(2);
    expect(jpegScanCount(readBuffer(Buffer.from('%PDF-1.7\n')))).toBe(0);
    expect(jpegScanCount(readBuffer(bytes([0xff, 0xd8], seg(0xe0, [0xff, 0xda]).subarray(0, 3))))).toBe(0);
  });
});

describe('JPEG scan bombs', () => {
  it('are refused before decoding, at open and at decode, with image_too_large', async () => {
    // 2,080 scans over 1000×1000 pixels: libvips took ~0.3 s for it here, and the time grows with the pixels.
    const bomb = makeScanBombJpeg(1000);
    const codeOf = (e: unknown) => (e instanceof RocheError ? e.code : String(e));
    expect(() => assertCheapToDecode(bomb)).toThrow(/more than 100 scans/);
    await expect(decodeImage(bomb, LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
    await expect(openDocument(bomb, 'jpeg', LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
    // The same stream with as many scans as allowed decodes: the limit, not the maker, refuses it.
    const allowed = makeScanBombJpeg(64, 3);
    expect(jpegScanCount(readBuffer(allowed))).toBe(100);
    const page = await decodeImage(allowed, LIMITS);
    expect([page.width, page.height]).toEqual([64, 64]);
    expect(page.data[0]).toBe(128);
  });

  it('lets ordinary JPEGs, PNGs and files on disk through', async () => {
    for (const b of [
      await photo(false),
      await photo(true),
      await sharp(await photo(true))
        .png()
        .toBuffer(),
    ]) {
      expect(() => assertCheapToDecode(b)).not.toThrow();
      expect((await decodeImage(b, LIMITS)).width).toBe(300);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-jpeg-'));
    try {
      const file = path.join(dir, 'bomb.jpg');
      fs.writeFileSync(file, makeScanBombJpeg(200));
      expect(() => assertCheapToDecode(file)).toThrow(/more than 100 scans/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('JPEG scan bombs inside a TIFF', () => {
  const codeOf = (e: unknown) => (e instanceof RocheError ? e.code : String(e));

  it("are refused in a JPEG-compressed tile, which libvips decodes past libtiff's own limit", async () => {
    // An audit's 826 KB TIFF of one such 4096² tile held a worker for 66 s of CPU; this one is smaller.
    const bomb = makeJpegTiff(makeScanBombJpeg(1000), 1000);
    expect(tiffJpegScanCount(readBuffer(bomb), bomb.length).scans).toBe(MAX_JPEG_SCANS + 1);
    expect(() => assertCheapToDecode(bomb)).toThrow(/TIFF's JPEG-compressed image has more than 100 scans/);
    await expect(openDocument(bomb, 'tiff', LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
    // Strips too (libtiff refuses them itself, later and with a libtiff message).
    expect(() => assertCheapToDecode(makeJpegTiff(makeScanBombJpeg(64), 64, { tiled: false }))).toThrow(/more than 100 scans/);
    // 2,000 pages pointing at one tile: the tile is read once, not 2,000 times.
    const shared = makeJpegTiff(makeScanBombJpeg(64), 64, { pages: 2000 });
    const reader = counted(shared);
    expect(tiffJpegScanCount(reader.read, shared.length).scans).toBe(MAX_JPEG_SCANS + 1);
    expect(reader.bytes()).toBeLessThan(2 * shared.length);
  });

  it('lets JPEG-compressed TIFFs with ordinary tiles and strips through, decoded as before', async () => {
    const allowed = makeJpegTiff(makeScanBombJpeg(64, 3), 64);
    expect(tiffJpegScanCount(readBuffer(allowed), allowed.length).scans).toBe(MAX_JPEG_SCANS);
    const doc = await openDocument(allowed, 'tiff', LIMITS);
    const page = await doc.renderPage(0);
    expect([page.width, page.height, page.data[0]]).toEqual([64, 64, 128]);
    const image = sharp({
      create: { width: 600, height: 400, channels: 3, background: '#fff', noise: { type: 'gaussian', mean: 128, sigma: 40 } },
    });
    for (const tiff of [
      await image.clone().tiff({ compression: 'jpeg', tile: true, tileWidth: 256, tileHeight: 256 }).toBuffer(),
      await image.clone().tiff({ compression: 'jpeg' }).toBuffer(),
      await image.clone().tiff({ compression: 'lzw' }).toBuffer(),
    ]) {
      expect(tiffJpegScanCount(readBuffer(tiff), tiff.length)).toEqual({ scans: expect.any(Number) });
      expect(tiffJpegScanCount(readBuffer(tiff), tiff.length).scans).toBeLessThanOrEqual(1);
      expect(() => assertCheapToDecode(tiff)).not.toThrow();
      expect((await decodeImage(tiff, LIMITS)).width).toBe(600);
    }
  });
});

describe('the TIFF check itself', () => {
  /** The first directory's entry for `tag` in a little-endian TIFF: its byte position. */
  const entryAt = (tiff: Buffer, tag: number) => {
    const ifd = tiff.readUInt32LE(4);
    for (let i = 0; i < tiff.readUInt16LE(ifd); i++) if (tiff.readUInt16LE(ifd + 2 + i * 12) === tag) return ifd + 2 + i * 12;
    throw new Error(`no tag ${tag}`);
  };
  const bomb = () => makeJpegTiff(makeScanBombJpeg(256), 256);

  it('reads the tile as libtiff does: either tag pair, any integer type, a missing count, a broken chain', () => {
    const variants: Array<[string, (t: Buffer) => void]> = [
      ['TileByteCounts written as StripByteCounts', (t) => t.writeUInt16LE(279, entryAt(t, 325))],
      ['TileOffsets written as StripOffsets', (t) => t.writeUInt16LE(273, entryAt(t, 324))],
      ['no byte counts', (t) => t.writeUInt16LE(999, entryAt(t, 325))],
      ['Compression as SSHORT', (t) => t.writeUInt16LE(8, entryAt(t, 259) + 2)],
      ['offsets as SLONG', (t) => t.writeUInt16LE(9, entryAt(t, 324) + 2)],
      ['next directory past the end of the file', (t) => t.writeUInt32LE(t.length + 100, entryAt(t, 530) + 12)],
    ];
    for (const [name, patch] of variants) {
      const t = bomb();
      patch(t);
      expect(() => assertCheapToDecode(t), name).toThrow(/more than 100 scans/);
    }
  });

  it('bounds its own cost: huge overlapping directories and overlapping tiles are refused at once', () => {
    // Directories every 4 bytes, each claiming 65,535 entries and chained to the next: 1,300 in 800 KB
    // (a reviewer's took 5.9 s and 555 MB for 50 of them before the bound).
    const dirs = Buffer.alloc(800_000);
    dirs.write('II', 0, 'latin1');
    dirs.writeUInt16LE(42, 2);
    dirs.writeUInt32LE(8, 4);
    for (let at = 8; at + 2 + 65_535 * 12 + 8 <= dirs.length; at += 4) {
      dirs.writeUInt16LE(65_535, at);
      dirs.writeUInt32LE(at + 4, at + 2 + 65_535 * 12);
    }
    expect(() => assertCheapToDecode(dirs)).toThrow(/cannot be checked before decoding: its directories hold more than/);
    // It stops after 1,000,000 entries (12 MB read) instead of reading their 1 GB.
    let reader = counted(dirs);
    expect(tiffJpegScanCount(reader.read, dirs.length).tooCostly).toMatch(/directories hold more than/);
    expect(reader.bytes()).toBeLessThan(32 * 2 ** 20);
    // 100 directories whose tile tables of 1,000,000 offsets each overlap, 4 bytes apart: 10^8 values.
    const tables = 4_000_000 + 400;
    const ifdAt = 8 + tables;
    const shifted = Buffer.alloc(ifdAt + 100 * (2 + 3 * 12 + 4));
    shifted.write('II', 0, 'latin1');
    shifted.writeUInt16LE(42, 2);
    shifted.writeUInt32LE(ifdAt, 4);
    for (let k = 0; k < 100; k++) {
      const at = ifdAt + k * (2 + 3 * 12 + 4);
      shifted.writeUInt16LE(3, at);
      const entry = (i: number, tag: number, type: number, count: number, value: number) => {
        shifted.writeUInt16LE(tag, at + 2 + i * 12);
        shifted.writeUInt16LE(type, at + 2 + i * 12 + 2);
        shifted.writeUInt32LE(count, at + 2 + i * 12 + 4);
        shifted.writeUInt32LE(value, at + 2 + i * 12 + 8);
      };
      entry(0, 259, 3, 1, 7);
      entry(1, 322, 3, 1, 16);
      entry(2, 324, 4, 1_000_000, 8 + 4 * k);
      shifted.writeUInt32LE(k < 99 ? at + 2 + 3 * 12 + 4 : 0, at + 2 + 3 * 12);
    }
    reader = counted(shifted);
    expect(tiffJpegScanCount(reader.read, shifted.length).tooCostly).toMatch(/tables are too large/);
    expect(reader.bytes()).toBeLessThan(32 * 2 ** 20); // 400 MB of tables unbounded
    // Tiles starting 2 bytes apart, each running on to the end: each would be scanned whole.
    const base = makeJpegTiff(makeScanBombJpeg(256, 3), 256); // 100 scans: allowed on its own
    const n = 2000;
    const offsets = Buffer.alloc(n * 4);
    const start = base.readUInt32LE(entryAt(base, 324) + 8);
    for (let i = 0; i < n; i++) offsets.writeUInt32LE(start + 2 * i, i * 4);
    const overlap = Buffer.concat([base, offsets]);
    overlap.writeUInt32LE(n, entryAt(overlap, 324) + 4);
    overlap.writeUInt32LE(base.length, entryAt(overlap, 324) + 8);
    overlap.writeUInt16LE(999, entryAt(overlap, 325)); // no counts: every tile runs to the end
    reader = counted(overlap);
    expect(tiffJpegScanCount(reader.read, overlap.length).tooCostly).toMatch(/overlap/);
    expect(reader.bytes()).toBeLessThan(3 * overlap.length); // each tile scanned to the end: 2,000× the file
  });

  it('refuses a TIFF of more pages than it reads directories of, rather than leave the rest unchecked', () => {
    // 10,001 pages: the first 10,000 share an ordinary tile, the last points at a scan bomb.
    const tiff = makeJpegTiff(makeScanBombJpeg(64, 3), 64, { pages: 10_001 });
    const bomb = makeScanBombJpeg(64);
    const file = Buffer.concat([tiff, bomb]);
    const last = tiff.lastIndexOf(Buffer.from([0x44, 0x01, 4, 0, 1, 0, 0, 0])); // TileOffsets, LONG, 1
    file.writeUInt32LE(tiff.length, last + 8);
    file.writeUInt32LE(bomb.length, last + 12 + 8); // TileByteCounts, the next entry
    expect(tiffJpegScanCount(readBuffer(file), file.length).tooCostly).toMatch(/more than 10000 pages/);
    expect(() => assertCheapToDecode(file)).toThrow(/cannot be checked before decoding/);
    // 10,000 pages are all read.
    const most = makeJpegTiff(makeScanBombJpeg(64, 3), 64, { pages: 10_000 });
    expect(tiffJpegScanCount(readBuffer(most), most.length)).toEqual({ scans: MAX_JPEG_SCANS });
  });
});
