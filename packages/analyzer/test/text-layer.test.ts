import { commonLabel } from '@roche/core';
import { MAX_PAGE_LINES, openDocument } from '@roche/documents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerEngine, linesFromTextLayer } from '../src/index.js';
import { makeDenseTextPdf, makeLayoutPdf, makeScannedPdf, makeTextOutsidePagePdf } from '../../../test/support/documents.js';

const limits = { maxPages: 10, maxPagePixels: 1e8, dpi: 144 };

async function readPdf(pdf: Buffer) {
  const doc = await openDocument(pdf, 'pdf', limits);
  try {
    return { page: await doc.renderPage(0), layer: await doc.textLayer!(0) };
  } finally {
    doc.close();
  }
}

describe('analyzer on PDF text layers', () => {
  let engine: AnalyzerEngine;
  beforeAll(async () => {
    engine = await AnalyzerEngine.create({ intraOpNumThreads: 1 });
  });
  afterAll(async () => engine?.close());

  it('pads text-layer lines like detector boxes and keeps their ink and text', async () => {
    const { page, layer } = await readPdf(makeLayoutPdf().pdf);
    const lines = linesFromTextLayer(layer!, page);
    expect(lines).toHaveLength(layer!.lines.length);
    for (const [i, l] of lines.entries()) {
      const src = layer!.lines[i]!;
      expect(l.read!.text).toBe(src.text);
      expect(l.read!.ink).toEqual(src.box);
      expect(l.box[1]).toBeCloseTo(src.box[1] - src.size / 2, 5);
    }
  });

  it('labels a born-digital page from its text layer and gives every text region its text', async () => {
    const { pdf, lines: written } = makeLayoutPdf();
    const { page, layer } = await readPdf(pdf);
    const [layout] = await engine.analyze([page], { textLayers: [layer] });
    const regions = layout!.regions;
    expect(regions.length).toBeGreaterThanOrEqual(3);
    const text = regions.filter((r) => r.text !== undefined);
    expect(text.length).toBe(regions.length);
    // Every written line is in exactly one region's text, and that region's box holds the line.
    for (const w of written) {
      const holders = regions.filter((r) => r.text!.split('\n').includes(w.text));
      expect(holders, w.text).toHaveLength(1);
    }
    const title = regions.find((r) => r.text === written[0]!.text)!;
    expect(['doc_title', 'paragraph_title']).toContain(title.label);
    expect(title.order).toBe(0);
    const body = regions.filter((r) => r.label === 'text');
    expect(body.reduce((a, r) => a + r.text!.split('\n').length, 0)).toBeGreaterThanOrEqual(8);
  });

  it('keeps only text on the page: a 10^7-point glyph or text far off the page neither stalls the analysis nor leaves the page', async () => {
    // Before, the glyph's unclipped box (millions of pixels a side) was measured pixel by pixel on
    // the event loop: days per page, with the worker's health checks and lock renewals stalled.
    const { page, layer } = await readPdf(makeTextOutsidePagePdf());
    const inside = (b: readonly number[]) =>
      b[0]! >= 0 && b[1]! >= 0 && b[2]! <= page.width && b[3]! <= page.height && b[2]! > b[0]! && b[3]! > b[1]!;
    expect(layer!.lines.length).toBeGreaterThan(10);
    for (const l of layer!.lines) expect(inside(l.box), JSON.stringify(l)).toBe(true);
    expect(layer!.lines.map((l) => l.text).join(' ')).not.toMatch(/far away|far below/);
    const [layout] = await engine.analyze([page], { textLayers: [layer] });
    expect(layout!.regions.length).toBeGreaterThan(3);
    for (const r of layout!.regions) expect(inside(r.box), JSON.stringify(r.box)).toBe(true);
  });

  it(`reads a page of up to ${MAX_PAGE_LINES} lines from its text layer; one of tens of thousands is analysed from its pixels`, async () => {
    // 40,000 one-letter lines (142 KB of PDF) took 10 s of analysis on the worker's event loop.
    const dense = await readPdf(makeDenseTextPdf(200, 200));
    expect(dense.layer).toBeNull();
    const [layout] = await engine.analyze([dense.page], { textLayers: [dense.layer] });
    expect(layout!.width).toBe(dense.page.width);
    // Just under the limit the layer is read, every line of it, and analysed.
    const many = await readPdf(makeDenseTextPdf(60, 80));
    expect(many.layer!.lines).toHaveLength(4800);
    const [withText] = await engine.analyze([many.page], { textLayers: [many.layer] });
    expect(withText!.regions.some((r) => r.text?.includes('x'))).toBe(true);
  });

  it('on analysis threads gives the same regions as on the event loop, and a page past the time limit fails as too complex', async () => {
    const born = await readPdf(makeLayoutPdf().pdf);
    const scanned = await readPdf(await makeScannedPdf());
    const pages = [born.page, scanned.page];
    const textLayers = [born.layer, scanned.layer];
    const here = await engine.analyze(pages, { textLayers });
    const threaded = await AnalyzerEngine.create({ intraOpNumThreads: 1, threads: 2 });
    try {
      expect(await threaded.analyze(pages, { textLayers })).toEqual(here);
      expect(here[1]!.regions.length).toBeGreaterThan(0);
    } finally {
      await threaded.close();
    }
    // The JavaScript of one page cannot be interrupted where it runs; on a thread it can be stopped.
    const hurried = await AnalyzerEngine.create({ intraOpNumThreads: 1, threads: 1, timeoutMs: 1 });
    try {
      const e = await hurried.analyze([born.page], { textLayers: [born.layer] }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'corrupt_document', retryable: false });
      expect(String((e as Error).message)).toMatch(/too complex to analyse/);
    } finally {
      await hurried.close();
    }
  });

  it('finds text by pixels on a scanned page (no text layer): regions, but no text', async () => {
    const { page, layer } = await readPdf(await makeScannedPdf());
    expect(layer).toBeNull();
    const [layout] = await engine.analyze([page], { textLayers: [layer] });
    // Body text of any kind (the models retrained on 2026-12-03 call this generated page's paragraphs
    // `reference`, a text label; its fine label is not what this test is about).
    expect(layout!.regions.filter((r) => commonLabel(r.label) === 'text').length).toBeGreaterThanOrEqual(3);
    expect(layout!.regions.every((r) => r.text === undefined)).toBe(true);
  });
});
