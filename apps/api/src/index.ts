export * from './app.js';
export * from './deps.js';
export * from './server.js';
export * from './job-view.js';
export * from './openapi-document.js';
export * from './auth.js';
