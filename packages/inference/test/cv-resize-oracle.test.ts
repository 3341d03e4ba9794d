import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { resizeCubicCv } from '../src/paddlex/cv-resize.js';

/**
 * Bit-for-bit check of the INTER_CUBIC port against a real OpenCV (Debian's python3-opencv, which
 * scripts/setup-test.sh installs before `npm test`; without it these tests fail rather than skip).
 * Random pages and sizes that exercise up- and down-scaling, odd sizes, the fixed-point tail of the
 * vertical pass, a 144-dpi letter page, one axis unchanged, the same size (a copy), and a page with
 * large flat areas and sharp edges like a scanned document (cubic overshoot, rounding ties), grey
 * and RGBA pixels, and a page too big for the kernel's kept memory (it gets an instance of its own).
 */
const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0);

const SCRIPT = `
import sys, numpy as np, cv2
w, h, dw, dh, seed, kind, cn = map(int, sys.argv[1:])
rng = np.random.default_rng(seed)
img = rng.integers(0, 256, (h, w, cn) if cn > 1 else (h, w), dtype=np.uint8)
if kind == 1:
    # White page with black and grey strokes: flat areas, hard edges.
    img[:] = 255
    for _ in range(400):
        y, x = rng.integers(0, h - 8), rng.integers(0, w - 40)
        img[y:y + rng.integers(1, 8), x:x + rng.integers(2, 40)] = rng.integers(0, 200)
sys.stdout.buffer.write(img.tobytes() + cv2.resize(img, (dw, dh), interpolation=cv2.INTER_CUBIC).tobytes())
`;

describe('cv2.resize INTER_CUBIC port against OpenCV (python3-opencv)', () => {
  it.each([
    [850, 1100, 640, 640, 0, 3],
    [1275, 1650, 800, 800, 0, 3],
    [301, 203, 480, 480, 0, 3],
    [13, 9, 31, 17, 0, 3],
    [7, 5, 3, 2, 0, 3],
    [1224, 1584, 640, 640, 0, 3],
    [640, 1584, 640, 640, 0, 3],
    [1224, 640, 640, 640, 0, 3],
    [640, 640, 640, 640, 0, 3],
    [1224, 1584, 640, 640, 1, 3],
    [900, 700, 1000, 1000, 1, 3],
    [1224, 1584, 640, 640, 1, 1],
    [301, 203, 480, 480, 0, 4],
    [4800, 4700, 640, 640, 0, 3],
  ])('%i×%i → %i×%i is identical (page kind %i, %i channels)', (w, h, dw, dh, kind, cn) => {
    expect(PY, 'python3 with cv2 is missing: run `bash scripts/setup-test.sh`').toBeDefined();
    const args = [w, h, dw, dh, w * h + kind, kind, cn].map(String);
    const r = spawnSync(PY!, ['-c', SCRIPT, ...args], { maxBuffer: 256 << 20 });
    expect(r.status, r.stderr?.toString()).toBe(0);
    const src = r.stdout.subarray(0, w * h * cn);
    const want = r.stdout.subarray(w * h * cn);
    const got = resizeCubicCv(src, w, h, dw, dh, cn);
    let differ = 0;
    for (let i = 0; i < want.length; i++) if (got[i] !== want[i]) differ++;
    expect(got.length).toBe(want.length);
    expect(differ).toBe(0);
  });
});
