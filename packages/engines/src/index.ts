export * from './create-engine.js';
export * from './model-registry.js';
