// AssemblyScript (compiled by `npm run build:wasm` into src/paddlex/cv-resize.wasm.ts): the inner
// loops of OpenCV's 8-bit INTER_CUBIC resize with 128-bit SIMD. The weight tables, the exact
// float32 arithmetic that makes them and the memory layout come from src/paddlex/cv-resize.ts,
// which documents what is being reproduced; this file only has to be fast and do the same sums.

function clampi(v: i32, hi: i32): i32 {
  return v < 0 ? 0 : v > hi ? hi : v;
}

/** Destination pixels [from, to) of one row, any channel count, taps clamped to the row (edges replicated). */
function hedge(src: usize, sw: i32, from: i32, to: i32, cn: i32, xstart: usize, xw: usize, r: usize): void {
  for (let dx = from; dx < to; dx++) {
    const sx = load<i32>(xstart + ((<usize>dx) << 2));
    const t = xw + ((<usize>dx) << 4);
    const w0 = load<i32>(t),
      w1 = load<i32>(t, 4),
      w2 = load<i32>(t, 8),
      w3 = load<i32>(t, 12);
    const p0 = src + <usize>(clampi(sx, sw - 1) * cn);
    const p1 = src + <usize>(clampi(sx + 1, sw - 1) * cn);
    const p2 = src + <usize>(clampi(sx + 2, sw - 1) * cn);
    const p3 = src + <usize>(clampi(sx + 3, sw - 1) * cn);
    for (let c = 0; c < cn; c++) {
      const o = <usize>c;
      const v = <i32>load<u8>(p0 + o) * w0 + <i32>load<u8>(p1 + o) * w1 + <i32>load<u8>(p2 + o) * w2 + <i32>load<u8>(p3 + o) * w3;
      store<i32>(r + ((<usize>(dx * cn + c)) << 2), v);
    }
  }
}

/**
 * Horizontal pass of one source row into `r` (one i32 per destination sample). Interior pixels of
 * 3-channel rows: one 16-byte load holds the four neighbours; shuffles pair taps (0,1) and (2,3)
 * per channel as i16 and `dot` multiplies them by the weight pairs, so each pixel costs a few
 * instructions. The store writes a fourth lane into the next pixel, which is written after it
 * (the row has 4 spare samples for the last one). Integer sums: exact in any order.
 */
function hrow(src: usize, sw: i32, dw: i32, cn: i32, xstart: usize, xw: usize, xvec: usize, lo: i32, hi: i32, r: usize): void {
  hedge(src, sw, 0, lo, cn, xstart, xw, r);
  if (cn == 3) {
    for (let dx = lo; dx < hi; dx++) {
      const v = v128.load(src + <usize>(load<i32>(xstart + ((<usize>dx) << 2)) * 3));
      // One single-input shuffle (pshufb) pairs the taps per channel; widening to i16 splits it in
      // two. Lanes 6-7 of each half hold a neighbour's byte: their weights are 0.
      const p = i8x16.shuffle(v, v, 0, 3, 1, 4, 2, 5, 2, 5, 6, 9, 7, 10, 8, 11, 8, 11);
      const a = i16x8.extend_low_i8x16_u(p);
      const b = i16x8.extend_high_i8x16_u(p);
      const wv = xvec + ((<usize>dx) << 5);
      v128.store(r + <usize>(dx * 12), i32x4.add(i32x4.dot_i16x8_s(a, v128.load(wv)), i32x4.dot_i16x8_s(b, v128.load(wv, 16))));
    }
  } else hedge(src, sw, lo, hi, cn, xstart, xw, r);
  hedge(src, sw, hi, dw, cn, xstart, xw, r);
}

/** 1.5·2²³: adding it to a float32 of magnitude < 2²² leaves that value rounded half to even in the low mantissa bits. */
const MAGIC: f32 = 12582912.0;

/**
 * Four output samples as OpenCV's SIMD vertical pass makes them: float32 `S0·b0 + (S1·b1 + (S2·b2 +
 * S3·b3))`, rounded half to even (`cvRound`). The rounding adds MAGIC and reads the integer from
 * the bits: two instructions, where `nearest` + `trunc_sat` need a rounding instruction and a
 * saturating conversion (several instructions on x64 without AVX-512). With the shuffle change in
 * `hrow` the whole resize went 2.9 → 2.1 ms (1224×1584 → 640×640). The sums here are within ±2¹⁰
 * (weights sum to one, samples ≤ 255 · 2048 scaled back), far inside the trick's range.
 */
function v4(s0: usize, s1: usize, s2: usize, s3: usize, b0: v128, b1: v128, b2: v128, b3: v128, magic: v128): v128 {
  const f0 = f32x4.mul(f32x4.convert_i32x4_s(v128.load(s0)), b0);
  const f1 = f32x4.mul(f32x4.convert_i32x4_s(v128.load(s1)), b1);
  const f2 = f32x4.mul(f32x4.convert_i32x4_s(v128.load(s2)), b2);
  const f3 = f32x4.mul(f32x4.convert_i32x4_s(v128.load(s3)), b3);
  return i32x4.sub(f32x4.add(f32x4.add(f0, f32x4.add(f1, f32x4.add(f2, f3))), magic), magic);
}

/** Vertical pass of one output row: the SIMD arithmetic for every full 8-lane chunk, OpenCV's fixed point for the rest. */
function vrow(out: usize, len: i32, s0: usize, s1: usize, s2: usize, s3: usize, i0: i32, i1: i32, i2: i32, i3: i32): void {
  const scale: f32 = 1.0 / (2048.0 * 2048.0);
  const b0 = f32x4.splat(<f32>i0 * scale),
    b1 = f32x4.splat(<f32>i1 * scale),
    b2 = f32x4.splat(<f32>i2 * scale),
    b3 = f32x4.splat(<f32>i3 * scale);
  const magic = f32x4.splat(MAGIC);
  const end16 = len - (len & 15);
  let x = 0;
  for (; x < end16; x += 16) {
    const o = (<usize>x) << 2;
    const q0 = v4(s0 + o, s1 + o, s2 + o, s3 + o, b0, b1, b2, b3, magic);
    const q1 = v4(s0 + o + 16, s1 + o + 16, s2 + o + 16, s3 + o + 16, b0, b1, b2, b3, magic);
    const q2 = v4(s0 + o + 32, s1 + o + 32, s2 + o + 32, s3 + o + 32, b0, b1, b2, b3, magic);
    const q3 = v4(s0 + o + 48, s1 + o + 48, s2 + o + 48, s3 + o + 48, b0, b1, b2, b3, magic);
    v128.store(out + <usize>x, i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3)));
  }
  const end = len - (len & 7);
  for (; x < end; x += 8) {
    const o = (<usize>x) << 2;
    const lo = v4(s0 + o, s1 + o, s2 + o, s3 + o, b0, b1, b2, b3, magic);
    const hi = v4(s0 + o + 16, s1 + o + 16, s2 + o + 16, s3 + o + 16, b0, b1, b2, b3, magic);
    const w = i16x8.narrow_i32x4_s(lo, hi);
    v128.store64_lane(out + <usize>x, i8x16.narrow_i16x8_u(w, w), 0);
  }
  for (; x < len; x++) {
    const o = (<usize>x) << 2;
    const v = load<i32>(s0 + o) * i0 + load<i32>(s1 + o) * i1 + load<i32>(s2 + o) * i2 + load<i32>(s3 + o) * i3;
    store<u8>(out + <usize>x, <u8>clampi((v + (1 << 21)) >> 22, 255));
  }
}

/**
 * The whole resize of `src` (sw × sh × cn bytes, 16 readable bytes past the end) into `out`.
 * Tables: xstart/ystart one i32 per destination index (first tap), xw/yw four i32 weights each,
 * xvec two i16x8 weight-pair vectors per destination column; [lo, hi) the columns whose taps are
 * all inside the row; ring four rows of (dw·cn + 4) i32 holding horizontal results of the source
 * rows the current output row needs (source rows only move forward).
 */
export function resize(
  src: usize,
  sw: i32,
  sh: i32,
  dw: i32,
  dh: i32,
  cn: i32,
  xstart: usize,
  xw: usize,
  xvec: usize,
  lo: i32,
  hi: i32,
  ystart: usize,
  yw: usize,
  ring: usize,
  out: usize,
): void {
  const rowLen = dw * cn;
  const slot = (<usize>(rowLen + 4)) << 2;
  const rowBytes = sw * cn;
  let held0 = -1,
    held1 = -1,
    held2 = -1,
    held3 = -1;
  for (let dy = 0; dy < dh; dy++) {
    const y = load<i32>(ystart + ((<usize>dy) << 2));
    // Four consecutive (clamped) source rows never need the same slot for different rows.
    for (let k = 0; k < 4; k++) {
      const sy = clampi(y + k, sh - 1);
      const s = sy & 3;
      const held = s == 0 ? held0 : s == 1 ? held1 : s == 2 ? held2 : held3;
      if (held != sy) {
        hrow(src + <usize>(sy * rowBytes), sw, dw, cn, xstart, xw, xvec, lo, hi, ring + <usize>s * slot);
        if (s == 0) held0 = sy;
        else if (s == 1) held1 = sy;
        else if (s == 2) held2 = sy;
        else held3 = sy;
      }
    }
    const t = yw + ((<usize>dy) << 4);
    vrow(
      out + <usize>(dy * rowLen),
      rowLen,
      ring + <usize>(clampi(y, sh - 1) & 3) * slot,
      ring + <usize>(clampi(y + 1, sh - 1) & 3) * slot,
      ring + <usize>(clampi(y + 2, sh - 1) & 3) * slot,
      ring + <usize>(clampi(y + 3, sh - 1) & 3) * slot,
      load<i32>(t),
      load<i32>(t, 4),
      load<i32>(t, 8),
      load<i32>(t, 12),
    );
  }
}
