export * from './annotations.js';
export * from './coco-ap.js';
