/**
 * One client process of bench/gpu.ts: decodes its pages first (not timed), connects a Triton engine
 * to the simulated GPU, runs its job once untimed (steady state), then on 'go' runs its documents as page jobs with `concurrency` pages in
 * flight (as a worker's page jobs do), and reports wall time and this process's CPU time.
 */
import fs from 'node:fs';
import { loadConfig, median, setThreadNice, type RgbImage } from '@roche/core';
import { openDocument, RenderPool } from '@roche/documents';
import { parsePipelineConfig, PpDocLayoutAdapter, ResizePool, TritonClient, TritonEngine } from '@roche/inference';
import { makeTextPdf } from '../../test/support/documents.js';
import { SIM_MODELS } from '../../test/support/sim-gpu.js';

export interface ClientJob {
  url: string;
  wire: 'uint8' | 'fp32' | 'native';
  maxBatch: number;
  maxDelayMs: number;
  documents: number;
  pagesPerDocument: number;
  /** Pages in flight in this process. */
  concurrency: number;
  /** Documents one after another, each document's pages `concurrency` at a time. */
  sequentialDocuments?: boolean;
  dpi: number;
  /** Resize threads (ResizePool); 0 = on the event loop. */
  threads: number;
  /**
   * Pages rendered by the RenderPool into shared memory, as a worker's PDF pages are (the resize
   * threads read them in place); otherwise in ordinary memory, as an image decoded by sharp (each
   * page is copied into a resize thread's buffer).
   */
  renderPool?: boolean;
  /**
   * With `sequentialDocuments`: a second engine with this max batch runs every document too,
   * alternating with the first (A B, B A, …) in this process, so both see the same conditions.
   */
  compareMaxBatch?: number;
}

export interface ClientResult {
  pages: number;
  wallMs: number;
  cpuMs: number;
  batches: ReturnType<TritonEngine<unknown>['stats']>['batches'];
  /** Longest event-loop stall seen while running (ms). */
  maxLoopLagMs: number;
  /** With `compareMaxBatch`: wall time of each engine over all documents, and the second one's batches. */
  compare?: {
    mainMs: number;
    otherMs: number;
    /** Median over documents of (second engine's time / first engine's time) for the same document run back to back: the first engine's speed relative to the second. */
    medianRatio: number;
    otherBatches: ClientResult['batches'];
  };
}

export async function prepareClient(job: ClientJob): Promise<{ run: () => Promise<ClientResult>; close: () => Promise<void> }> {
  const limits = { maxPages: 1000, maxPagePixels: 1e8, dpi: job.dpi };
  const pdf = makeTextPdf(job.pagesPerDocument);
  const doc = job.renderPool ? await RenderPool.shared(1).open(pdf, 'pdf', limits) : await openDocument(pdf, 'pdf', limits);
  const pages: RgbImage[] = [];
  for (let i = 0; i < job.pagesPerDocument; i++) pages.push(await doc.renderPage(i));
  const cfg = parsePipelineConfig(fs.readFileSync(new URL('../../pipeline_config.yaml', import.meta.url), 'utf8')).SubModules
    .LayoutDetection;
  const make = (maxBatch: number) =>
    TritonEngine.create(
      new TritonClient({ url: job.url, timeoutMs: 120_000 }),
      PpDocLayoutAdapter.forModel(SIM_MODELS[job.wire], cfg, job.wire, {
        resizePool: job.threads > 0 ? ResizePool.shared(job.threads) : undefined,
      }),
      { maxBatch, maxDelayMs: job.maxDelayMs, maxInFlight: 64 },
    );
  const engine = await make(job.maxBatch);
  const other = job.compareMaxBatch ? await make(job.compareMaxBatch) : undefined;
  // Warm up (JIT in this process and in the resize threads) before the timed run.
  for (const e of [engine, other]) if (e) await Promise.all(pages.map((p) => e.analyze([p])));
  let warm = [engine.stats().batches, other?.stats().batches];
  /** Batch counts since the warm-up. */
  const since = (b: ClientResult['batches'], w?: ClientResult['batches']): ClientResult['batches'] => ({
    batches: b.batches - (w?.batches ?? 0),
    items: b.items - (w?.items ?? 0),
    sizes: Object.fromEntries(
      Object.entries(b.sizes)
        .map(([n, c]) => [n, c - (w?.sizes[Number(n)] ?? 0)] as const)
        .filter(([, c]) => c > 0),
    ),
    partial: { idle: b.partial.idle - (w?.partial.idle ?? 0), delay: b.partial.delay - (w?.partial.delay ?? 0) },
  });
  const run = async (): Promise<ClientResult> => {
    const jobs = Array.from({ length: job.documents }, () => pages.map((p) => p));
    let maxLag = 0;
    let last = performance.now();
    const lag = setInterval(() => {
      const now = performance.now();
      maxLag = Math.max(maxLag, now - last - 5);
      last = now;
    }, 5);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const runPages = async (list: RgbImage[], e = engine) => {
      let next = 0;
      const s = performance.now();
      await Promise.all(
        Array.from({ length: Math.min(job.concurrency, list.length) }, async () => {
          while (next < list.length) await e.analyze([list[next++]!]);
        }),
      );
      return performance.now() - s;
    };
    let compare: ClientResult['compare'];
    if (other) {
      const ms = [0, 0];
      const ratios: number[] = [];
      for (const [k, d] of jobs.entries()) {
        const order = k % 2 ? [1, 0] : [0, 1];
        const doc = [0, 0];
        for (const i of order) doc[i] = await runPages(d, i ? other : engine);
        ms[0]! += doc[0]!;
        ms[1]! += doc[1]!;
        ratios.push(doc[1]! / doc[0]!);
      }
      compare = { mainMs: ms[0]!, otherMs: ms[1]!, medianRatio: median(ratios), otherBatches: since(other.stats().batches, warm[1]) };
    } else if (job.sequentialDocuments) for (const d of jobs) await runPages(d);
    else await runPages(jobs.flat());
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(lag);
    return {
      pages: job.documents * job.pagesPerDocument,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      batches: since(engine.stats().batches, warm[0]),
      maxLoopLagMs: maxLag,
      compare,
    };
  };
  // Steady state, as in a worker that has been running: the whole job once, untimed (pools and
  // message buffers sized, every code path compiled).
  await run();
  warm = [engine.stats().batches, other?.stats().batches];
  return { run, close: async () => (await engine.close(), await other?.close()) };
}

if (process.send && process.argv[1] === new URL(import.meta.url).pathname) {
  // Threads at a deployed worker's priority (ROCHE_THREAD_NICE, set by the service).
  setThreadNice(loadConfig().threadNice);
  const client = await prepareClient(JSON.parse(process.argv[2]!) as ClientJob);
  process.on('message', async (m: string) => {
    if (m === 'go') process.send!({ result: await client.run() });
    if (m === 'close') {
      await client.close();
      process.disconnect();
    }
  });
  process.send({ ready: true });
}
