import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generated, WASM_MODULES } from '../scripts/build-wasm.js';

// The WebAssembly kernels are committed as generated modules; they must be what their source compiles to.
describe('generated WebAssembly modules', () => {
  it.each(WASM_MODULES.map((m) => [m.output, m] as const))('%s matches its AssemblyScript source', async (_, m) => {
    const committed = fs.readFileSync(path.join(import.meta.dirname, '..', m.output), 'utf8');
    expect(committed, 'run npm run build:wasm').toBe(await generated(m));
  });
});
