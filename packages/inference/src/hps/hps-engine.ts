import { RocheError, Slots, type LayoutOverrides, type RgbImage } from '@roche/core';
import sharp from 'sharp';
import type { AnalyzeOptions, LayoutEngine, PageLayout } from '../engine.js';
import type { TritonClient } from '../triton/client.js';
import { decodeBytesTensor, encodeBytesTensor, outputBytes } from '../triton/proto.js';
import { untilAvailable } from '../triton/startup.js';
import { hpsPipelineOf, hpsRegions, hpsRequest, hpsResultBoxes, type HpsPipeline } from './pipelines.js';

export interface HpsEngineOptions {
  /** Calls in flight to the server; PaddleX's stock HPS model runs max_batch_size 1 on one instance. */
  maxInFlight?: number;
}

/**
 * PaddleX high-performance serving: the pipeline runs inside Triton's Python backend; the client
 * sends one JSON request as a BYTES tensor `input` [1,1] and reads one JSON `output`. Speaks the
 * `layout-parsing`, `formula-recognition` and `object-detection` pipelines (./pipelines.ts); any other
 * model name is refused at start.
 *
 * Failures: the server's `errorCode` 500 is retried once here (a transient failure usually passes);
 * a page that fails twice is a poison page and fails for good with the server's message, instead of
 * burning every BullMQ attempt on a whole-pipeline run. Deadlines are not retried (the client is
 * built with `retryDeadline: false`). 4xx codes fail at once.
 */
export class PaddlexHpsEngine implements LayoutEngine {
  readonly name = 'paddlex-hps';
  private readonly slots: Slots;
  readonly pipeline: HpsPipeline;
  constructor(
    private readonly client: TritonClient,
    private readonly model: string,
    opts: HpsEngineOptions = {},
  ) {
    this.pipeline = hpsPipelineOf(model);
    this.slots = new Slots(opts.maxInFlight ?? 2);
  }

  /** Waits up to `waitMs` for the server and pipeline model to be ready (a PaddleX image loads its models at start). */
  static async create(client: TritonClient, model: string, waitMs = 0, opts: HpsEngineOptions = {}): Promise<PaddlexHpsEngine> {
    hpsPipelineOf(model);
    return untilAvailable(async () => {
      if (!(await client.modelReady(model)))
        throw new RocheError('inference_unavailable', `PaddleX HPS model ${model} is not ready`, { retryable: true });
      return new PaddlexHpsEngine(client, model, opts);
    }, waitMs);
  }

  private async call(request: Record<string, unknown>): Promise<Record<string, unknown> | undefined> {
    const res = await this.client.infer({
      model_name: this.model,
      inputs: [{ name: 'input', datatype: 'BYTES', shape: [1, 1] }],
      outputs: [{ name: 'output' }],
      raw_input_contents: [encodeBytesTensor([Buffer.from(JSON.stringify(request))])],
    });
    let raw: Buffer | undefined;
    try {
      raw = outputBytes(res, 'output').bytes;
    } catch {
      raw = undefined;
    }
    const [json] = raw ? decodeBytesTensor(raw) : [];
    if (!json) throw new RocheError('inference_failed', 'PaddleX HPS answered without an output tensor');
    const envelope = JSON.parse(json.toString('utf8')) as { errorCode: number; errorMsg: string; result?: Record<string, unknown> };
    if (envelope.errorCode !== 0) {
      throw new RocheError('inference_failed', `PaddleX HPS error ${envelope.errorCode}: ${envelope.errorMsg}`, {
        retryable: envelope.errorCode >= 500,
        details: { errorCode: envelope.errorCode },
      });
    }
    return envelope.result;
  }

  async analyzeOne(page: RgbImage, overrides?: LayoutOverrides): Promise<PageLayout> {
    // Built first: overrides this pipeline refuses fail before any work (submit should have refused them already).
    const png = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const request = hpsRequest(this.pipeline, png.toString('base64'), overrides);
    const result = await this.slots.run(async () => {
      try {
        return await this.call(request);
      } catch (e) {
        if (!(e instanceof RocheError) || e.code !== 'inference_failed' || !e.retryable) throw e;
        try {
          return await this.call(request);
        } catch (again) {
          if (again instanceof RocheError && again.code === 'inference_failed')
            throw new RocheError('inference_failed', `${again.message} (failed twice on this page)`, { retryable: false, cause: again });
          throw again;
        }
      }
    });
    const regions = hpsRegions(hpsResultBoxes(this.pipeline, result), page.width, page.height);
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
