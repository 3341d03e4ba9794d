import { kernelsWasm } from './kernels.wasm.js';

/**
 * The preprocessing kernels compiled to WebAssembly (packages/inference/assembly/, built by
 * `npm run build:wasm`): one instance per thread, whose memory the caller lays out per call.
 */

/** The part of the WebAssembly JS API used here (TypeScript declares it in lib "dom", which Roche does not load). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface Kernels {
  /** Memory of at least the bytes asked for; re-read `.buffer` after every `kernels()` call (it may grow). */
  memory: WasmMemory;
  resize(...args: number[]): void;
  normalizeChw(src: number, n: number, dst: number, a0: number, a1: number, a2: number, b0: number, b1: number, b2: number): void;
}

let wasmModule: object | undefined;
function instantiate(): Kernels {
  wasmModule ??= new wasmApi.Module(Buffer.from(kernelsWasm, 'base64'));
  const e = new wasmApi.Instance(wasmModule, {}).exports;
  return { memory: e.memory as WasmMemory, resize: e.resize as Kernels['resize'], normalizeChw: e.normalizeChw as Kernels['normalizeChw'] };
}

/** WebAssembly memory only grows: the kept instance holds what an ordinary page needs; a bigger call gets a throwaway one. */
const KEEP_BYTES = 64 << 20;
let kept: Kernels | undefined;

/** An instance whose memory has at least `bytes`. */
export function kernels(bytes: number): Kernels {
  const k = bytes <= KEEP_BYTES ? (kept ??= instantiate()) : instantiate();
  const grow = Math.ceil((bytes - k.memory.buffer.byteLength) / 65536);
  if (grow > 0) k.memory.grow(grow);
  return k;
}

/** Bump allocation of 16-byte-aligned regions for one call's layout. */
export class Layout {
  size = 0;
  take(bytes: number): number {
    const at = this.size;
    this.size = (this.size + bytes + 15) & ~15;
    return at;
  }
}
