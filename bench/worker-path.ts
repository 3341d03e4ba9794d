/**
 * Issue 10: does the worker path keep the GPU fed? The same documents against the same simulated
 * GPU (test/support/sim-gpu.ts, its own process), once through the Triton engine called directly
 * (render each page, analyze; `concurrency` pages at a time) and once through the whole service
 * (HTTP submit → queue → page jobs → render → engine → page results and overlays → result), with
 * worker concurrency `concurrency`. Reports pages/s of both, their ratio, and the GPU's busy share
 * and batch sizes in each.
 *
 *   npm run bench:worker-path -- [--documents 16] [--pages 8] [--concurrency 16] [--exec-ms 10] [--page-ms 1]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { JobView, loadConfig } from '@roche/core';
import { openDocument } from '@roche/documents';
import { createEngine } from '@roche/engines';
import { startService } from '../apps/cli/src/service.js';
import { RocheClient } from '../apps/cli/src/client.js';
import { makeTextPdf } from '../test/support/documents.js';
import { startSimGpuProcess, type SimGpuStats } from '../test/support/sim-gpu.js';
import { writeBenchSection } from './report.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '16' },
    pages: { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '16' },
    'exec-ms': { type: 'string', default: '10' },
    'page-ms': { type: 'string', default: '1' },
  },
});
const DOCS = Number(values.documents);
const PAGES = Number(values.pages);
const CONC = Number(values.concurrency);
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
};
const sizes = (s: SimGpuStats) =>
  Object.entries(s.executionSizes)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');

// 1. The engine alone: open each document, render and analyze its pages, CONC pages at a time.
const engine = await createEngine('triton', { config: loadConfig(env) });
const work = pdfs.flatMap((_, d) => Array.from({ length: PAGES }, (_, p) => [d, p] as const));
const docs = await Promise.all(pdfs.map((b) => openDocument(b, 'pdf', limits)));
const runEngine = async (items: ReadonlyArray<readonly [number, number]>) => {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONC }, async () => {
      while (next < items.length) {
        const [d, p] = items[next++]!;
        await engine.analyze([await docs[d]!.renderPage(p)]);
      }
    }),
  );
};
await runEngine(work.slice(0, PAGES)); // warm up
await sim.reset();
let t0 = performance.now();
await runEngine(work);
const engineMs = performance.now() - t0;
const engineGpu = await sim.stats();
await engine.close();
for (const d of docs) d.close();

// 2. The whole service.
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-bench-worker-path-'));
const svc = await startService(loadConfig({ ...env, ROCHE_DATA_DIR: dataDir, ROCHE_PORT: '0' }), { api: true, worker: true }, () => {});
let serviceMs = 0;
let serviceGpu: SimGpuStats;
try {
  const client = new RocheClient(svc.api!.url);
  const submit = async (bytes: Buffer) =>
    JobView.parse(await (await fetch(`${svc.api!.url}/v1/jobs`, { method: 'POST', body: new Uint8Array(bytes) })).json());
  await client.waitForTerminal((await submit(makeTextPdf(PAGES))).id, 120_000); // warm up
  await sim.reset();
  t0 = performance.now();
  const jobs = await Promise.all(pdfs.map(submit));
  for (const j of jobs) {
    const done = await client.waitForTerminal(j.id, 1_800_000);
    if (done.state !== 'succeeded') throw new Error(`job ended ${done.state}`);
  }
  serviceMs = performance.now() - t0;
  serviceGpu = await sim.stats();
} finally {
  await svc.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
  await sim.close();
}

const rate = (ms: number) => (total / ms) * 1000;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const lines = [
  '## Worker path vs engine alone on a simulated GPU (issue 10)',
  '',
  `\`npm run bench:worker-path -- --documents ${DOCS} --pages ${PAGES} --concurrency ${CONC} --exec-ms ${cost.execMs} --page-ms ${cost.pageMs}\` — ${new Date().toISOString().slice(0, 10)}, ${DOCS} generated text PDFs × ${PAGES} pages at 144 dpi submitted together, ${os.cpus().length} cores (shared with other work: load average ${os.loadavg()[0]!.toFixed(1)}), Node ${process.version}. Simulated GPU (test/support/sim-gpu.ts, own process): ${cost.execMs} ms + ${cost.pageMs} ms per page per execution, max batch 8. Triton engine with its defaults (UINT8 to \`pp_doclayout_u8\`, resize pool, adaptive micro-batching ≤ 8 / 5 ms); ${CONC} pages at a time in both runs.`,
  '',
  '| path | wall time | pages/s | GPU busy | executions by size |',
  '|---|---|---|---|---|',
  `| engine alone (render + analyze, called directly) | ${(engineMs / 1000).toFixed(1)} s | ${rate(engineMs).toFixed(1)} | ${pct(engineGpu.busyShare)} | ${sizes(engineGpu)} |`,
  `| whole service (HTTP submit → queue → workers → result.json, overlays on) | ${(serviceMs / 1000).toFixed(1)} s | ${rate(serviceMs).toFixed(1)} | ${pct(serviceGpu!.busyShare)} | ${sizes(serviceGpu!)} |`,
  '',
  `Service / engine: **${(rate(serviceMs) / rate(engineMs)).toFixed(2)}×** (goal ≥ 0.8×).`,
];
console.log(lines.join('\n'));
await writeBenchSection('worker-path', lines.join('\n'));
