import { z } from 'zod';
import type { DocbankPred } from './docbank.js';

/**
 * DocBank's token-level layout metric (Li et al., COLING 2020), as `../shared/tools/docbank_eval.py`
 * computes it, so `roche eval` can score page images or PDFs against a `tokens.json` without Python:
 * each token takes the label of the highest-score predicted region holding its centre (ties: the
 * smaller region); per label, precision/recall/F1 over token areas in DocBank's 0..1000 page units;
 * macro F1 over the labels present; "coarse" = 5 classes with equation tokens left out.
 */
export const DocbankTokens = z.object({
  labels: z.array(z.string()).optional(),
  images: z.array(
    z.object({
      file: z.string(),
      width: z.number().positive(),
      height: z.number().positive(),
      tokens: z.array(z.object({ text: z.string(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]), label: z.string() })),
    }),
  ),
});
export type DocbankTokens = z.infer<typeof DocbankTokens>;

export const DOCBANK_LABELS = [
  'abstract',
  'author',
  'caption',
  'date',
  'equation',
  'figure',
  'footer',
  'list',
  'paragraph',
  'reference',
  'section',
  'table',
  'title',
] as const;

/** Engine labels (PP-DocLayout, PubLayNet) → DocBank labels, the scorer's `--mapping docbank` table. */
export const TO_DOCBANK: Record<string, string> = {
  ...Object.fromEntries(DOCBANK_LABELS.map((l) => [l, l])),
  paragraph_title: 'section',
  doc_title: 'title',
  text: 'paragraph',
  content: 'paragraph',
  figure_title: 'caption',
  table_title: 'caption',
  chart_title: 'caption',
  formula: 'equation',
  formula_number: 'equation',
  image: 'figure',
  chart: 'figure',
  header_image: 'figure',
  footer_image: 'figure',
  seal: 'figure',
  footnote: 'footer',
  number: 'footer',
  header: 'paragraph',
  algorithm: 'paragraph',
  aside_text: 'paragraph',
  // PubLayNet's five classes; its `title` is a section heading.
  title: 'section',
  list: 'list',
  figure: 'figure',
};

const COARSE: Record<string, string> = {
  title: 'title',
  section: 'title',
  paragraph: 'text',
  abstract: 'text',
  author: 'text',
  date: 'text',
  caption: 'text',
  reference: 'text',
  footer: 'text',
  list: 'list',
  table: 'table',
  figure: 'figure',
};
export const COARSE_LABELS = ['text', 'title', 'list', 'table', 'figure'] as const;

export interface LabelScore {
  p: number;
  r: number;
  f1: number;
}
export interface DocbankScores {
  pages: number;
  /** Pages of the ground truth with no prediction (scored as predicting nothing). */
  missing: number;
  macroF1: number;
  coarseMacroF1: number;
  perLabel: Record<string, LabelScore>;
  coarse: Record<string, LabelScore>;
}

function score(pairs: Array<[string, string, number]>, labels: readonly string[]) {
  const tp = new Map(labels.map((l) => [l, 0]));
  const pw = new Map(tp);
  const gw = new Map(tp);
  for (const [g, p, w] of pairs) {
    if (gw.has(g)) gw.set(g, gw.get(g)! + w);
    if (pw.has(p)) pw.set(p, pw.get(p)! + w);
    if (g === p && tp.has(g)) tp.set(g, tp.get(g)! + w);
  }
  const present = labels.filter((l) => gw.get(l)! > 0);
  const per: Record<string, LabelScore> = {};
  for (const l of present) {
    const p = pw.get(l)! > 0 ? tp.get(l)! / pw.get(l)! : 0;
    const r = tp.get(l)! / gw.get(l)!;
    per[l] = { p, r, f1: p + r > 0 ? (2 * p * r) / (p + r) : 0 };
  }
  const macro = present.length ? present.reduce((a, l) => a + per[l]!.f1, 0) / present.length : 0;
  return { per, macro };
}

/** Scores predictions against DocBank tokens; `only` restricts the ground truth to some pages (by file name). */
export function docbankScores(gt: DocbankTokens, pred: DocbankPred, only?: ReadonlySet<string>): DocbankScores {
  const preds = new Map(pred.images.map((p) => [p.file, p]));
  const area: Array<[string, string, number]> = [];
  const coarse: Array<[string, string, number]> = [];
  let pages = 0;
  let missing = 0;
  for (const im of gt.images) {
    if (only && !only.has(im.file)) continue;
    pages++;
    const p = preds.get(im.file);
    if (!p) missing++;
    const sx = p?.width ? im.width / p.width : 1;
    const sy = p?.height ? im.height / p.height : 1;
    const regions = (p?.regions ?? []).flatMap((r) => {
      const label = TO_DOCBANK[r.label];
      if (!label) return [];
      const b = [r.bbox[0] * sx, r.bbox[1] * sy, r.bbox[2] * sx, r.bbox[3] * sy] as const;
      return [{ label, score: r.score, b, area: Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]) }];
    });
    const norm = 1e6 / (im.width * im.height);
    for (const t of im.tokens) {
      const [x1, y1, x2, y2] = t.bbox;
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      let best: (typeof regions)[number] | undefined;
      for (const r of regions)
        if (r.b[0] <= cx && cx <= r.b[2] && r.b[1] <= cy && cy <= r.b[3])
          if (!best || r.score > best.score || (r.score === best.score && r.area < best.area)) best = r;
      const pl = best?.label ?? 'none';
      const w = Math.max(0, x2 - x1) * Math.max(0, y2 - y1) * norm;
      area.push([t.label, pl, w]);
      if (t.label !== 'equation') coarse.push([COARSE[t.label] ?? 'none', COARSE[pl] ?? 'none', w]);
    }
  }
  const fine = score(area, DOCBANK_LABELS);
  const co = score(coarse, COARSE_LABELS);
  return { pages, missing, macroF1: fine.macro, coarseMacroF1: co.macro, perLabel: fine.per, coarse: co.per };
}

/** A plain-text report of `docbankScores`. */
export function formatDocbankScores(s: DocbankScores, title: string): string {
  const f = (v: number) => v.toFixed(3);
  const row = (l: string, v: LabelScore) => `| ${l} | ${f(v.p)} | ${f(v.r)} | ${f(v.f1)} |`;
  return [
    title,
    '',
    '| label | P (area) | R (area) | F1 (area) |',
    '|---|---:|---:|---:|',
    ...Object.entries(s.perLabel).map(([l, v]) => row(l, v)),
    `| **13-label macro** | | | **${f(s.macroF1)}** |`,
    ...Object.entries(s.coarse).map(([l, v]) => row(`coarse ${l}`, v)),
    `| **coarse 5-class macro** | | | **${f(s.coarseMacroF1)}** |`,
    ...(s.missing ? ['', `${s.missing} of ${s.pages} pages had no prediction`] : []),
  ].join('\n');
}
