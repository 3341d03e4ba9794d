export * from './analyzer-engine.js';
export * from './paragraphs.js';
export * from './classify.js';
export * from './graphics.js';
export * from './ink.js';
export * from './text-blocks-engine.js';
