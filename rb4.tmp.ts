import fs from 'node:fs';
import { openDocument } from '@roche/documents';
import { resizeCubicCv } from './packages/inference/src/paddlex/cv-resize.ts';
import { makeTextPdf } from './test/support/documents.ts';
for (const [name, pdf] of [['fw9', fs.readFileSync('/work/shared/samples/pdfs/fw9.pdf')], ['text', makeTextPdf(4)], ['flash', fs.readFileSync('/work/shared/samples/pdfs/Flash-Masques-Temperature.pdf')]] as const) {
const doc = await openDocument(pdf, 'pdf', { maxPages: 1000, maxPagePixels: 1e8, dpi: 144 });
const pages = [];
for (let i = 0; i < Math.min(4, doc.pageCount ?? 4); i++) pages.push(await doc.renderPage(i));
for (let r = 0; r < 2; r++) {
  const t0 = performance.now();
  for (let k = 0; k < 5; k++) for (const p of pages) resizeCubicCv(p.data, p.width, p.height, 640, 640, 3);
  if (r) console.log(name, pages[0].width, pages[0].height, 'per page ms', (performance.now() - t0) / 5 / pages.length);
}}
