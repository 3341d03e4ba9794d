import { loadConfig, type Config } from '@roche/core';
import { createApp } from './app.js';
import type { ApiDeps } from './deps.js';

/**
 * The OpenAPI document as the running API serves it at `/openapi.json`, built without a running
 * service (the routes need their dependencies only when a request arrives), for client generation.
 */
export function openApiDocument(): Record<string, unknown> {
  // The defaults: the document does not depend on settings, and no environment leaks into it.
  const config: Config = loadConfig({});
  // Route factories only take references to their dependencies; nothing is called until a request.
  const inert: object = new Proxy(() => inert, { get: () => inert, apply: () => inert });
  const deps = new Proxy({ config }, { get: (t, k) => (k === 'config' ? t.config : k === 'queues' ? undefined : inert) });
  const app = createApp(deps as unknown as ApiDeps);
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Roche document layout analysis API', version: '0.1.0' },
  }) as unknown as Record<string, unknown>;
}
