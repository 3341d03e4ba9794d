import type { LayoutDetectionConfig, LayoutOverrides, Region, RgbImage, TritonWire } from '@roche/core';
import sharp from 'sharp';
import { groupLines } from '../layout/group-lines.js';
import { orderedRegions } from '../layout/regions.js';
import { MODELS, type ModelSpec } from '../paddlex/models.js';
import { postprocessLayout, splitBatchOutput } from '../paddlex/postprocess.js';
import { applyOverrides } from '../paddlex/pipeline-config.js';
import { atOwnSize, normalizeChwInto, resizeForModel, resizeForModelOn, type Prepared } from '../paddlex/preprocess.js';
import type { ResizePool } from '../paddlex/resize-pool.js';
import { detectionsToRegions } from '../paddlex/regions.js';
import { dbPostprocess, DEFAULT_DB_OPTIONS } from '../text-det/db-postprocess.js';
import { normalizeToChwBgr } from '../text-det/preprocess.js';
import type { RawContent, WrittenPart } from './infer-request.js';
import { bytesTensorParts, outputBytes, type InferResponse, type ModelMetadata, type Tensor } from './proto.js';

/**
 * How a page goes to the model: `fp32` the normalized model input, `uint8` the resized pixels (the
 * repository normalizes), `native` the page's own pixels at its own size (the repository resizes and
 * normalizes next to the GPU, as PaddleX's serving does; the client only copies bytes).
 */
export type Wire = TritonWire;
/** `auto`: what the served model's image input declares: BYTES → native, UINT8 → uint8, else FP32. */
export type WireChoice = Wire | 'auto';

/** The wire format for a model whose image input (`name`) is declared `datatype`. */
export const wireFor = (choice: WireChoice, datatype: string | undefined): Wire =>
  choice !== 'auto' ? choice : datatype === 'BYTES' ? 'native' : datatype === 'UINT8' ? 'uint8' : 'fp32';

export interface Encoded {
  inputs: Tensor[];
  /** Per input, its bytes or its parts back to back (pages are not concatenated here: infer-request.ts). */
  raw: RawContent[];
  outputs: string[];
}

/** What the Triton engine needs to know about one model: how pages become tensors and back. */
export interface ModelAdapter<P> {
  readonly model: string;
  /** Inputs and outputs the model must declare (name → datatype), checked against ModelMetadata at start. */
  readonly contract: { inputs: Record<string, string>; outputs: Record<string, string> };
  /** Settles a wire format left to `auto` from the model's metadata, before the contract is checked. */
  fitTo?(meta: ModelMetadata): void;
  prepare(page: RgbImage, overrides?: LayoutOverrides): Promise<P>;
  encode(items: P[]): Encoded;
  decode(res: InferResponse, items: P[]): Region[][];
  /** The batch's request has completed (answered or failed for good): buffers its pages held may be reused. */
  release?(items: P[]): void;
}

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const asF32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

interface DocLayoutItem extends Prepared {
  cfg: LayoutDetectionConfig;
}

/**
 * PP-DocLayout exported by PaddleX: `image` [N,3,S,S] FP32 (or UINT8 [N,S,S,3] when the model
 * repository normalizes), `im_shape` and `scale_factor` [N,2] FP32; outputs boxes [M,6] and per-image
 * counts [N]. Output names follow Paddle2ONNX's `fetch_name_0/1` by default (verify per export).
 * On the `native` wire (model_repo/pp_doclayout_native) the inputs are `image` BYTES [N,1] (pages at
 * their own size, RGB HWC) and `image_size` INT32 [N,2] (height, width); the
 * repository resizes with cv2 and derives im_shape and scale_factor itself.
 */
export class PpDocLayoutAdapter implements ModelAdapter<DocLayoutItem> {
  contract!: ModelAdapter<DocLayoutItem>['contract'];
  private wire!: Wire;
  constructor(
    readonly model: string,
    private readonly spec: ModelSpec,
    private cfg: LayoutDetectionConfig,
    private readonly choice: WireChoice,
    private readonly outputs = { boxes: 'fetch_name_0', counts: 'fetch_name_1' },
    /** Resize on these threads instead of the event loop. */
    private readonly resizePool?: ResizePool,
  ) {
    this.setWire(wireFor(choice, 'UINT8'));
  }

  private setWire(wire: Wire): void {
    this.wire = wire;
    const inputs: Record<string, string> =
      wire === 'native' ? { image: 'BYTES', image_size: 'INT32' } : { image: wire === 'uint8' ? 'UINT8' : 'FP32' };
    if (wire !== 'native') for (const n of this.spec.inputs) if (n !== 'image') inputs[n] = 'FP32';
    this.contract = { inputs, outputs: { [this.outputs.boxes]: 'FP32', [this.outputs.counts]: 'INT32' } };
  }

  fitTo(meta: ModelMetadata): void {
    this.setWire(wireFor(this.choice, meta.inputs.find((t) => t.name === 'image')?.datatype));
  }

  static forModel(model: string, cfg: LayoutDetectionConfig, wire: WireChoice, opts: { resizePool?: ResizePool } = {}) {
    const spec = MODELS[cfg.model_name];
    if (!spec) throw new Error(`no PP-DocLayout spec for ${cfg.model_name}`);
    return new PpDocLayoutAdapter(model, spec, cfg, wire, undefined, opts.resizePool);
  }

  /** New settings for pages prepared from now on (live configuration). The model family must stay the same. */
  setConfig(cfg: LayoutDetectionConfig): void {
    if (MODELS[cfg.model_name] !== this.spec) throw new Error(`${this.model} is ${this.spec.name}; a new model_name needs a new engine`);
    this.cfg = cfg;
  }

  async prepare(page: RgbImage, overrides?: LayoutOverrides): Promise<DocLayoutItem> {
    const cfg = applyOverrides(this.cfg, overrides);
    // Native: no copy and no resize here; the request copies the pixels once (infer-request.ts).
    if (this.wire === 'native') return { ...atOwnSize(page, this.spec), cfg };
    const resized = this.resizePool ? await resizeForModelOn(this.resizePool, page, this.spec) : resizeForModel(page, this.spec);
    return { ...resized, cfg };
  }

  encode(items: DocLayoutItem[]): Encoded {
    const n = items.length;
    const s = this.spec.size;
    const inputs: Tensor[] = [];
    const raw: RawContent[] = [];
    if (this.wire === 'native') {
      const sizes = Int32Array.from(items.flatMap((i) => [i.original.height, i.original.width]));
      return {
        inputs: [
          { name: 'image', datatype: 'BYTES', shape: [n, 1] },
          { name: 'image_size', datatype: 'INT32', shape: [n, 2] },
        ],
        // BYTES because pages differ in size: a UINT8 [n, H, W, 3] tensor could only batch pages of one
        // size, and Triton's dynamic batcher would not merge requests of different sizes.
        raw: [bytesTensorParts(items.map((i) => i.pixels)), Buffer.from(sizes.buffer)],
        outputs: [this.outputs.boxes, this.outputs.counts],
      };
    }
    if (this.wire === 'uint8') {
      inputs.push({ name: 'image', datatype: 'UINT8', shape: [n, s, s, 3] });
      raw.push(items.map((i) => i.pixels));
    } else {
      inputs.push({ name: 'image', datatype: 'FP32', shape: [n, 3, s, s] });
      // Normalized straight into the request: no FP32 tensor of its own per page.
      raw.push(
        items.map((it): WrittenPart => ({
          byteLength: 3 * s * s * 4,
          writeTo: (into, at) => normalizeChwInto(it.pixels, s, this.spec, into, at),
        })),
      );
    }
    if (this.spec.inputs.includes('im_shape')) {
      inputs.push({ name: 'im_shape', datatype: 'FP32', shape: [n, 2] });
      raw.push(f32(Float32Array.from(items.flatMap((i) => i.imShape))));
    }
    inputs.push({ name: 'scale_factor', datatype: 'FP32', shape: [n, 2] });
    raw.push(f32(Float32Array.from(items.flatMap((i) => i.scaleFactor))));
    return { inputs, raw, outputs: [this.outputs.boxes, this.outputs.counts] };
  }

  release(items: DocLayoutItem[]): void {
    if (this.resizePool) for (const it of items) this.resizePool.recycle(it.pixels);
  }

  decode(res: InferResponse, items: DocLayoutItem[]): Region[][] {
    const boxes = asF32(outputBytes(res, this.outputs.boxes).bytes);
    const c = outputBytes(res, this.outputs.counts).bytes;
    const counts = new Int32Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
    return splitBatchOutput(boxes, counts).map((dets, k) => {
      const it = items[k]!;
      return detectionsToRegions(postprocessLayout(dets, it.cfg, it.original, this.spec.labels), this.spec.labels);
    });
  }
}

interface DetItem {
  pixels: Buffer;
  size: number;
  original: { width: number; height: number };
}

/**
 * Stand-in for tests and benchmarks where no PP-DocLayout export is at hand: PaddleOCR's DB text
 * detector (`x` [N,3,S,S] FP32, BGR ImageNet-normalized, or UINT8 [N,S,S,3] RGB for a model repo
 * that normalizes; output [N,1,S,S] probabilities), pages resized to one square size so they batch,
 * lines grouped into `text` blocks. Exercises the whole gRPC and batching path with a real model.
 */
export class TextDetAdapter implements ModelAdapter<DetItem> {
  contract!: ModelAdapter<DetItem>['contract'];
  private wire!: Wire;
  constructor(
    readonly model: string,
    private readonly size: number,
    private readonly choice: WireChoice,
    private readonly names = { input: 'x', output: 'sigmoid_0.tmp_0' },
  ) {
    this.setWire(wireFor(choice, 'UINT8'));
  }

  private setWire(wire: Wire): void {
    if (wire === 'native') throw new Error(`${this.model}: the text-det stand-in takes uint8 or fp32, not native-size pages`);
    this.wire = wire;
    this.contract = { inputs: { [this.names.input]: wire === 'uint8' ? 'UINT8' : 'FP32' }, outputs: { [this.names.output]: 'FP32' } };
  }

  fitTo(meta: ModelMetadata): void {
    this.setWire(wireFor(this.choice, meta.inputs.find((t) => t.name === this.names.input)?.datatype));
  }

  async prepare(page: RgbImage): Promise<DetItem> {
    const pixels = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
      .resize(this.size, this.size, { fit: 'fill', kernel: 'linear' })
      .raw()
      .toBuffer();
    return { pixels, size: this.size, original: { width: page.width, height: page.height } };
  }

  encode(items: DetItem[]): Encoded {
    const s = this.size;
    if (this.wire === 'uint8') {
      return {
        inputs: [{ name: this.names.input, datatype: 'UINT8', shape: [items.length, s, s, 3] }],
        raw: [items.map((i) => i.pixels)],
        outputs: [this.names.output],
      };
    }
    return {
      inputs: [{ name: this.names.input, datatype: 'FP32', shape: [items.length, 3, s, s] }],
      raw: [items.map((it) => f32(normalizeToChwBgr(it.pixels, s, s)))],
      outputs: [this.names.output],
    };
  }

  decode(res: InferResponse, items: DetItem[]): Region[][] {
    const { tensor, bytes: buf } = outputBytes(res, this.names.output);
    const [, , h, w] = tensor.shape.map(Number);
    const all = asF32(buf);
    return items.map((it, k) => {
      const prob = all.subarray(k * h! * w!, (k + 1) * h! * w!);
      const lines = dbPostprocess(
        prob,
        w!,
        h!,
        { ratioW: it.original.width / w!, ratioH: it.original.height / h!, pageWidth: it.original.width, pageHeight: it.original.height },
        DEFAULT_DB_OPTIONS,
      );
      return orderedRegions(groupLines(lines).map((b) => ({ label: 'text', score: b.score, box: b.box })));
    });
  }
}
