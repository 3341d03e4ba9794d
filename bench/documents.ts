/**
 * Issue 5, document layer only: how fast openDocument rasterizes a 300+ page PDF page by page and
 * how much memory that takes (each run in its own process, so the peak is the kernel's VmHWM for
 * rendering alone), plus PDFium (openDocument) against Poppler's pdftoppm on the sample PDFs (speed and pixel
 * difference; skipped without `pdftoppm` or ../shared/samples). Writes the `documents` section of
 * docs/benchmarks.md; docs/pdf-rasterizer.md explains the choice.
 *
 *   npx tsx bench/documents.ts [--pages 300] [--dpi 100,144]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDocument } from '@roche/documents';
import { makeLongPdfFromSamples, makeTextPdf } from '../test/support/documents.js';
import { SHARED_SAMPLES } from '../test/support/service.js';
import { writeBenchSection } from './report.js';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '300' },
    dpi: { type: 'string', default: '100,144' },
    child: { type: 'string' },
  },
});

const MiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const kernelBytes = (field: string) => {
  const line = fs
    .readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+) kB/.exec(line ?? '')?.[1] ?? 0) * 1024;
};

interface RenderRun {
  pages: number;
  openMs: number;
  renderMs: number;
  p95PageMs: number;
  rssAfterOpen: number;
  /** RSS after pages 1, 10%, 50%, 100% of the document: flat when nothing accumulates. */
  rssAt: Array<[number, number]>;
  peak: number;
  pixels: number;
}

/** Child mode: render every page of one PDF, one at a time, dropping each page, as a page job would. */
async function renderAll(file: string, dpi: number): Promise<RenderRun> {
  const bytes = fs.readFileSync(file);
  let t = performance.now();
  const doc = await openDocument(bytes, 'pdf', { maxPages: 100_000, maxPagePixels: 1e9, dpi });
  const openMs = performance.now() - t;
  const rssAfterOpen = process.memoryUsage().rss;
  const marks = new Set([1, Math.ceil(doc.pageCount / 10), Math.ceil(doc.pageCount / 2), doc.pageCount]);
  const rssAt: Array<[number, number]> = [];
  const times: number[] = [];
  let pixels = 0;
  t = performance.now();
  for (let i = 0; i < doc.pageCount; i++) {
    const t1 = performance.now();
    const page = await doc.renderPage(i);
    times.push(performance.now() - t1);
    pixels += page.width * page.height;
    if (marks.has(i + 1)) rssAt.push([i + 1, process.memoryUsage().rss]);
  }
  const renderMs = performance.now() - t;
  doc.close();
  times.sort((a, b) => a - b);
  return {
    pages: doc.pageCount,
    openMs,
    renderMs,
    p95PageMs: times[Math.floor(times.length * 0.95)]!,
    rssAfterOpen,
    rssAt,
    peak: kernelBytes('VmHWM'),
    pixels,
  };
}

if (values.child === 'baseline') {
  console.log(kernelBytes('VmHWM'));
  process.exit(0);
}
if (values.child) {
  const [file, dpi] = values.child.split('@');
  console.log(JSON.stringify(await renderAll(file!, Number(dpi))));
  process.exit(0);
}

const minPages = Number(values.pages);
const dpis = values.dpi.split(',').map(Number);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-bench-documents-'));

function inChild(file: string, dpi: number): RenderRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', `${file}@${dpi}`], {
    cwd: path.resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`render child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as RenderRun;
}

/** The same script importing @roche/documents (PDFium) and sharp but rendering nothing: the floor under every figure above. */
function baseline(): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', 'baseline'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    encoding: 'utf8',
  });
  return Number(r.stdout.trim().split('\n').pop());
}

/** Minimal binary PPM (P6, maxval 255) reader for pdftoppm's output. */
function readPpm(buf: Buffer): { data: Buffer; width: number; height: number } {
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]!))) i++;
    let tok = '';
    while (!/\s/.test(String.fromCharCode(buf[i]!))) tok += String.fromCharCode(buf[i++]!);
    header.push(tok);
  }
  const [magic, w, h] = header;
  if (magic !== 'P6') throw new Error(`not a P6 PPM: ${magic}`);
  return { data: buf.subarray(i + 1), width: Number(w), height: Number(h) };
}

interface Comparison {
  pages: number;
  muMs: number;
  popplerMs: number;
  diff?: { mean: [number, number]; bigShare: [number, number]; sizeMismatch: number };
}

const best = (n: number, fn: () => Promise<void> | void) => async () => {
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
};

/**
 * PDFium (openDocument) in process vs pdftoppm writing PPM (no PNG encode) at the same dpi, each the best of two
 * runs so neither pays for a cold disk cache or first-use font loading. The pixel difference is
 * taken page by page over the overlapping pixels, re-rendering with PDFium, so no more than one
 * page per side is held.
 */
async function compare(file: string, dpi: number, withDiff: boolean): Promise<Comparison> {
  const bytes = fs.readFileSync(file);
  const limits = { maxPages: 10_000, maxPagePixels: 1e9, dpi };
  let pages = 0;
  const muMs = await best(2, async () => {
    const doc = await openDocument(bytes, 'pdf', limits);
    pages = doc.pageCount;
    for (let i = 0; i < doc.pageCount; i++) await doc.renderPage(i);
    doc.close();
  })();
  const out = fs.mkdtempSync(path.join(tmp, 'ppm-'));
  const popplerMs = await best(2, () => {
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out);
    execFileSync('pdftoppm', ['-r', String(dpi), file, path.join(out, 'p')]);
  })();
  if (!withDiff) {
    fs.rmSync(out, { recursive: true, force: true });
    return { pages, muMs, popplerMs };
  }
  const ppms = fs.readdirSync(out).sort();
  const means: number[] = [];
  const bigs: number[] = [];
  let sizeMismatch = 0;
  const doc = await openDocument(bytes, 'pdf', limits);
  for (let k = 0; k < doc.pageCount; k++) {
    const m = await doc.renderPage(k);
    const p = readPpm(fs.readFileSync(path.join(out, ppms[k]!)));
    if (p.width !== m.width || p.height !== m.height) sizeMismatch++;
    const w = Math.min(p.width, m.width);
    const h = Math.min(p.height, m.height);
    let sum = 0;
    let big = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w * 3; x++) {
        const d = Math.abs(p.data[y * p.width * 3 + x]! - m.data[y * m.width * 3 + x]!);
        sum += d;
        if (d > 64) big++;
      }
    }
    means.push(sum / (w * h * 3));
    bigs.push(big / (w * h * 3));
  }
  doc.close();
  fs.rmSync(out, { recursive: true, force: true });
  const range = (a: number[]): [number, number] => [Math.min(...a), Math.max(...a)];
  return { pages, muMs, popplerMs, diff: { mean: range(means), bigShare: range(bigs), sizeMismatch } };
}

try {
  const docs: Array<{ name: string; file: string }> = [];
  const text = path.join(tmp, 'text.pdf');
  fs.writeFileSync(text, makeTextPdf(minPages));
  docs.push({ name: `generated text (makeTextPdf), ${(fs.statSync(text).size / 2 ** 20).toFixed(1)} MiB`, file: text });
  const long = makeLongPdfFromSamples(minPages);
  if (long) {
    const f = path.join(tmp, 'samples.pdf');
    fs.writeFileSync(f, long);
    docs.push({ name: `sample PDFs grafted (makeLongPdfFromSamples), ${(long.length / 2 ** 20).toFixed(1)} MiB`, file: f });
  }

  const floor = baseline();
  const rows: string[] = [];
  for (const d of docs) {
    for (const dpi of dpis) {
      const r = inChild(d.file, dpi);
      console.log(d.name, dpi, JSON.stringify(r));
      const seconds = r.renderMs / 1000;
      rows.push(
        `| ${d.name} | ${r.pages} | ${dpi} | ${r.openMs.toFixed(0)} ms | ${seconds.toFixed(1)} s | ${(r.pages / seconds).toFixed(1)} | ${(r.renderMs / r.pages).toFixed(0)} / ${r.p95PageMs.toFixed(0)} ms | ${MiB(r.rssAfterOpen)} | ${r.rssAt.map(([p, b]) => `${p}: ${MiB(b)}`).join(', ')} | ${MiB(r.peak)} |`,
      );
    }
  }

  const lines = [
    `## Document rendering (issue 5, document layer)`,
    ``,
    `\`npx tsx bench/documents.ts --pages ${minPages} --dpi ${dpis.join(',')}\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}.`,
    ``,
    `\`openDocument\` + \`renderPage\` for every page in order, one page alive at a time, each run in a fresh process (no engine, no queue).`,
    `A process that only imports \`@roche/documents\` (PDFium WASM + sharp) peaks at ${MiB(floor)}.`,
    ``,
    `| document | pages | dpi | open | render all | pages/s | ms/page mean / p95 | RSS after open | RSS after page n | peak RSS (VmHWM) |`,
    `|---|---|---|---|---|---|---|---|---|---|`,
    ...rows,
  ];

  const samplePdfs = ['fw9.pdf', 'Flash-Masques-Temperature.pdf'].map((f) => path.join(SHARED_SAMPLES, 'pdfs', f));
  const hasPoppler = spawnSync('pdftoppm', ['-v']).status === 0;
  if (hasPoppler && samplePdfs.every((f) => fs.existsSync(f))) {
    const cmpDpi = 144;
    const text20 = path.join(tmp, 'text20.pdf');
    fs.writeFileSync(text20, makeTextPdf(20));
    const version = spawnSync('pdftoppm', ['-v'], { encoding: 'utf8' }).stderr.split('\n')[0];
    lines.push(
      ``,
      `PDFium vs Poppler (\`${version}\`, Debian \`poppler-utils\`, reference only): PDFium renders to RGB in this process; pdftoppm is one process per file writing PPM (no PNG encode), so its time includes writing the files.`,
      `Best of two runs each. Difference per channel (0-255) between the two renderings of each page, over the overlapping pixels; min-max over the file's pages.`,
      ``,
      `| file | pages | dpi | PDFium | pdftoppm | mean abs diff | samples differing > 64 | pages whose size differs |`,
      `|---|---|---|---|---|---|---|---|`,
    );
    const cases: Array<[string, string, number, boolean]> = [
      ...samplePdfs.map((f): [string, string, number, boolean] => [path.basename(f), f, cmpDpi, true]),
      ['makeTextPdf(20)', text20, cmpDpi, true],
      ...docs.map((d): [string, string, number, boolean] => [d.name, d.file, 100, false]),
    ];
    for (const [name, file, dpi, withDiff] of cases) {
      const c = await compare(file, dpi, withDiff);
      console.log(name, JSON.stringify(c));
      const speed = (ms: number) => `${ms.toFixed(0)} ms (${((c.pages * 1000) / ms).toFixed(1)} pages/s)`;
      const d = c.diff;
      lines.push(
        `| ${name} | ${c.pages} | ${dpi} | ${speed(c.muMs)} | ${speed(c.popplerMs)} | ${d ? d.mean.map((v) => v.toFixed(1)).join('-') : '—'} | ${d ? `${d.bigShare.map((v) => (v * 100).toFixed(1)).join('-')} %` : '—'} | ${d ? d.sizeMismatch : '—'} |`,
      );
    }
  } else {
    lines.push(``, `(PDFium vs pdftoppm skipped: needs \`pdftoppm\` on PATH and ../shared/samples.)`);
  }
  console.log(lines.join('\n'));
  await writeBenchSection('documents', lines.join('\n'));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
