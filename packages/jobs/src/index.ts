export * from './job-service.js';
export * from './intake.js';
export * from './assemble.js';
export * from './page-processor.js';
export * from './document-cache.js';
export * from './idempotency.js';
export * from './admission.js';
export * from './sources.js';
