import { RocheError, type LayoutDetectionConfig, type Region, type RgbImage } from '@roche/core';
import type { AnalyzeOptions, LayoutEngine, PageLayout } from '../engine.js';
import { MicroBatcher, type BatcherOptions, type BatcherStats } from '../batching/micro-batcher.js';
import type { ModelAdapter } from './adapters.js';
import { rawLength } from './infer-request.js';
import type { TritonClient } from './client.js';
import { inSpan, metrics } from '@roche/telemetry';
import { untilAvailable } from './startup.js';

/** Pages per request when ROCHE_BATCH_MAX is not set (lowered to what the model takes). */
export const DEFAULT_BATCH_MAX = 8;

export interface TritonBatching extends BatcherOptions {
  /** `maxBatch` is a default, not the user's choice: lowered to what the model takes instead of refusing to start. */
  fitToModel?: boolean;
}

/**
 * A layout engine on Triton. Pages from every concurrent job go through one micro-batcher, so a
 * single ModelInfer carries pages of several documents; outputs are split back to their pages.
 */
export class TritonEngine<P> implements LayoutEngine {
  readonly name = 'triton';
  readonly batcher: MicroBatcher<P, Region[]>;
  /** Bytes of raw input tensors sent, and pages sent (wire cost per page = bytes / pages). */
  readonly wire = { bytes: 0, pages: 0, requests: 0 };

  private constructor(
    private readonly client: TritonClient,
    private readonly adapter: ModelAdapter<P>,
    batching: BatcherOptions,
  ) {
    this.batcher = new MicroBatcher<P, Region[]>(async (items) => {
      const enc = adapter.encode(items);
      this.wire.bytes += enc.raw.reduce((s, b) => s + rawLength(b), 0);
      this.wire.pages += items.length;
      this.wire.requests++;
      metrics.batchSize.observe({ model: adapter.model }, items.length);
      metrics.batchFill.observe({ model: adapter.model }, items.length / batching.maxBatch);
      let res;
      try {
        res = await client.infer({
          model_name: adapter.model,
          inputs: enc.inputs,
          outputs: enc.outputs.map((name) => ({ name })),
          raw_input_contents: enc.raw,
        });
      } finally {
        // Every attempt has been written and completed: grpc-js holds no reference to the pages now.
        adapter.release?.(items);
      }
      return adapter.decode(res, items);
    }, batching);
  }

  /**
   * Connects and checks, before any job runs, that the server and model are ready and that the
   * model declares the inputs and outputs this adapter sends and reads, with the same datatypes.
   * While Triton is down or still loading the model (retryable errors), it keeps trying for up to
   * `waitMs`, so a worker started next to a Triton that is still coming up does not exit; a
   * mismatch between model and configuration fails at once.
   */
  static async create<P>(client: TritonClient, adapter: ModelAdapter<P>, batching: TritonBatching, waitMs = 0): Promise<TritonEngine<P>> {
    return untilAvailable(() => TritonEngine.connect(client, adapter, batching), waitMs);
  }

  private static async connect<P>(client: TritonClient, adapter: ModelAdapter<P>, batching: TritonBatching): Promise<TritonEngine<P>> {
    if (!(await client.serverReady())) throw new RocheError('inference_unavailable', 'Triton is not ready', { retryable: true });
    if (!(await client.modelReady(adapter.model)))
      throw new RocheError('inference_unavailable', `Triton model ${adapter.model} is not ready`, { retryable: true });
    const meta = await client.modelMetadata(adapter.model);
    adapter.fitTo?.(meta);
    const problems: string[] = [];
    for (const [kind, want] of [
      ['input', adapter.contract.inputs],
      ['output', adapter.contract.outputs],
    ] as const) {
      const have = new Map((kind === 'input' ? meta.inputs : meta.outputs).map((t) => [t.name, t.datatype]));
      for (const [name, dtype] of Object.entries(want)) {
        if (!have.has(name)) problems.push(`${kind} ${name} missing (model has ${[...have.keys()].join(', ') || 'none'})`);
        else if (have.get(name) !== dtype) problems.push(`${kind} ${name} is ${have.get(name)}, expected ${dtype}`);
      }
    }
    const config = await client.modelConfig(adapter.model);
    // max_batch_size 0: Triton does not batch, and the model's own dims include any batch dim. The
    // client may still send several pages in one request when every input's first dim is variable
    // (PicoDet-based PP-DocLayout-M/S, whose NMS output cannot be split by Triton; model_repo/README.md).
    // A KServe server without ModelConfig (not Triton) is judged by the metadata alone, the same way.
    const sent = meta.inputs.filter((t) => t.name in adapter.contract.inputs);
    const variableBatch = sent.length > 0 && sent.every((t) => Number(t.shape[0]) === -1);
    const maxBatchSize = config?.max_batch_size ?? 0;
    const limit = maxBatchSize > 0 ? maxBatchSize : variableBatch ? Infinity : 1;
    if (batching.maxBatch > limit && batching.fitToModel) batching = { ...batching, maxBatch: limit };
    if (batching.maxBatch > limit) {
      const why = config
        ? `max_batch_size is ${maxBatchSize}${maxBatchSize === 0 ? ' and the inputs have no variable batch dim' : ''}`
        : 'the server has no ModelConfig and the inputs have no variable batch dim';
      problems.push(`${why}, but Roche would send batches of ${batching.maxBatch} (set ROCHE_BATCH_MAX ≤ ${limit})`);
    }
    if (problems.length) throw new Error(`Triton model ${adapter.model} does not match the pipeline configuration: ${problems.join('; ')}`);
    return new TritonEngine(client, adapter, batching);
  }

  async analyze(pages: RgbImage[], opts: AnalyzeOptions = {}): Promise<PageLayout[]> {
    return Promise.all(
      pages.map(async (p) => {
        const regions = await inSpan('triton.infer', { 'triton.model': this.adapter.model }, () =>
          this.batcher.submitWith(() => this.adapter.prepare(p, opts.overrides)),
        );
        return { width: p.width, height: p.height, regions };
      }),
    );
  }

  configure(layout: LayoutDetectionConfig): void {
    const a = this.adapter as ModelAdapter<P> & { setConfig?(c: LayoutDetectionConfig): void };
    a.setConfig?.(layout);
  }

  async ready(): Promise<void> {
    if (!(await this.client.modelReady(this.adapter.model)))
      throw new RocheError('inference_unavailable', `Triton model ${this.adapter.model} is not ready`, { retryable: true });
  }

  /** Counters for metrics: batch sizes and why partial batches went, bytes and pages on the wire. */
  stats(): { batches: BatcherStats; wire: { bytes: number; pages: number; requests: number } } {
    return { batches: this.batcher.stats(), wire: { ...this.wire } };
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
