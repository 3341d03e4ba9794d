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
});
