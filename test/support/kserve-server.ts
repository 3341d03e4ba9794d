import * as grpc from '@grpc/grpc-js';
import {
  TextDetector,
  decodeBytesTensor,
  encodeBytesTensor,
  loadKserve,
  normalizeToChwBgr,
  type InferRequest,
  type InferResponse,
  type Tensor,
  type TensorContents,
} from '@roche/inference';
import * as ort from 'onnxruntime-node';
import { HPS_MODELS, hpsReply, type HpsModel } from './hps-pipelines.js';

/**
 * A protocol-faithful stand-in for Triton (KServe v2 over real gRPC on loopback), because Triton
 * itself cannot run on these machines. It serves a real model through onnxruntime-node: PaddleOCR's
 * PP-OCRv4 DB text detector, as
 *   - `ppocr-det`    FP32 `x` [N,3,H,W] → `sigmoid_0.tmp_0` [N,1,H,W], max batch 8;
 *   - `ppocr-det-u8` UINT8 `x` [N,H,W,3] RGB, normalized server-side as a model-repo preprocessing
 *                    step would, same output;
 *   - `ppocr-det-nobatch` / `ppocr-det-one`: `max_batch_size: 0` with a variable / fixed (1) first dim;
 *   - `pp_doclayout` / `pp_doclayout_u8`: PP-DocLayout-L's tensors (FP32 or UINT8 image, im_shape,
 *                    scale_factor → boxes, counts) on a synthetic JS model (docLayoutModel);
 *   - `layout-parsing`, `formula-recognition`, `object-detection`: PaddleX HPS pipelines, BYTES `input`
 *                    [1,1] JSON → BYTES `output` JSON, replies as PaddleX's serving schemas (./hps-pipelines.ts).
 * Real gRPC status codes; it can be told to fail, stall, or go down and come back on its port.
 */
const DOC_SIZE = 640;
const DOC_ROWS = 3;
const docLayoutInputs = (dtype: string, imageShape: number[]): Tensor[] => [
  { name: 'image', datatype: dtype, shape: imageShape },
  { name: 'im_shape', datatype: 'FP32', shape: [-1, 2] },
  { name: 'scale_factor', datatype: 'FP32', shape: [-1, 2] },
];
// Boxes [N, K, 6] and counts [N]: the layout model_repo/ gives RT-DETR exports so Triton can split them per request.
const DOC_OUTPUTS: Tensor[] = [
  { name: 'fetch_name_0', datatype: 'FP32', shape: [-1, DOC_ROWS, 6] },
  { name: 'fetch_name_1', datatype: 'INT32', shape: [-1] },
];

/**
 * A synthetic PP-DocLayout-L, in JS, because no real export is available: it takes the same
 * tensors (`image` FP32 [N,3,640,640] normalized /255, or UINT8 [N,640,640,3]; `im_shape` and
 * `scale_factor` [N,2]) and answers like an RT-DETR export, K = 3 rows per image of
 * `[class, score, x1, y1, x2, y2]` in original pixels (recovered from `scale_factor`): `text` over
 * the top half if that half has ink, a near-duplicate `text` box (for NMS), `table` over the bottom
 * half if it has ink; rows without ink get low scores. What it checks is the wire format, the batch
 * split and the post-processing on the client, not detection.
 */
function docLayoutModel(req: InferRequest, spec: Tensor[]) {
  const tensors = spec.map((t) => {
    const i = req.inputs.findIndex((x) => x.name === t.name);
    if (i < 0)
      throw Object.assign(new Error(`expected input '${t.name}' for model '${req.model_name}'`), { code: grpc.status.INVALID_ARGUMENT });
    const got = req.inputs[i]!;
    const shape = got.shape.map(Number);
    const okShape = shape.length === t.shape.length && t.shape.every((d, k) => d === -1 || d === shape[k]);
    if (got.datatype !== t.datatype || !okShape) {
      throw Object.assign(new Error(`input '${t.name}': got ${got.datatype} [${shape}], model takes ${t.datatype} [${t.shape}]`), {
        code: grpc.status.INVALID_ARGUMENT,
      });
    }
    return { shape, raw: req.raw_input_contents[i]! };
  });
  const [image, imShape, scale] = tensors as [(typeof tensors)[0], (typeof tensors)[0], (typeof tensors)[0]];
  const n = image.shape[0]!;
  if (imShape.shape[0] !== n || scale.shape[0] !== n)
    throw Object.assign(new Error('batch dims differ between inputs'), { code: grpc.status.INVALID_ARGUMENT });
  const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  const sf = f32(scale.raw);
  const u8 = image.shape[3] === 3;
  const px = u8 ? image.raw : f32(image.raw);
  const plane = DOC_SIZE * DOC_SIZE;
  const half = plane / 2;
  // Share of dark red-channel values in the top / bottom half of image k.
  const ink = (k: number, from: number) => {
    let dark = 0;
    for (let i = from; i < from + half; i++) {
      const v = u8 ? px[k * plane * 3 + i * 3]! / 255 : px[k * plane * 3 + i]!;
      if (v < 0.5) dark++;
    }
    return dark / half;
  };
  const rows = new Float32Array(n * DOC_ROWS * 6);
  for (let k = 0; k < n; k++) {
    const h = DOC_SIZE / sf[k * 2]!;
    const w = DOC_SIZE / sf[k * 2 + 1]!;
    const top = ink(k, 0) > 0.01;
    const bottom = ink(k, half) > 0.01;
    rows.set([2, top ? 0.9 : 0.05, 0.1 * w, 0.05 * h, 0.9 * w, 0.45 * h], (k * DOC_ROWS + 0) * 6);
    rows.set([2, top ? 0.85 : 0.02, 0.12 * w, 0.06 * h, 0.88 * w, 0.44 * h], (k * DOC_ROWS + 1) * 6);
    rows.set([8, bottom ? 0.8 : 0.05, 0.05 * w, 0.5 * h, 0.95 * w, 0.95 * h], (k * DOC_ROWS + 2) * 6);
  }
  const counts = Int32Array.from({ length: n }, () => DOC_ROWS);
  return {
    model_name: req.model_name,
    model_version: '1',
    id: req.id ?? '',
    outputs: [
      { name: 'fetch_name_0', datatype: 'FP32', shape: [n, DOC_ROWS, 6] },
      { name: 'fetch_name_1', datatype: 'INT32', shape: [n] },
    ],
    raw_output_contents: [Buffer.from(rows.buffer), Buffer.from(counts.buffer)],
  };
}

/**
 * `execMs`: each model execution (not HPS) costs this long and they run one at a time, as on one
 * GPU, so that pages arriving while one runs have to wait and can batch — a test of batching then
 * does not depend on how fast this machine renders pages.
 */
/**
 * A response as a KServe v2 server that is not Triton may send it: outputs as typed `contents`
 * (the protocol's alternative to raw contents; never both) instead of `raw_output_contents`.
 */
function asTypedContents(res: InferResponse): InferResponse {
  const copy = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const typed: Record<string, (b: Buffer) => TensorContents> = {
    FP32: (b) => ({ fp32_contents: Array.from(new Float32Array(copy(b))) }),
    INT32: (b) => ({ int_contents: Array.from(new Int32Array(copy(b))) }),
    INT64: (b) => ({ int64_contents: Array.from(new BigInt64Array(copy(b)), Number) }),
    BYTES: (b) => ({ bytes_contents: decodeBytesTensor(b) }),
  };
  return {
    ...res,
    outputs: res.outputs.map((o, i) => ({ ...o, contents: typed[o.datatype]!(res.raw_output_contents[i]!) })),
    raw_output_contents: [],
  };
}

/**
 * `plain`: behave as a KServe v2 server that is not Triton — no ModelConfig (UNIMPLEMENTED, it is
 * Triton's extension) and outputs as typed contents.
 */
export async function startKserveServer(opts: { port?: number; maxBatch?: number; execMs?: number; plain?: boolean } = {}) {
  const maxBatch = opts.maxBatch ?? 8;
  let device = Promise.resolve();
  const occupy = () => {
    const turn = device.then(() => new Promise<void>((r) => setTimeout(r, opts.execMs)));
    device = turn;
    return turn;
  };
  const session = await ort.InferenceSession.create(TextDetector.defaultModelPath(), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const detector = await TextDetector.create({ intraOpNumThreads: 1 });
  const requests: Array<{ model: string; batch: number; bytes: number }> = [];
  /** Parsed JSON bodies of HPS requests, to check what the client forwarded. */
  const hpsBodies: Array<Record<string, unknown>> = [];
  const faults: Array<grpc.status | 'stall'> = [];
  /** errorCodes the next HPS requests answer with (a pipeline failing on a page: 500). */
  const hpsFaults: number[] = [];
  /** HPS calls being answered now, and the most seen at once (PaddleX's stock HPS model runs one at a time). */
  const hps = { inFlight: 0, maxInFlight: 0, delayMs: 0 };
  const stalled: Array<() => void> = [];
  let ready = true;

  // ModelMetadata shapes as Triton reports them: with max_batch_size > 0 the batch dim (-1) is
  // prepended to the config dims; with 0 the dims are the model's own.
  const det = {
    inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, -1, -1] }],
    outputs: [{ name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: [-1, 1, -1, -1] }],
  };
  const meta: Record<string, { inputs: Tensor[]; outputs: Tensor[]; platform: string; maxBatch: number }> = {
    'ppocr-det': { platform: 'onnxruntime_onnx', maxBatch, ...det },
    'ppocr-det-u8': {
      platform: 'ensemble',
      maxBatch,
      inputs: [{ name: 'x', datatype: 'UINT8', shape: [-1, -1, -1, 3] }],
      outputs: det.outputs,
    },
    // max_batch_size 0 with a variable first dim: no Triton batching, the client sends [N, ...] itself.
    'ppocr-det-nobatch': { platform: 'onnxruntime_onnx', maxBatch: 0, ...det },
    // max_batch_size 0 with a fixed first dim of 1: one page per request.
    'ppocr-det-one': {
      platform: 'onnxruntime_onnx',
      maxBatch: 0,
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1, 3, -1, -1] }],
      outputs: det.outputs,
    },
    // A PP-DocLayout-shaped model (see docLayoutModel): RT-DETR-style inputs, fixed rows per image.
    pp_doclayout: {
      platform: 'onnxruntime_onnx',
      maxBatch,
      inputs: docLayoutInputs('FP32', [-1, 3, DOC_SIZE, DOC_SIZE]),
      outputs: DOC_OUTPUTS,
    },
    pp_doclayout_u8: {
      platform: 'ensemble',
      maxBatch,
      inputs: docLayoutInputs('UINT8', [-1, DOC_SIZE, DOC_SIZE, 3]),
      outputs: DOC_OUTPUTS,
    },
    // PaddleX HPS: deploy/hps/sdk/common/config_*.pbtxt (python backend, max_batch_size 1, one string in and out).
    ...Object.fromEntries(
      HPS_MODELS.map((name) => [
        name,
        {
          platform: 'python',
          maxBatch: 1,
          inputs: [{ name: 'input', datatype: 'BYTES', shape: [1, 1] }],
          outputs: [{ name: 'output', datatype: 'BYTES', shape: [1, 1] }],
        },
      ]),
    ),
  };
  const fail = (code: grpc.status, details: string) => Object.assign(new Error(details), { code, details });

  async function runDet(x: Float32Array, dims: number[]) {
    const out = await session.run({ x: new ort.Tensor('float32', x, dims) });
    const t = out['sigmoid_0.tmp_0']!;
    const data = t.data as Float32Array;
    return { shape: t.dims as number[], raw: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
  }

  async function infer(req: InferRequest): Promise<unknown> {
    const m = meta[req.model_name];
    if (!m) throw fail(grpc.status.NOT_FOUND, `Request for unknown model: '${req.model_name}' is not found`);
    if (req.raw_input_contents.length !== req.inputs.length)
      throw fail(grpc.status.INVALID_ARGUMENT, 'raw_input_contents must have one entry per input');
    const input = req.inputs[0]!;
    const shape = input.shape.map(Number);
    const spec = m.inputs[0]!;
    if (input.name !== spec.name || input.datatype !== spec.datatype) {
      throw fail(
        grpc.status.INVALID_ARGUMENT,
        `unexpected input ${input.name} ${input.datatype}; model expects ${spec.name} ${spec.datatype}`,
      );
    }
    const raw = req.raw_input_contents[0]!;
    requests.push({ model: req.model_name, batch: shape[0]!, bytes: req.raw_input_contents.reduce((s, b) => s + b.length, 0) });
    if ((HPS_MODELS as readonly string[]).includes(req.model_name)) {
      const [json] = decodeBytesTensor(raw);
      const body = JSON.parse(json!.toString('utf8')) as Record<string, unknown>;
      hpsBodies.push(body);
      const code = hpsFaults.shift();
      hps.maxInFlight = Math.max(hps.maxInFlight, ++hps.inFlight);
      let envelope;
      try {
        if (hps.delayMs) await new Promise((r) => setTimeout(r, hps.delayMs));
        envelope = code
          ? { logId: 'test', errorCode: code, errorMsg: `injected pipeline failure ${code}` }
          : await hpsReply(req.model_name as HpsModel, body, detector);
      } finally {
        hps.inFlight--;
      }
      return {
        model_name: req.model_name,
        model_version: '1',
        id: req.id ?? '',
        outputs: [{ name: 'output', datatype: 'BYTES', shape: [1, 1] }],
        raw_output_contents: [encodeBytesTensor([Buffer.from(JSON.stringify(envelope))])],
      };
    }
    if (m.maxBatch > 0 && shape[0]! > m.maxBatch)
      throw fail(grpc.status.INVALID_ARGUMENT, `inference request batch-size must be <= ${m.maxBatch} for '${req.model_name}'`);
    if (opts.execMs) await occupy();
    if (req.model_name.startsWith('pp_doclayout')) return docLayoutModel(req, m.inputs);
    if (m.maxBatch === 0 && spec.shape[0] !== -1 && shape[0] !== spec.shape[0]) {
      throw fail(
        grpc.status.INVALID_ARGUMENT,
        `unexpected shape for input '${spec.name}' for model '${req.model_name}'. Expected [${spec.shape.join(',')}], got [${shape.join(',')}]`,
      );
    }
    let x: Float32Array;
    let dims: number[];
    if (req.model_name === 'ppocr-det-u8') {
      const [n, h, w] = shape as [number, number, number, number];
      if (raw.length !== n * h * w * 3) throw fail(grpc.status.INVALID_ARGUMENT, `expected ${n * h * w * 3} bytes, got ${raw.length}`);
      x = new Float32Array(n * 3 * h * w);
      for (let k = 0; k < n; k++) x.set(normalizeToChwBgr(raw.subarray(k * h * w * 3, (k + 1) * h * w * 3), w, h), k * 3 * h * w);
      dims = [n, 3, h, w];
    } else {
      if (raw.length !== shape.reduce((a, b) => a * b, 1) * 4)
        throw fail(grpc.status.INVALID_ARGUMENT, 'raw input size does not match shape');
      x = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      dims = shape;
    }
    const out = await runDet(x, dims);
    return {
      model_name: req.model_name,
      model_version: '1',
      id: req.id ?? '',
      outputs: [{ name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: out.shape }],
      raw_output_contents: [out.raw],
    };
  }

  const unary =
    (fn: (req: never) => Promise<unknown> | unknown, faultable = false) =>
    async (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      if (faultable && faults.length) {
        const f = faults.shift()!;
        if (f === 'stall') return void stalled.push(() => cb(fail(grpc.status.UNAVAILABLE, 'released after stall') as grpc.ServiceError));
        return cb(fail(f, `injected ${grpc.status[f]}`) as grpc.ServiceError);
      }
      try {
        cb(null, await fn(call.request as never));
      } catch (e) {
        cb(e as grpc.ServiceError);
      }
    };

  const handlers = {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready })),
    ModelReady: unary((r: { name: string }) => ({ ready: ready && r.name in meta })),
    ServerMetadata: unary(() => ({ name: 'roche-test-kserve', version: '2.0', extensions: ['binary_tensor_data'] })),
    ModelMetadata: unary((r: { name: string }) => {
      const m = meta[r.name];
      if (!m) throw fail(grpc.status.NOT_FOUND, `Request for unknown model: '${r.name}' is not found`);
      return { name: r.name, versions: ['1'], platform: m.platform, inputs: m.inputs, outputs: m.outputs };
    }),
    ModelConfig: unary((r: { name: string }) => {
      if (opts.plain) throw fail(grpc.status.UNIMPLEMENTED, 'Method not found: inference.GRPCInferenceService/ModelConfig');
      const m = meta[r.name];
      if (!m) throw fail(grpc.status.NOT_FOUND, `Request for unknown model: '${r.name}' is not found`);
      return {
        config: {
          name: r.name,
          platform: m.platform,
          max_batch_size: m.maxBatch,
          backend: m.platform === 'onnxruntime_onnx' ? 'onnxruntime' : m.platform,
        },
      };
    }),
    ModelInfer: unary(async (r: InferRequest) => {
      const res = (await infer(r)) as InferResponse;
      return opts.plain ? asTypedContents(res) : res;
    }, true),
  };

  const pkg = loadKserve() as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  let server: grpc.Server;
  let port = opts.port ?? 0;
  const listen = async () => {
    server = new grpc.Server({ 'grpc.max_receive_message_length': 512 * 1024 * 1024, 'grpc.max_send_message_length': 512 * 1024 * 1024 });
    server.addService(pkg.inference.GRPCInferenceService.service, handlers as never);
    port = await new Promise<number>((res, rej) =>
      server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
    );
  };
  await listen();
  const down = () => new Promise<void>((r) => server.tryShutdown(() => r())).then(() => server.forceShutdown());

  return {
    get url() {
      return `127.0.0.1:${port}`;
    },
    requests,
    hpsBodies,
    hps,
    /** The next ModelInfer calls fail with these gRPC codes, or hang until `release()` for 'stall'. */
    inject: (...f: Array<grpc.status | 'stall'>) => faults.push(...f),
    /** The next HPS requests answer with these `errorCode`s instead of a result. */
    injectHps: (...codes: number[]) => hpsFaults.push(...codes),
    release: () => stalled.splice(0).forEach((r) => r()),
    setReady: (v: boolean) => (ready = v),
    /** Stops listening (clients see UNAVAILABLE) until `restart()` binds the same port again. */
    stop: down,
    restart: listen,
    async close() {
      stalled.splice(0).forEach((r) => r());
      server.forceShutdown();
      await session.release();
      await detector.close();
    },
  };
}
