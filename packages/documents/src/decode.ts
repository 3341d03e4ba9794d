import fs from 'node:fs';
import { RocheError, type RgbImage } from '@roche/core';
import sharp from 'sharp';
import { jpegScanCount, MAX_JPEG_SCANS, tiffJpegScanCount } from './jpeg-scans.js';
import { withReader } from './read-at.js';
import { sniffType } from './sniff.js';
import { MAX_WEBP_FRAMES, webpCost } from './webp-frames.js';

export interface DecodeLimits {
  maxPagePixels: number;
}

/** Longest page side (pixels at the job's dpi) and longest side over shortest that a page may have. */
export const MAX_PAGE_SIDE = 32_768;
export const MAX_PAGE_ASPECT = 100;

/**
 * Refuses a page too long on a side or too thin for a layout model. Within the pixel budget (a
 * 100,000,000×1 PNG is), yet scaled to a model's input one side becomes zero: it failed late, after
 * minutes of retries, as an engine error. Checked at submit on the sizes the document states, and
 * again on the decoded image (a file whose header says one size and whose decoder finds another).
 */
export function assertPageShape(width: number, height: number, page?: number): void {
  const long = Math.max(width, height);
  if (long <= MAX_PAGE_SIDE && long <= MAX_PAGE_ASPECT * Math.max(1, Math.min(width, height))) return;
  const which = page === undefined ? 'the page' : `page ${page}`;
  throw new RocheError(
    'image_too_large',
    `${which} is ${width}×${height} pixels; a page may be at most ${MAX_PAGE_SIDE} pixels on a side and ${MAX_PAGE_ASPECT} times longer than wide`,
    { details: { ...(page === undefined ? {} : { page }), width, height, maxSide: MAX_PAGE_SIDE, maxAspect: MAX_PAGE_ASPECT } },
  );
}

/**
 * Refuses an image whose decoding would cost far more than its pixels: a JPEG, or a TIFF strip or
 * tile in JPEG, of more scans than an encoder writes (MAX_JPEG_SCANS; each is a pass over the whole image) or a WebP of more animation
 * frames than a page has reason to (MAX_WEBP_FRAMES; libwebp indexes them all, in quadratic time).
 * Both run inside libvips where nothing can stop them once begun, so this is read in JavaScript
 * before sharp sees the file. Other types pass.
 */
export function assertCheapToDecode(bytes: Buffer | string): void {
  let what = 'JPEG';
  let tooCostly: string | undefined;
  const found: { scans?: number; frames?: number; chunks?: number; interlaced?: number } = withReader(bytes, (read) => {
    const type = sniffType(read(0, 12));
    if (type === 'png') return { interlaced: interlacedPngBytes(read(0, 33)) };
    if (type === 'jpeg') return { scans: jpegScanCount(read, MAX_JPEG_SCANS) };
    if (type === 'tiff') {
      what = "TIFF's JPEG-compressed image";
      const t = tiffJpegScanCount(read, typeof bytes === 'string' ? fs.statSync(bytes).size : bytes.length, MAX_JPEG_SCANS);
      tooCostly = t.tooCostly;
      return { scans: t.scans };
    }
    if (type === 'webp') return webpCost(read, MAX_WEBP_FRAMES);
    return {};
  });
  if (tooCostly)
    throw new RocheError('image_too_large', `this TIFF cannot be checked before decoding: ${tooCostly}`, {
      details: { reason: tooCostly },
    });
  if ((found.scans ?? 0) > MAX_JPEG_SCANS)
    throw new RocheError(
      'image_too_large',
      `this ${what} has more than ${MAX_JPEG_SCANS} scans (a progressive JPEG has about 10); decoding it would cost as much as that many images. Save it again as a baseline JPEG or a PNG`,
      { details: { maxScans: MAX_JPEG_SCANS } },
    );
  if ((found.interlaced ?? 0) > MAX_INTERLACED_BYTES)
    throw new RocheError(
      'image_too_large',
      `this interlaced PNG decodes to ${Math.round(found.interlaced! / 2 ** 20)} MiB, which must be held whole in memory (at most ${MAX_INTERLACED_BYTES / 2 ** 20} MiB); save it without interlacing, or at 8 bits per sample`,
      { details: { bytes: found.interlaced, maxBytes: MAX_INTERLACED_BYTES } },
    );
  if ((found.frames ?? 0) > MAX_WEBP_FRAMES || (found.chunks ?? 0) > MAX_WEBP_FRAMES)
    throw new RocheError(
      'image_too_large',
      `this WebP has more than ${MAX_WEBP_FRAMES} animation frames or chunks; Roche reads only the first frame, but reading past the others would cost minutes. Send that frame as a still image`,
      { details: { maxFrames: MAX_WEBP_FRAMES } },
    );
}

/**
 * Largest interlaced (Adam7) PNG, in decoded bytes. libvips reads a non-interlaced PNG a few rows at
 * a time but an interlaced one whole: an audit's 777 KB PNG of 10000² 16-bit RGBA (800 MB decoded)
 * took a worker from 0.88 to 2.47 GB, against +0.6 GB without interlacing. The pixel limit alone
 * cannot see it (its bytes per pixel are 8).
 */
export const MAX_INTERLACED_BYTES = 512 * 2 ** 20;

/**
 * Samples per pixel of each PNG colour type as libvips decodes it at most: a palette to RGBA, and grey
 * or RGB with an alpha channel, which a tRNS chunk anywhere before the pixels adds. Counted as if one
 * were there (the header alone is read), which over-counts an opaque RGB image by a third.
 */
const PNG_CHANNELS: Record<number, number> = { 0: 2, 2: 4, 3: 4, 4: 2, 6: 4 };

/** The decoded size of an interlaced PNG from its IHDR (the first 33 bytes), or 0 when it is not interlaced. */
export function interlacedPngBytes(head: Buffer): number {
  if (head.length < 29 || head.toString('latin1', 12, 16) !== 'IHDR' || head[28] !== 1) return 0;
  const samples = PNG_CHANNELS[head[25]!] ?? 4;
  return head.readUInt32BE(16) * head.readUInt32BE(20) * samples * Math.max(1, head[24]! / 8);
}

/**
 * Decodes one raster page (PNG/JPEG/WebP/TIFF page) to RGB. Reads the header first so a
 * decompression bomb is refused before any pixel is allocated; EXIF orientation is applied.
 */
export async function decodeImage(buf: Buffer | string, limits: DecodeLimits, page = 0): Promise<RgbImage> {
  assertCheapToDecode(buf);
  return decodeCheckedImage(buf, limits, page);
}

/** `decodeImage` of bytes `assertCheapToDecode` has already passed (an opened raster document's pages). */
export async function decodeCheckedImage(buf: Buffer | string, limits: DecodeLimits, page = 0): Promise<RgbImage> {
  let meta;
  try {
    meta = await sharp(buf, { page, limitInputPixels: false }).metadata();
  } catch (e) {
    throw new RocheError('corrupt_document', `cannot read image: ${(e as Error).message}`, { cause: e });
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new RocheError('corrupt_document', 'image has no dimensions');
  if (w * h > limits.maxPagePixels) {
    throw new RocheError('image_too_large', `page is ${w}×${h} = ${w * h} pixels; the limit is ${limits.maxPagePixels}`, {
      details: { width: w, height: h, maxPagePixels: limits.maxPagePixels },
    });
  }
  assertPageShape(w, h);
  try {
    const { data, info } = await sharp(buf, { page, limitInputPixels: limits.maxPagePixels, failOn: 'error' })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { data, width: info.width, height: info.height };
  } catch (e) {
    throw new RocheError('corrupt_document', `cannot decode image: ${(e as Error).message}`, { cause: e });
  }
}
