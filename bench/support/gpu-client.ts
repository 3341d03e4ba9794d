/**
 * One client process of bench/gpu.ts: decodes its pages first (not timed), connects a Triton engine
 * to the simulated GPU, then on 'go' runs its documents as page jobs with `concurrency` pages in
 * flight (as a worker's page jobs do), and reports wall time and this process's CPU time.
 */
import fs from 'node:fs';
import { parsePipelineConfig, type RgbImage } from '@roche/core';
import { openDocument } from '@roche/documents';
import { overridesApplier } from '@roche/engines';
import { PpDocLayoutAdapter, ResizePool, TritonClient, TritonEngine } from '@roche/inference';
import { makeTextPdf } from '../../test/support/documents.js';

export interface ClientJob {
  url: string;
  wire: 'uint8' | 'fp32';
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
}

export interface ClientResult {
  pages: number;
  wallMs: number;
  cpuMs: number;
  batches: ReturnType<TritonEngine<unknown>['stats']>['batches'];
  /** Longest event-loop stall seen while running (ms). */
  maxLoopLagMs: number;
}

export async function prepareClient(job: ClientJob): Promise<{ run: () => Promise<ClientResult>; close: () => Promise<void> }> {
  const doc = await openDocument(makeTextPdf(job.pagesPerDocument), 'pdf', { maxPages: 1000, maxPagePixels: 1e8, dpi: job.dpi });
  const pages: RgbImage[] = [];
  for (let i = 0; i < job.pagesPerDocument; i++) pages.push(await doc.renderPage(i));
  const cfg = parsePipelineConfig(fs.readFileSync(new URL('../../pipeline_config.yaml', import.meta.url), 'utf8')).SubModules
    .LayoutDetection;
  const engine = await TritonEngine.create(
    new TritonClient({ url: job.url, timeoutMs: 120_000 }),
    PpDocLayoutAdapter.forModel(job.wire === 'uint8' ? 'pp_doclayout_u8' : 'pp_doclayout', cfg, job.wire, overridesApplier, {
      resizePool: job.threads > 0 ? ResizePool.shared(job.threads) : undefined,
    }) as never,
    { maxBatch: job.maxBatch, maxDelayMs: job.maxDelayMs, maxInFlight: 64 },
  );
  // Warm up (JIT in this process and in the resize threads) before the timed run.
  await Promise.all(pages.map((p) => engine.analyze([p])));
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
    const runPages = async (list: RgbImage[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(job.concurrency, list.length) }, async () => {
          while (next < list.length) await engine.analyze([list[next++]!]);
        }),
      );
    };
    if (job.sequentialDocuments) for (const d of jobs) await runPages(d);
    else await runPages(jobs.flat());
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    clearInterval(lag);
    return {
      pages: job.documents * job.pagesPerDocument,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      batches: engine.stats().batches,
      maxLoopLagMs: maxLag,
    };
  };
  return { run, close: () => engine.close() };
}

if (process.send && process.argv[1] === new URL(import.meta.url).pathname) {
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
