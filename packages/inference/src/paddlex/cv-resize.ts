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
 * Speed (a 144-dpi page is ~17 M multiply-adds): tap tables are built once per (source,
 * destination) size; the horizontal pass reads the four neighbours at fixed offsets away from the
 * edges; the vertical pass works in exact integers and redoes OpenCV's float arithmetic only near
 * a rounding tie; blank source rows (one byte value throughout) and output rows made only of them
 * are computed once per call, which is most of a document page.
 */

const f = Math.fround;
const COEF_SCALE = 2048;
/** 128-bit SIMD: 8 int16 lanes per step of the vertical pass. */
const VLANES = 8;
/** Distance from a rounding tie, in units of 2^-22, below which the vertical pass redoes OpenCV's float32 arithmetic. */
const TIE = 1 << 11;

/** `cvRound`: round half to even, as the FPU's default mode does. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round half to even for |x| < 2^51: adding 1.5·2^52 leaves no fraction bits, and the FPU rounds ties to even. */
function roundEvenSmall(x: number): number {
  return (x + 6755399441055744 - 6755399441055744) | 0;
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
  return { start, w, lo, hi };
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

const mul = Math.imul;
const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);

/**
 * Horizontal pass of one source row (starting at byte `base`) into `r`: for each destination pixel,
 * the weighted sum of its four source pixels per channel, in integers (exact in any order).
 */
function hpass(src: Uint8Array, base: number, sw: number, dw: number, cn: number, xs: Taps, r: Int32Array): void {
  const { start, w, lo, hi } = xs;
  hpassEdge(src, base, sw, 0, lo, cn, start, w, r);
  if (cn === 3) hpass3(src, base, lo, hi, start, w, r);
  else hpassEdge(src, base, sw, lo, hi, cn, start, w, r);
  hpassEdge(src, base, sw, hi, dw, cn, start, w, r);
}

/** Interior destination pixels [from, to) of 3-channel rows: the four taps are consecutive pixels. The sums fit in int32. */
function hpass3(src: Uint8Array, base: number, from: number, to: number, start: Int32Array, w: Int32Array, r: Int32Array): void {
  for (let dx = from; dx < to; dx++) {
    const t = dx * 4;
    const a0 = w[t]!,
      a1 = w[t + 1]!,
      a2 = w[t + 2]!,
      a3 = w[t + 3]!;
    const p = base + start[dx]! * 3;
    const o = dx * 3;
    r[o] = (mul(src[p]!, a0) + mul(src[p + 3]!, a1) + mul(src[p + 6]!, a2) + mul(src[p + 9]!, a3)) | 0;
    r[o + 1] = (mul(src[p + 1]!, a0) + mul(src[p + 4]!, a1) + mul(src[p + 7]!, a2) + mul(src[p + 10]!, a3)) | 0;
    r[o + 2] = (mul(src[p + 2]!, a0) + mul(src[p + 5]!, a1) + mul(src[p + 8]!, a2) + mul(src[p + 11]!, a3)) | 0;
  }
}

/** Destination pixels [from, to) for any channel count, taps clamped to the row (edges replicated). */
function hpassEdge(
  src: Uint8Array,
  base: number,
  sw: number,
  from: number,
  to: number,
  cn: number,
  start: Int32Array,
  w: Int32Array,
  r: Int32Array,
): void {
  for (let dx = from; dx < to; dx++) {
    const t = dx * 4;
    const sx = start[dx]!;
    const p0 = base + clamp(sx, sw - 1) * cn,
      p1 = base + clamp(sx + 1, sw - 1) * cn,
      p2 = base + clamp(sx + 2, sw - 1) * cn,
      p3 = base + clamp(sx + 3, sw - 1) * cn;
    for (let c = 0, o = dx * cn; c < cn; c++, o++)
      r[o] = src[p0 + c]! * w[t]! + src[p1 + c]! * w[t + 1]! + src[p2 + c]! * w[t + 2]! + src[p3 + c]! * w[t + 3]!;
  }
}

/**
 * The byte every position of src[base, base + len) holds, or -1 when they differ; compared with
 * memcmp against a row of that byte (`refs`, per call), ~10× faster than a loop in JS.
 */
function uniformByte(src: Buffer, base: number, len: number, refs: Map<number, Buffer>): number {
  const u = src[base]!;
  let ref = refs.get(u);
  if (!ref) refs.set(u, (ref = Buffer.alloc(len, u)));
  return src.compare(ref, 0, len, base, base + len) === 0 ? u : -1;
}

/** Vertical pass over the SIMD-width part of one output row (see the tail loop in resizeCubicCv for the rest). */
function vpass(
  out: Uint8Array,
  o: number,
  end: number,
  S0: Int32Array,
  S1: Int32Array,
  S2: Int32Array,
  S3: Int32Array,
  i0: number,
  i1: number,
  i2: number,
  i3: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): void {
  // The float32 sum differs from the exact integer sum v·2^-22 by far less than 2^-12 (a few float32
  // ulps of values ≤ 2^9), so rounding v decides every output except within 2^-11 of a tie; those
  // take OpenCV's float path. Uint8ClampedArray stores saturate (and round half to even, as cvRound).
  for (let x = 0; x < end; x++) {
    const v = (mul(S0[x]!, i0) + mul(S1[x]!, i1) + mul(S2[x]!, i2) + mul(S3[x]!, i3)) | 0;
    const d = (v & 0x3fffff) - 0x200000;
    let r = (v + 0x200000) >> 22;
    if (d > -TIE && d < TIE) r = roundEvenSmall(f(f(S0[x]! * b0) + f(f(S1[x]! * b1) + f(f(S2[x]! * b2) + f(S3[x]! * b3)))));
    out[o + x] = r < 0 ? 0 : r > 255 ? 255 : r;
  }
}

/** Bicubic resize of packed 8-bit pixels with `channels` per pixel; returns `dw × dh × channels` bytes. */
export function resizeCubicCv(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, channels = 3): Uint8Array {
  const cn = channels;
  if (src.length < sw * sh * cn) throw new RangeError(`expected ${sw * sh * cn} bytes for ${sw}×${sh}×${cn}, got ${src.length}`);
  // cv::resize copies when the size does not change.
  if (sw === dw && sh === dh) return Uint8Array.prototype.slice.call(src, 0, sw * sh * cn);
  const rowLen = dw * cn;
  const xs = cachedTaps(sw, dw);
  const ys = cachedTaps(sh, dh);
  // Horizontal results per source row, in a ring of the 4 rows the current output row needs:
  // source rows only move forward as output rows do. Document pages are mostly blank: a row of one
  // byte value u everywhere has the horizontal result u × (sum of the pixel's weights), shared.
  const ring = Array.from({ length: 4 }, () => ({ sy: -1, u: -1, own: new Int32Array(rowLen), row: new Int32Array(0) }));
  const flat = new Map<number, Int32Array<ArrayBuffer>>();
  const refs = new Map<number, Buffer>();
  const srcBuf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
  const flatRow = (u: number) => {
    let r = flat.get(u);
    if (!r) {
      r = new Int32Array(rowLen);
      for (let dx = 0; dx < dw; dx++) {
        const t = dx * 4;
        const v = u * (xs.w[t]! + xs.w[t + 1]! + xs.w[t + 2]! + xs.w[t + 3]!);
        for (let c = 0; c < cn; c++) r[dx * cn + c] = v;
      }
      flat.set(u, r);
    }
    return r;
  };
  const hrow = (sy: number) => {
    const slot = ring[sy & 3]!;
    if (slot.sy !== sy) {
      const base = sy * sw * cn;
      slot.u = uniformByte(srcBuf, base, sw * cn, refs);
      if (slot.u >= 0) slot.row = flatRow(slot.u);
      else {
        hpass(src, base, sw, dw, cn, xs, slot.own);
        slot.row = slot.own;
      }
      slot.sy = sy;
    }
    return slot;
  };
  // Output rows made of four flat source rows depend only on (u, vertical weights): computed once.
  const flatOut = new Map<string, Uint8Array>();
  const out = new Uint8Array(dh * rowLen);
  const simdEnd = rowLen >= VLANES ? rowLen - (rowLen % VLANES) : 0;
  const s22 = 1 / (COEF_SCALE * COEF_SCALE);
  for (let dy = 0; dy < dh; dy++) {
    const y0 = ys.start[dy]!;
    // Four consecutive (clamped) source rows never share a ring slot, so all four stay valid.
    const r0 = hrow(clamp(y0, sh - 1));
    const r1 = hrow(clamp(y0 + 1, sh - 1));
    const r2 = hrow(clamp(y0 + 2, sh - 1));
    const r3 = hrow(clamp(y0 + 3, sh - 1));
    const t = dy * 4;
    const i0 = ys.w[t]!,
      i1 = ys.w[t + 1]!,
      i2 = ys.w[t + 2]!,
      i3 = ys.w[t + 3]!;
    const o = dy * rowLen;
    const key = r0.u >= 0 && r0.u === r1.u && r0.u === r2.u && r0.u === r3.u ? `${r0.u}:${i0}:${i1}:${i2}:${i3}` : '';
    const done = key ? flatOut.get(key) : undefined;
    if (done) {
      out.set(done, o);
      continue;
    }
    const S0 = r0.row,
      S1 = r1.row,
      S2 = r2.row,
      S3 = r3.row;
    const b0 = f(i0 * s22),
      b1 = f(i1 * s22),
      b2 = f(i2 * s22),
      b3 = f(i3 * s22);
    vpass(out, o, simdEnd, S0, S1, S2, S3, i0, i1, i2, i3, b0, b1, b2, b3);
    for (let x = simdEnd; x < rowLen; x++) {
      const v = S0[x]! * i0 + S1[x]! * i1 + S2[x]! * i2 + S3[x]! * i3;
      out[o + x] = clamp(Math.floor((v + (1 << 21)) / (1 << 22)), 255);
    }
    if (key) flatOut.set(key, out.slice(o, o + rowLen));
  }
  return out;
}
