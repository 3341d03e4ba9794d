import type { RgbImage } from '@roche/core';
import sharp from 'sharp';

/** The part of a page inside `box` (page pixels, clamped to the page) as PNG. */
export async function cropRegion(page: RgbImage, box: readonly [number, number, number, number]): Promise<Buffer> {
  const left = Math.max(0, Math.min(page.width - 1, Math.floor(box[0])));
  const top = Math.max(0, Math.min(page.height - 1, Math.floor(box[1])));
  const right = Math.max(left + 1, Math.min(page.width, Math.ceil(box[2])));
  const bottom = Math.max(top + 1, Math.min(page.height, Math.ceil(box[3])));
  return sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
    .extract({ left, top, width: right - left, height: bottom - top })
    .png()
    .toBuffer();
}
