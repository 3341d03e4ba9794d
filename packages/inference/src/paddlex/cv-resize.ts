/**
 * OpenCV's `cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)` for 8-bit images, ported so
 * Roche feeds PP-DocLayout the same pixels PaddleX does (its `Resize` op with `interp: 2`). sharp's
 * cubic kernel is not the same filter (libvips widens the kernel when shrinking, which antialiases;
 * OpenCV uses a fixed 4×4 Keys kernel with a = -0.75 and 11-bit fixed-point weights), so the
 * resize is done here and sharp only decodes and encodes.
 *
 * Follows modules/imgproc/src/resize.cpp (OpenCV 4.x, generic path): same size is a copy; source
 * coordinate `(d + 0.5)·scale - 0.5` computed in float; weights rounded to 1/2048; edge pixels
 * replicated; horizontal pass in integers; vertical pass as the SIMD kernel does it for all full
 * 8-lane chunks (float32 `S0·b0 + (S1·b1 + (S2·b2 + S3·b3))`, round half to even) and in fixed
 * point for the remainder. Checked bit for bit against Debian's OpenCV 4.6 (see the oracle test);
 * builds using Intel IPP for resize are not covered.
 *
 * The weight tables are made here, in float32 arithmetic exactly as OpenCV makes them; the two
 * passes (~17 M multiply-adds for a 144-dpi page) run in WebAssembly with 128-bit SIMD
 * (`packages/inference/assembly/cv-resize.ts`, loaded by ./kernels.ts): about 2 ms for a 144-dpi
 * text page on one core (3 ms before its shuffles and rounding were trimmed; the same loops in
 * JavaScript took 14-33 ms; docs/benchmarks.md, "Feeding the GPU").
 */

import { kernels, Layout } from './kernels.js';

const f = Math.fround;
const COEF_SCALE = 2048;

/** `cvRound`: round half to even, as the FPU's default mode does. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** `interpolateCubic` in float32 arithmetic. */
function cubicWeights(x: number): [number, number, number, number] {
  const A = f(-0.75);
  const x1 = f(x + 1);
  const c0 = f(f(f(f(f(f(A * x1) - f(5 * A)) * x1) + f(8 * A)) * x1) - f(4 * A));
  const c1 = f(f(f(f(f(f(A + 2) * x) - f(A + 3)) * x) * x) + 1);
  const ox = f(1 - x);
  const c2 = f(f(f(f(f(f(A + 2) * ox) - f(A + 3)) * ox) * ox) + 1);
  const c3 = f(f(f(1 - c0) - c1) - c2);
  return [c0, c1, c2, c3];
}

interface Taps {
  /** First source index per destination index (may be -1 or past the end: edges are replicated). */
  start: Int32Array;
  /** Four fixed-point weights per destination index. */
  w: Int32Array;
  /** The weights as two i16x8 vectors per destination index, (w0, w1) and (w2, w3) repeated per channel of 3, for the SIMD horizontal pass. */
  pairs: Int16Array;
  /** Destination indices [lo, hi) whose four taps all fall inside the source. */
  lo: number;
  hi: number;
}

function taps(src: number, dst: number): Taps {
  const scale = 1 / (dst / src);
  const start = new Int32Array(dst);
  const w = new Int32Array(dst * 4);
  for (let d = 0; d < dst; d++) {
    let fx = f((d + 0.5) * scale - 0.5);
    const sx = Math.floor(fx);
    fx = f(fx - sx);
    start[d] = sx - 1;
    const c = cubicWeights(fx);
    for (let k = 0; k < 4; k++) w[d * 4 + k] = roundEven(f(c[k]! * COEF_SCALE));
  }
  // Start indices grow with d, so the interior is one range.
  let lo = 0;
  while (lo < dst && start[lo]! < 0) lo++;
  let hi = dst;
  while (hi > lo && start[hi - 1]! + 3 >= src) hi--;
  const pairs = new Int16Array(dst * 16);
  for (let d = 0; d < dst; d++)
    for (let c = 0; c < 3; c++)
      for (let k = 0; k < 2; k++) {
        pairs[d * 16 + 2 * c + k] = w[d * 4 + k]!;
        pairs[d * 16 + 8 + 2 * c + k] = w[d * 4 + 2 + k]!;
      }
  return { start, w, pairs, lo, hi };
}

/** Tap tables for the few (source, destination) sizes a worker sees: pages of one PDF share a size. */
const tapCache = new Map<string, Taps>();
function cachedTaps(src: number, dst: number): Taps {
  const key = `${src}:${dst}`;
  let t = tapCache.get(key);
  if (!t) {
    if (tapCache.size >= 64) tapCache.delete(tapCache.keys().next().value!);
    t = taps(src, dst);
    tapCache.set(key, t);
  }
  return t;
}

/** Bicubic resize of packed 8-bit pixels with `channels` per pixel; returns `dw × dh × channels` bytes. */
export function resizeCubicCv(
  src: Uint8Array,
  sw: number,
  sh: number,
  dw: number,
  dh: number,
  channels = 3,
  /** Where to write the result (at least dw·dh·channels bytes; a view of that length is returned); a new array if absent. */
  into?: Uint8Array,
): Uint8Array {
  const cn = channels;
  // The kernel's memory is reused: a size of 0 would return what an earlier call left there.
  for (const [name, v] of Object.entries({ sw, sh, dw, dh, channels }))
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  if (src.length < sw * sh * cn) throw new RangeError(`expected ${sw * sh * cn} bytes for ${sw}×${sh}×${cn}, got ${src.length}`);
  // cv::resize copies when the size does not change.
  if (into && into.length < dw * dh * cn) throw new RangeError(`output holds ${into.length} bytes, ${dw * dh * cn} needed`);
  const out = into?.subarray(0, dw * dh * cn);
  if (sw === dw && sh === dh)
    return out ? (out.set(src.subarray(0, sw * sh * cn)), out) : Uint8Array.prototype.slice.call(src, 0, sw * sh * cn);
  const xs = cachedTaps(sw, dw);
  const ys = cachedTaps(sh, dh);
  // Layout of the kernel's memory; the source gets 16 readable bytes past its end (the SIMD pass
  // loads 16 bytes for four 3-byte pixels) and each ring row 4 spare samples.
  const l = new Layout();
  const rowLen = dw * cn;
  const pXs = l.take(dw * 4),
    pXw = l.take(dw * 16),
    pXv = l.take(dw * 32),
    pYs = l.take(dh * 4),
    pYw = l.take(dh * 16),
    pRing = l.take(4 * (rowLen + 4) * 4),
    pSrc = l.take(sw * sh * cn + 16),
    pOut = l.take(dh * rowLen);
  const k = kernels(l.size);
  const b = k.memory.buffer;
  new Int32Array(b, pXs, dw).set(xs.start);
  new Int32Array(b, pXw, dw * 4).set(xs.w);
  new Int16Array(b, pXv, dw * 16).set(xs.pairs);
  new Int32Array(b, pYs, dh).set(ys.start);
  new Int32Array(b, pYw, dh * 4).set(ys.w);
  new Uint8Array(b, pSrc, sw * sh * cn).set(src.subarray(0, sw * sh * cn));
  k.resize(pSrc, sw, sh, dw, dh, cn, pXs, pXw, pXv, xs.lo, xs.hi, pYs, pYw, pRing, pOut);
  const result = new Uint8Array(b, pOut, dh * rowLen);
  return out ? (out.set(result), out) : result.slice();
}
