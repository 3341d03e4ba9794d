export * from './client.js';
export type { paths, components } from './schema.js';
