/**
 * Issue 5 figures: pages/s and peak worker RSS for a 300+ page PDF through the whole service
 * (API + worker + private Redis in this process, fs store). Writes its section of docs/benchmarks.md.
 *
 *   npm run bench:long -- [--pages 300] [--dpi 100] [--concurrency 2]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { loadConfig } from '@roche/core';
import { startService } from '../apps/cli/src/service.js';
import { makeLongPdfFromSamples, makeTextPdf } from '../test/support/documents.js';
import { writeBenchSection } from './report.js';
import { tempDir } from './support/processes.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '300' },
    dpi: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '2' },
  },
});
const minPages = Number(values.pages);
const dataDir = await tempDir('long');

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
// The API runs here (with the private Redis); the worker is its own process, as in production, so
// its peak RSS is the kernel's high-water mark (VmHWM), not a sample.
const svc = await startService(config, { api: true, worker: false }, () => {});
const worker = spawn(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', 'serve', '--worker-only'], {
  cwd: path.resolve(import.meta.dirname, '..'),
  env: {
    ...process.env,
    REDIS_URL: svc.infra.redisUrl,
    ROCHE_DATA_DIR: dataDir,
    ROCHE_PDF_DPI: values.dpi,
    ROCHE_WORKER_CONCURRENCY: values.concurrency,
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const status = async (field: string) => {
  const txt = await fs.readFile(`/proc/${worker.pid}/status`, 'utf8');
  return Number(/^(\w+):\s+(\d+) kB/m.exec(txt.split('\n').find((l) => l.startsWith(field)) ?? '')?.[2] ?? 0) * 1024;
};
await new Promise((r) => setTimeout(r, 3000)); // engine loaded
const afterStart = await status('VmRSS');
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
    if (v.pagesDone !== done && v.pagesDone % 50 === 0)
      console.log(`  ${v.pagesDone}/${job.pagesTotal} pages, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    done = v.pagesDone;
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = await status('VmHWM');
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
  const lines = [
    `## Long document (issue 5)`,
    ``,
    `\`npm run bench:long -- --pages ${minPages} --dpi ${values.dpi} --concurrency ${values.concurrency}\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}.`,
    ``,
    `| document | pages | dpi | state | wall time | pages/s | worker RSS after start | worker peak RSS (VmHWM) |`,
    `|---|---|---|---|---|---|---|---|`,
    `| ${source}, ${(pdf.length / 2 ** 20).toFixed(1)} MiB | ${job.pagesTotal} | ${values.dpi} | ${state} | ${seconds.toFixed(1)} s | ${(job.pagesTotal / seconds).toFixed(2)} | ${mib(afterStart)} | ${mib(peak)} |`,
    ``,
    `The worker (\`roche serve --worker-only\`, default engine, concurrency ${values.concurrency}, overlays on) is a separate process; the API and the private redis-server run beside it. Pages are rendered one at a time per page job from a per-worker cache of at most ${config.worker.documentCache} open documents, and the result is assembled from per-page JSON, so peak memory does not grow with page count.`,
  ];
  console.log(lines.join('\n'));
  await writeBenchSection('long-document', lines.join('\n'));
} finally {
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await svc.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
}
