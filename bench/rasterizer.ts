/**
 * mupdf vs pdftoppm on the sample PDFs: time and pixel difference (docs/pdf-rasterizer.md).
 * Needs `apt-get install poppler-utils` and ../shared/samples.   npx tsx bench/rasterizer.ts
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { openDocument } from '@roche/documents';
const files = ['fw9.pdf', 'Flash-Masques-Temperature.pdf'].map((f) => path.resolve(import.meta.dirname, '../../shared/samples/pdfs', f));
const dpi = 144;
for (const f of files) {
  const bytes = fs.readFileSync(f);
  let t0 = performance.now();
  const doc = await openDocument(bytes, 'pdf', { maxPages: 100, maxPagePixels: 1e9, dpi });
  const mu = [];
  for (let i = 0; i < doc.pageCount; i++) mu.push(await doc.renderPage(i));
  const tMu = performance.now() - t0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ppm-'));
  t0 = performance.now();
  execFileSync('pdftoppm', ['-r', String(dpi), '-png', f, path.join(dir, 'p')]);
  const tPop = performance.now() - t0;
  const pngs = fs.readdirSync(dir).sort();
  const diffs = [];
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    const p = await sharp(path.join(dir, pngs[i]!)).removeAlpha().resize(m.width, m.height, { fit: 'fill' }).raw().toBuffer();
    let sum = 0; let big = 0;
    for (let k = 0; k < p.length; k++) { const d = Math.abs(p[k]! - m.data[k]!); sum += d; if (d > 64) big++; }
    diffs.push({ mean: sum / p.length, bigShare: big / p.length, size: `${m.width}x${m.height}` });
  }
  console.log(path.basename(f), doc.pageCount, 'pages', 'mupdf', tMu.toFixed(0), 'ms', 'pdftoppm', tPop.toFixed(0), 'ms');
  console.log(diffs.map((d) => `${d.size} meanAbsDiff=${d.mean.toFixed(2)} >64:${(d.bigShare * 100).toFixed(2)}%`).join('\n'));
}
