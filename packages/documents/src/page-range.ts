import { RocheError } from '@roche/core';

// A page (`5`) or a range with either end open (`2-5`, `9-`, `-3`); never two bare numbers (`1 2`).
const PART = /^(?:(\d+)|(\d+)?\s*-\s*(\d+)?)$/;

function bad(spec: string, why: string): RocheError {
  return new RocheError('validation_failed', `invalid page range "${spec}": ${why}`, { details: { pages: spec } });
}

type Part = { from: number; to: number | null };

function parseParts(spec: string): Part[] {
  const trimmed = spec.trim();
  if (!trimmed) throw bad(spec, 'it is empty');
  return trimmed.split(',').map((raw) => {
    const part = raw.trim();
    const m = PART.exec(part);
    if (!part || !m || (!m[1] && !m[2] && !m[3])) throw bad(spec, `"${raw}" is not a page number or range like 2-5, 7 or 9-`);
    const from = Number(m[1] ?? m[2] ?? 1);
    const to = m[1] ? from : m[3] ? Number(m[3]) : null;
    if (from < 1 || (to !== null && to < 1)) throw bad(spec, 'pages are numbered from 1');
    if (to !== null && to < from) throw bad(spec, `"${part}" runs backwards`);
    return { from, to };
  });
}

/** Checks the syntax of a page range before the page count is known. */
export function validatePageRangeSyntax(spec: string): void {
  parseParts(spec);
}

/** Parses `1-3,5,9-` into sorted, unique 1-based page numbers within `1..pageCount`. */
export function parsePageRange(spec: string, pageCount: number): number[] {
  const pages = new Set<number>();
  for (const { from, to } of parseParts(spec)) {
    const end = to ?? pageCount;
    if (from > pageCount || end > pageCount) throw bad(spec, `the document has ${pageCount} page${pageCount === 1 ? '' : 's'}`);
    for (let p = from; p <= end; p++) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}
