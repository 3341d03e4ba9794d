import type { RgbImage } from '@roche/core';
import { encodeBytesTensor, parsePipelineConfig, PpDocLayoutAdapter, ResizePool, TritonClient, TritonEngine } from '@roche/inference';
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SIM_MODELS, SIM_ROWS, startSimGpu, startSimGpuProcess, type SimGpu } from './support/sim-gpu.js';

const cfg = parsePipelineConfig(fs.readFileSync(new URL('../pipeline_config.yaml', import.meta.url), 'utf8')).SubModules.LayoutDetection;

/** A white letter page at 72 dpi with one dark block at (100..500, 150..300). */
function page(): RgbImage {
  const width = 612;
  const height = 792;
  const data = Buffer.alloc(width * height * 3, 255);
  for (let y = 150; y < 300; y++) data.fill(20, (y * width + 100) * 3, (y * width + 500) * 3);
  return { data, width, height };
}

const open: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const o of open.splice(0)) await o.close();
});

const WIRES = Object.fromEntries(Object.entries(SIM_MODELS).map(([wire, model]) => [model, wire])) as Record<
  (typeof SIM_MODELS)[keyof typeof SIM_MODELS],
  keyof typeof SIM_MODELS
>;

async function engine(sim: SimGpu, model: keyof typeof WIRES, maxBatch = 8) {
  const e = await TritonEngine.create(
    new TritonClient({ url: sim.url, timeoutMs: 10_000 }),
    PpDocLayoutAdapter.forModel(model, cfg, WIRES[model]) as never,
    { maxBatch, maxDelayMs: 5, maxInFlight: 64 },
  );
  open.push(e);
  return e;
}

// Every case over both gRPC servers: grpc-js's, and the lighter one on node:http2 the GPU bench uses.
describe.each(['grpc-js', 'h2'] as const)('simulated GPU over %s (test/support/sim-gpu.ts)', (transport) => {
  it('runs executions one at a time and accounts their nominal cost as busy time', async () => {
    const sim = await startSimGpu({ transport, execMs: 20, pageMs: 5, maxBatch: 8 });
    open.push(sim);
    const e = await engine(sim, 'pp_doclayout_u8', 1);
    await sim.reset();
    const t0 = performance.now();
    await Promise.all([1, 2, 3, 4].map(() => e.analyze([page()])));
    const wall = performance.now() - t0;
    const s = await sim.stats();
    expect(s).toMatchObject({
      requests: 4,
      executions: 4,
      pages: 4,
      busyMs: 4 * (20 + 5),
      executionSizes: { 1: 4 },
      requestSizes: { 1: 4 },
    });
    // Serialized: four 25 ms executions cannot finish in less than 100 ms.
    expect(wall).toBeGreaterThanOrEqual(4 * 25 - 2);
    expect(s.elapsedMs).toBeGreaterThanOrEqual(s.busyMs - 2);
    expect(s.busyShare).toBeGreaterThan(0);
    expect(s.busyShare).toBeLessThanOrEqual(1.02);
  });

  it('with dynamic batching merges queued requests up to the max batch, and waits the queue delay for a partial one', async () => {
    const sim = await startSimGpu({ transport, execMs: 10, pageMs: 1, maxBatch: 4, dynamicBatching: { queueDelayMs: 400 } });
    open.push(sim);
    const e = await engine(sim, 'pp_doclayout_u8', 1);
    await sim.reset();
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => e.analyze([page()])));
    const s = await sim.stats();
    expect(s).toMatchObject({ requests: 6, executions: 2, pages: 6, busyMs: 2 * 10 + 6, executionSizes: { 4: 1, 2: 1 } });

    await sim.reset();
    const t0 = performance.now();
    await e.analyze([page()]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400 + 11 - 2);
    expect((await sim.stats()).executionSizes).toEqual({ 1: 1 });
  });

  it('answers both wire formats with the same plausible boxes, in page pixels', async () => {
    const sim = await startSimGpu({ transport, execMs: 1, pageMs: 0 });
    open.push(sim);
    const [u8] = await (await engine(sim, 'pp_doclayout_u8')).analyze([page()]);
    const [f32] = await (await engine(sim, 'pp_doclayout')).analyze([page()]);
    expect(f32).toEqual(u8);
    expect(u8!.regions).toHaveLength(1);
    const [x1, y1, x2, y2] = u8!.regions[0]!.box;
    expect(u8!.regions[0]!.label).toBe('text');
    // The block is 100..500 × 150..300; the grid is 4 px at 640 (≈ 4 px here), so within a few pixels.
    for (const [got, want] of [
      [x1, 100],
      [y1, 150],
      [x2, 500],
      [y2, 300],
    ] as const)
      expect(Math.abs(got - want)).toBeLessThanOrEqual(6);
    expect(SIM_ROWS).toBeGreaterThan(1);
  });

  it("with a resize pool, reuses the resized pages' buffers once their request completed, never one still being sent", async () => {
    const sim = await startSimGpu({ transport, execMs: 2, pageMs: 1 });
    open.push(sim);
    const pool = new ResizePool(1);
    open.push(pool);
    const lent: ArrayBufferLike[] = [];
    const resize = pool.resize.bind(pool);
    pool.resize = async (...a) => {
      const out = await resize(...a);
      lent.push(out.buffer);
      return out;
    };
    const e = await TritonEngine.create(
      new TritonClient({ url: sim.url, timeoutMs: 10_000 }),
      PpDocLayoutAdapter.forModel('pp_doclayout_u8', cfg, 'uint8', { resizePool: pool }) as never,
      // A long delay: batches fill up while later pages are resized, so the buffers of pages waiting to be sent are in use.
      { maxBatch: 4, maxDelayMs: 200, maxInFlight: 8 },
    );
    open.push(e);
    // 24 pages, each with its block lower down the page: a page sent with another page's pixels
    // (a buffer reused too early) would come back with the wrong block.
    const pages = Array.from({ length: 24 }, (_, k): RgbImage => {
      const p = { width: 612, height: 792, data: Buffer.alloc(612 * 792 * 3, 255) };
      for (let y = 40 + 25 * k; y < 80 + 25 * k; y++) p.data.fill(20, (y * 612 + 100) * 3, (y * 612 + 500) * 3);
      return p;
    });
    let next = 0;
    const got: Array<[number, number]> = [];
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async () => {
        for (let k = next++; k < pages.length; k = next++) {
          const [r] = await e.analyze([pages[k]!]);
          got.push([k, r!.regions[0]!.box[1]]);
        }
      }),
    );
    expect(got).toHaveLength(24);
    expect(e.stats().batches.sizes[4]).toBeGreaterThanOrEqual(3);
    for (const [k, top] of got) expect(Math.abs(top - (40 + 25 * k))).toBeLessThanOrEqual(6);
    // Buffers came back and were lent again: far fewer distinct buffers than pages.
    expect(lent).toHaveLength(24);
    expect(new Set(lent).size).toBeLessThan(16);
  });

  it("with wire 'auto' sends UINT8 to a model that takes UINT8 and FP32 to one that takes FP32", async () => {
    const sim = await startSimGpu({ transport, execMs: 1, pageMs: 0 });
    open.push(sim);
    const perPage = async (model: string) => {
      const e = await TritonEngine.create(new TritonClient({ url: sim.url }), PpDocLayoutAdapter.forModel(model, cfg, 'auto') as never, {
        maxBatch: 8,
        maxDelayMs: 1,
        maxInFlight: 8,
      });
      open.push(e);
      await e.analyze([page()]);
      const { wire } = e.stats();
      return wire.bytes / wire.pages;
    };
    expect(await perPage('pp_doclayout_u8')).toBe(640 * 640 * 3 + 16);
    expect(await perPage('pp_doclayout')).toBe(640 * 640 * 3 * 4 + 16);
    // BYTES input: the page at its own size (4-byte length + pixels) and its size (2 × INT32).
    expect(await perPage('pp_doclayout_native')).toBe(4 + 612 * 792 * 3 + 8);
  });

  it('native wire: pages of different sizes go in one request at their own size, and the server resizes them as Roche would', async () => {
    const sim = await startSimGpu({ transport, execMs: 1, pageMs: 0 });
    open.push(sim);
    // A second page of another size, with its block elsewhere: one batch must keep them apart.
    const other: RgbImage = { width: 850, height: 1100, data: Buffer.alloc(850 * 1100 * 3, 255) };
    for (let y = 700; y < 900; y++) other.data.fill(0, (y * 850 + 50) * 3, (y * 850 + 400) * 3);
    const pages = [page(), other];
    const native = await engine(sim, 'pp_doclayout_native');
    const u8 = await engine(sim, 'pp_doclayout_u8');
    await sim.reset();
    const got = await native.analyze(pages);
    expect((await sim.stats()).requestSizes).toEqual({ 2: 1 });
    // Server-side preprocessing (exact INTER_CUBIC in the simulator) gives what the client-side
    // resize gives: the same boxes, region for region.
    expect(got).toEqual(await u8.analyze(pages));
    expect(got[1]!.regions[0]!.box[1]).toBeGreaterThan(690);
  });

  it('native wire: preprocessing on the modelled Triton host CPU delays the GPU queue, not this process', async () => {
    const sim = await startSimGpu({ transport, execMs: 1, pageMs: 0, preprocess: { pageMs: 50, instances: 1 } });
    open.push(sim);
    const e = await engine(sim, 'pp_doclayout_native', 1);
    await sim.reset();
    const t0 = performance.now();
    const [one, two] = await Promise.all([e.analyze([page()]), e.analyze([page()])]);
    // One instance: the second page waits for the first page's 50 ms.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(100 - 2);
    expect(await sim.stats()).toMatchObject({ requests: 2, executions: 2, preprocessMs: 100, busyMs: 2 });
    expect(one![0]!.regions).toHaveLength(1);
    expect(two).toEqual(one);
  });

  it('rejects a wrong datatype and an oversized batch as INVALID_ARGUMENT (inference_failed, not retried)', async () => {
    const sim = await startSimGpu({ transport, execMs: 1, pageMs: 0, maxBatch: 2 });
    open.push(sim);
    const client = new TritonClient({ url: sim.url });
    const tensors = (n: number, dtype: string) => ({
      model_name: 'pp_doclayout_u8',
      inputs: [
        { name: 'image', datatype: dtype, shape: [n, 640, 640, 3] },
        { name: 'im_shape', datatype: 'FP32', shape: [n, 2] },
        { name: 'scale_factor', datatype: 'FP32', shape: [n, 2] },
      ],
      raw_input_contents: [Buffer.alloc(n * 640 * 640 * 3 * (dtype === 'FP32' ? 4 : 1)), Buffer.alloc(n * 8), Buffer.alloc(n * 8)],
    });
    await expect(client.infer(tensors(1, 'FP32'))).rejects.toMatchObject({ code: 'inference_failed' });
    await expect(client.infer(tensors(3, 'UINT8'))).rejects.toMatchObject({ code: 'inference_failed', message: /batch-size must be <= 2/ });
    // A native page whose bytes do not match its declared size.
    const native = {
      model_name: 'pp_doclayout_native',
      inputs: [
        { name: 'image', datatype: 'BYTES', shape: [1, 1] },
        { name: 'image_size', datatype: 'INT32', shape: [1, 2] },
      ],
      raw_input_contents: [encodeBytesTensor([Buffer.alloc(10 * 10 * 3 - 3)]), Buffer.from(Int32Array.of(10, 10).buffer)],
    };
    await expect(client.infer(native)).rejects.toMatchObject({ code: 'inference_failed', message: /297 bytes for 10×10 RGB/ });
    expect((await sim.stats()).requests).toBe(0);
    client.close();
  });

  it('runs in a child process, with stats and reset over IPC', async () => {
    const sim = await startSimGpuProcess({ transport, execMs: 2, pageMs: 1 });
    open.push(sim);
    const e = await engine(sim, 'pp_doclayout_u8', 2);
    await sim.reset();
    await e.analyze([page(), page()]);
    const stats = await sim.stats();
    expect(stats).toMatchObject({ requests: 1, executions: 1, pages: 2, busyMs: 4 });
    // Its own CPU time since the reset: decoding two pages costs some, and far less than a minute.
    expect(stats.serverCpuMs).toBeGreaterThan(0);
    expect(stats.serverCpuMs).toBeLessThan(60_000);
  });
});
