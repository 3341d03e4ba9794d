import { describe, expect, it } from 'vitest';
import { assembleRegions, shrinkUnclipped } from '../src/analyzer-engine.js';
import type { PageRow } from '../src/features.js';
import { inkDensity, strokeWidth } from '../src/ink.js';
import { captionCut, findGraphics, looksTabular, mergeNear, mergeStackedPanels, tablesFromRules, textRemnant } from '../src/graphics.js';
import { mergeRows, splitParagraphs } from '../src/paragraphs.js';

type Box = [number, number, number, number];
const row = (x1: number, y: number, x2: number, h = 20): { box: Box; score: number } => ({ box: [x1, y, x2, y + h], score: 0.9 });

describe('paragraphs from row edges', () => {
  it('starts a new paragraph at a first-line indent', () => {
    // em = 10 px for 20 px rows; indent of 20 px = 2 em.
    const rows = [row(120, 0, 500), row(100, 16, 500), row(100, 32, 420), row(120, 48, 500), row(100, 64, 500)];
    const ps = splitParagraphs(rows);
    expect(ps.map((p) => p.rows.length)).toEqual([3, 2]);
    expect(ps.every((p) => !p.list)).toBe(true);
  });

  it('starts a new paragraph after a short last line in justified text', () => {
    const rows = [row(100, 0, 500), row(100, 16, 500), row(100, 32, 300), row(100, 48, 500), row(100, 64, 500)];
    expect(splitParagraphs(rows).map((p) => p.rows.length)).toEqual([3, 2]);
  });

  it('keeps ragged-right text together (short lines are not paragraph ends there)', () => {
    const rows = [row(100, 0, 480), row(100, 16, 390), row(100, 32, 450), row(100, 48, 360), row(100, 64, 470)];
    expect(splitParagraphs(rows)).toHaveLength(1);
  });

  it('recognises a hanging-indent list', () => {
    const rows = [row(100, 0, 500), row(125, 16, 500), row(100, 32, 500), row(125, 48, 480), row(125, 64, 400)];
    const [p, ...rest] = splitParagraphs(rows);
    expect(rest).toHaveLength(0);
    expect(p!.list).toBe(true);
  });

  it('finds a list inside a block: a paragraph, then hanging-indent items, then a paragraph', () => {
    const rows = [
      row(120, 0, 500),
      row(100, 16, 500),
      row(100, 32, 300), // paragraph ending short
      row(100, 48, 500),
      row(125, 64, 500),
      row(125, 80, 480), // item 1
      row(100, 96, 500),
      row(125, 112, 400), // item 2
      row(120, 128, 500),
      row(100, 144, 500), // paragraph with first-line indent
    ];
    const ps = splitParagraphs(rows);
    expect(ps.map((p) => [p.rows.length, p.list])).toEqual([
      [3, false],
      [5, true],
      [2, false],
    ]);
  });

  it('merges detector pieces of one text row', () => {
    const merged = mergeRows([
      { box: [100, 0, 200, 20], score: 0.8 },
      { box: [210, 1, 400, 21], score: 1 },
      { box: [100, 30, 400, 50], score: 0.9 },
    ]);
    expect(merged.map((r) => r.box)).toEqual([
      [100, 0, 400, 21],
      [100, 30, 400, 50],
    ]);
    expect(merged[0]!.score).toBeCloseTo(0.9);
  });
});

describe('tables and figures from ink', () => {
  it('finds a table between two rules only when the text inside is laid out in cells', () => {
    const rules: Box[] = [
      [50, 100, 550, 102],
      [50, 300, 550, 302],
    ];
    const cells: Box[] = [0, 1, 2, 3].flatMap(
      (r) =>
        [
          [60, 120 + r * 40, 150, 140 + r * 40],
          [250, 120 + r * 40, 330, 140 + r * 40],
          [450, 120 + r * 40, 540, 140 + r * 40],
        ] as Box[],
    );
    expect(looksTabular([50, 100, 550, 302], cells)).toBe(true);
    expect(tablesFromRules(rules, cells, 800)).toEqual([[50, 100, 550, 302]]);
    const prose: Box[] = [0, 1, 2, 3].map((r) => [60, 120 + r * 40, 540, 140 + r * 40] as Box);
    expect(tablesFromRules(rules, prose, 800)).toEqual([]);
  });

  it('reads touching detector pieces as cells, and tells a dense ruled grid from a drawing by the text in its cells', () => {
    // Six rows of three cells a vertical rule apart: the padded detector boxes touch.
    const cells: Box[] = [0, 1, 2, 3, 4, 5].flatMap(
      (r) =>
        [
          [60, 110 + r * 30, 200, 130 + r * 30],
          [200, 110 + r * 30, 340, 130 + r * 30],
          [341, 110 + r * 30, 540, 130 + r * 30],
        ] as Box[],
    );
    expect(looksTabular([50, 100, 550, 300], cells)).toBe(true);
    // A line of prose the detector broke in two at a narrow gap is not a table row.
    const prose: Box[] = [0, 1, 2, 3, 4, 5].flatMap(
      (r) =>
        [
          [60, 110 + r * 30, 300, 130 + r * 30],
          [302, 110 + r * 30, 540, 130 + r * 30],
        ] as Box[],
    );
    expect(looksTabular([50, 100, 550, 300], prose)).toBe(false);
    // A grid whose double rules fill 30 % of its box: a table with 18 cell lines inside, a drawing
    // (figure candidate) with only 9 labels in cells, though they are laid out as cells.
    const grid = { box: [50, 100, 550, 300] as Box, fill: 0.3 };
    expect(findGraphics([grid], cells, 600, 800, 2).grids).toEqual([grid.box]);
    const labels = cells.slice(0, 9);
    expect(looksTabular(grid.box, labels)).toBe(true);
    expect(findGraphics([grid], labels, 600, 800, 2)).toMatchObject({ grids: [], figures: [grid.box] });
    // A matrix of small plots with tick labels in cells, thin ink: the labels cover little of it.
    const ticks: Box[] = cells.map((b) => [b[0], b[1], b[0] + 30, b[3]]);
    const plots = { box: grid.box, fill: 0.1 };
    expect(looksTabular(plots.box, ticks)).toBe(true);
    expect(findGraphics([plots], ticks, 600, 800, 2)).toMatchObject({ grids: [], figures: [plots.box] });
    expect(findGraphics([plots], cells, 600, 800, 2).grids).toEqual([plots.box]);
  });

  it('leaves the ink of large type that the glyph-core erasure missed to the text lines', () => {
    // A two-line title in large type (28 px line boxes, 700×1100 page): what is left of its
    // ascenders and descenders are pieces a few px high inside the line boxes;
    // merged, they made a 550×40 px figure of the title.
    const title: Box[] = [
      [90, 219, 638, 247],
      [89, 253, 636, 280],
    ];
    // Pieces 20 px wide every 40 px along both lines (gaps within mergeNear's reach), 3-6 px high.
    const pieces = Array.from({ length: 13 }, (_, i) => [
      { box: [105 + 40 * i, 219, 125 + 40 * i, 225] as Box, fill: 0.5 },
      { box: [100 + 40 * i, 240, 120 + 40 * i, 243] as Box, fill: 0.5 },
      { box: [110 + 40 * i, 252, 130 + 40 * i, 258] as Box, fill: 0.5 },
    ]).flat();
    expect(pieces.every((p) => textRemnant(p.box, title))).toBe(true);
    expect(findGraphics(pieces, title, 700, 1100, 3).figures).toEqual([]);
    // Without the title's lines the same ink is a drawing.
    expect(findGraphics(pieces, [], 700, 1100, 3).figures).toHaveLength(1);
    // A drawing the detector ran a line over: taller than the line, or mostly outside it.
    expect(textRemnant([100, 200, 300, 260], title)).toBe(false);
    expect(textRemnant([100, 180, 300, 230], title)).toBe(false);
    // Inside the two lines' boxes, but taller than either line: a drawing, not left-over type.
    expect(textRemnant([100, 220, 140, 280], title)).toBe(false);
  });

  it('ends a figure above the caption its ink ran into, and keeps labels inside a chart', () => {
    const figure: Box = [100, 100, 500, 500];
    // A short first line, a full-width line, a short last line, right at the bottom edge.
    const caption: Box[] = [
      [100, 440, 300, 452],
      [100, 458, 500, 470],
      [100, 476, 250, 488],
    ];
    expect(captionCut(figure, caption)).toBe(440);
    // Only short labels (an axis title, tick labels): nothing to cut.
    const labels: Box[] = [
      [250, 476, 350, 488],
      [120, 458, 140, 470],
      [460, 458, 480, 470],
    ];
    expect(captionCut(figure, labels)).toBeUndefined();
    // Wide text in the upper part of the drawing (a title inside it) is not a caption.
    expect(captionCut(figure, [[100, 150, 500, 162]])).toBeUndefined();
    // A wide line well above the bottom edge, with drawing below it, is not one either.
    expect(captionCut(figure, [[100, 400, 500, 412]])).toBeUndefined();
  });

  it('merges nearby figure panels into one figure', () => {
    expect(
      mergeNear(
        [
          [0, 0, 100, 100],
          [105, 0, 200, 100],
          [400, 400, 450, 450],
        ],
        10,
      ),
    ).toEqual([
      [0, 0, 200, 100],
      [400, 400, 450, 450],
    ]);
  });

  it('merges rows of panels with only short labels between them, not two drawings with a caption or a gutter between', () => {
    // The PubLayNet page PMC4972521_00010: one figure of four panels, rows 20-24 px apart on a 792 px page.
    const panels: Box[] = [
      [160, 98, 426, 242],
      [114, 266, 302, 466],
      [326, 280, 502, 450],
      [104, 486, 498, 661],
    ];
    const labels: Box[] = [
      [118, 250, 130, 262],
      [330, 468, 342, 480],
    ];
    expect(mergeStackedPanels(panels, labels, 40)).toEqual([[104, 98, 502, 661]]);
    // A caption line between two drawings: two figures.
    const caption: Box = [110, 470, 480, 482];
    expect(mergeStackedPanels([panels[1]!, panels[3]!], [caption], 40)).toEqual([panels[1], panels[3]]);
    // Two figures each: further apart than the gap; side by side across a gutter (two columns' figures).
    const apart: Box[][] = [
      [
        [100, 100, 300, 200],
        [100, 260, 300, 400],
      ],
      [
        [50, 100, 290, 300],
        [310, 100, 550, 300],
      ],
    ];
    for (const pair of apart) expect(mergeStackedPanels(pair, [], 40)).toHaveLength(2);
  });

  it('undoes the DB unclip offset: a 300×20 unclipped box has about 6 px of margin', () => {
    const [x1, y1, x2, y2] = shrinkUnclipped([0, 0, 300, 20], 0.5);
    // Each side moves in by d/2, where d solves d = 1.5·w·h / (2(w + h)) with w = 300 - 2d, h = 20 - 2d.
    const d = 2 * y1;
    expect(d).toBeCloseTo((1.5 * (300 - 2 * d) * (20 - 2 * d)) / (2 * (300 - 2 * d + 20 - 2 * d)), 3);
    expect(d).toBeGreaterThan(5.5);
    expect(d).toBeLessThan(6.5);
    expect([x1, y2, x2]).toEqual([y1, 20 - y1, 300 - y1]);
  });
});

describe('ink measures of a text row', () => {
  it('measures stem width: wider vertical strokes (bold type) give a larger value, whatever their spacing', () => {
    // A 200×40 white strip with dark vertical bars in its middle band: `stem` px wide, `pitch` px apart.
    const strip = (stem: number, pitch: number) => {
      const w = 200;
      const g = new Uint8Array(w * 40).fill(255);
      for (let y = 0; y < 40; y++) for (let x = 10; x + stem <= 190; x += pitch) g.fill(20, y * w + x, y * w + x + stem);
      return g;
    };
    const box: Box = [0, 0, 200, 40];
    expect(strokeWidth(strip(2, 8), 200, box)).toBeCloseTo(2, 5);
    expect(strokeWidth(strip(2, 16), 200, box)).toBeCloseTo(2, 5);
    expect(strokeWidth(strip(3, 8), 200, box)).toBeCloseTo(3, 5);
    // Ink density mixes stem width with spacing: the sparse bold row reads lighter than the dense regular one.
    expect(inkDensity(strip(2, 8), 200, box)).toBeGreaterThan(inkDensity(strip(3, 16), 200, box));
    expect(strokeWidth(new Uint8Array(200 * 40).fill(255), 200, box)).toBe(0);
    // Boxes reaching past the image are clipped, never read beyond it.
    expect(strokeWidth(strip(2, 8), 200, [-50, -10, 260, 60])).toBeCloseTo(2, 5);
  });
});

describe('regions from classified rows', () => {
  const classes = ['text', 'paragraph_title', 'list', 'reference'] as const;
  const rowAt = (y: number, paragraph: number): PageRow => ({
    box: [100, y, 500, y + 20],
    score: 1,
    pieces: [[100, y, 500, y + 20]],
    density: 0.2,
    stroke: 2,
    firstStroke: 2,
    block: 0,
    paragraph,
    list: false,
  });
  it('gives the running-text rows of one paragraph the class their probabilities favour together', () => {
    const rows = [rowAt(0, 0), rowAt(30, 1), rowAt(50, 1), rowAt(70, 1), rowAt(100, 2), rowAt(120, 2)];
    const probs = [
      [0.1, 0.8, 0.05, 0.05], // a heading: keeps its class
      [0.2, 0.0, 0.1, 0.7], // a reference entry whose middle row reads as text
      [0.5, 0.0, 0.1, 0.4],
      [0.2, 0.0, 0.1, 0.7],
      [0.6, 0.0, 0.3, 0.1], // another paragraph: its own vote
      [0.4, 0.0, 0.5, 0.1],
    ];
    const regions = assembleRegions({ objects: [], rows, features: [] }, probs, classes, { width: 600, height: 800 });
    expect(regions.map((r) => [r.label, Math.round(r.box[1])])).toEqual([
      ['paragraph_title', expect.any(Number)],
      ['reference', expect.any(Number)],
      ['text', expect.any(Number)],
    ]);
    expect(regions[1]!.box[3] - regions[1]!.box[1]).toBeGreaterThan(50); // the three rows, as one region
  });
});
