import * as grpc from '@grpc/grpc-js';
import { TextDetector, decodeBytesTensor, encodeBytesTensor, groupLines, loadKserve, normalizeToChwBgr, type InferRequest, type Tensor } from '@roche/inference';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';

/**
 * A protocol-faithful stand-in for Triton (KServe v2 over real gRPC on loopback), because Triton
 * itself cannot run on these machines. It serves a real model through onnxruntime-node: PaddleOCR's
 * PP-OCRv4 DB text detector, as
 *   - `ppocr-det`    FP32 `x` [N,3,H,W] → `sigmoid_0.tmp_0` [N,1,H,W], max batch 8;
 *   - `ppocr-det-u8` UINT8 `x` [N,H,W,3] RGB, normalized server-side as a model-repo preprocessing
 *                    step would, same output;
 *   - `layout-parsing` a PaddleX HPS pipeline: BYTES `input` [1,1] JSON → BYTES `output` JSON.
 * Real gRPC status codes; it can be told to fail, stall, or go down and come back on its port.
 */
export async function startKserveServer(opts: { port?: number; maxBatch?: number } = {}) {
  const maxBatch = opts.maxBatch ?? 8;
  const session = await ort.InferenceSession.create(TextDetector.defaultModelPath(), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const detector = await TextDetector.create({ intraOpNumThreads: 1 });
  const requests: Array<{ model: string; batch: number; bytes: number }> = [];
  const faults: Array<grpc.status | 'stall'> = [];
  const stalled: Array<() => void> = [];
  let ready = true;

  const meta: Record<string, { inputs: Tensor[]; outputs: Tensor[]; platform: string }> = {
    'ppocr-det': { platform: 'onnxruntime_onnx', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 3, -1, -1] }], outputs: [{ name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: [-1, 1, -1, -1] }] },
    'ppocr-det-u8': { platform: 'ensemble', inputs: [{ name: 'x', datatype: 'UINT8', shape: [-1, -1, -1, 3] }], outputs: [{ name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: [-1, 1, -1, -1] }] },
    'layout-parsing': { platform: 'python', inputs: [{ name: 'input', datatype: 'BYTES', shape: [1, 1] }], outputs: [{ name: 'output', datatype: 'BYTES', shape: [1, 1] }] },
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
    if (req.raw_input_contents.length !== req.inputs.length) throw fail(grpc.status.INVALID_ARGUMENT, 'raw_input_contents must have one entry per input');
    const input = req.inputs[0]!;
    const shape = input.shape.map(Number);
    const spec = m.inputs[0]!;
    if (input.name !== spec.name || input.datatype !== spec.datatype) {
      throw fail(grpc.status.INVALID_ARGUMENT, `unexpected input ${input.name} ${input.datatype}; model expects ${spec.name} ${spec.datatype}`);
    }
    const raw = req.raw_input_contents[0]!;
    requests.push({ model: req.model_name, batch: shape[0]!, bytes: req.raw_input_contents.reduce((s, b) => s + b.length, 0) });
    if (req.model_name === 'layout-parsing') {
      const [json] = decodeBytesTensor(raw);
      const body = JSON.parse(json!.toString('utf8')) as { file?: string };
      let envelope;
      try {
        const { data, info } = await sharp(Buffer.from(body.file ?? '', 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
        const lines = await detector.detect({ data, width: info.width, height: info.height });
        const boxes = groupLines(lines).map((b) => ({ cls_id: 2, label: 'text', score: b.score, coordinate: b.box }));
        envelope = { logId: 'test', errorCode: 0, errorMsg: 'Success', result: { layoutParsingResults: [{ prunedResult: { layout_det_res: { boxes } } }], dataInfo: { width: info.width, height: info.height } } };
      } catch (e) {
        envelope = { logId: 'test', errorCode: 422, errorMsg: `Unsupported file: ${(e as Error).message}` };
      }
      return { model_name: req.model_name, model_version: '1', id: req.id ?? '', outputs: [{ name: 'output', datatype: 'BYTES', shape: [1, 1] }], raw_output_contents: [encodeBytesTensor([Buffer.from(JSON.stringify(envelope))])] };
    }
    if (shape[0]! > maxBatch) throw fail(grpc.status.INVALID_ARGUMENT, `inference request batch-size must be <= ${maxBatch} for '${req.model_name}'`);
    let x: Float32Array;
    let dims: number[];
    if (req.model_name === 'ppocr-det-u8') {
      const [n, h, w] = shape as [number, number, number, number];
      if (raw.length !== n * h * w * 3) throw fail(grpc.status.INVALID_ARGUMENT, `expected ${n * h * w * 3} bytes, got ${raw.length}`);
      x = new Float32Array(n * 3 * h * w);
      for (let k = 0; k < n; k++) x.set(normalizeToChwBgr(raw.subarray(k * h * w * 3, (k + 1) * h * w * 3), w, h), k * 3 * h * w);
      dims = [n, 3, h, w];
    } else {
      if (raw.length !== shape.reduce((a, b) => a * b, 1) * 4) throw fail(grpc.status.INVALID_ARGUMENT, 'raw input size does not match shape');
      x = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
      dims = shape;
    }
    const out = await runDet(x, dims);
    return { model_name: req.model_name, model_version: '1', id: req.id ?? '', outputs: [{ name: 'sigmoid_0.tmp_0', datatype: 'FP32', shape: out.shape }], raw_output_contents: [out.raw] };
  }

  const unary = (fn: (req: never) => Promise<unknown> | unknown, faultable = false) => async (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
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
      const m = meta[r.name];
      if (!m) throw fail(grpc.status.NOT_FOUND, `Request for unknown model: '${r.name}' is not found`);
      return { config: { name: r.name, platform: m.platform, max_batch_size: r.name === 'layout-parsing' ? 1 : maxBatch, backend: m.platform === 'onnxruntime_onnx' ? 'onnxruntime' : m.platform } };
    }),
    ModelInfer: unary((r: InferRequest) => infer(r), true),
  };

  const pkg = loadKserve() as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  let server: grpc.Server;
  let port = opts.port ?? 0;
  const listen = async () => {
    server = new grpc.Server({ 'grpc.max_receive_message_length': 512 * 1024 * 1024, 'grpc.max_send_message_length': 512 * 1024 * 1024 });
    server.addService(pkg.inference.GRPCInferenceService.service, handlers as never);
    port = await new Promise<number>((res, rej) => server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  };
  await listen();
  const down = () => new Promise<void>((r) => server.tryShutdown(() => r())).then(() => server.forceShutdown());

  return {
    get url() {
      return `127.0.0.1:${port}`;
    },
    requests,
    /** The next ModelInfer calls fail with these gRPC codes, or hang until `release()` for 'stall'. */
    inject: (...f: Array<grpc.status | 'stall'>) => faults.push(...f),
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
