import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { docbankScores, DocbankTokens, type DocbankPred } from '../src/index.js';

import { SHARED_SAMPLES } from '../../../test/support/service.js';

const SAMPLES = process.env.ROCHE_SHARED_SAMPLES ?? SHARED_SAMPLES;
const TOKENS = path.join(SAMPLES, 'docbank/tokens.json');
const TOOL = path.resolve(SAMPLES, '../tools/docbank_eval.py');
const haveShared = fs.existsSync(TOKENS) && fs.existsSync(TOOL);

describe('DocBank token metric', () => {
  it('labels tokens by the best region holding their centre and weighs them by area', () => {
    const gt = DocbankTokens.parse({
      images: [
        {
          file: 'p.jpg',
          width: 1000,
          height: 1000,
          tokens: [
            { text: 'Intro', bbox: [0, 0, 100, 20], label: 'section' },
            { text: 'body', bbox: [0, 50, 300, 70], label: 'paragraph' },
            { text: 'more', bbox: [0, 80, 100, 100], label: 'paragraph' },
          ],
        },
      ],
    });
    // Half-size prediction: boxes are rescaled to the ground truth's page size.
    const pred: DocbankPred = {
      images: [
        {
          file: 'p.jpg',
          width: 500,
          height: 500,
          regions: [
            { label: 'paragraph_title', score: 0.9, bbox: [0, 0, 60, 12] },
            { label: 'text', score: 0.8, bbox: [0, 20, 200, 45] },
            { label: 'paragraph_title', score: 0.95, bbox: [0, 38, 60, 52] }, // wins "more" over text
          ],
        },
      ],
    };
    const s = docbankScores(gt, pred);
    expect(s.perLabel.section).toEqual({ p: 2000 / 4000, r: 1, f1: 2 / 3 });
    expect(s.perLabel.paragraph!.p).toBe(1);
    expect(s.perLabel.paragraph!.r).toBeCloseTo(6000 / 8000, 10);
    expect(s.macroF1).toBeCloseTo((2 / 3 + (2 * 0.75) / 1.75) / 2, 10);
    expect(docbankScores(gt, { images: [] }).missing).toBe(1);
  });

  it.skipIf(!haveShared)('gives the same numbers as ../shared/tools/docbank_eval.py (skipped without ../shared)', () => {
    const gt = DocbankTokens.parse(JSON.parse(fs.readFileSync(TOKENS, 'utf8')));
    // A crude but varied prediction: top tenth titles, a middle band of text, the rest as tables, some pages missing.
    const pred: DocbankPred = {
      images: gt.images
        .filter((_, i) => i % 7 !== 3)
        .map((im, i) => ({
          file: im.file,
          width: im.width,
          height: im.height,
          regions: [
            { label: 'doc_title', score: 0.5, bbox: [0, 0, im.width, 0.1 * im.height] },
            { label: i % 2 ? 'text' : 'reference', score: 0.6, bbox: [0, 0.1 * im.height, im.width, 0.7 * im.height] },
            { label: 'table', score: 0.4, bbox: [0, 0.5 * im.height, im.width, im.height] },
          ],
        })),
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docbank-'));
    try {
      fs.writeFileSync(path.join(dir, 'pred.json'), JSON.stringify(pred));
      execFileSync('python3', [TOOL, TOKENS, path.join(dir, 'pred.json'), '--json', path.join(dir, 'out.json')], { stdio: 'pipe' });
      const py = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { macro_f1_area: number; coarse_macro_f1_area: number };
      const ts = docbankScores(gt, pred);
      expect(ts.macroF1).toBeCloseTo(py.macro_f1_area, 9);
      expect(ts.coarseMacroF1).toBeCloseTo(py.coarse_macro_f1_area, 9);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
