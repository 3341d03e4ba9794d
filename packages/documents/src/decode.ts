import { RocheError, type RgbImage } from '@roche/core';
import sharp from 'sharp';

export interface DecodeLimits {
  maxPagePixels: number;
}

/**
 * Decodes one raster page (PNG/JPEG/WebP/TIFF page) to RGB. Reads the header first so a
 * decompression bomb is refused before any pixel is allocated; EXIF orientation is applied.
 */
export async function decodeImage(buf: Buffer | string, limits: DecodeLimits, page = 0): Promise<RgbImage> {
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
