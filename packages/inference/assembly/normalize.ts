// PaddleX 3.x `Normalize` + `Permute` (HWC uint8 RGB → CHW float32) with 128-bit SIMD; the
// arithmetic is documented, and checked bit for bit, in src/paddlex/preprocess.ts.

/**
 * `n` pixels of 3 bytes at `src` (16 readable bytes past the end) → three planes of `n` f32 at
 * `dst`: plane c holds `x·α_c + β_c`, one float32 rounding after the product and one after the sum.
 */
export function normalizeChw(src: usize, n: i32, dst: usize, a0: f32, a1: f32, a2: f32, b0: f32, b1: f32, b2: f32): void {
  const plane = (<usize>n) << 2;
  const A0 = f32x4.splat(a0),
    A1 = f32x4.splat(a1),
    A2 = f32x4.splat(a2);
  const B0 = f32x4.splat(b0),
    B1 = f32x4.splat(b1),
    B2 = f32x4.splat(b2);
  const zero = i8x16.splat(0);
  const end = n & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    // Four pixels: channel c of each into the low byte of an i32 lane.
    const v = v128.load(src + <usize>(i * 3));
    const r = i8x16.shuffle(v, zero, 0, 16, 16, 16, 3, 16, 16, 16, 6, 16, 16, 16, 9, 16, 16, 16);
    const g = i8x16.shuffle(v, zero, 1, 16, 16, 16, 4, 16, 16, 16, 7, 16, 16, 16, 10, 16, 16, 16);
    const b = i8x16.shuffle(v, zero, 2, 16, 16, 16, 5, 16, 16, 16, 8, 16, 16, 16, 11, 16, 16, 16);
    const o = dst + ((<usize>i) << 2);
    v128.store(o, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(r), A0), B0));
    v128.store(o + plane, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(g), A1), B1));
    v128.store(o + 2 * plane, f32x4.add(f32x4.mul(f32x4.convert_i32x4_u(b), A2), B2));
  }
  for (; i < n; i++) {
    const p = src + <usize>(i * 3);
    const o = dst + ((<usize>i) << 2);
    store<f32>(o, <f32>load<u8>(p) * a0 + b0);
    store<f32>(o + plane, <f32>load<u8>(p, 1) * a1 + b1);
    store<f32>(o + 2 * plane, <f32>load<u8>(p, 2) * a2 + b2);
  }
}
