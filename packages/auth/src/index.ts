export * from './scopes.js';
export * from './api-keys.js';
export * from './jwt.js';
export * from './authenticator.js';
export * from './rate-limit.js';
export * from './tracked-cache.js';
