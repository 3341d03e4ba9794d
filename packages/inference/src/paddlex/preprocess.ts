import type { RgbImage } from '@roche/core';
import { resizeCubicCv } from './cv-resize.js';
import { kernels, Layout } from './kernels.js';
import type { ModelSpec } from './models.js';
import type { ResizePool } from './resize-pool.js';

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

/**
 * PaddleX `Resize` with `keep_ratio: false`, `interp: 2`: OpenCV's INTER_CUBIC to the model's square
 * input, on RGB pixels (PaddleX's detection `ReadImage` yields RGB). Done with a port of OpenCV's
 * kernel (./cv-resize.ts), not sharp: sharp's cubic differs from cv2's on about a third of the values
 * of a real page (mean 10 levels), which a detector trained on cv2 input would see.
 */
export function resizeForModel(page: RgbImage, spec: Pick<ModelSpec, 'size'>): Prepared {
  return prepared(page, spec.size, resizeCubicCv(page.data, page.width, page.height, spec.size, spec.size, 3));
}

/** `resizeForModel` on a pool thread, leaving the event loop free. */
export async function resizeForModelOn(pool: ResizePool, page: RgbImage, spec: Pick<ModelSpec, 'size'>): Promise<Prepared> {
  return prepared(page, spec.size, await pool.resize(page.data, page.width, page.height, spec.size, spec.size, 3));
}

/**
 * A page as it is, for a model repository that resizes it itself (the `native` wire): the pixels are
 * not copied, and im_shape / scale_factor are what the server's Resize will record.
 */
export function atOwnSize(page: RgbImage, spec: Pick<ModelSpec, 'size'>): Prepared {
  if (page.data.length !== page.width * page.height * 3) throw new Error(`page is not ${page.width}×${page.height} RGB`);
  return prepared(page, spec.size, page.data);
}

function prepared(page: RgbImage, size: number, pixels: Uint8Array): Prepared {
  return {
    pixels: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength),
    size,
    imShape: [size, size],
    scaleFactor: [size / page.height, size / page.width],
    original: { width: page.width, height: page.height },
  };
}

/**
 * `NormalizeImage` (is_scale, mean, std) + `Permute`: HWC uint8 RGB → CHW float32. PaddleX 3.x's
 * `Normalize` (models/common/vision/processors.py) folds the three steps into `x·α + β` per channel,
 * α = (1/255)/std and β = −mean/std computed in double, applied to a float32 image (so α and β are
 * rounded to float32 and each step to float32). The older `(x·(1/255) − mean)/std` form (PaddleX 3.0
 * betas) differs on 643 of the 768 ImageNet table entries by 1-2 float32 ulps (max 7.2e-7); for
 * mean 0 / std 1 both agree. Computed by the WebAssembly kernel (assembly/normalize.ts), whose
 * float32 multiply and add round exactly as these steps do.
 */
function normalizeInKernel(pixels: Uint8Array, size: number, spec: Pick<ModelSpec, 'mean' | 'std'>): Uint8Array {
  const f = Math.fround;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  const n = size * size;
  if (pixels.length < n * 3) throw new RangeError(`expected ${n * 3} bytes of ${size}×${size} RGB, got ${pixels.length}`);
  const l = new Layout();
  const src = l.take(n * 3 + 16);
  const dst = l.take(n * 12);
  const k = kernels(l.size);
  new Uint8Array(k.memory.buffer, src, n * 3).set(pixels.subarray(0, n * 3));
  const [a0, a1, a2] = [0, 1, 2].map((c) => f(1 / 255 / spec.std[c]!));
  const [b0, b1, b2] = [0, 1, 2].map((c) => f(-spec.mean[c]! / spec.std[c]!));
  k.normalizeChw(src, n, dst, a0!, a1!, a2!, b0!, b1!, b2!);
  return new Uint8Array(k.memory.buffer, dst, n * 12);
}

/** Normalized CHW float32 of a `size`×`size` page, into `out` at `offset` (floats). */
export function normalizeChw(
  pixels: Uint8Array,
  size: number,
  spec: Pick<ModelSpec, 'mean' | 'std'>,
  out = new Float32Array(3 * size * size),
  offset = 0,
): Float32Array {
  if (!Number.isInteger(offset) || offset < 0 || offset + 3 * size * size > out.length)
    throw new RangeError(`${3 * size * size} floats do not fit in ${out.length} at ${offset}`);
  const bytes = normalizeInKernel(pixels, size, spec);
  new Uint8Array(out.buffer, out.byteOffset + offset * 4, bytes.length).set(bytes);
  return out;
}

/**
 * The same floats written as bytes into `into` at `at`: straight into a request message, so an
 * FP32 page never has a tensor of its own (4.7 MiB of fresh memory per 640×640 page otherwise).
 */
export function normalizeChwInto(
  pixels: Uint8Array,
  size: number,
  spec: Pick<ModelSpec, 'mean' | 'std'>,
  into: Uint8Array,
  at: number,
): void {
  into.set(normalizeInKernel(pixels, size, spec), at);
}
