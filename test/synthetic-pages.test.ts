import { openDocument } from '@roche/documents';
import { DOCBANK_TO_ROW } from '@roche/analyzer';
import { describe, expect, it } from 'vitest';
import { makeSyntheticPage } from '../scripts/synthetic-pages.js';

describe('synthetic training pages (scripts/synthetic-pages.ts)', () => {
  it('are deterministic per seed and differ between seeds', () => {
    const a = makeSyntheticPage(7);
    expect(makeSyntheticPage(7).tokens).toEqual(a.tokens);
    expect(makeSyntheticPage(8).tokens).not.toEqual(a.tokens);
  });

  it('label every word where the PDF text layer puts it, with DocBank labels', async () => {
    const seen = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const { pdf, tokens } = makeSyntheticPage(seed);
      const doc = await openDocument(pdf, 'pdf', { maxPages: 1, maxPagePixels: 1e8, dpi: 72 });
      const layer = (await doc.textLayer!(0))!;
      doc.close();
      expect(layer).not.toBeNull();
      // Every token's centre lies in a text-layer line whose text contains the token's word.
      for (const t of tokens) {
        expect(Object.keys(DOCBANK_TO_ROW)).toContain(t.label);
        seen.add(t.label);
        const cx = (t.bbox[0] + t.bbox[2]) / 2;
        const cy = (t.bbox[1] + t.bbox[3]) / 2;
        const line = layer.lines.find((l) => cx >= l.box[0] - 2 && cx <= l.box[2] + 2 && cy >= l.box[1] - 2 && cy <= l.box[3] + 2);
        expect(line, `${t.text} (${t.label}) at ${cx.toFixed(0)},${cy.toFixed(0)} on page ${seed}`).toBeDefined();
        expect(line!.text.replace(/\s/g, '')).toContain(t.text.replace('\u2022', '•'));
      }
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('cover, over a few dozen seeds, every class the text model learns from them', () => {
    const labels = new Set(Array.from({ length: 40 }, (_, s) => makeSyntheticPage(s + 1).tokens.map((t) => t.label)).flat());
    for (const l of [
      'title',
      'author',
      'date',
      'abstract',
      'section',
      'paragraph',
      'list',
      'caption',
      'table',
      'reference',
      'equation',
      'footer',
    ])
      expect(labels).toContain(l);
  });

  it('keep room for their footnotes: no word of the page runs into them, and some pages have several lines of them', () => {
    let overlaps = 0;
    let multiLine = 0;
    for (let s = 1; s <= 60; s++) {
      const { tokens } = makeSyntheticPage(s);
      const notes = tokens.filter((t) => t.label === 'footer');
      const rest = tokens.filter((t) => t.label !== 'footer');
      for (const a of notes)
        for (const b of rest)
          if (a.bbox[0] < b.bbox[2] && b.bbox[0] < a.bbox[2] && a.bbox[1] < b.bbox[3] && b.bbox[1] < a.bbox[3]) overlaps++;
      if (new Set(notes.map((t) => Math.round(t.bbox[1]))).size >= 3) multiLine++;
    }
    expect(overlaps).toBe(0);
    expect(multiLine).toBeGreaterThan(3);
  });
});
