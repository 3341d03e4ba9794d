import type { Region, RgbImage } from '@roche/core';
import { type LayoutEngine, type PageLayout, groupLines, readingOrder, TextDetector, type TextDetectorOptions } from '@roche/inference';

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
      const order = readingOrder(blocks.map((b) => b.box));
      const regions: Region[] = order.map((i, rank) => {
        const b = blocks[i]!;
        return {
          label: 'text',
          score: Math.min(1, Math.max(0, round(b.score * 1000) / 1000)),
          box: b.box.map(round) as Region['box'],
          order: rank,
        };
      });
      out.push({ width: page.width, height: page.height, regions });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.detector.close();
  }
}
