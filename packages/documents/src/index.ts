export * from './sniff.js';
export * from './decode.js';
export * from './overlay.js';
export * from './open-document.js';
export * from './page-range.js';
export * from './crop.js';
export * from './text-lines.js';
export { fontStyle } from './pdf-text.js';
export { RenderPool, recyclePage } from './render-pool.js';
