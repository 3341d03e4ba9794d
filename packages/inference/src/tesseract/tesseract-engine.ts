import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RgbImage } from '@roche/core';
import sharp from 'sharp';
import type { LayoutEngine, PageLayout } from '../engine.js';
import { orderedRegions } from '../layout/regions.js';
import { parseHocrBlocks } from './hocr.js';

const run = promisify(execFile);

const LABEL = { paragraph: 'text', header: 'paragraph_title', caption: 'figure_title', photo: 'image' } as const;

/**
 * Baseline: Tesseract 5's page layout analysis (`--psm 3`, hOCR), mapped to PP-DocLayout labels.
 * Needs the `tesseract` binary (Debian `tesseract-ocr`). Used to measure Roche's analyzer against.
 */
export class TesseractEngine implements LayoutEngine {
  readonly name = 'tesseract';

  static async available(): Promise<boolean> {
    try {
      await run('tesseract', ['--version']);
      return true;
    } catch {
      return false;
    }
  }

  async analyze(pages: RgbImage[]): Promise<PageLayout[]> {
    const out: PageLayout[] = [];
    for (const page of pages) {
      const png = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
        .png()
        .toBuffer();
      // The page goes in on stdin: no temporary file for a killed worker to leave behind.
      const call = run('tesseract', ['stdin', 'stdout', '--psm', '3', '-l', 'eng', 'hocr'], {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      });
      // Tesseract may exit (a bad page) before it reads all of it: the broken pipe is not the error to report.
      call.child.stdin?.on('error', () => {});
      call.child.stdin?.end(png);
      const { stdout } = await call;
      const blocks = parseHocrBlocks(stdout).filter((b) => b.kind !== 'separator');
      const regions = orderedRegions(blocks.map((b) => ({ label: LABEL[b.kind as keyof typeof LABEL], score: 1, box: b.box })));
      out.push({ width: page.width, height: page.height, regions });
    }
    return out;
  }

  async close(): Promise<void> {}
}
