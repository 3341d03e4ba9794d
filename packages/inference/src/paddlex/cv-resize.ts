/**
 * OpenCV's `cv2.resize(img, (w, h), interpolation=cv2.INTER_CUBIC)` for 8-bit images, ported so
 * Roche feeds PP-DocLayout the same pixels PaddleX does (its `Resize` op with `interp: 2`). sharp's
 * cubic kernel is not the same filter (libvips widens the kernel when shrinking, which antialiases;
 * OpenCV uses a fixed 4×4 Keys kernel with a = -0.75 and 11-bit fixed-point weights), so the
 * resize is done here and sharp only decodes and encodes.
 *
 * Follows modules/imgproc/src/resize.cpp (OpenCV 4.x, generic path): source coordinate
 * `(d + 0.5)·scale - 0.5` computed in float; weights rounded to 1/2048; edge pixels replicated;
 * horizontal pass in integers; vertical pass as the SIMD kernel does it for all full 8-lane
 * chunks (float32 `S0·b0 + (S1·b1 + (S2·b2 + S3·b3))`, round half to even) and in fixed point for
 * the remainder. Checked bit for bit against Debian's OpenCV 4.6 (see the fixture test); builds
 * using Intel IPP for resize are not covered.
 */

const f = Math.fround;
const COEF_SCALE = 2048;
/** 128-bit SIMD: 8 int16 lanes per step of the vertical pass. */
const VLANES = 8;

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

/** Per destination index: first source index (may be out of range) and the four fixed-point weights. */
function taps(src: number, dst: number): { start: Int32Array; w: Int16Array } {
  const scale = 1 / (dst / src);
  const start = new Int32Array(dst);
  const w = new Int16Array(dst * 4);
  for (let d = 0; d < dst; d++) {
    let fx = f((d + 0.5) * scale - 0.5);
    const sx = Math.floor(fx);
    fx = f(fx - sx);
    start[d] = sx - 1;
    const c = cubicWeights(fx);
    for (let k = 0; k < 4; k++) w[d * 4 + k] = roundEven(f(c[k]! * COEF_SCALE));
  }
  return { start, w };
}

const clamp = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);

/** Bicubic resize of packed 8-bit pixels with `channels` per pixel; returns `dw × dh × channels` bytes. */
export function resizeCubicCv(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, channels = 3): Uint8Array {
  const cn = channels;
  const rowLen = dw * cn;
  const xs = taps(sw, dw);
  const ys = taps(sh, dh);
  // Per destination pixel: byte offsets of its four source pixels in a row (edges replicated).
  const cols = new Int32Array(dw * 4);
  for (let dx = 0; dx < dw; dx++) for (let k = 0; k < 4; k++) cols[dx * 4 + k] = clamp(xs.start[dx]! + k, sw - 1) * cn;
  const alpha = Int32Array.from(xs.w);
  // Horizontal pass (integers, exact in any order) per source row, kept in a ring of the 4 rows
  // the current output row needs: source rows only move forward as output rows do.
  const ring = Array.from({ length: 4 }, () => ({ sy: -1, row: new Int32Array(rowLen) }));
  const hrow = (sy: number): Int32Array => {
    const slot = ring[sy & 3]!;
    if (slot.sy === sy) return slot.row;
    const r = slot.row;
    const base = sy * sw * cn;
    for (let dx = 0, o = 0; dx < dw; dx++) {
      const t = dx * 4;
      const a0 = alpha[t]!,
        a1 = alpha[t + 1]!,
        a2 = alpha[t + 2]!,
        a3 = alpha[t + 3]!;
      const p0 = base + cols[t]!,
        p1 = base + cols[t + 1]!,
        p2 = base + cols[t + 2]!,
        p3 = base + cols[t + 3]!;
      for (let c = 0; c < cn; c++, o++) r[o] = src[p0 + c]! * a0 + src[p1 + c]! * a1 + src[p2 + c]! * a2 + src[p3 + c]! * a3;
    }
    slot.sy = sy;
    return r;
  };
  const out = new Uint8Array(dh * rowLen);
  const simdEnd = rowLen >= VLANES ? rowLen - (rowLen % VLANES) : 0;
  const s22 = 1 / (COEF_SCALE * COEF_SCALE);
  for (let dy = 0; dy < dh; dy++) {
    const y0 = ys.start[dy]!;
    // Four consecutive (clamped) source rows never share a ring slot, so all four stay valid.
    const S0 = hrow(clamp(y0, sh - 1));
    const S1 = hrow(clamp(y0 + 1, sh - 1));
    const S2 = hrow(clamp(y0 + 2, sh - 1));
    const S3 = hrow(clamp(y0 + 3, sh - 1));
    const t = dy * 4;
    const i0 = ys.w[t]!,
      i1 = ys.w[t + 1]!,
      i2 = ys.w[t + 2]!,
      i3 = ys.w[t + 3]!;
    const b0 = f(i0 * s22),
      b1 = f(i1 * s22),
      b2 = f(i2 * s22),
      b3 = f(i3 * s22);
    const o = dy * rowLen;
    for (let x = 0; x < simdEnd; x++) {
      const v = f(f(S0[x]! * b0) + f(f(S1[x]! * b1) + f(f(S2[x]! * b2) + f(S3[x]! * b3))));
      const r = roundEven(v);
      out[o + x] = r < 0 ? 0 : r > 255 ? 255 : r;
    }
    for (let x = simdEnd; x < rowLen; x++) {
      const v = S0[x]! * i0 + S1[x]! * i1 + S2[x]! * i2 + S3[x]! * i3;
      out[o + x] = clamp(Math.floor((v + (1 << 21)) / (1 << 22)), 255);
    }
  }
  return out;
}
