/**
 * Issue 10: does the worker path keep the GPU fed? The same documents against the same simulated
 * GPU (test/support/sim-gpu.ts, its own process), once through the Triton engine called directly
 * (open each document afresh, render each page, analyze; `concurrency` pages at a time) and once through the whole service
 * (HTTP submit → queue → page jobs → render → engine → page results → result; once with the
 * defaults, once with overlays asked for), with worker concurrency `concurrency`. Reports pages/s
 * of each, the ratios, and the GPU's busy share and batch sizes in each.
 *
 *   npm run bench:worker-path -- [--documents 16] [--pages 8] [--concurrency 16] [--exec-ms 10] [--page-ms 1] [--rounds 3]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { JobView, loadConfig, median, setThreadNice, type JobOptions } from '@roche/core';
import { recyclePage, RenderPool, type OpenedDocument } from '@roche/documents';
import { createEngine } from '@roche/engines';
import { startService } from '../apps/cli/src/service.js';
import { RocheClient } from '../apps/cli/src/client.js';
import { makeTextPdf } from '../test/support/documents.js';
import { startSimGpuProcess, type SimGpuStats } from '../test/support/sim-gpu.js';
import { writeBenchSection } from './report.js';
import { storeNote, tempDir } from './support/processes.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '16' },
    pages: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '16' },
    'exec-ms': { type: 'string', default: '10' },
    'page-ms': { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
  },
});
const DOCS = Number(values.documents);
const PAGES = Number(values.pages);
const CONC = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const cost = { execMs: Number(values['exec-ms']), pageMs: Number(values['page-ms']), maxBatch: 8 };
const pdfs = Array.from({ length: DOCS }, () => makeTextPdf(PAGES));
const total = DOCS * PAGES;
const limits = { maxPages: 10_000, maxPagePixels: 1e8, dpi: 144 };
const sim = await startSimGpuProcess(cost);
const env = {
  ROCHE_ENGINE: 'triton',
  ROCHE_TRITON_URL: sim.url,
  ROCHE_PDF_DPI: '144',
  ROCHE_WORKER_CONCURRENCY: String(CONC),
  ROCHE_MAX_PAGES: '10000',
  ...(process.env.ROCHE_PAGES_PER_QUEUE_JOB ? { ROCHE_PAGES_PER_QUEUE_JOB: process.env.ROCHE_PAGES_PER_QUEUE_JOB } : {}),
  ...(process.env.ROCHE_THREAD_NICE ? { ROCHE_THREAD_NICE: process.env.ROCHE_THREAD_NICE } : {}),
};
const sizes = (s: SimGpuStats) =>
  Object.entries(s.executionSizes)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

// 1. The engine alone: open each document, render and analyze its pages, CONC pages at a time.
// Pages render on the worker's render pool, as in the service, so the two runs differ only by the
// service's own work (HTTP, queue, storage, bookkeeping).
// Threads at the service's priority (startService sets the same), so the two runs differ only by the service's own work.
setThreadNice(loadConfig(env).threadNice);
const engine = await createEngine('triton', { config: loadConfig(env) });
const renderPool = RenderPool.shared(loadConfig(env).worker.renderThreads);
const work = pdfs.flatMap((_, d) => Array.from({ length: PAGES }, (_, p) => [d, p] as const));
// Each run opens its documents afresh, as a worker does for every new job.
const runEngine = async (items: ReadonlyArray<readonly [number, number]>) => {
  const docs = new Map<number, Promise<OpenedDocument>>();
  const doc = (d: number) => docs.get(d) ?? docs.set(d, renderPool.open(pdfs[d]!, 'pdf', limits)).get(d)!;
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        while (next < items.length) {
          const [d, p] = items[next++]!;
          const page = await (await doc(d)).renderPage(p);
          await engine.analyze([page]);
          recyclePage(page); // as the worker does
        }
      }),
    );
  } finally {
    for (const d of docs.values()) (await d).close();
  }
};
await runEngine(work.slice(0, 4 * PAGES)); // warm up: threads started, code compiled
const timeEngine = async (): Promise<ServiceRun> => {
  await sim.reset();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await runEngine(work);
  return { ms: performance.now() - t0, cpuMs: cpuSince(c0), gpu: await sim.stats() };
};

// 2. The whole service, with its defaults and with overlays asked for.
interface ServiceRun {
  ms: number;
  /** CPU time of this process (all threads) during the run. */
  cpuMs: number;
  gpu: SimGpuStats;
}
const cpuSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const dataDir = await tempDir('worker-path');
const store = await storeNote(dataDir);
const svc = await startService(loadConfig({ ...env, ROCHE_DATA_DIR: dataDir, ROCHE_PORT: '0' }), { api: true, worker: true }, () => {});
/** Engine alone and whole service in rounds, alternating which goes first, so both see the same machine. */
const rounds: Array<{ engine: ServiceRun; service: ServiceRun }> = [];
let overlays: ServiceRun;
try {
  const client = new RocheClient(svc.api!.url);
  const submit = async (bytes: Buffer, options: JobOptions) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)]), 'doc.pdf');
    form.set('options', JSON.stringify(options));
    return JobView.parse(await (await fetch(`${svc.api!.url}/v1/jobs`, { method: 'POST', body: form })).json());
  };
  const runService = async (options: JobOptions): Promise<ServiceRun> => {
    // Warm up as many documents at once as the pools have threads (intake, render), so the run
    // measures the steady state and not thread start-up.
    for (const j of await Promise.all(pdfs.slice(0, 4).map((b) => submit(b, options)))) await client.waitForTerminal(j.id, 120_000);
    await sim.reset();
    const start = performance.now();
    const c0 = process.cpuUsage();
    const jobs = await Promise.all(pdfs.map((b) => submit(b, options)));
    for (const j of jobs) {
      const done = await client.waitForTerminal(j.id, 1_800_000);
      if (done.state !== 'succeeded') throw new Error(`job ended ${done.state}`);
    }
    return { ms: performance.now() - start, cpuMs: cpuSince(c0), gpu: await sim.stats() };
  };
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      const e = await timeEngine();
      rounds.push({ engine: e, service: await runService({}) });
    } else {
      const sv = await runService({});
      rounds.push({ engine: await timeEngine(), service: sv });
    }
  }
  overlays = await runService({ overlays: true });
} finally {
  await svc.stop();
  await engine.close();
  await fs.rm(dataDir, { recursive: true, force: true });
  await sim.close();
}

const rate = (ms: number) => (total / ms) * 1000;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const row = (what: string, run: ServiceRun) =>
  `| ${what} | ${(run.ms / 1000).toFixed(1)} s | ${rate(run.ms).toFixed(1)} | ${(run.cpuMs / total).toFixed(1)} ms | ${pct(run.gpu.busyShare)} | ${ms(run.gpu.firstStartMs)} / ${ms(run.gpu.lastEndMs === null ? null : run.ms - run.gpu.lastEndMs)} | ${sizes(run.gpu)} |`;
const ms = (x: number | null) => (x === null ? '—' : `${Math.max(0, x).toFixed(0)} ms`);
const ratios = rounds.map((x) => x.engine.ms / x.service.ms);
const lines = [
  '## Worker path vs engine alone on a simulated GPU (issue 10)',
  '',
  `\`npm run bench:worker-path -- --documents ${DOCS} --pages ${PAGES} --concurrency ${CONC} --exec-ms ${cost.execMs} --page-ms ${cost.pageMs} --rounds ${ROUNDS}\` — ${new Date().toISOString().slice(0, 10)}, ${DOCS} generated text PDFs × ${PAGES} pages at 144 dpi submitted together, ${os.cpus().length} cores (shared with other work: load average ${os.loadavg()[0]!.toFixed(1)}), Node ${process.version}. Simulated GPU (test/support/sim-gpu.ts, own process): ${cost.execMs} ms + ${cost.pageMs} ms per page per execution, max batch 8. Triton engine with its defaults (UINT8 to \`pp_doclayout_u8\`, resize pool, adaptive micro-batching ≤ 8 / 5 ms); ${CONC} pages at a time in all runs; the service queues ${loadConfig(env).worker.pagesPerQueueJob} pages of a document per queue job (\`ROCHE_PAGES_PER_QUEUE_JOB\`); PDF pages render on ${renderPool.threads} render threads in all runs. The engine alone and the whole service run in ${ROUNDS} rounds in one process, alternating which goes first (a run lasts a few seconds, and this shared machine's speed drifts between runs); each service run is warmed up first with 4 documents submitted at once. Every run opens its documents afresh, the engine alone too, as a worker does for each new job. CPU per page is this whole process's (all threads): for the service runs that is the API, the bench's own HTTP client and the worker together; the private redis-server and the simulated GPU are other processes and not counted. The service writes each page's result and each document's result.json to the ${store}. The overlays row is one run, after the rounds.`,
  '',
  '| round | path | wall time | pages/s | CPU per page (this process, all threads) | GPU busy | GPU idle before its first page / after its last | executions by size |',
  '|---|---|---|---|---|---|---|---|',
  ...rounds.flatMap((x, i) => [
    row(`${i + 1} | engine alone (documents opened afresh, render pool + analyze, called directly)`, x.engine),
    row(`${i + 1} | whole service, defaults (HTTP submit → queue → workers → result.json)`, x.service),
  ]),
  row('— | whole service, `overlays: true` (a PNG per page drawn and stored)', overlays!),
  '',
  `Service / engine by round: ${ratios.map((x) => x.toFixed(2)).join(', ')}; median **${median(ratios).toFixed(2)}×** with the defaults (goal ≥ 0.8×). With overlays ${(rate(overlays!.ms) / median(rounds.map((x) => rate(x.engine.ms)))).toFixed(2)}× the median engine-alone rate.`,
];
console.log(lines.join('\n'));
await writeBenchSection('worker-path', lines.join('\n'));
