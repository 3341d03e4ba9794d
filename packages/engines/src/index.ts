export * from './create-engine.js';
