export * from './sniff.js';
export * from './decode.js';
export * from './overlay.js';
