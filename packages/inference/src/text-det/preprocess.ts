import type { RgbImage } from '@roche/core';
import sharp from 'sharp';

/** PaddleOCR's DetResizeForTest + NormalizeImage + ToCHWImage for the DB text detector. */
export interface DetInput {
  tensor: Float32Array;
  /** Resized size fed to the model (multiples of 32). */
  height: number;
  width: number;
  /** original / resized, per axis, to map boxes back to the page. */
  ratioH: number;
  ratioW: number;
}

// PaddleOCR reads with OpenCV (BGR) and applies these per channel in that order.
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * Target size like DetResizeForTest with limit_type `max`: longest side at most `limitSideLen`,
 * multiples of 32. A page whose longest side is under `minSideLen` is enlarged to it, at most 2×:
 * on low-resolution pages (PubLayNet's are ~800 px high) small type is a few pixels high, under
 * what the detector resolves, and whole caption blocks went missing.
 */
export function detTargetSize(width: number, height: number, limitSideLen: number, minSideLen = 0): { width: number; height: number } {
  const side = Math.max(width, height);
  const ratio = side > limitSideLen ? limitSideLen / side : side < minSideLen ? Math.min(2, minSideLen / side) : 1;
  return {
    width: Math.max(32, Math.round((width * ratio) / 32) * 32),
    height: Math.max(32, Math.round((height * ratio) / 32) * 32),
  };
}

/** Normalizes packed RGB pixels into a BGR CHW float tensor. */
export function normalizeToChwBgr(rgb: Uint8Array, width: number, height: number): Float32Array {
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    const r = rgb[i * 3]!;
    const g = rgb[i * 3 + 1]!;
    const b = rgb[i * 3 + 2]!;
    out[i] = (b / 255 - MEAN[0]!) / STD[0]!;
    out[plane + i] = (g / 255 - MEAN[1]!) / STD[1]!;
    out[2 * plane + i] = (r / 255 - MEAN[2]!) / STD[2]!;
  }
  return out;
}

export async function preprocessForDet(page: RgbImage, limitSideLen: number, minSideLen = 0): Promise<DetInput> {
  const t = detTargetSize(page.width, page.height, limitSideLen, minSideLen);
  const resized = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
    .resize(t.width, t.height, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  return {
    tensor: normalizeToChwBgr(resized, t.width, t.height),
    width: t.width,
    height: t.height,
    ratioW: page.width / t.width,
    ratioH: page.height / t.height,
  };
}
