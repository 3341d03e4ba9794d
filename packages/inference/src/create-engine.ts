import type { LayoutEngine } from './engine.js';
import { TextBlocksEngine } from './text-blocks-engine.js';

export interface EngineOptions {
  intraOpNumThreads?: number;
}

/** Engines by name. `embedded` is the default: runs in-process with no external service. */
export async function createEngine(name: string, opts: EngineOptions = {}): Promise<LayoutEngine> {
  switch (name) {
    case 'embedded':
    case 'text-blocks':
      return TextBlocksEngine.create({ intraOpNumThreads: opts.intraOpNumThreads || undefined });
    default:
      throw new Error(`unknown engine "${name}" (known: embedded, text-blocks)`);
  }
}
