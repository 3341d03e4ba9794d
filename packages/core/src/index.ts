export * from './errors.js';
export * from './layout.js';
export * from './job.js';
export * from './config.js';
export * from './keys.js';
export * from './ids.js';
export * from './image.js';
export * from './api.js';
