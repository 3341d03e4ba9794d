import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES, rowFeatures, type PageRow } from '../src/features.js';
import { PackedForest, trainForest, type TreeJson } from '../src/forest.js';
import { TEXT_MODEL_FEATURES } from '../src/analyzer-engine.js';
import { DEFAULT_MODEL_PATH, RowModel, ROW_CLASSES, TEXT_MODEL_PATH } from '../src/row-model.js';
import { rowLabelFromPublaynet, rowLabelFromTokens } from '../src/training-labels.js';

type Box = [number, number, number, number];
const row = (box: Box, block: number, paragraph: number, density = 0.2): PageRow => ({
  box,
  score: 0.9,
  pieces: [box],
  density,
  stroke: 2,
  firstStroke: 2,
  block,
  paragraph,
  list: false,
});

describe('row features', () => {
  // A heading over a 4-row body paragraph on a 600×800 page, and a figure below the paragraph.
  const rows = [row([50, 100, 200, 130], 0, 0, 0.35), ...[0, 1, 2, 3].map((k) => row([50, 150 + 20 * k, 300, 170 + 20 * k], 1, 1))];
  const f = rowFeatures({ width: 600, height: 800, rows, objects: [{ kind: 'image', box: [50, 260, 300, 400] }] });
  const get = (i: number, name: (typeof FEATURE_NAMES)[number]) => f[i]![FEATURE_NAMES.indexOf(name)]!;

  it('gives one vector per row with every named feature', () => {
    expect(f).toHaveLength(rows.length);
    expect(f.every((v) => v.length === FEATURE_NAMES.length && v.every(Number.isFinite))).toBe(true);
  });

  it('measures size and ink relative to the body text', () => {
    expect(get(0, 'heightBody')).toBeCloseTo(1.5);
    expect(get(0, 'densityBody')).toBeCloseTo(1.75);
    expect(get(1, 'heightBody')).toBeCloseTo(1);
    expect(get(0, 'widthColumn')).toBeCloseTo(150 / 250);
  });

  it('measures white space around rows and the distance to the nearest object', () => {
    expect(get(0, 'gapBelowBody')).toBeCloseTo(1); // 20 px to the paragraph, body rows are 20 px
    expect(get(1, 'gapAboveBody')).toBeCloseTo(1);
    expect(get(4, 'objectBelowGap')).toBeCloseTo(1.5); // last row ends at 230, the figure starts at 260
    expect(get(4, 'objectBelowKind')).toBe(2);
    expect(get(2, 'paragraphIndex')).toBe(1);
    expect(get(2, 'blockRows')).toBe(4);
  });
});

describe('row features on many rows', () => {
  // The searches around each row were sorted and windowed (40,000 text-layer lines cost 10 s when they
  // were quadratic); these must give what the plain definitions give, on pages dense and sparse.
  const rand = (seed: number) => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  // Coordinates on a 0.1 grid (grid > 0) make ties and rounding at the windows' edges common: a row
  // whose top is y2 + 5 body heights by the sum may still lie just inside the gap.
  for (const [n, seed, grid] of [
    [60, 1, 0],
    [400, 2, 0],
    [1500, 3, 0],
    [1500, 4, 0.1],
  ] as const) {
    it(`gaps, rows below, rows above and positions match their definitions (${n} random rows${grid ? ', on a grid' : ''})`, () => {
      const r = rand(seed);
      const q = (v: number) => (grid ? Math.round(v / grid) * grid : v);
      const rows = Array.from({ length: n }, (_, i) => {
        const x = q(r() * 550);
        const y = q(r() * 780);
        return row([x, y, q(x + 5 + r() * 200), q(y + 4 + r() * 16)], Math.floor(r() * 8), Math.floor(i / 5), r());
      });
      const f = rowFeatures({ width: 600, height: 800, rows, objects: [] });
      const at = (v: number[], name: (typeof FEATURE_NAMES)[number]) => v[FEATURE_NAMES.indexOf(name)]!;
      const hs = rows.filter((q) => rows.filter((o) => o.block === q.block).length >= 3).map((q) => q.box[3] - q.box[1]);
      const bodyH = [...hs].sort((a, b) => a - b)[Math.floor(hs.length / 2)]!;
      for (const [i, q] of rows.entries()) {
        const [, y1, , y2] = q.box;
        const ov = (o: PageRow) => o !== q && Math.min(o.box[2], q.box[2]) - Math.max(o.box[0], q.box[0]) > 0;
        const mid = (y1 + y2) / 2;
        const above = Math.min(
          5 * bodyH,
          ...rows.filter((o) => ov(o) && o.box[3] <= mid && o.box[1] < y1).map((o) => Math.max(0, y1 - o.box[3])),
        );
        const below = Math.min(
          5 * bodyH,
          ...rows.filter((o) => ov(o) && o.box[1] >= mid && o.box[3] > y2).map((o) => Math.max(0, o.box[1] - y2)),
        );
        expect(at(f[i]!, 'gapAboveBody')).toBe(above / bodyH);
        expect(at(f[i]!, 'gapBelowBody')).toBe(below / bodyH);
        expect(at(f[i]!, 'rowsBelowColumn')).toBe(Math.min(30, rows.filter((o) => ov(o) && o.box[1] >= y2).length));
        expect(at(f[i]!, 'rowsAbovePage')).toBeCloseTo(rows.filter((o) => o.box[1] < y1).length / n, 9);
        expect(at(f[i]!, 'blockIndex')).toBe(rows.filter((o, j) => j < i && o.block === q.block).length);
        expect(at(f[i]!, 'paragraphIndex')).toBe(i % 5);
      }
    });
  }
});

describe('random forest', () => {
  it('learns a threshold and a conjunction, deterministically', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i * 37) % 100;
      const b = (i * 53) % 100;
      X.push([a, b]);
      y.push(a > 50 ? (b > 50 ? 2 : 1) : 0);
    }
    const o = { trees: 15, maxDepth: 6, minLeaf: 1, seed: 7, mtry: 2 };
    const trees = trainForest(X, y, 3, o);
    const forest = PackedForest.pack(trees, 3, 2);
    const argmax = (p: number[]) => p.indexOf(Math.max(...p));
    expect(argmax(forest.probabilities([10, 90]))).toBe(0);
    expect(argmax(forest.probabilities([90, 10]))).toBe(1);
    expect(argmax(forest.probabilities([90, 90]))).toBe(2);
    expect(forest.probabilities([90, 90]).reduce((a, b) => a + b)).toBeCloseTo(1, 1);
    expect(trainForest(X, y, 3, o)).toEqual(trees);
  });
});

describe('row model file', () => {
  it('loads the committed model, trained on these features and classes', () => {
    const m = RowModel.load();
    expect(m.classes).toEqual([...ROW_CLASSES]);
    const p = m.probabilities([new Array(FEATURE_NAMES.length).fill(0.5)]);
    expect(p[0]).toHaveLength(ROW_CLASSES.length);
    expect(p[0]!.reduce((a, b) => a + b)).toBeCloseTo(1, 1);
  });

  it('round-trips through JSON and rejects a model made for other features', () => {
    const X = [0, 1, 2, 3, 4, 5].map((i) => new Array(FEATURE_NAMES.length).fill(i));
    const { model, file } = RowModel.train(X, ['text', 'text', 'text', 'list', 'list', 'list']);
    const again = RowModel.fromJSON(JSON.parse(JSON.stringify(file)));
    expect(again.probabilities(X)).toEqual(model.probabilities(X));
    expect(() => RowModel.fromJSON({ ...file, features: ['x'] })).toThrow(/other features/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rowmodel-'));
    expect(() => RowModel.load(path.join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'inference_unavailable' }));
  });

  it.each([
    ['image', DEFAULT_MODEL_PATH, FEATURE_NAMES],
    ['text-layer', TEXT_MODEL_PATH, TEXT_MODEL_FEATURES],
  ] as const)('packed, the %s model predicts exactly as a walk over its JSON trees does', (_, file, features) => {
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { trees: TreeJson[]; classes: string[] };
    // The plain reading of the file format: walk each tree from its root, average the leaf shares.
    const walk = (x: number[]) => {
      const p = new Array<number>(json.classes.length).fill(0);
      for (const t of json.trees) {
        let n = 0;
        while (t.feature[n]! >= 0) n = x[t.feature[n]!]! <= t.threshold[n]! ? t.left[n]! : t.right[n]!;
        t.dist[n]!.forEach((v, j) => (p[j]! += v / json.trees.length));
      }
      return p;
    };
    let seed = 1;
    const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 3 - 1;
    const X = Array.from({ length: 300 }, () => features.map(rand));
    const packed = RowModel.load(file, features).probabilities(X);
    expect(packed).toEqual(X.map(walk));
    // Not all one class: the rows reach different leaves.
    expect(new Set(packed.map((p) => p.indexOf(Math.max(...p)))).size).toBeGreaterThan(1);
  });

  it('refuses a malformed forest at load with the tree and node at fault', () => {
    const X = [0, 1, 2, 3, 4, 5].map((i) => new Array(FEATURE_NAMES.length).fill(i));
    const { file } = RowModel.train(X, ['text', 'text', 'text', 'list', 'list', 'list'], { trees: 2 });
    const broken = (edit: (t: TreeJson) => void) => {
      const f = JSON.parse(JSON.stringify(file)) as typeof file;
      edit(f.trees[1]!);
      return () => RowModel.fromJSON(f);
    };
    const refused = (msg: RegExp) => expect.objectContaining({ code: 'inference_unavailable', message: expect.stringMatching(msg) });
    expect(file.trees[1]!.feature[0]).toBeGreaterThanOrEqual(0); // the root splits, so its children can be broken
    expect(broken((t) => (t.left[0] = 0))).toThrow(refused(/tree 1, node 0: child 0 out of range/));
    expect(broken((t) => (t.right[0] = t.feature.length))).toThrow(refused(/tree 1, node 0: child \d+ out of range/));
    expect(broken((t) => (t.feature[0] = FEATURE_NAMES.length))).toThrow(refused(/tree 1, node 0: feature \d+ out of range/));
    expect(broken((t) => t.dist.pop())).toThrow(refused(/tree 1: arrays of different lengths/));
    const leaf = file.trees[1]!.feature.indexOf(-1);
    expect(broken((t) => (t.dist[leaf] = [0.5, Number.NaN as unknown as number]))).toThrow(refused(/leaf distribution/));
    expect(broken((t) => (t.dist[leaf] = [0.123]))).toThrow(refused(/shares in hundredths/));
    expect(broken((t) => (t.dist[leaf] = [1.5]))).toThrow(refused(/shares in hundredths/));
    expect(broken((t) => (t.dist[leaf] = new Array(ROW_CLASSES.length + 1).fill(0)))).toThrow(refused(/shares in hundredths/));
    expect(broken((t) => (t.threshold[0] = 'x' as unknown as number))).toThrow(refused(/tree 1, node 0: threshold is not a number/));
    expect(broken((t) => (t.feature[0] = -2))).toThrow(refused(/tree 1, node 0: feature -2 out of range/));
    expect(broken((t) => (t.left[0] = 1.5))).toThrow(refused(/tree 1, node 0: child 1.5 out of range/));
    expect(() => RowModel.fromJSON({ ...file, trees: [] })).toThrow(refused(/no trees/));
    expect(() => RowModel.fromJSON(file)).not.toThrow();
  });
});

describe('training labels', () => {
  it('labels a row by the token label covering most of its area', () => {
    const t = (bbox: Box, label: string) => ({ text: 'w', bbox, label });
    const tokens = [t([10, 10, 60, 20], 'section'), t([70, 10, 90, 20], 'paragraph'), t([10, 40, 90, 50], 'equation')];
    expect(rowLabelFromTokens([0, 5, 100, 25], tokens)).toBe('paragraph_title');
    expect(rowLabelFromTokens([0, 35, 100, 55], tokens)).toBe('formula');
    expect(rowLabelFromTokens([0, 60, 100, 80], tokens)).toBeNull();
  });

  it('treats unannotated PubLayNet rows in the margins as furniture and skips others', () => {
    const regions = [{ label: 'title', bbox: [0, 100, 300, 130] as Box }];
    expect(rowLabelFromPublaynet([10, 105, 200, 125], regions, 800)).toBe('paragraph_title');
    expect(rowLabelFromPublaynet([10, 10, 200, 30], regions, 800)).toBe('header');
    expect(rowLabelFromPublaynet([10, 400, 200, 420], regions, 800)).toBeNull();
  });
});
