import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { decodeImage } from '@roche/documents';
import {
  CircuitBreaker,
  parsePipelineConfig,
  PpDocLayoutAdapter,
  ResizePool,
  TextDetAdapter,
  TritonClient,
  TritonEngine,
  type ModelAdapter,
} from '@roche/inference';
import { JobView, type RgbImage } from '@roche/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';
import { startKserveServer } from './support/kserve-server.js';
import { FIXTURE_PAGE, startTestService } from './support/service.js';

type Server = Awaited<ReturnType<typeof startKserveServer>>;

const crop = (p: RgbImage, h: number): RgbImage => ({ data: p.data.subarray(0, p.width * h * 3), width: p.width, height: h });
const batching = { maxBatch: 4, maxDelayMs: 30, maxInFlight: 16 };

describe('Triton engine over real gRPC (KServe v2 test server with a real ONNX model)', () => {
  let server: Server;
  let page: RgbImage;
  beforeAll(async () => {
    server = await startKserveServer();
    page = await decodeImage(fs.readFileSync(FIXTURE_PAGE), { maxPagePixels: 1e8 });
  });
  afterAll(async () => server?.close());

  it('checks health and model metadata at start, with a clear error on mismatch', async () => {
    const client = new TritonClient({ url: server.url, timeoutMs: 5000 });
    expect(await client.serverLive()).toBe(true);
    const meta = await client.modelMetadata('ppocr-det');
    expect(meta.inputs[0]).toMatchObject({ name: 'x', datatype: 'FP32' });
    await expect(
      TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'fp32', { input: 'image', output: 'sigmoid_0.tmp_0' }), batching),
    ).rejects.toThrow(/input image missing \(model has x\)/);
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'uint8'), batching)).rejects.toThrow(
      /input x is FP32, expected UINT8/,
    );
    await expect(TritonEngine.create(client, new TextDetAdapter('nope', 320, 'fp32'), batching)).rejects.toMatchObject({
      code: 'inference_unavailable',
    });
    expect((await client.modelConfig('ppocr-det'))?.max_batch_size).toBe(8);
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'fp32'), { ...batching, maxBatch: 16 })).rejects.toThrow(
      /max_batch_size is 8, but Roche would send batches of 16/,
    );
    // max_batch_size 0: batches only if the model's own first dim is variable.
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det-one', 320, 'fp32'), batching)).rejects.toThrow(
      /max_batch_size is 0 and the inputs have no variable batch dim/,
    );
    const one = await TritonEngine.create(client, new TextDetAdapter('ppocr-det-one', 320, 'fp32'), { ...batching, maxBatch: 1 });
    const nobatch = await TritonEngine.create(client, new TextDetAdapter('ppocr-det-nobatch', 320, 'fp32'), {
      ...batching,
      maxDelayMs: 1000,
    });
    const before = server.requests.length;
    const [a, b] = await Promise.all([nobatch.analyze([page]), nobatch.analyze([crop(page, 400)])]);
    expect(server.requests.slice(before)).toEqual([expect.objectContaining({ model: 'ppocr-det-nobatch', batch: 2 })]);
    expect([a![0]!.height, b![0]!.height]).toEqual([1100, 400]);
    expect((await one.analyze([page]))[0]!.regions).toEqual(a![0]!.regions);
    client.close();
  });

  it('at start, waits for a Triton that is still coming up; gives up after the wait; a mismatch fails at once', async () => {
    const port = await new Promise<number>((res) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => res(p));
      });
    });
    const connect = (model: string, waitMs: number) =>
      TritonEngine.create(
        new TritonClient({ url: `127.0.0.1:${port}`, timeoutMs: 5000, retries: 0 }),
        new TextDetAdapter(model, 640, 'fp32'),
        batching,
        waitMs,
      );
    await expect(connect('ppocr-det', 300)).rejects.toMatchObject({ code: 'inference_unavailable', retryable: true });
    const pending = connect('ppocr-det', 30_000);
    await new Promise((r) => setTimeout(r, 700));
    const late = await startKserveServer({ port });
    try {
      const engine = await pending;
      expect((await engine.analyze([page]))[0]!.regions.length).toBeGreaterThan(0);
      await engine.close();
      await expect(connect('ppocr-det-u8', 30_000)).rejects.toThrow(/input x is UINT8, expected FP32/);
    } finally {
      await late.close();
    }
  });

  it('puts pages of several documents into one ModelInfer and gives each page its own result, in order', async () => {
    const client = new TritonClient({ url: server.url, timeoutMs: 30_000 });
    // A generous delay so that on a loaded machine the three pages' preprocessing finishes inside one batch window.
    const engine = await TritonEngine.create(client, new TextDetAdapter('ppocr-det', 640, 'fp32'), { ...batching, maxDelayMs: 1000 });
    const pages = [page, crop(page, 550), crop(page, 300)];
    const alone = [];
    for (const p of pages) alone.push((await engine.analyze([p]))[0]!);
    const before = server.requests.length;
    // Three "jobs" call at the same time, as concurrent page jobs in a worker do.
    const together = await Promise.all(pages.map((p) => engine.analyze([p]).then((r) => r[0]!)));
    const reqs = server.requests.slice(before);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.batch).toBe(3);
    expect(together.map((t) => t.regions.length)).toEqual(alone.map((a) => a.regions.length));
    expect(together.map((t) => t.height)).toEqual([1100, 550, 300]);
    expect(together[2]!.regions.every((r) => r.box[3] <= 300)).toBe(true);
    expect(together[0]!.regions.length).toBeGreaterThan(together[2]!.regions.length);
    expect(engine.wire.bytes / engine.wire.pages).toBe(3 * 640 * 640 * 4);
    await engine.close();
  });

  it('UINT8 on the wire is 4× smaller and finds the same regions', async () => {
    const f = await TritonEngine.create(new TritonClient({ url: server.url }), new TextDetAdapter('ppocr-det', 640, 'fp32'), batching);
    const u = await TritonEngine.create(new TritonClient({ url: server.url }), new TextDetAdapter('ppocr-det-u8', 640, 'uint8'), batching);
    const [a] = await f.analyze([page]);
    const [b] = await u.analyze([page]);
    expect(b!.regions).toEqual(a!.regions);
    expect(f.wire.bytes / u.wire.bytes).toBe(4);
    await f.close();
    await u.close();
  });

  it('retries UNAVAILABLE with backoff, and fails fast on INVALID_ARGUMENT', async () => {
    const client = new TritonClient({ url: server.url, retries: 3, backoffMs: 20 });
    const engine = await TritonEngine.create(client, new TextDetAdapter('ppocr-det', 640, 'fp32'), batching);
    server.inject(grpc.status.UNAVAILABLE, grpc.status.UNAVAILABLE);
    const [r] = await engine.analyze([page]);
    expect(r!.regions.length).toBeGreaterThan(0);
    server.inject(grpc.status.INVALID_ARGUMENT);
    await expect(engine.analyze([page])).rejects.toMatchObject({ code: 'inference_failed', retryable: false });
    await engine.close();
  });

  it('a request that cannot be written fails with its own error, not as a Triton refusal, and leaves the circuit alone', async () => {
    const breaker = new CircuitBreaker(1, 60_000);
    const client = new TritonClient({ url: server.url, retries: 2, backoffMs: 10, breaker });
    const before = server.requests.length;
    const bad = {
      byteLength: 4,
      writeTo() {
        throw new RangeError('page tensor is short');
      },
    };
    const call = client.infer({
      model_name: 'ppocr-det',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [1] }],
      raw_input_contents: [bad],
    });
    await expect(call).rejects.toThrow(RangeError);
    expect(breaker.state).toBe('closed');
    expect(server.requests.length).toBe(before); // nothing reached the server, and it was not retried
    client.close();
  });

  it('a stalled call hits its deadline and is retried', async () => {
    const client = new TritonClient({ url: server.url, timeoutMs: 1000, retries: 2, backoffMs: 10 });
    const engine = await TritonEngine.create(client, new TextDetAdapter('ppocr-det', 640, 'fp32'), batching);
    server.inject('stall');
    const [r] = await engine.analyze([page]);
    expect(r!.regions.length).toBeGreaterThan(0);
    server.release();
    await engine.close();
  });

  it('a dead server opens the circuit (retryable error, no more calls), and a restarted one closes it', async () => {
    const breaker = new CircuitBreaker(2, 300);
    const client = new TritonClient({ url: server.url, timeoutMs: 500, retries: 0, breaker });
    const engine = await TritonEngine.create(client, new TextDetAdapter('ppocr-det', 640, 'fp32'), batching);
    await server.stop();
    for (let i = 0; i < 2; i++)
      await expect(engine.analyze([page])).rejects.toMatchObject({ code: 'inference_unavailable', retryable: true });
    expect(breaker.state).toBe('open');
    await expect(engine.analyze([page])).rejects.toThrow(/circuit open/);
    await server.restart();
    // Half-open trials until the channel has reconnected; then the circuit closes.
    let r;
    for (let i = 0; i < 20 && !r; i++) {
      await new Promise((res) => setTimeout(res, 350));
      r = await engine.analyze([page]).then(
        (x) => x[0],
        () => undefined,
      );
    }
    expect(r!.regions.length).toBeGreaterThan(0);
    expect(breaker.state).toBe('closed');
    await engine.close();
  });
});

describe('Triton engine with the PP-DocLayout adapter (PaddleX tensors over real gRPC; synthetic model)', () => {
  const cfg = parsePipelineConfig(fs.readFileSync(path.resolve(import.meta.dirname, '../pipeline_config.yaml'), 'utf8')).SubModules
    .LayoutDetection;
  const filled = (width: number, height: number, inkFrom: number, inkTo: number): RgbImage => {
    const data = Buffer.alloc(width * height * 3, 255);
    data.fill(0, Math.floor(inkFrom * height) * width * 3, Math.floor(inkTo * height) * width * 3);
    return { data, width, height };
  };
  // Blank; ink in the top half only; ink everywhere. Different sizes, so each result must come back to its own page.
  const pages = [filled(850, 1100, 0, 0), filled(600, 800, 0, 0.5), filled(1000, 500, 0, 1)];

  it('batches pages of several jobs, splits boxes by counts, post-processes each page with its own settings', async () => {
    const server = await startKserveServer();
    const engines: Array<{ close(): Promise<void> }> = [];
    try {
      const make = async (model: string, wire: 'fp32' | 'uint8') => {
        const e = await TritonEngine.create(new TritonClient({ url: server.url }), PpDocLayoutAdapter.forModel(model, cfg, wire), {
          ...batching,
          maxDelayMs: 1000,
        });
        engines.push(e);
        return e;
      };
      const fp32 = await make('pp_doclayout', 'fp32');
      const before = server.requests.length;
      // The fourth job asks for no NMS and a per-class threshold of 0.9 for tables (class 8). With
      // PaddleX's semantics (`layout_nms or self.layout_nms`) NMS stays on, so the near-duplicate text box
      // is still suppressed; the table (score 0.8) falls under its own threshold.
      const [blank, top, full, fullRaw] = await Promise.all([
        ...pages.map((p) => fp32.analyze([p]).then((r) => r[0]!)),
        fp32.analyze([pages[2]!], { overrides: { layoutNms: false, layoutThreshold: { '8': 0.9 } } }).then((r) => r[0]!),
      ]);
      expect(server.requests.slice(before)).toEqual([expect.objectContaining({ model: 'pp_doclayout', batch: 4 })]);
      expect(blank!.regions).toEqual([]);
      expect(top!.regions.map((r) => r.label)).toEqual(['text']);
      // Boxes in each page's own pixels: text = 10-90 % × 5-45 %, table = 5-95 % × 50-95 %.
      const near = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 0));
      near(top!.regions[0]!.box, [60, 40, 540, 360]);
      expect(full!.regions.map((r) => r.label)).toEqual(['text', 'table']);
      near(full!.regions[1]!.box, [50, 250, 950, 475]);
      expect(fullRaw!.regions.map((r) => r.label)).toEqual(['text']);
      // FP32 CHW image + im_shape + scale_factor per page.
      expect(fp32.wire.bytes / fp32.wire.pages).toBe(3 * 640 * 640 * 4 + 8 + 8);

      const u8 = await make('pp_doclayout_u8', 'uint8');
      const viaU8 = await Promise.all(pages.map((p) => u8.analyze([p]).then((r) => r[0]!)));
      expect(viaU8).toEqual([blank, top, full]);
      expect(u8.wire.bytes / u8.wire.pages).toBe(640 * 640 * 3 + 8 + 8);

      // The FP32 adapter against the UINT8 model: refused at start with both sides named.
      await expect(make('pp_doclayout_u8', 'fp32')).rejects.toThrow(/input image is UINT8, expected FP32/);
    } finally {
      await Promise.all(engines.map((e) => e.close()));
      await server.close();
    }
  });
  it('a failed call gives back its pooled buffers: resized pages at once, the request buffer after the socket is done', async () => {
    const server = await startKserveServer();
    const resizePool = new ResizePool(1);
    const client = new TritonClient({ url: server.url, retries: 0 });
    const engine = await TritonEngine.create(
      client,
      PpDocLayoutAdapter.forModel('pp_doclayout_u8', cfg, 'uint8', { resizePool }),
      batching,
    );
    try {
      await engine.analyze([pages[1]!]);
      expect(resizePool.lent).toBe(0);
      expect(client.spareRequestBuffers).toBe(1);
      server.inject(grpc.status.INVALID_ARGUMENT);
      await expect(engine.analyze([pages[2]!])).rejects.toMatchObject({ code: 'inference_failed' });
      expect(resizePool.lent).toBe(0);
      expect(client.spareRequestBuffers).toBe(0); // held: the socket may still be sending it
      // The failed request's buffer comes back once the socket can no longer be writing it (2 s).
      for (let i = 0; i < 40 && client.spareRequestBuffers < 1; i++) await new Promise((r) => setTimeout(r, 100));
      expect(client.spareRequestBuffers).toBe(1);
      // And the next call reuses it instead of allocating another.
      await engine.analyze([pages[2]!]);
      expect(client.spareRequestBuffers).toBe(1);
      expect(resizePool.lent).toBe(0);
    } finally {
      await engine.close();
      await resizePool.close();
      await server.close();
    }
  });
});

describe('a KServe v2 server that is not Triton (no ModelConfig, outputs as typed contents)', () => {
  const cfg = parsePipelineConfig(fs.readFileSync(path.resolve(import.meta.dirname, '../pipeline_config.yaml'), 'utf8')).SubModules
    .LayoutDetection;
  it('gives the same regions as Triton-style raw answers, and judges batching by the metadata', async () => {
    const [triton, plain] = await Promise.all([startKserveServer(), startKserveServer({ plain: true })]);
    const engines: Array<{ close(): Promise<void> }> = [];
    try {
      const page = await decodeImage(fs.readFileSync(FIXTURE_PAGE), { maxPagePixels: 1e8 });
      const client = new TritonClient({ url: plain.url, timeoutMs: 5000 });
      expect(await client.modelConfig('pp_doclayout')).toBeUndefined();
      const make = async (url: string, adapter: () => ModelAdapter<unknown>, maxBatch = 4, fitToModel = false) => {
        const e = await TritonEngine.create(new TritonClient({ url, timeoutMs: 10_000 }), adapter(), { ...batching, maxBatch, fitToModel });
        engines.push(e);
        return e;
      };
      const doc = () => PpDocLayoutAdapter.forModel('pp_doclayout_u8', cfg, 'uint8');
      const det = () => new TextDetAdapter('ppocr-det', 640, 'fp32');
      for (const adapter of [doc, det]) {
        const [want, got] = await Promise.all(
          [make(triton.url, adapter), make(plain.url, adapter)].map(async (e) => (await e).analyze([page])),
        );
        expect(got![0]!.regions.length).toBeGreaterThan(0);
        expect(got).toEqual(want);
      }
      // Without ModelConfig, a model whose inputs have a fixed batch dim takes one page per request.
      await expect(make(plain.url, () => new TextDetAdapter('ppocr-det-one', 320, 'fp32'))).rejects.toThrow(
        /the server has no ModelConfig and the inputs have no variable batch dim, but Roche would send batches of 4/,
      );
      expect(
        (await (await make(plain.url, () => new TextDetAdapter('ppocr-det-one', 640, 'fp32'), 1)).analyze([page]))[0]!.regions.length,
      ).toBeGreaterThan(0);
      // A batch size that is only the default (ROCHE_BATCH_MAX unset) is lowered to what the model
      // takes instead: two pages at once go as two requests of one.
      const fitted = await make(plain.url, () => new TextDetAdapter('ppocr-det-one', 640, 'fp32'), 4, true);
      const before = plain.requests.length;
      const two = await fitted.analyze([page, page]);
      expect(two.map((r) => r.regions.length > 0)).toEqual([true, true]);
      expect(plain.requests.slice(before).map((r) => r.batch)).toEqual([1, 1]);
      client.close();
    } finally {
      await Promise.all(engines.map((e) => e.close()));
      await Promise.all([triton.close(), plain.close()]);
    }
  });
});

describe('workers on the Triton engine', () => {
  it('batch pages of different documents together, and wait out a Triton outage instead of failing', async () => {
    // Executions cost 400 ms one at a time, so pages rendered while two batches are out wait and
    // merge however slowly this machine renders (CI once sent all eight pages one by one without it).
    const server = await startKserveServer({ execMs: 400 });
    const t = await startTestService({
      ROCHE_ENGINE: 'triton',
      ROCHE_TRITON_URL: server.url,
      ROCHE_TRITON_MODEL: 'ppocr-det-u8',
      ROCHE_TRITON_ADAPTER: 'text-det',
      ROCHE_BATCH_MAX: '4',
      ROCHE_BATCH_DELAY_MS: '300',
      ROCHE_WORKER_CONCURRENCY: '4',
      ROCHE_PDF_DPI: '72',
      ROCHE_TRITON_TIMEOUT_MS: '15000',
      ROCHE_JOB_ATTEMPTS: '8',
    });
    try {
      const submit = async (bytes: Buffer) => {
        const f = new FormData();
        f.set('file', new Blob([new Uint8Array(bytes)]), 'd.pdf');
        return JobView.parse(await (await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f })).json());
      };
      const before = server.requests.length;
      const jobs = await Promise.all([submit(makeTextPdf(3)), submit(makeTextPdf(3)), submit(makeTextPdf(2))]);
      for (const j of jobs) expect((await t.client.waitForTerminal(j.id, 60_000)).state).toBe('succeeded');
      const reqs = server.requests.slice(before);
      expect(reqs.reduce((s, r) => s + r.batch, 0)).toBe(8);
      expect(Math.max(...reqs.map((r) => r.batch))).toBeGreaterThan(1);

      await server.stop();
      const job = await submit(makeTextPdf(2));
      await new Promise((r) => setTimeout(r, 1500));
      expect((await t.client.status(job.id)).state).not.toBe('failed');
      await server.restart();
      const done = await t.client.waitForTerminal(job.id, 90_000);
      expect(done).toMatchObject({ state: 'succeeded', pagesDone: 2 });
    } finally {
      await t.stop();
      await server.close();
    }
  }, 120_000);
});
