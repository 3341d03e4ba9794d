import type { RgbImage } from '@roche/core';
import sharp from 'sharp';
import type { ModelSpec } from './models.js';

export interface Prepared {
  /** Resized pixels, HWC RGB uint8 (what goes on the wire when the model repo normalizes). */
  pixels: Buffer;
  size: number;
  /** [resized h, resized w] */
  imShape: [number, number];
  /** [resized h / original h, resized w / original w] */
  scaleFactor: [number, number];
  original: { width: number; height: number };
}

/** PaddleX `Resize` with `keep_ratio: false`, `interp: 2` (bicubic), to the model's square input. */
export async function resizeForModel(page: RgbImage, spec: Pick<ModelSpec, 'size'>): Promise<Prepared> {
  const pixels = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
    .resize(spec.size, spec.size, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
  return {
    pixels,
    size: spec.size,
    imShape: [spec.size, spec.size],
    scaleFactor: [spec.size / page.height, spec.size / page.width],
    original: { width: page.width, height: page.height },
  };
}

/** `NormalizeImage` (is_scale, mean, std) + `Permute`: HWC uint8 RGB → CHW float32, written into `out` at `offset`. */
export function normalizeChw(pixels: Uint8Array, size: number, spec: Pick<ModelSpec, 'mean' | 'std'>, out = new Float32Array(3 * size * size), offset = 0): Float32Array {
  const plane = size * size;
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[offset + c * plane + i] = (pixels[i * 3 + c]! / 255 - spec.mean[c]!) / spec.std[c]!;
  }
  return out;
}
