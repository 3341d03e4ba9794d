import { describe, expect, it } from 'vitest';
import { segmentPage } from '../src/analyzer-engine.js';
import { findGutter, gutterInk, splitAtGutter } from '../src/gutters.js';

type Box = [number, number, number, number];
const W = 800;
const H = 1000;

/** A white page and a pen for lines of "words": dark runs in the glyph band with word gaps between them. */
function page() {
  const gray = new Uint8Array(W * H).fill(255);
  const boxes: Box[] = [];
  // Deterministic word lengths, so the word gaps fall at different x on every line.
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const ink = (x1: number, x2: number, y: number) => {
    for (let yy = y + 5; yy < y + 15; yy++) for (let x = Math.round(x1); x < Math.round(x2); x++) gray[yy * W + x] = 20;
  };
  /** Words from x1 to x2 on the row at y (a 20 px detector box: ink in its middle), 4 px word gaps. */
  const words = (x1: number, x2: number, y: number) => {
    for (let x = x1; x < x2;) {
      const end = Math.min(x2, x + 15 + Math.floor(rand() * 40));
      ink(x, end, y);
      x = end + 4;
    }
  };
  const line = (x1: number, x2: number, y: number, box: Box = [x1 - 4, y, x2 + 4, y + 20]) => {
    words(x1, x2, y);
    boxes.push(box);
  };
  return { gray, boxes, line, words };
}

/** Two columns (60-380 and 420-740, a 40 px gutter = 4 em) of 30 lines, the detector having joined `joined` of them across the gutter. */
function twoColumns(joined: number[]) {
  const p = page();
  // A title across both columns, its word gaps narrower than the gutter.
  p.line(100, 700, 20);
  for (let i = 0; i < 30; i++) {
    const y = 80 + i * 24;
    if (joined.includes(i)) {
      p.words(60, 380, y);
      p.words(420, 740, y);
      p.boxes.push([56, y, 744, y + 20]);
    } else {
      p.line(60, 380, y);
      p.line(420, 740, y);
    }
  }
  return p;
}

describe('column gutters', () => {
  it('finds the gutter of a two-column page from the ink, even where the detector joined lines across it', () => {
    const p = twoColumns([3, 4, 5, 10, 11, 20]);
    const g = findGutter(p.boxes, gutterInk(p.gray, W));
    expect(g).toBeGreaterThanOrEqual(380);
    expect(g).toBeLessThanOrEqual(420);
  });

  it('finds none on a page of one column', () => {
    const p = page();
    for (let i = 0; i < 35; i++) p.line(60, 740, 40 + i * 24);
    expect(findGutter(p.boxes, gutterInk(p.gray, W))).toBeUndefined();
  });

  it('finds none in a white stripe between the halves of displayed formulas on a page of one column', () => {
    // Twenty display lines "a + b  =  c + d" with their white at the same x (the detector cuts each
    // in two short pieces), a few lines of running text across the page: little ink at the stripe,
    // much beside it, but no column edges (no long line ends or starts there).
    const p = page();
    for (let i = 0; i < 3; i++) p.line(60, 740, 20 + i * 24);
    for (let i = 0; i < 20; i++) {
      const y = 120 + i * 30;
      p.line(270, 380, y);
      p.line(420, 530, y);
    }
    expect(findGutter(p.boxes, gutterInk(p.gray, W))).toBeUndefined();
  });

  it('splits the joined lines at the white between the columns and keeps the title and the others', () => {
    const joined = [3, 4, 5, 10, 11, 20];
    const p = twoColumns(joined);
    const g = findGutter(p.boxes, gutterInk(p.gray, W))!;
    const lines = p.boxes.map((box) => ({ box, score: 0.9 }));
    const out = splitAtGutter(lines, gutterInk(p.gray, W), g);
    expect(out).toHaveLength(lines.length + joined.length);
    // The title keeps its span: its ink runs on over the gutter.
    expect(out.filter((l) => l.box[0] < 380 && l.box[2] > 420).map((l) => l.box)).toEqual([[96, 20, 704, 40]]);
    for (const i of joined) {
      const y = 80 + i * 24;
      const parts = out.filter((l) => l.box[1] === y).map((l) => l.box);
      expect(parts).toHaveLength(2);
      const [left, right] = parts.sort((a, b) => a[0] - b[0]);
      expect(left![0]).toBe(56);
      expect(left![2]).toBeGreaterThanOrEqual(380);
      expect(left![2]).toBeLessThan(400);
      expect(right![0]).toBeGreaterThan(400);
      expect(right![0]).toBeLessThanOrEqual(420);
      expect(right![2]).toBe(744);
    }
    // Lines that do not run over the gutter are the same objects.
    expect(out.filter((l) => lines.includes(l))).toHaveLength(lines.length - joined.length);
  });

  it('keeps a line whose white at the gutter is a word gap, or that only reaches over it with its padding', () => {
    const p = twoColumns([]);
    const g = findGutter(p.boxes, gutterInk(p.gray, W))!;
    // A word gap of 6 px at the gutter (less than the 10 px em).
    p.words(60, g - 3, 900);
    p.words(g + 3, 740, 900);
    const lines = [
      { box: [56, 900, 744, 920] as Box, score: 1 },
      // Ink only left of the gutter, the box reaching over it.
      { box: [56, 80, g + 10, 100] as Box, score: 1 },
    ];
    expect(splitAtGutter(lines, gutterInk(p.gray, W), g)).toEqual(lines);
  });

  it('keeps the two columns apart in the analyzer rows of a page image', () => {
    const joined = [3, 4, 5, 10, 11, 20];
    const p = twoColumns(joined);
    const data = new Uint8Array(W * H * 3);
    for (let i = 0; i < W * H; i++) data[3 * i] = data[3 * i + 1] = data[3 * i + 2] = p.gray[i]!;
    const seg = segmentPage(
      { width: W, height: H, data: Buffer.from(data) } as never,
      p.boxes.map((box) => ({ box, score: 0.9 })),
    );
    const across = seg.rows.filter((r) => r.box[0] < 380 && r.box[2] > 420);
    expect(across.map((r) => r.box[1])).toEqual([20]);
  });
});
