import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-tess-'));
      try {
        const file = path.join(dir, 'page.png');
        await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
          .png()
          .toFile(file);
        const { stdout } = await run('tesseract', [file, 'stdout', '--psm', '3', '-l', 'eng', 'hocr'], {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        });
        const blocks = parseHocrBlocks(stdout).filter((b) => b.kind !== 'separator');
        const regions = orderedRegions(blocks.map((b) => ({ label: LABEL[b.kind as keyof typeof LABEL], score: 1, box: b.box })));
        out.push({ width: page.width, height: page.height, regions });
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }
    }
    return out;
  }

  async close(): Promise<void> {}
}
