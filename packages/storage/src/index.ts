export * from './store.js';
export * from './fs-store.js';
export * from './s3-store.js';
export { createObjectStore } from './factory.js';
