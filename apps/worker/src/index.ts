export * from './process-document.js';
export * from './worker.js';
