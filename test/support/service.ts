import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '@roche/core';
import { inject } from 'vitest';
import { startService, type RunningService } from '../../apps/cli/src/service.js';
import { RocheClient } from '../../apps/cli/src/client.js';

export interface TestService {
  svc: RunningService;
  client: RocheClient;
  config: Config;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * Runs the real API + worker against the suite's redis-server, with a unique queue prefix and a
 * temporary data folder so test files do not see each other's jobs.
 */
export async function startTestService(env: Record<string, string> = {}, parts = { api: true, worker: true }): Promise<TestService> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-test-data-'));
  const config = loadConfig({
    REDIS_URL: inject('redisUrl'),
    ROCHE_DATA_DIR: dataDir,
    ROCHE_PORT: '0',
    ROCHE_QUEUE_PREFIX: `t${Math.random().toString(36).slice(2, 10)}`,
    ROCHE_ORT_INTRA_OP_THREADS: '1',
    ...env,
  });
  const svc = await startService(config, parts, () => {});
  return {
    svc,
    config,
    dataDir,
    client: new RocheClient(svc.api?.url ?? 'http://127.0.0.1:1'),
    async stop() {
      await svc.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const FIXTURE_PAGE = path.resolve(import.meta.dirname, '../fixtures/fw9-page2.png');
export const SHARED_SAMPLES = path.resolve(import.meta.dirname, '../../../shared/samples');
