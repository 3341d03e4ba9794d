export * from './schemas.js';
export * from './signing.js';
export * from './ssrf.js';
export * from './send.js';
export * from './endpoint-store.js';
export * from './delivery-log.js';
export * from './delivery.js';
export * from './notifier.js';
