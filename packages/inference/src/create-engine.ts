import type { LayoutEngine } from './engine.js';
import { TextBlocksEngine } from './text-blocks-engine.js';
import { AnalyzerEngine } from './analyzer/analyzer-engine.js';
import { TesseractEngine } from './tesseract/tesseract-engine.js';

export interface EngineOptions {
  intraOpNumThreads?: number;
}

/** Engines by name. `embedded` is the default: runs in-process with no external service. */
export async function createEngine(name: string, opts: EngineOptions = {}): Promise<LayoutEngine> {
  switch (name) {
    case 'embedded':
    case 'analyzer':
      return AnalyzerEngine.create({ intraOpNumThreads: opts.intraOpNumThreads || undefined });
    case 'text-blocks':
      return TextBlocksEngine.create({ intraOpNumThreads: opts.intraOpNumThreads || undefined });
    case 'tesseract':
      if (!(await TesseractEngine.available())) throw new Error('engine "tesseract" needs the tesseract binary (apt-get install tesseract-ocr)');
      return new TesseractEngine();
    default:
      throw new Error(`unknown engine "${name}" (known: embedded = analyzer, text-blocks, tesseract)`);
  }
}
