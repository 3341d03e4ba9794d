/**
 * Issue 10: what the service adds around the engine. The same pages, the same engine (the embedded
 * analyzer), the same concurrency: once called directly (open the PDF, render each page, read its text layer, analyze),
 * once through the whole service (HTTP submit, store, queue, page jobs, render, engine, page
 * results, assembly; with the defaults, then with overlays). Reports pages/s of both and their ratio, and the cost of each step the
 * service adds per page.
 *
 *   npm run bench:orchestration -- [--pages 24] [--concurrency 2] [--scanned]
 *
 * `--scanned` sends the same pages as images with no text layer, so the embedded analyzer detects text
 * on its threads (the path scans take); its figures go to a section of their own.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { JobView, loadConfig, setThreadNice, type JobOptions, type PageTextLayer, type RgbImage } from '@roche/core';
import { RenderPool, renderOverlay } from '@roche/documents';
import { createEngine } from '@roche/engines';
import { startService } from '../apps/cli/src/service.js';
import { RocheClient } from '../apps/cli/src/client.js';
import { makeLongPdfFromSamples, makeScannedCopy, makeTextPdf } from '../test/support/documents.js';
import { writeBenchSection } from './report.js';
import { tempDir } from './support/processes.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '24' },
    concurrency: { type: 'string', default: '2' },
    scanned: { type: 'boolean', default: false },
  },
});
const pages = Number(values.pages);
const concurrency = Number(values.concurrency);
const fromSamples = makeLongPdfFromSamples(pages);
const scanned = values.scanned;
const born = fromSamples ?? makeTextPdf(pages);
const pdf = scanned ? makeScannedCopy(born) : born;
const source =
  (fromSamples ? 'the sample PDFs (fw9 + Flash-Masques) repeated' : 'generated text pages') +
  (scanned ? ', as page images with no text layer (scans)' : '');
const limits = { maxPages: 10_000, maxPagePixels: 1e8, dpi: 144 };

async function pool<T>(n: number, width: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

// 1. The engine alone, driven directly at the service's concurrency; pages render on the worker's
// render pool, as in the service.
// The engine alone runs its threads at the service's priority, so the two differ only by the service's own work.
// One configuration for both runs: the engine alone gets the service's analysis threads too.
const env = {
  ROCHE_PORT: '0',
  ROCHE_WORKER_CONCURRENCY: String(concurrency),
  ROCHE_ORT_INTRA_OP_THREADS: '1',
  ROCHE_PDF_DPI: '144',
  ROCHE_MAX_PAGES: '10000',
  // 0 analyses on the event loop (the path before the analysis threads), for an A/B.
  ...(process.env.ROCHE_ANALYSIS_THREADS ? { ROCHE_ANALYSIS_THREADS: process.env.ROCHE_ANALYSIS_THREADS } : {}),
};
const engineConfig = loadConfig(env);
setThreadNice(engineConfig.threadNice);
const engine = await createEngine('embedded', { intraOpNumThreads: 1, config: engineConfig });
const renderThreads = engineConfig.worker.renderThreads;
const doc = await RenderPool.shared(renderThreads).open(pdf, 'pdf', limits);
const rendered: RgbImage[] = [];
const layers: Array<PageTextLayer | null> = [];
// Warm up as the service run is warmed up (render threads started, engine loaded and compiled).
await pool(Math.min(pages, 2 * renderThreads), Math.max(concurrency, renderThreads), async (i) => {
  const page = await doc.renderPage(i);
  await engine.analyze([page], { textLayers: [engine.readsTextLayer && doc.textLayer ? await doc.textLayer(i) : null] });
});
let t0 = performance.now();
await pool(pages, concurrency, async (i) => {
  const page = await doc.renderPage(i);
  rendered[i] = page;
  // As the worker does: the PDF text layer for an engine that reads it.
  layers[i] = engine.readsTextLayer && doc.textLayer ? await doc.textLayer(i) : null;
  await engine.analyze([page], { textLayers: [layers[i]] });
});
const engineMs = performance.now() - t0;
doc.close();

// The steps the service adds per page, timed on their own.
t0 = performance.now();
const [layout] = await engine.analyze([rendered[0]!], { textLayers: [layers[0]] });
const analyzeOneMs = performance.now() - t0;
t0 = performance.now();
for (let i = 0; i < 5; i++) await renderOverlay(rendered[i % rendered.length]!, layout!.regions);
const overlayMs = (performance.now() - t0) / 5;
await engine.close();

// 2. The whole service: HTTP submit to the job's end.
const dataDir = await tempDir('orch');
const config = loadConfig({ ...env, ROCHE_DATA_DIR: dataDir });
const svc = await startService(config, { api: true, worker: true }, () => {});
// With the defaults, and with overlays asked for (all the service can do per page).
const serviceMs = { defaults: 0, overlays: 0 };
try {
  const client = new RocheClient(svc.api!.url);
  const submit = async (bytes: Buffer, options: JobOptions) => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bytes)]), 'doc.pdf');
    form.set('options', JSON.stringify(options));
    return JobView.parse(await (await fetch(`${svc.api!.url}/v1/jobs`, { method: 'POST', body: form })).json());
  };
  // A small job first so the engine and the threads are warm, as they were for the direct run (scans
  // warm the detector on every analysis thread).
  const warm = scanned ? makeScannedCopy(makeTextPdf(4)) : makeTextPdf(4);
  await client.waitForTerminal((await submit(warm, {})).id, 120_000);
  for (const [run, options] of [
    ['defaults', {}],
    ['overlays', { overlays: true }],
  ] as const) {
    t0 = performance.now();
    const job = await submit(pdf, options);
    const done = await client.waitForTerminal(job.id, 1_800_000);
    serviceMs[run] = performance.now() - t0;
    if (done.state !== 'succeeded') throw new Error(`job ended ${done.state}`);
  }
} finally {
  await svc.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}

const rate = (ms: number) => (pages / ms) * 1000;
const ratio = rate(serviceMs.defaults) / rate(engineMs);
const lines = [
  `## Orchestration overhead with the embedded engine${scanned ? ', scanned pages' : ''} (issue 10)`,
  '',
  `\`npm run bench:orchestration -- --pages ${pages} --concurrency ${concurrency}${scanned ? ' --scanned' : ''}\` — ${new Date().toISOString().slice(0, 10)}, ${pages} pages of ${source} at 144 dpi, ${os.cpus().length} cores (shared with other work: load average ${os.loadavg()[0]!.toFixed(1)}), Node ${process.version}. ORT intra-op threads 1, ${concurrency} pages at a time and PDF pages rendered on ${renderThreads} render threads in both runs; both analyse pages on ${engineConfig.worker.analysisThreads} analysis threads (ROCHE_ANALYSIS_THREADS, default cores up to 4 and up to the worker concurrency).`,
  '',
  '| path | wall time | pages/s |',
  '|---|---|---|',
  `| engine alone (render + ${scanned ? 'no text layer' : 'text layer'} + analyze, called directly) | ${(engineMs / 1000).toFixed(1)} s | ${rate(engineMs).toFixed(2)} |`,
  `| whole service, defaults (HTTP submit → queue → workers → result.json) | ${(serviceMs.defaults / 1000).toFixed(1)} s | ${rate(serviceMs.defaults).toFixed(2)} |`,
  `| whole service, \`overlays: true\` | ${(serviceMs.overlays / 1000).toFixed(1)} s | ${rate(serviceMs.overlays).toFixed(2)} |`,
  '',
  `Service / engine: **${ratio.toFixed(2)}×** with the defaults (goal ≥ 0.9×); ${(rate(serviceMs.overlays) / rate(engineMs)).toFixed(2)}× with overlays. Per page, the analyzer takes ${analyzeOneMs.toFixed(0)} ms; an overlay PNG takes ${overlayMs.toFixed(0)} ms.`,
];
console.log(lines.join('\n'));
await writeBenchSection(scanned ? 'orchestration-scanned' : 'orchestration', lines.join('\n'));
