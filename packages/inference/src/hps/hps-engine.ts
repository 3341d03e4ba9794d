import { RocheError, type RgbImage } from '@roche/core';
import sharp from 'sharp';
import type { AnalyzeOptions, LayoutEngine, PageLayout } from '../engine.js';
import { orderedRegions } from '../layout/regions.js';
import type { TritonClient } from '../triton/client.js';
import { decodeBytesTensor, encodeBytesTensor } from '../triton/proto.js';
import { untilAvailable } from '../triton/startup.js';

/** PaddleX layout box in a pipeline's `prunedResult.layout_det_res.boxes` (field names: verify on a real server). */
interface HpsBox {
  cls_id?: number;
  label: string;
  score: number;
  coordinate: [number, number, number, number];
}

/** Finds the per-image results array in a PaddleX result (`layoutParsingResults`, `formulaRecResults`, ...). */
export function hpsBoxes(result: Record<string, unknown>): HpsBox[][] {
  const list = Object.values(result).find(
    (v) => Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null && 'prunedResult' in v[0],
  ) as Array<{ prunedResult?: { layout_det_res?: { boxes?: HpsBox[] } } }> | undefined;
  if (!list) return [];
  return list.map((r) => r.prunedResult?.layout_det_res?.boxes ?? []);
}

/**
 * PaddleX high-performance serving: the pipeline runs inside Triton's Python backend; the client
 * sends one JSON request as a BYTES tensor `input` [1,1] and reads one JSON `output`. Lets Roche's
 * workers call an unmodified PaddleX HPS image (layout-parsing, formula-recognition, ...).
 */
export class PaddlexHpsEngine implements LayoutEngine {
  readonly name = 'paddlex-hps';
  constructor(
    private readonly client: TritonClient,
    private readonly model: string,
  ) {}

  /** Waits up to `waitMs` for the server and pipeline model to be ready (a PaddleX image loads its models at start). */
  static async create(client: TritonClient, model: string, waitMs = 0): Promise<PaddlexHpsEngine> {
    return untilAvailable(async () => {
      if (!(await client.modelReady(model)))
        throw new RocheError('inference_unavailable', `PaddleX HPS model ${model} is not ready`, { retryable: true });
      return new PaddlexHpsEngine(client, model);
    }, waitMs);
  }

  async analyzeOne(page: RgbImage, overrides: Record<string, unknown> = {}): Promise<PageLayout> {
    const png = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const request = { file: png.toString('base64'), fileType: 1, visualize: false, ...overrides };
    const res = await this.client.infer({
      model_name: this.model,
      inputs: [{ name: 'input', datatype: 'BYTES', shape: [1, 1] }],
      outputs: [{ name: 'output' }],
      raw_input_contents: [encodeBytesTensor([Buffer.from(JSON.stringify(request))])],
    });
    const raw = res.raw_output_contents[res.outputs.findIndex((o) => o.name === 'output')];
    const [json] = raw ? decodeBytesTensor(raw) : [];
    if (!json) throw new RocheError('inference_failed', 'PaddleX HPS answered without an output tensor');
    const envelope = JSON.parse(json.toString('utf8')) as { errorCode: number; errorMsg: string; result?: Record<string, unknown> };
    if (envelope.errorCode !== 0) {
      throw new RocheError('inference_failed', `PaddleX HPS error ${envelope.errorCode}: ${envelope.errorMsg}`, {
        retryable: envelope.errorCode >= 500,
      });
    }
    const boxes = hpsBoxes(envelope.result ?? {})[0] ?? [];
    const regions = orderedRegions(
      boxes.map((b) => ({ label: b.label, score: b.score, box: b.coordinate })),
      page,
    );
    return { width: page.width, height: page.height, regions };
  }

  async analyze(pages: RgbImage[], opts: AnalyzeOptions = {}): Promise<PageLayout[]> {
    return Promise.all(pages.map((p) => this.analyzeOne(p, opts.overrides)));
  }

  async ready(): Promise<void> {
    if (!(await this.client.modelReady(this.model)))
      throw new RocheError('inference_unavailable', `PaddleX HPS model ${this.model} is not ready`, { retryable: true });
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
