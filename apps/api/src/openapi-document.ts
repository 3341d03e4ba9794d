import type { Config } from '@roche/core';
import { createApp } from './app.js';
import type { ApiDeps } from './deps.js';

/**
 * The OpenAPI document as the running API serves it at `/openapi.json`, built without a running
 * service (the routes need their dependencies only when a request arrives), for client generation.
 */
export function openApiDocument(): Record<string, unknown> {
  const config: Pick<Config, 'limits' | 'retentionHours'> = {
    limits: { maxUploadBytes: 1, maxPagePixels: 1, maxPages: 1, dpi: 72 },
    retentionHours: 1,
  };
  const app = createApp({ config, webhooks: {} } as unknown as ApiDeps);
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Roche document layout analysis API', version: '0.1.0' },
  }) as unknown as Record<string, unknown>;
}
