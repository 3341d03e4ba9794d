import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resizeCubicCv } from '../src/paddlex/cv-resize.js';

/**
 * Bit-for-bit check of the INTER_CUBIC port against a real OpenCV, when a Python with cv2 is on
 * the machine (e.g. Debian's python3-opencv); CI machines without it skip. Random pages and sizes
 * that exercise up- and down-scaling, odd sizes, and the fixed-point tail of the vertical pass.
 */
const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0);

const SCRIPT = `
import sys, numpy as np, cv2
w, h, dw, dh, seed = map(int, sys.argv[1:])
img = np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)
sys.stdout.buffer.write(img.tobytes() + cv2.resize(img, (dw, dh), interpolation=cv2.INTER_CUBIC).tobytes())
`;

describe.skipIf(!PY)('cv2.resize INTER_CUBIC port against OpenCV (needs python3 with cv2)', () => {
  it.each([
    [850, 1100, 640, 640],
    [1275, 1650, 800, 800],
    [301, 203, 480, 480],
    [13, 9, 31, 17],
    [7, 5, 3, 2],
  ])('%i×%i → %i×%i is identical', (w, h, dw, dh) => {
    const r = spawnSync(PY!, ['-c', SCRIPT, String(w), String(h), String(dw), String(dh), String(w * h)], { maxBuffer: 64 << 20 });
    expect(r.status, r.stderr?.toString()).toBe(0);
    const src = r.stdout.subarray(0, w * h * 3);
    const want = r.stdout.subarray(w * h * 3);
    const got = resizeCubicCv(src, w, h, dw, dh, 3);
    let differ = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differ++;
    expect(got.length).toBe(want.length);
    expect(differ).toBe(0);
  });
});
