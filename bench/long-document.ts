/**
 * Issue 5 figures: pages/s and peak worker RSS for a 300+ page PDF through the whole service
 * (API + worker + private Redis in this process, fs store). Writes its section of docs/benchmarks.md.
 *
 *   npm run bench:long -- [--pages 300] [--dpi 100] [--concurrency 2]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@roche/core';
import { startService } from '../apps/cli/src/service.js';
import { makeLongPdfFromSamples, makeTextPdf } from '../test/support/documents.js';
import { writeBenchSection } from './report.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '300' }, dpi: { type: 'string', default: '100' }, concurrency: { type: 'string', default: '2' } } });
const minPages = Number(values.pages);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-bench-long-'));

const fromSamples = await makeLongPdfFromSamples(minPages);
const pdf = fromSamples ?? (await makeTextPdf(minPages));
const source = fromSamples ? 'sample PDFs (fw9 + Flash-Masques) concatenated' : 'generated text pages';

const config = loadConfig({
  ...process.env,
  ROCHE_DATA_DIR: dataDir,
  ROCHE_PORT: '0',
  ROCHE_PDF_DPI: values.dpi,
  ROCHE_WORKER_CONCURRENCY: values.concurrency,
  ROCHE_MAX_PAGES: '5000',
});
let peak = process.memoryUsage().rss;
const baseline = peak;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
const svc = await startService(config, { api: true, worker: true }, () => {});
const afterStart = process.memoryUsage().rss;
try {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(pdf)]), 'long.pdf');
  form.set('options', JSON.stringify({ overlays: true }));
  const t0 = performance.now();
  const job = (await (await fetch(`${svc.api!.url}/v1/jobs`, { method: 'POST', body: form })).json()) as { id: string; pagesTotal: number };
  let state = '';
  let done = 0;
  while (!['succeeded', 'partial', 'failed', 'canceled'].includes(state)) {
    const v = (await (await fetch(`${svc.api!.url}/v1/jobs/${job.id}?wait=10`)).json()) as { state: string; pagesDone: number };
    state = v.state;
    if (v.pagesDone !== done && v.pagesDone % 50 === 0) console.log(`  ${v.pagesDone}/${job.pagesTotal} pages, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    done = v.pagesDone;
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `## Long document (issue 5)`,
    ``,
    `\`npm run bench:long -- --pages ${minPages} --dpi ${values.dpi} --concurrency ${values.concurrency}\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}.`,
    ``,
    `| document | pages | dpi | state | wall time | pages/s | RSS before | RSS after start | peak RSS |`,
    `|---|---|---|---|---|---|---|---|---|`,
    `| ${source}, ${(pdf.length / 2 ** 20).toFixed(1)} MiB | ${job.pagesTotal} | ${values.dpi} | ${state} | ${seconds.toFixed(1)} s | ${(job.pagesTotal / seconds).toFixed(2)} | ${mib(baseline)} | ${mib(afterStart)} | ${mib(peak)} |`,
    ``,
    `API, worker (engine \`${svc.engine?.name}\`, concurrency ${values.concurrency}) and the embedded redis client run in one process, so the peak RSS covers all of them; redis-server is a separate process. Pages are rendered one at a time per page job from a per-worker cache of at most ${config.worker.documentCache} open documents, and the result is assembled from per-page JSON, so peak memory does not grow with page count.`,
  ];
  console.log(lines.join('\n'));
  await writeBenchSection('long-document', lines.join('\n'));
} finally {
  clearInterval(sampler);
  await svc.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
