export * from './annotations.js';
export * from './coco-ap.js';
export * from './run-eval.js';
export * from './docbank.js';
export * from './docbank-metric.js';
