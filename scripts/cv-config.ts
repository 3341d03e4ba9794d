/**
 * What a cross-validation summary was computed from: the options of the training run (those that
 * change figures) and the code its models and scores come from. `npm run bench:eval -- --reuse-cv`
 * takes the summary's figures only when they match the current tree's defaults (file times cannot
 * tell: a full training run writes its summary before its models, and an experiment's `--cv-only
 * --balance 1` writes a newer summary than the shipped models).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
/** Sources whose change changes the cross-validated figures. */
const SOURCES = [
  'packages/analyzer/src',
  'packages/inference/src/text-det',
  'packages/eval/src',
  'packages/documents/src',
  'packages/core/src',
  'scripts/train-analyzer.ts',
  'scripts/synthetic-pages.ts',
];
/** Options that only choose what is printed or written, not the figures. */
const NEUTRAL = new Set(['--cv-only', '--confusion']);

function files(p: string): string[] {
  const full = path.join(root, p);
  if (!fs.statSync(full).isDirectory()) return [p];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(p, f))
    .sort();
}

/** An id of the figures `train-analyzer.ts` computes with these command-line options on this tree. */
export function cvConfigId(args: readonly string[]): string {
  const h = crypto.createHash('sha256');
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (NEUTRAL.has(args[i]!)) continue;
    // `--rows <class>` and `--tag <name>` take a value that does not change the figures either.
    if (args[i] === '--rows' || args[i] === '--tag') {
      i++;
      continue;
    }
    kept.push(args[i]!);
  }
  h.update(JSON.stringify(kept));
  for (const f of SOURCES.flatMap(files))
    h.update(f)
      .update('\0')
      .update(fs.readFileSync(path.join(root, f)))
      .update('\0');
  return h.digest('hex').slice(0, 16);
}
