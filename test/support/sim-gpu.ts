import * as grpc from '@grpc/grpc-js';
import { decodeBytesTensor, DTYPE_BYTES, loadKserve, MODELS, resizeCubicCv, type InferRequest, type Tensor } from '@roche/inference';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serveGrpcOverH2 } from './grpc-h2-server.js';

/**
 * A simulated GPU behind a protocol-faithful KServe v2 server (real gRPC on loopback), for
 * benchmarks and tests of how well Roche keeps a GPU busy. It serves a PP-DocLayout-shaped model
 * whose compute is a timer:
 *   - executions run one at a time (one model instance on one GPU), each costing
 *     `execMs + pageMs × pages`; a request waits in a queue while another executes;
 *   - optionally Triton's dynamic batcher: queued requests are merged into one execution of at most
 *     `maxBatch` pages, waiting up to `queueDelayMs` for a full batch (max_queue_delay_microseconds);
 *   - busy-time accounting on a virtual clock: an execution starts when the GPU is free and its
 *     input has arrived, and ends exactly `cost` later, so a late timer delays only the reply (like
 *     network latency), never the next execution, and `busyMs` is the sum of nominal costs.
 * Models (max_batch_size `maxBatch`, Triton's batched shapes):
 *   - `pp_doclayout`    `image` FP32 [N,3,640,640] (PP-DocLayout-L normalization: /255),
 *   - `pp_doclayout_u8` `image` UINT8 [N,640,640,3] RGB (a model repository that normalizes),
 *   both with `im_shape`, `scale_factor` FP32 [N,2];
 *   - `pp_doclayout_native` `image` BYTES [N,1] (pages at their own size) and `image_size` INT32
 *   [N,2], as model_repo/pp_doclayout_native: the server prepares the pages itself, either for real
 *   (Roche's cv2-exact INTER_CUBIC, on this process's CPU) or, with `preprocess`, on a timer standing
 *   for the Triton host's own CPU instances (the boxes then come from a nearest-pixel sample);
 *   all → `fetch_name_0` FP32 [N,K,6]
 *   (`class, score, x1, y1, x2, y2` in original pixels) and `fetch_name_1` INT32 [N] (= K).
 * The boxes are plausible, not learned: ink bands found on a sparse grid become `text` blocks.
 */
export interface SimGpuOptions {
  port?: number;
  /** Fixed cost of one execution (kernel launches, fixed overhead). */
  execMs: number;
  /** Cost per page in an execution. */
  pageMs: number;
  /** max_batch_size of the models. */
  maxBatch?: number;
  /** Triton dynamic batching; off: every request is its own execution. */
  dynamicBatching?: { queueDelayMs: number } | false;
  /**
   * `pp_doclayout_native` only: preprocessing costs `pageMs` per page on one of `instances` CPU
   * instances of the Triton host (Python backend, instance_group count), before the GPU queue.
   * Absent: pages are resized for real on arrival, on this process's CPU.
   */
  preprocess?: { pageMs: number; instances: number };
  /**
   * The gRPC server: grpc-js's (default), or `h2`, a unary server on node:http2 that reuses its
   * request buffers (grpc-h2-server.ts) and so takes less of a shared machine's CPU from the clients.
   */
  transport?: 'grpc-js' | 'h2';
}

export interface SimGpuStats {
  requests: number;
  executions: number;
  pages: number;
  /** Sum of execution costs since the last reset. */
  busyMs: number;
  /** Wall time since the last reset. */
  elapsedMs: number;
  busyShare: number;
  /** Executions by number of pages. */
  executionSizes: Record<number, number>;
  /** When the first execution since the last reset started and the last one ended, in ms after the reset (virtual clock); null before any. */
  firstStartMs: number | null;
  lastEndMs: number | null;
  /** Requests by number of pages (what the client sent). */
  requestSizes: Record<number, number>;
  /** Sum of modelled preprocessing time (native model with `preprocess`). */
  preprocessMs: number;
  /**
   * CPU time the server's process used since the last reset (all threads: gRPC, decoding), when it
   * runs in a process of its own (startSimGpuProcess): on a shared machine it is taken from the clients.
   */
  serverCpuMs?: number;
}

export interface SimGpu {
  readonly url: string;
  stats(): Promise<SimGpuStats>;
  /** Zeroes the counters and restarts the wall clock. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const SIZE = 640;
/** Rows per image in the boxes output (an RT-DETR export has a fixed number too). */
export const SIM_ROWS = 16;
const TEXT = 2;
const spec = MODELS['PP-DocLayout-L']!;

const inputsFor = (dtype: 'FP32' | 'UINT8'): Tensor[] => [
  { name: 'image', datatype: dtype, shape: dtype === 'UINT8' ? [-1, SIZE, SIZE, 3] : [-1, 3, SIZE, SIZE] },
  { name: 'im_shape', datatype: 'FP32', shape: [-1, 2] },
  { name: 'scale_factor', datatype: 'FP32', shape: [-1, 2] },
];
const OUTPUTS: Tensor[] = [
  { name: 'fetch_name_0', datatype: 'FP32', shape: [-1, SIM_ROWS, 6] },
  { name: 'fetch_name_1', datatype: 'INT32', shape: [-1] },
];
/** The simulated model for each wire (named as in model_repo/). */
export const SIM_MODELS = { fp32: 'pp_doclayout', uint8: 'pp_doclayout_u8', native: 'pp_doclayout_native' } as const;

const MODEL_INPUTS: Record<string, Tensor[]> = {
  pp_doclayout: inputsFor('FP32'),
  pp_doclayout_u8: inputsFor('UINT8'),
  pp_doclayout_native: [
    { name: 'image', datatype: 'BYTES', shape: [-1, 1] },
    { name: 'image_size', datatype: 'INT32', shape: [-1, 2] },
  ],
};

const invalid = (msg: string) => Object.assign(new Error(msg), { code: grpc.status.INVALID_ARGUMENT, details: msg });

interface Batch {
  n: number;
  /** Pages as the model sees them: FP32 CHW or UINT8 HWC at 640×640. */
  image: Buffer;
  scale: Buffer;
  /** Native model: pages at their own size, until preparePages. */
  pages?: Buffer[];
  sizes?: Array<{ h: number; w: number }>;
}

/** Checks a request against the model's inputs and max batch; returns its tensors and batch size. */
function validate(req: InferRequest, maxBatch: number): Batch {
  const spec = MODEL_INPUTS[req.model_name];
  if (!spec) {
    const msg = `Request for unknown model: '${req.model_name}' is not found`;
    throw Object.assign(new Error(msg), { code: grpc.status.NOT_FOUND, details: msg });
  }
  if (req.raw_input_contents.length !== req.inputs.length) throw invalid('raw_input_contents must have one entry per input');
  let n = -1;
  const raw: Buffer[] = [];
  for (const t of spec) {
    const i = req.inputs.findIndex((x) => x.name === t.name);
    if (i < 0) throw invalid(`expected input '${t.name}' for model '${req.model_name}'`);
    const got = req.inputs[i]!;
    const shape = got.shape.map(Number);
    const okShape = shape.length === t.shape.length && t.shape.every((d, k) => d === -1 || d === shape[k]);
    if (got.datatype !== t.datatype || !okShape)
      throw invalid(`input '${t.name}': got ${got.datatype} [${shape}], model takes ${t.datatype} [${t.shape}]`);
    if (n >= 0 && shape[0] !== n) throw invalid('batch dims differ between inputs');
    n = shape[0]!;
    const bytes = shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[t.datatype] ?? 1);
    if (t.datatype !== 'BYTES' && req.raw_input_contents[i]!.length !== bytes)
      throw invalid(`input '${t.name}': expected ${bytes} bytes, got ${req.raw_input_contents[i]!.length}`);
    raw.push(req.raw_input_contents[i]!);
  }
  if (n < 1 || n > maxBatch) throw invalid(`inference request batch-size must be <= ${maxBatch} for '${req.model_name}'`);
  if (req.model_name !== 'pp_doclayout_native') return { n, image: raw[0]!, scale: raw[2]! };
  let pages: Buffer[];
  try {
    pages = decodeBytesTensor(raw[0]!, n);
  } catch (e) {
    throw invalid(`input 'image': ${(e as Error).message}`);
  }
  const hw = new Int32Array(raw[1]!.buffer.slice(raw[1]!.byteOffset, raw[1]!.byteOffset + raw[1]!.byteLength));
  const sizes = pages.map((p, k) => {
    const [h, w] = [hw[2 * k]!, hw[2 * k + 1]!];
    if (h < 1 || w < 1 || p.length !== h * w * 3) throw invalid(`page ${k}: ${p.length} bytes for ${w}×${h} RGB`);
    return { h, w };
  });
  return {
    n,
    image: Buffer.alloc(0),
    scale: Buffer.from(Float32Array.from(sizes.flatMap(({ h, w }) => [SIZE / h, SIZE / w])).buffer),
    pages,
    sizes,
  };
}

/**
 * The native model's preprocessing: each page resized to 640×640 as PaddleX does (exact), or only
 * the grid layoutRows reads, by nearest pixel (the timer stands for the cost).
 */
function preparePages(t: Batch, exact: boolean): void {
  if (!t.pages) return;
  const out = Buffer.alloc(t.n * SIZE * SIZE * 3, 255);
  t.pages.forEach((p, k) => {
    const { h, w } = t.sizes![k]!;
    const at = k * SIZE * SIZE * 3;
    if (exact) out.set(resizeCubicCv(p, w, h, SIZE, SIZE, 3), at);
    else
      for (let y = 0; y < SIZE; y += 4)
        for (let x = 0; x < SIZE; x += 4)
          out[at + (y * SIZE + x) * 3] = p[(Math.floor((y * h) / SIZE) * w + Math.floor((x * w) / SIZE)) * 3]!;
  });
  t.image = out;
  t.pages = undefined;
}

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

/**
 * Text blocks of page k: rows of a 4-pixel grid with a dark sample, merged across gaps of up to
 * 12 pixels, each spanning its darkest samples' columns; boxes in original pixels via scale_factor.
 */
function layoutRows(image: Buffer, u8: boolean, k: number, sy: number, sx: number, out: Float32Array, at: number): void {
  const plane = SIZE * SIZE;
  // Normalized value of a mid-grey, for the FP32 model (PaddleX's NormalizeImage of PP-DocLayout-L).
  const darkF = (0.5 - spec.mean[0]) / spec.std[0];
  const px = u8 ? image : f32(image.subarray(k * 3 * plane * 4, (k * 3 + 1) * plane * 4));
  const dark = (y: number, x: number) => (u8 ? px[k * plane * 3 + (y * SIZE + x) * 3]! < 128 : px[y * SIZE + x]! < darkF);
  const blocks: Array<[number, number, number, number]> = [];
  let cur: [number, number, number, number] | undefined;
  for (let y = 0; y < SIZE; y += 4) {
    let x0 = SIZE;
    let x1 = -1;
    for (let x = 0; x < SIZE; x += 4)
      if (dark(y, x)) {
        x0 = Math.min(x0, x);
        x1 = x;
      }
    if (x1 < 0) continue;
    if (cur && y - cur[3] <= 12) {
      cur[0] = Math.min(cur[0], x0);
      cur[2] = Math.max(cur[2], x1 + 4);
      cur[3] = y + 4;
    } else blocks.push((cur = [x0, y, x1 + 4, y + 4]));
  }
  blocks.sort((a, b) => (b[2] - b[0]) * (b[3] - b[1]) - (a[2] - a[0]) * (a[3] - a[1]));
  for (let r = 0; r < SIM_ROWS; r++) {
    const b = blocks[r];
    const o = at + r * 6;
    if (!b) out.set([TEXT, 0, 0, 0, 0, 0], o);
    else out.set([TEXT, 0.9 - 0.01 * r, b[0] / sx, b[1] / sy, b[2] / sx, b[3] / sy], o);
  }
}

function runModel(req: InferRequest, t: Batch) {
  const u8 = req.model_name !== 'pp_doclayout';
  const sf = f32(t.scale);
  const rows = new Float32Array(t.n * SIM_ROWS * 6);
  for (let k = 0; k < t.n; k++) layoutRows(t.image, u8, k, sf[k * 2]!, sf[k * 2 + 1]!, rows, k * SIM_ROWS * 6);
  return {
    model_name: req.model_name,
    model_version: '1',
    id: req.id ?? '',
    outputs: [
      { name: 'fetch_name_0', datatype: 'FP32', shape: [t.n, SIM_ROWS, 6] },
      { name: 'fetch_name_1', datatype: 'INT32', shape: [t.n] },
    ],
    raw_output_contents: [Buffer.from(rows.buffer), Buffer.from(Int32Array.from({ length: t.n }, () => SIM_ROWS).buffer)],
  };
}

interface Queued {
  req: InferRequest;
  t: Batch;
  arrived: number;
  done: (e: Error | null, r?: unknown) => void;
}

/**
 * glibc settings of the worker services (compose.yaml, deploy/k8s): freed memory stays in the heap
 * for the next large buffer instead of going back to the kernel and faulting in again.
 */
export const WORKER_MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '1073741824', MALLOC_TRIM_THRESHOLD_: '4294967296' };

/** Starts the simulated GPU in this process. */
export async function startSimGpu(opts: SimGpuOptions): Promise<SimGpu> {
  const maxBatch = opts.maxBatch ?? 8;
  const dyn = opts.dynamicBatching || undefined;
  const queue: Queued[] = [];
  let gpuFreeAt = 0;
  let running = false;
  let delayTimer: NodeJS.Timeout | undefined;
  const zero = () => ({
    requests: 0,
    executions: 0,
    pages: 0,
    busyMs: 0,
    since: performance.now(),
    firstStartMs: null as number | null,
    lastEndMs: null as number | null,
    executionSizes: {} as Record<number, number>,
    requestSizes: {} as Record<number, number>,
    preprocessMs: 0,
  });
  /** When each preprocessing instance is next free (virtual clock). */
  const preFreeAt = Array.from({ length: opts.preprocess?.instances ?? 0 }, () => 0);
  let acc = zero();

  /** Takes the next execution's requests off the queue, or none while the dynamic batcher waits. */
  function nextBatch(now: number): Queued[] {
    if (!dyn) return queue.splice(0, 1);
    let pages = 0;
    let take = 0;
    while (take < queue.length && pages + queue[take]!.t.n <= maxBatch) pages += queue[take++]!.t.n;
    const waited = now - queue[0]!.arrived;
    if (pages < maxBatch && take === queue.length && waited < dyn.queueDelayMs) {
      delayTimer ??= setTimeout(
        () => {
          delayTimer = undefined;
          pump();
        },
        Math.max(0, dyn.queueDelayMs - waited),
      );
      return [];
    }
    return queue.splice(0, Math.max(1, take));
  }

  function pump(): void {
    if (running || !queue.length) return;
    const now = performance.now();
    const batch = nextBatch(now);
    if (!batch.length) return;
    clearTimeout(delayTimer);
    delayTimer = undefined;
    running = true;
    const pages = batch.reduce((s, q) => s + q.t.n, 0);
    const cost = opts.execMs + opts.pageMs * pages;
    // On the virtual clock the GPU starts when it is free and the batch is complete: the last input
    // has arrived and, for a partial dynamic batch, the queue delay has run out. A timer that fired
    // late (a busy event loop) must not leave the GPU idle for the lateness.
    let start = Math.max(gpuFreeAt, ...batch.map((q) => q.arrived));
    if (dyn && pages < maxBatch) start = Math.max(start, batch[0]!.arrived + dyn.queueDelayMs);
    start = Math.min(start, now);
    gpuFreeAt = start + cost;
    acc.executions++;
    acc.firstStartMs ??= start - acc.since;
    acc.lastEndMs = gpuFreeAt - acc.since;
    acc.pages += pages;
    acc.busyMs += cost;
    acc.executionSizes[pages] = (acc.executionSizes[pages] ?? 0) + 1;
    const results = batch.map((q) => {
      try {
        return { q, r: runModel(q.req, q.t) };
      } catch (e) {
        return { q, e: e as Error };
      }
    });
    setTimeout(
      () => {
        running = false;
        for (const { q, r, e } of results) q.done(e ?? null, r);
        pump();
      },
      Math.max(0, gpuFreeAt - performance.now()),
    );
  }

  const unary = (fn: (req: never) => unknown) => (call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) => {
    try {
      cb(null, fn(call.request as never));
    } catch (e) {
      cb(e as grpc.ServiceError);
    }
  };
  const known = (name: string) => {
    if (!MODEL_INPUTS[name]) {
      const msg = `Request for unknown model: '${name}' is not found`;
      throw Object.assign(new Error(msg), { code: grpc.status.NOT_FOUND, details: msg });
    }
  };
  const handlers = {
    ServerLive: unary(() => ({ live: true })),
    ServerReady: unary(() => ({ ready: true })),
    ModelReady: unary((r: { name: string }) => ({ ready: r.name in MODEL_INPUTS })),
    ServerMetadata: unary(() => ({ name: 'roche-sim-gpu', version: '2.0', extensions: ['binary_tensor_data'] })),
    ModelMetadata: unary((r: { name: string }) => {
      known(r.name);
      return { name: r.name, versions: ['1'], platform: 'onnxruntime_onnx', inputs: MODEL_INPUTS[r.name], outputs: OUTPUTS };
    }),
    ModelConfig: unary((r: { name: string }) => {
      known(r.name);
      return { config: { name: r.name, platform: 'onnxruntime_onnx', max_batch_size: maxBatch, backend: 'onnxruntime' } };
    }),
    ModelInfer: (call: grpc.ServerUnaryCall<InferRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      let t;
      try {
        t = validate(call.request, maxBatch);
      } catch (e) {
        return cb(e as grpc.ServiceError);
      }
      acc.requests++;
      acc.requestSizes[t.n] = (acc.requestSizes[t.n] ?? 0) + 1;
      const enqueue = (arrived: number) => {
        queue.push({ req: call.request, t, arrived, done: (e, r) => cb(e as grpc.ServiceError | null, r) });
        pump();
      };
      const pre = opts.preprocess;
      if (!t.pages) return enqueue(performance.now());
      preparePages(t, !pre);
      if (!pre) return enqueue(performance.now());
      // Preprocessing on the earliest free instance; the request reaches the GPU queue when it ends.
      const now = performance.now();
      const slot = preFreeAt.indexOf(Math.min(...preFreeAt));
      const cost = pre.pageMs * t.n;
      const end = Math.max(now, preFreeAt[slot]!) + cost;
      preFreeAt[slot] = end;
      acc.preprocessMs += cost;
      setTimeout(() => enqueue(end), Math.max(0, end - now));
    },
  };

  const pkg = loadKserve() as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } };
  const served =
    opts.transport === 'h2'
      ? await serveGrpcOverH2(pkg.inference.GRPCInferenceService.service, handlers as never, opts.port)
      : await serveGrpcJs(pkg.inference.GRPCInferenceService.service, handlers, opts.port);
  return {
    url: `127.0.0.1:${served.port}`,
    async stats() {
      const elapsedMs = performance.now() - acc.since;
      const { since: _, ...rest } = acc;
      return { ...rest, elapsedMs, busyShare: elapsedMs > 0 ? acc.busyMs / elapsedMs : 0 };
    },
    async reset() {
      acc = zero();
    },
    async close() {
      clearTimeout(delayTimer);
      await served.close();
    },
  };
}

async function serveGrpcJs(service: grpc.ServiceDefinition, handlers: object, port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 512 * 1024 * 1024,
    'grpc.max_send_message_length': 512 * 1024 * 1024,
  });
  server.addService(service, handlers as never);
  const bound = await new Promise<number>((res, rej) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
  );
  // Flow-control windows like a C++ gRPC server's (Triton's), which grow to the bandwidth-delay
  // product: grpc-js keeps HTTP/2's 64 KiB defaults, under which a multi-MiB request crawls through
  // a window update every 64 KiB. grpc-js does not expose these settings, hence its private map.
  for (const h2 of (server as unknown as { http2Servers?: Map<import('node:http2').Http2Server, unknown> }).http2Servers?.keys() ?? [])
    h2.on('session', (session) => {
      session.settings({ initialWindowSize: 16 * 2 ** 20, maxFrameSize: 2 ** 24 - 1 });
      session.setLocalWindowSize(64 * 2 ** 20);
    });
  return { port: bound, close: async () => server.forceShutdown() };
}

/**
 * The same server in a child process, so its gRPC decoding does not share the benchmark's event
 * loop (a GPU server is another machine's CPU). Stats and reset go over IPC.
 */
export async function startSimGpuProcess(opts: SimGpuOptions): Promise<SimGpu> {
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of the simulated server there when it exits (as bench/support/processes.ts).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [JSON.stringify(opts)], {
    execArgv: [...prof, '--import', 'tsx'],
    // A GPU server reuses its request buffers; grpc-js joins each request into a fresh one (1.2 MB a
    // UINT8 page), and with glibc's defaults every such buffer faulted its pages in again: the
    // server's process took 5.0-5.5 ms of CPU per page, 3.3-4.4 with these (fast GPU, 2 clients).
    env: { ...process.env, ...WORKER_MALLOC_ENV },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let seq = 0;
  const pending = new Map<number, (v: unknown) => void>();
  const ready = new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sim-gpu process exited with ${code}`)));
    child.on('message', (m: { id?: number; url?: string; value?: unknown }) => {
      if (m.url) resolve(m.url);
      else if (m.id !== undefined) (pending.get(m.id)?.(m.value), pending.delete(m.id));
    });
  });
  const ask = <T>(op: string) =>
    new Promise<T>((resolve) => {
      const id = seq++;
      pending.set(id, resolve as (v: unknown) => void);
      child.send({ id, op });
    });
  const url = await ready;
  return {
    url,
    stats: () => ask<SimGpuStats>('stats'),
    reset: () => ask<void>('reset'),
    async close() {
      child.removeAllListeners('exit');
      await ask('close').catch(() => undefined);
      // Let it exit by itself (a CPU profile is written only then); kill it if it lingers.
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const timer = setTimeout(() => child.kill(), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const sim = await startSimGpu(JSON.parse(process.argv[2]!) as SimGpuOptions);
  let cpu0 = process.cpuUsage();
  const cpuMs = () => {
    const c = process.cpuUsage(cpu0);
    return (c.user + c.system) / 1000;
  };
  process.on('message', async (m: { id: number; op: 'stats' | 'reset' | 'close' }) => {
    if (m.op === 'reset') cpu0 = process.cpuUsage();
    const value =
      m.op === 'stats' ? { ...(await sim.stats()), serverCpuMs: cpuMs() } : m.op === 'reset' ? await sim.reset() : await sim.close();
    process.send!({ id: m.id, value });
    if (m.op === 'close') process.disconnect();
  });
  process.send({ url: sim.url });
}
