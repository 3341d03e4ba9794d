export * from './engine.js';
export * from './create-engine.js';
export * from './text-blocks-engine.js';
export * from './text-det/detector.js';
export * from './text-det/db-postprocess.js';
export * from './text-det/preprocess.js';
export * from './layout/group-lines.js';
export * from './layout/reading-order.js';
