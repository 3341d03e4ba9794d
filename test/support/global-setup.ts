import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedRedis } from '@roche/queue';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One real redis-server for the whole run, on a free loopback port; test files isolate by key prefix. */
export default async function setup(project: TestProject) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-test-redis-'));
  const redis = await startEmbeddedRedis({ dir, persist: false });
  project.provide('redisUrl', redis.url);
  return async () => {
    await redis.stop();
    await fs.rm(dir, { recursive: true, force: true });
  };
}
