import fs from 'node:fs';
import { RandomForestClassifier } from 'ml-random-forest';
import { z } from 'zod';
import { RocheError } from '@roche/core';
import { FEATURE_NAMES } from './features.js';

/** Row classes the model predicts: PP-DocLayout names (captions as one class; figure vs table caption is decided by the object it belongs to). */
export const ROW_CLASSES = [
  'text',
  'paragraph_title',
  'doc_title',
  'abstract',
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

/** The committed model file: the forest plus what it was trained on, checked against this code at load. */
export const RowModelFile = z.object({
  version: z.literal(1),
  features: z.array(z.string()),
  classes: z.array(z.string()),
  trainedOn: z.record(z.string(), z.number()),
  forest: z.record(z.string(), z.unknown()),
});
export type RowModelFile = z.infer<typeof RowModelFile>;

export const DEFAULT_MODEL_PATH = new URL('../model/row-classifier.json', import.meta.url);

/** A trained random forest over row features; `probabilities` gives the share of trees voting each class. */
export class RowModel {
  private constructor(
    private readonly forest: RandomForestClassifier,
    readonly classes: string[],
  ) {}

  static fromJSON(file: unknown): RowModel {
    const parsed = RowModelFile.safeParse(file);
    if (!parsed.success) throw new RocheError('inference_unavailable', `analyzer row model: ${parsed.error.message}`);
    const m = parsed.data;
    if (m.features.join() !== FEATURE_NAMES.join())
      throw new RocheError('inference_unavailable', 'analyzer row model was trained on other features: run `npm run train:analyzer`');
    return new RowModel(RandomForestClassifier.load(m.forest as never), m.classes);
  }

  static load(path: string | URL = DEFAULT_MODEL_PATH): RowModel {
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (e) {
      throw new RocheError('inference_unavailable', `analyzer row model not found at ${String(path)}: ${(e as Error).message}`);
    }
    return RowModel.fromJSON(JSON.parse(text));
  }

  /** Trains a forest; deterministic for a given seed. */
  static train(X: number[][], y: string[], classes: readonly string[] = ROW_CLASSES, seed = 42): { model: RowModel; file: RowModelFile } {
    const index = new Map(classes.map((c, i) => [c, i]));
    const forest = new RandomForestClassifier({
      nEstimators: 40,
      maxFeatures: 0.6,
      replacement: false,
      seed,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: { maxDepth: 12, minNumSamples: 3 },
    } as never);
    forest.train(
      X,
      y.map((c) => index.get(c)!),
    );
    const trainedOn: Record<string, number> = {};
    for (const c of y) trainedOn[c] = (trainedOn[c] ?? 0) + 1;
    const file: RowModelFile = { version: 1, features: [...FEATURE_NAMES], classes: [...classes], trainedOn, forest: forest.toJSON() as never };
    return { model: new RowModel(forest, [...classes]), file };
  }

  /** Per row, the share of trees voting for each class (same order as `classes`). */
  probabilities(X: number[][]): number[][] {
    if (!X.length) return [];
    const votes = (this.forest as unknown as { predictionValues(x: number[][]): { rows: number; getRow(i: number): number[] } }).predictionValues(X);
    const out: number[][] = [];
    for (let i = 0; i < votes.rows; i++) {
      const p = new Array<number>(this.classes.length).fill(0);
      const row = votes.getRow(i);
      for (const v of row) p[v]! += 1 / row.length;
      out.push(p);
    }
    return out;
  }
}
