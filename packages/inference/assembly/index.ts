// The WebAssembly kernels of the PaddleX preprocessing, one module (one instance and memory per thread).
export { resize } from './cv-resize';
export { normalizeChw } from './normalize';
