import type { RgbImage } from '@roche/core';
import { type LayoutEngine, type PageLayout, groupLines, orderedRegions, TextDetector, type TextDetectorOptions } from '@roche/inference';

const round = (v: number) => Math.round(v * 10) / 10;

/**
 * First embedded engine: PP-OCRv4 text lines grouped into blocks, all labelled `text`.
 * A stand-in until the layout analyzer classifies blocks.
 */
export class TextBlocksEngine implements LayoutEngine {
  readonly name = 'text-blocks';
  private constructor(private readonly detector: TextDetector) {}

  static async create(opts: TextDetectorOptions = {}): Promise<TextBlocksEngine> {
    return new TextBlocksEngine(await TextDetector.create(opts));
  }

  async analyze(pages: RgbImage[]): Promise<PageLayout[]> {
    const out: PageLayout[] = [];
    for (const page of pages) {
      const blocks = groupLines(await this.detector.detect(page));
      const regions = orderedRegions(blocks.map((b) => ({ label: 'text', score: round(b.score * 1000) / 1000, box: b.box })));
      out.push({ width: page.width, height: page.height, regions });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.detector.close();
  }
}
