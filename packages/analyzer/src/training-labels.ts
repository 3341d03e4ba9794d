import type { Box } from '@roche/core';
import type { RowClass } from './row-model.js';

/** A DocBank token: text, box in page pixels, DocBank label. */
export interface DocbankToken {
  text: string;
  bbox: [number, number, number, number];
  label: string;
}

/**
 * DocBank's 13 labels as row classes. DocBank's `author` covers names and affiliations under the
 * title; its `date` (one page of the 50) is body text here; footnotes and page numbers are `footer` there.
 */
export const DOCBANK_TO_ROW: Record<string, RowClass> = {
  abstract: 'abstract',
  author: 'author',
  caption: 'caption',
  date: 'text',
  equation: 'formula',
  figure: 'image',
  footer: 'footnote',
  list: 'list',
  paragraph: 'text',
  reference: 'reference',
  section: 'paragraph_title',
  table: 'table',
  title: 'doc_title',
};

const PUBLAYNET_TO_ROW: Record<string, RowClass> = {
  text: 'text',
  title: 'paragraph_title',
  list: 'list',
  table: 'table',
  figure: 'image',
};

const centre = (b: readonly number[]) => [(b[0]! + b[2]!) / 2, (b[1]! + b[3]!) / 2] as const;
const inside = (p: readonly [number, number], b: readonly number[]) => p[0] >= b[0]! && p[0] <= b[2]! && p[1] >= b[1]! && p[1] <= b[3]!;

/** Training label of a row: the DocBank label covering most token area among tokens centred in the row, or null if none is. */
export function rowLabelFromTokens(row: Box, tokens: DocbankToken[]): RowClass | null {
  const area = new Map<RowClass, number>();
  for (const t of tokens) {
    if (!inside(centre(t.bbox), row)) continue;
    const l = DOCBANK_TO_ROW[t.label];
    if (!l) continue;
    area.set(l, (area.get(l) ?? 0) + Math.max(1, (t.bbox[2] - t.bbox[0]) * (t.bbox[3] - t.bbox[1])));
  }
  let best: RowClass | null = null;
  for (const [l, a] of area) if (!best || a > area.get(best)!) best = l;
  return best;
}

/**
 * Training label of a row on a PubLayNet page: the class of the region holding its centre. PubLayNet
 * leaves running heads, footers and page numbers unannotated, so an unannotated row in the top or
 * bottom tenth of the page is page furniture; any other unannotated row is left out of training.
 */
export function rowLabelFromPublaynet(
  row: Box,
  regions: Array<{ label: string; bbox: [number, number, number, number] }>,
  pageHeight: number,
): RowClass | null {
  const c = centre(row);
  const r = regions.find((g) => inside(c, g.bbox));
  if (r) return PUBLAYNET_TO_ROW[r.label] ?? null;
  return row[3] <= 0.1 * pageHeight || row[1] >= 0.9 * pageHeight ? 'header' : null;
}
