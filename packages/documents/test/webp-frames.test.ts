import { RocheError } from '@roche/core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../src/decode.js';
import { openDocument } from '../src/open-document.js';
import { readBuffer } from '../src/read-at.js';
import { MAX_WEBP_FRAMES, webpFrameCount } from '../src/webp-frames.js';
import { makeAnimatedWebp } from '../../../test/support/documents.js';

const LIMITS = { maxPagePixels: 100_000_000, maxPages: 10, dpi: 144 };
const codeOf = (e: unknown) => (e instanceof RocheError ? e.code : String(e));

describe('webpFrameCount', () => {
  it('counts the frames of an animated WebP as libvips does, and none in a still one or another type', async () => {
    const anim = await makeAnimatedWebp(7, 40, 30);
    expect(webpFrameCount(readBuffer(anim))).toBe(7);
    expect((await sharp(anim).metadata()).pages).toBe(7);
    const still = await sharp({ create: { width: 20, height: 10, channels: 3, background: '#abc' } })
      .webp()
      .toBuffer();
    expect(webpFrameCount(readBuffer(still))).toBe(0);
    expect(webpFrameCount(readBuffer(Buffer.from('%PDF-1.7\n')))).toBe(0);
  });

  it('stops one past the limit, and at the end of the bytes or of the size the RIFF header gives', async () => {
    const anim = await makeAnimatedWebp(50, 40, 30);
    expect(webpFrameCount(readBuffer(anim), 10)).toBe(11);
    // Cut anywhere: never more frames than whole chunks, never a throw.
    for (const cut of [0, 11, 12, 20, 40, 100, anim.length - 1])
      expect(webpFrameCount(readBuffer(anim.subarray(0, cut)))).toBeLessThanOrEqual(50);
    // Frames past the RIFF size are not the image's (libwebp reads no further).
    const short = Buffer.from(anim);
    short.writeUInt32LE(4 + 18 + 14 + 3 * 46, 4); // WEBP, VP8X, ANIM and three frames
    expect(webpFrameCount(readBuffer(short))).toBe(3);
  });
});

describe('WebP frame bombs', () => {
  it('are refused before sharp reads them, at open and at decode, while a few frames decode their first', async () => {
    // 20,000 frames: libwebp took 0.4 s of CPU to index them for sharp's metadata here (40,000: 1.5 s).
    const bomb = await makeAnimatedWebp(20_000);
    await expect(openDocument(bomb, 'webp', LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
    await expect(decodeImage(bomb, LIMITS).catch(codeOf)).resolves.toBe('image_too_large');
    await expect(decodeImage(bomb, LIMITS)).rejects.toThrow(/more than 1000 frames/);
    const fine = await makeAnimatedWebp(MAX_WEBP_FRAMES, 64, 48);
    const doc = await openDocument(fine, 'webp', LIMITS);
    expect(doc.pageCount).toBe(1);
    const page = await doc.renderPage(0);
    expect([page.width, page.height]).toEqual([64, 48]);
  });
});
