import fs from 'node:fs';
import { z } from 'zod';
import { RocheError } from '@roche/core';
import { FEATURE_NAMES } from './features.js';
import { PackedForest, trainForest } from './forest.js';

/** Row classes the model predicts: PP-DocLayout names (captions as one class; figure vs table caption is decided by the object it belongs to). */
export const ROW_CLASSES = [
  'text',
  'paragraph_title',
  'doc_title',
  'abstract',
  'author',
  'list',
  'reference',
  'footnote',
  'header',
  'formula',
  'caption',
  'table',
  'image',
] as const;
export type RowClass = (typeof ROW_CLASSES)[number];

/**
 * Region labels the analyzer emits: its row classes with captions named after their object and
 * page furniture split by place (`assembleRegions`), and the ink objects' labels. PP-DocLayout
 * names, plus `list` and `author` (names and affiliations under the title, DocBank's class), which
 * PP-DocLayout labels `text`.
 */
export const ANALYZER_LABELS = [
  ...ROW_CLASSES.filter((c) => c !== 'caption'),
  'figure_title',
  'table_title',
  'footer',
  'number',
  'header_image',
  'footer_image',
] as const;

/** The committed model file: the forest plus what it was trained on, checked against this code at load. */
export const RowModelFile = z.object({
  version: z.literal(1),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  trainedOn: z.record(z.string(), z.number()),
  trees: z.array(
    z.object({
      feature: z.array(z.number().int()),
      threshold: z.array(z.number()),
      left: z.array(z.number().int()),
      right: z.array(z.number().int()),
      dist: z.array(z.array(z.number())),
    }),
  ),
});
export type RowModelFile = z.infer<typeof RowModelFile>;
/** The file as read at load: the trees are checked while they are packed (`PackedForest.pack`), not number by number here. */
const RowModelEnvelope = RowModelFile.extend({ trees: z.array(z.unknown()) });

export const DEFAULT_MODEL_PATH = new URL('../model/row-classifier.json', import.meta.url);
/** The model for rows read from a PDF text layer (geometry plus font and text features). */
export const TEXT_MODEL_PATH = new URL('../model/row-classifier-text.json', import.meta.url);

/** A trained random forest over row features; `probabilities` gives each class's mean leaf share over the trees. */
export class RowModel {
  private constructor(
    private readonly forest: PackedForest,
    readonly classes: string[],
  ) {}

  static fromJSON(file: unknown, features: readonly string[] = FEATURE_NAMES): RowModel {
    const parsed = RowModelEnvelope.safeParse(file);
    if (!parsed.success) throw new RocheError('inference_unavailable', `analyzer row model: ${parsed.error.message}`);
    const m = parsed.data;
    if (m.features.join() !== features.join())
      throw new RocheError('inference_unavailable', 'analyzer row model was trained on other features: run `npm run train:analyzer`');
    try {
      return new RowModel(PackedForest.pack(m.trees, m.classes.length, m.features.length), m.classes);
    } catch (e) {
      throw new RocheError('inference_unavailable', `analyzer row model: ${(e as Error).message}`);
    }
  }

  static load(path: string | URL = DEFAULT_MODEL_PATH, features: readonly string[] = FEATURE_NAMES): RowModel {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (e) {
      throw new RocheError('inference_unavailable', `analyzer row model not found at ${String(path)}: ${(e as Error).message}`);
    }
    return RowModel.fromJSON(JSON.parse(text), features);
  }

  /**
   * Trains the forest; deterministic for a given seed. Classes are weighted by frequency^-balance
   * (default 0.5, the inverse square root) so rare classes (titles, captions, lists) are not drowned
   * by body text.
   */
  static train(
    X: number[][],
    y: string[],
    opts: {
      classes?: readonly string[];
      features?: readonly string[];
      seed?: number;
      balance?: number;
      trees?: number;
      /** Per-row weight, multiplied into the class weight (e.g. synthetic rows counting less than real ones). */
      rowWeights?: readonly number[];
    } = {},
  ): { model: RowModel; file: RowModelFile } {
    const { classes = ROW_CLASSES, features = FEATURE_NAMES, seed = 42, balance = 0.5, trees: nTrees = 150 } = opts;
    const index = new Map(classes.map((c, i) => [c, i]));
    const trainedOn: Record<string, number> = {};
    for (const c of y) trainedOn[c] = (trainedOn[c] ?? 0) + 1;
    // 1 / n^b, not n^-b: for b = 0.5 this equals the 1/√n the committed models were trained with,
    // while n ** -0.5 differs in the last bit for some n, which changes splits.
    // A class's frequency is its rows' total weight (their count when rows are unweighted).
    const mass: Record<string, number> = {};
    y.forEach((c, i) => (mass[c] = (mass[c] ?? 0) + (opts.rowWeights?.[i] ?? 1)));
    const weight = y.map((c, i) => (opts.rowWeights?.[i] ?? 1) / mass[c]! ** balance);
    const trees = trainForest(
      X,
      y.map((c) => index.get(c)!),
      classes.length,
      { trees: nTrees, maxDepth: 14, minLeaf: 2, seed },
      weight,
    );
    const file: RowModelFile = { version: 1, features: [...features], classes: [...classes], trainedOn, trees };
    return { model: new RowModel(PackedForest.pack(trees, classes.length, features.length), [...classes]), file };
  }

  /** Per row, the class distribution (same order as `classes`). */
  probabilities(X: number[][]): number[][] {
    return X.map((x) => this.forest.probabilities(x));
  }
}
