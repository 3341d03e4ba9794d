export * from './redis-server.js';
export * from './connection.js';
export * from './names.js';
export * from './job-store.js';
export * from './document-queue.js';
export * from './job-events.js';
export * from './lua-script.js';
