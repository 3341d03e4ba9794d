export * from './deps.js';
export * from './process-page.js';
export * from './assemble.js';
export * from './document-cache.js';
export * from './worker.js';
