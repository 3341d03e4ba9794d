import { afterAll, describe, expect, it } from 'vitest';
import { resizeCubicCv } from '../src/paddlex/cv-resize.js';
import { ResizePool } from '../src/paddlex/resize-pool.js';

const page = (w: number, h: number, seed: number) => {
  const px = new Uint8Array(w * h * 3).fill(255);
  for (let i = 0; i < px.length; i += 7) px[i] = (i * seed) & 255;
  return px;
};

describe('ResizePool', () => {
  const pool = new ResizePool(2);
  afterAll(() => pool.close());

  it('gives the same pixels as resizeCubicCv for pages of several sizes resized concurrently', async () => {
    const pages = [
      [1224, 1584],
      [612, 792],
      [640, 640],
      [300, 2000],
      [1224, 1584],
    ].map(([w, h], k) => ({ w: w!, h: h!, px: page(w!, h!, k + 3) }));
    const got = await Promise.all(pages.map((p) => pool.resize(p.px, p.w, p.h, 640, 640)));
    pages.forEach((p, k) => expect(Buffer.compare(Buffer.from(got[k]!), Buffer.from(resizeCubicCv(p.px, p.w, p.h, 640, 640)))).toBe(0));
    // The caller's page is untouched (the thread gets a copy).
    expect(Buffer.from(pages[0]!.px).equals(Buffer.from(page(1224, 1584, 3)))).toBe(true);
  });

  it('reuses a recycled result buffer for a later page, only once, and never one it did not lend', async () => {
    const solo = new ResizePool(1);
    try {
      const a = page(1224, 1584, 7);
      const b = page(1224, 1584, 9);
      const first = await solo.resize(a, 1224, 1584, 640, 640);
      expect(first.buffer).toBeInstanceOf(SharedArrayBuffer);
      const firstPixels = Buffer.from(first);
      // Not recycled: the next page gets a buffer of its own, the first result stays as it was.
      const second = await solo.resize(b, 1224, 1584, 640, 640);
      expect(second.buffer).not.toBe(first.buffer);
      expect(Buffer.from(first).equals(firstPixels)).toBe(true);
      // Recycled (twice: the second is ignored): exactly one later page lands in it, with the right pixels.
      solo.recycle(first);
      solo.recycle(first);
      const [third, fourth] = await Promise.all([solo.resize(b, 1224, 1584, 640, 640), solo.resize(a, 1224, 1584, 640, 640)]);
      expect([third.buffer === first.buffer, fourth.buffer === first.buffer].filter(Boolean)).toHaveLength(1);
      expect(Buffer.from(third).equals(Buffer.from(resizeCubicCv(b, 1224, 1584, 640, 640)))).toBe(true);
      expect(Buffer.from(fourth).equals(firstPixels)).toBe(true);
      // Arrays the pool did not lend are left alone.
      const own = new Uint8Array(new SharedArrayBuffer(640 * 640 * 3));
      solo.recycle(own);
      expect((await solo.resize(a, 1224, 1584, 640, 640)).buffer).not.toBe(own.buffer);
    } finally {
      await solo.close();
    }
  });

  it('rejects a bad task without losing the thread, and rejects after close', async () => {
    await expect(pool.resize(new Uint8Array(10), 100, 100, 640, 640)).rejects.toThrow(/expected 30000 bytes/);
    expect((await pool.resize(page(20, 20, 1), 20, 20, 10, 10)).length).toBe(300);
    const other = new ResizePool(1);
    await other.close();
    await expect(other.resize(page(20, 20, 1), 20, 20, 10, 10)).rejects.toThrow(/closed/);
  });

  it('replaces a thread that dies: its page fails, the next pages are resized', async () => {
    const solo = new ResizePool(1);
    try {
      const big = page(1224, 1584, 5);
      const pending = solo.resize(big, 1224, 1584, 640, 640);
      await (solo as unknown as { workers: Array<{ w: { terminate(): Promise<number> } }> }).workers[0]!.w.terminate();
      await expect(pending).rejects.toThrow(/exited/);
      const again = await solo.resize(big, 1224, 1584, 640, 640);
      expect(Buffer.from(again).equals(Buffer.from(resizeCubicCv(big, 1224, 1584, 640, 640)))).toBe(true);
    } finally {
      await solo.close();
    }
  });
});
