export * from './metrics.js';
export * from './logger.js';
export * from './metrics-server.js';
export * from './tracing.js';
