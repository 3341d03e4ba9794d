import * as grpc from '@grpc/grpc-js';
import fs from 'node:fs';
import { decodeImage } from '@roche/documents';
import { CircuitBreaker, PaddlexHpsEngine, TextDetAdapter, TritonClient, TritonEngine } from '@roche/inference';
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
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'fp32', { input: 'image', output: 'sigmoid_0.tmp_0' }), batching)).rejects.toThrow(
      /input image missing \(model has x\)/,
    );
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'uint8'), batching)).rejects.toThrow(/input x is FP32, expected UINT8/);
    await expect(TritonEngine.create(client, new TextDetAdapter('nope', 320, 'fp32'), batching)).rejects.toMatchObject({ code: 'inference_unavailable' });
    expect((await client.modelConfig('ppocr-det')).max_batch_size).toBe(8);
    await expect(TritonEngine.create(client, new TextDetAdapter('ppocr-det', 320, 'fp32'), { ...batching, maxBatch: 16 })).rejects.toThrow(/max_batch_size is 8, but Roche would send batches of 16/);
    client.close();
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
    for (let i = 0; i < 2; i++) await expect(engine.analyze([page])).rejects.toMatchObject({ code: 'inference_unavailable', retryable: true });
    expect(breaker.state).toBe('open');
    await expect(engine.analyze([page])).rejects.toThrow(/circuit open/);
    await server.restart();
    // Half-open trials until the channel has reconnected; then the circuit closes.
    let r;
    for (let i = 0; i < 20 && !r; i++) {
      await new Promise((res) => setTimeout(res, 350));
      r = await engine.analyze([page]).then((x) => x[0], () => undefined);
    }
    expect(r!.regions.length).toBeGreaterThan(0);
    expect(breaker.state).toBe('closed');
    await engine.close();
  });
});

describe('PaddleX HPS engine (JSON in a BYTES tensor)', () => {
  it('sends the image as base64 JSON and maps the pipeline result to regions', async () => {
    const server = await startKserveServer();
    try {
      const engine = await PaddlexHpsEngine.create(new TritonClient({ url: server.url }), 'layout-parsing');
      const page = await decodeImage(fs.readFileSync(FIXTURE_PAGE), { maxPagePixels: 1e8 });
      const [r] = await engine.analyze([page], { overrides: { layoutThreshold: 0.5 } });
      expect(r!.regions.length).toBeGreaterThan(10);
      expect(r!.regions.every((x) => x.label === 'text' && x.box[2] <= 850)).toBe(true);
      expect(server.requests.at(-1)).toMatchObject({ model: 'layout-parsing', batch: 1 });
      await engine.close();
    } finally {
      await server.close();
    }
  });
});

describe('workers on the Triton engine', () => {
  it('batch pages of different documents together, and wait out a Triton outage instead of failing', async () => {
    const server = await startKserveServer();
    const t = await startTestService({
      ROCHE_ENGINE: 'triton',
      ROCHE_TRITON_URL: server.url,
      ROCHE_TRITON_MODEL: 'ppocr-det',
      ROCHE_TRITON_ADAPTER: 'text-det',
      ROCHE_BATCH_MAX: '4',
      ROCHE_BATCH_DELAY_MS: '300',
      ROCHE_WORKER_CONCURRENCY: '4',
      ROCHE_PDF_DPI: '72',
      ROCHE_TRITON_TIMEOUT_MS: '2000',
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
