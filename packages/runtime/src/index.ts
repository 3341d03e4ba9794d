export * from './infra.js';
export * from './secret-key.js';
