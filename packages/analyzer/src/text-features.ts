import { upperMedian } from '@roche/core';
import type { PageRow } from './features.js';

/** Extra features of rows read from a PDF text layer (font and text), appended to `rowFeatures`' for the PDF model. */
export const TEXT_FEATURE_NAMES = [
  'sizeBody',
  'sizePageMax',
  'bold',
  'italic',
  'prevSizeBody',
  'nextSizeBody',
  'prevBold',
  'nextBold',
  'captionStart',
  'sectionNumber',
  'bulletStart',
  'referenceStart',
  'digitShare',
  'mathShare',
  'upperShare',
  'charsPerEm',
  'endsWithPeriod',
  'startsLower',
  'words',
  'hasYear',
  'abstractWord',
  'affiliationWord',
  'blockReferenceShare',
  'blockBulletShare',
  'afterReferencesHeading',
  'inAbstract',
] as const;

const CAPTION = /^(fig(ure|\.)?|table|tab\.|algorithm|alg\.|listing|plate|chart|scheme)\s*[\dIVXS]/i;
const SECTION = /^((\d+(\.\d+)*\.?)|([IVX]+\.)|([A-Z]\.)|(appendix\b))\s*\S/i;
const BULLET = /^([•◦▪‣∙·*∗–—-]|\(?([a-z]|[ivx]{1,4}|\d{1,2})\))\s*\S/;
const REFERENCE = /^(\[[^\]]{1,12}\]|\d{1,3}\.\s+[A-Z][\p{L}'-]+,)/u;
const MATH = /[=+<>^_∑∏∫∂∇√∞≤≥≈≠±×÷∈∉⊂⊆∪∩→←↔⇒⇔∀∃|()[\]{}\u0370-\u03ff\u2200-\u22ff\u{1d400}-\u{1d7ff}]/u;
const YEAR = /\b(19|20)\d\d\b/;
/** A heading that opens the bibliography (numbered or not). */
const REFERENCES_HEADING = /^((\d+(\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s*)?(references|bibliography|literature cited|works cited)\s*:?$/i;
const ABSTRACT_START = /^abstract\b/i;
const AFFILIATION = /@|universit|institut|department|school|laborator|college|centre|center|\bemail\b/i;

/**
 * Font and text features of rows with text (PDF pages). Sizes are relative to the page's body font
 * (median size of rows in blocks of 3+), the text patterns are what readers use to tell captions,
 * numbered headings, list items, references and formulas apart.
 */
export function textFeatures(rows: PageRow[]): number[][] {
  const blockSize = new Map<number, number>();
  for (const r of rows) blockSize.set(r.block, (blockSize.get(r.block) ?? 0) + 1);
  const sized = rows.filter((r) => r.read);
  const body = sized.filter((r) => (blockSize.get(r.block) ?? 0) >= 3);
  const bodySize = upperMedian((body.length ? body : sized).map((r) => r.read!.size)) || 1;
  const maxSize = Math.max(1, ...sized.map((r) => r.read!.size));
  // Context a reader uses: what the rest of the block looks like, and which section the row is in
  // (rows come in reading order). Continuation lines of a reference or an abstract look like body text.
  const share = (test: RegExp) => {
    const hits = new Map<number, number>();
    for (const r of rows) if (r.read && test.test(r.read.text.trim())) hits.set(r.block, (hits.get(r.block) ?? 0) + 1);
    return (r: PageRow) => (hits.get(r.block) ?? 0) / (blockSize.get(r.block) ?? 1);
  };
  const blockRefs = share(REFERENCE);
  const blockBullets = share(BULLET);
  const afterRefs: number[] = [];
  const inAbstract: number[] = [];
  let seenRefs = false;
  let abstract = false;
  for (const r of rows) {
    const text = r.read?.text.trim() ?? '';
    const words = text.split(/\s+/).length;
    if (ABSTRACT_START.test(text)) abstract = true;
    else if (abstract && words <= 8 && SECTION.test(text)) abstract = false; // the next numbered heading ends it
    inAbstract.push(abstract ? 1 : 0);
    afterRefs.push(seenRefs ? 1 : 0);
    if (REFERENCES_HEADING.test(text)) seenRefs = true;
  }
  return rows.map((r, i) => {
    const t = r.read;
    if (!t) return TEXT_FEATURE_NAMES.map(() => -1);
    const prev = rows[i - 1]?.block === r.block ? rows[i - 1]?.read : undefined;
    const next = rows[i + 1]?.block === r.block ? rows[i + 1]?.read : undefined;
    const text = t.text.trim();
    const chars = [...text.replace(/\s/g, '')];
    const n = Math.max(1, chars.length);
    const letters = chars.filter((c) => /\p{L}/u.test(c));
    const em = t.size || 1;
    return [
      t.size / bodySize,
      t.size / maxSize,
      t.bold,
      t.italic,
      prev ? prev.size / bodySize : 0,
      next ? next.size / bodySize : 0,
      prev ? prev.bold : -1,
      next ? next.bold : -1,
      CAPTION.test(text) ? 1 : 0,
      SECTION.test(text) ? 1 : 0,
      BULLET.test(text) ? 1 : 0,
      REFERENCE.test(text) ? 1 : 0,
      chars.filter((c) => /\d/.test(c)).length / n,
      chars.filter((c) => MATH.test(c)).length / n,
      letters.length ? letters.filter((c) => c !== c.toLowerCase()).length / letters.length : 0,
      Math.min(10, chars.length / Math.max(0.5, (t.ink[2] - t.ink[0]) / em)),
      /[.:]$/.test(text) ? 1 : 0,
      /^\p{Ll}/u.test(text) ? 1 : 0,
      Math.min(60, text.split(/\s+/).length),
      YEAR.test(text) ? 1 : 0,
      /^abstract\b/i.test(text) ? 1 : 0,
      AFFILIATION.test(text) ? 1 : 0,
      blockRefs(r),
      blockBullets(r),
      afterRefs[i]!,
      inAbstract[i]!,
    ];
  });
}
