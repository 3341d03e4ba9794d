import { RocheError } from '@roche/core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/decode.js';
import { openDocument } from '../src/open-document.js';
import { readBuffer, withReader } from '../src/read-at.js';
import { MAX_WEBP_FRAMES, webpCost } from '../src/webp-frames.js';
import { makeAnimatedWebp } from '../../../test/support/documents.js';

const LIMITS = { maxPagePixels: 100_000_000, maxPages: 10, dpi: 144 };
const codeOf = (e: unknown) => (e instanceof RocheError ? e.code : String(e));

describe('webpCost', () => {
  it('counts the frames of an animated WebP as libvips does, and none in a still one or another type', async () => {
    const anim = await makeAnimatedWebp(7, 40, 30);
    expect(webpCost(readBuffer(anim))).toEqual({ frames: 7, chunks: 9 }); // VP8X, ANIM and 7 frames
    expect((await sharp(anim).metadata()).pages).toBe(7);
    const still = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#abc' } })
      .webp()
      .toBuffer();
    expect(webpCost(readBuffer(still))).toEqual({ frames: 0, chunks: 1 });
    expect(webpCost(readBuffer(Buffer.from('%PDF-1.7\n')))).toEqual({ frames: 0, chunks: 0 });
  });

  it('finds frames nested in an earlier frame’s span, where libwebp finds them and a walk by sizes does not', async () => {
    const nested = await makeAnimatedWebp(50, 40, 30, { nested: true });
    expect((await sharp(nested).metadata()).pages).toBe(50);
    expect(webpCost(readBuffer(nested)).frames).toBe(50);
    expect(webpCost(readBuffer(nested)).chunks).toBe(3); // VP8X, ANIM, and the outer frame spanning the rest
  });

  it('stops one past the limit, and at the end of the bytes or of the size the RIFF header gives', async () => {
    const anim = await makeAnimatedWebp(50, 40, 30);
    expect(webpCost(readBuffer(anim), 10)).toEqual({ frames: 11, chunks: 11 });
    for (const cut of [0, 11, 12, 20, 40, 100, anim.length - 1])
      expect(webpCost(readBuffer(anim.subarray(0, cut))).frames).toBeLessThanOrEqual(50);
    // Frames past the RIFF size are not the image's (libwebp reads no further).
    const short = Buffer.from(anim);
    short.writeUInt32LE(4 + 18 + 14 + 3 * 46, 4); // WEBP, VP8X, ANIM and three frames
    expect(webpCost(readBuffer(short)).frames).toBe(3);
  });

  it('reads a file through its window the same as the bytes in memory', async () => {
    // 200 KB: frames and chunk headers cross the 64 KiB window's edges.
    const anim = await makeAnimatedWebp(4000, 40, 30, { nested: true });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-webp-'));
    try {
      const file = path.join(dir, 'a.webp');
      fs.writeFileSync(file, anim);
      expect(withReader(file, (read) => webpCost(read, 5000))).toEqual(webpCost(readBuffer(anim), 5000));
      expect(webpCost(readBuffer(anim), 5000).frames).toBe(4000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('WebP frame and chunk bombs', () => {
  it('are refused before sharp reads them, at open and at decode, while a few frames decode their first', async () => {
    // 20,000 frames: libwebp took 0.4 s of CPU to index them for sharp's metadata here (40,000: 1.5 s).
    for (const bomb of [
      await makeAnimatedWebp(20_000),
      await makeAnimatedWebp(20_000, 1000, 1000, { nested: true }),
      await makeAnimatedWebp(1, 1000, 1000, { extraChunks: 20_000 }),
    ]) {
      await expect(openDocument(bomb, 'webp', LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
      await expect(decodeImage(bomb, LIMITS)).rejects.toThrow(/more than 1000 animation frames or chunks/);
    }
    const fine = await makeAnimatedWebp(MAX_WEBP_FRAMES - 2, 64, 48);
    const doc = await openDocument(fine, 'webp', LIMITS);
    expect(doc.pageCount).toBe(1);
    const page = await doc.renderPage(0);
    expect([page.width, page.height]).toEqual([64, 48]);
  });
});
