/**
 * Issue 4 figures: Roche's embedded analyzer against Tesseract 5's page layout analysis on the
 * PubLayNet sample pages, same metric (COCO AP), plus ms/page on this machine.
 *
 *   npm run bench:eval
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TesseractEngine } from '@roche/inference';
import { createEngine } from '@roche/engines';
import { formatApTable, runEval as runEvalWith, type EvalOptions } from '@roche/eval';
import { writeBenchSection } from './report.js';

async function runEval(opts: EvalOptions & { engine?: string }) {
  const engine = await createEngine(opts.engine ?? 'embedded');
  try {
    return await runEvalWith(engine, opts);
  } finally {
    await engine.close();
  }
}

const dir = path.resolve(import.meta.dirname, '../../shared/samples/publaynet');
const ann = path.join(dir, 'annotations_simple.json');
if (!fs.existsSync(ann)) {
  console.error(`no ${ann}: the PubLayNet sample is needed for this benchmark`);
  process.exit(2);
}
const engines = ['embedded', ...((await TesseractEngine.available()) ? ['tesseract'] : [])];
const parts = [
  '## Layout quality: embedded analyzer vs Tesseract (issue 4)',
  '',
  `\`npm run bench:eval\` — ${new Date().toISOString().slice(0, 10)}, 12 PubLayNet pages (\`../shared/samples/publaynet\`), ${os.cpus().length} cores, Node ${process.version}.`,
  'COCO-style AP (101-point, greedy matching by score, as pycocotools) per class; predictions mapped to PubLayNet classes',
  '(PP-DocLayout titles → title, captions → text, image/chart → figure; header/footer/number dropped). ms/page is engine time',
  'on a decoded page (Tesseract: PNG encode + process spawn included, `--psm 3`, one OMP thread).',
  '',
];
for (const engine of engines) {
  const r = await runEval({ images: dir, annotations: ann, engine });
  const title = `**${r.engine}** — ${r.msPerPage.toFixed(0)} ms/page`;
  console.log(formatApTable(r.table, title));
  parts.push(formatApTable(r.table, title), '');
}
if (!engines.includes('tesseract')) parts.push('Tesseract was not installed on this run (`apt-get install tesseract-ocr`).');
await writeBenchSection('eval', parts.join('\n'));
