export * from './config.js';
export * from './claims.js';
export * from './watcher.js';
export * from './export.js';
