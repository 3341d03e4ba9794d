import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { JobView, loadConfig } from '@roche/core';
import { createS3Client } from '@roche/storage';
import { describe, expect, it } from 'vitest';
import { RocheClient } from '../apps/cli/src/client.js';
import { startService } from '../apps/cli/src/service.js';
import { startS3 } from './support/s3.js';
import { FIXTURE_PAGE, startTestService } from './support/service.js';

describe('S3 object store end to end (s3rver)', () => {
  it('runs a job from an s3:// reference, stores results in S3 and links them presigned', async () => {
    const s3 = await startS3(['roche-data', 'customer-docs']);
    const client = createS3Client(s3.settings);
    await client.send(new PutObjectCommand({ Bucket: 'customer-docs', Key: 'in/page.png', Body: await fs.readFile(FIXTURE_PAGE) }));
    const t = await startTestService({
      S3_BUCKET: 'roche-data',
      S3_ENDPOINT: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
      S3_PREFIX: 'roche',
      ROCHE_S3_SOURCES: 'customer-docs,roche-data',
    });
    try {
      const job = await t.client.submitS3('s3://customer-docs/in/page.png', { overlays: true });
      expect(job.input.source).toBe('s3://customer-docs/in/page.png');
      const done = await t.client.waitForTerminal(job.id, 60_000);
      expect(done.state).toBe('succeeded');
      // The result lives in the Roche bucket under the prefix and is fetchable by its presigned link.
      expect(done.links.resultDirect).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/roche-data\/roche\/jobs\//);
      const direct = await (await fetch(done.links.resultDirect!)).json();
      expect(direct).toEqual(await t.client.result(job.id));
      // Overlays linked from the result redirect to presigned S3 URLs.
      const overlay = (await t.client.result(job.id)).pages[0]!.overlay!;
      const redirect = await fetch(`${t.svc.api!.url}${overlay}`, { redirect: 'manual' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.get('location')).toContain('X-Amz-Signature');
      const png = await fetch(redirect.headers.get('location')!);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(
        Buffer.from(await png.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');

      const missing = await fetch(`${t.svc.api!.url}/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ source: 's3://customer-docs/nope.png' }),
      });
      expect(missing.status).toBe(404);

      // Hostile sources: another job's input in the service's own bucket, dot segments the S3
      // client would collapse, a bucket nobody allowed.
      const submit = async (source: string) => {
        const res = await fetch(`${t.svc.api!.url}/v1/jobs`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ source }),
        });
        return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
      };
      expect(await submit(`s3://roche-data/roche/jobs/${job.id}/input`)).toEqual({ status: 403, code: 'forbidden' });
      expect(await submit(`s3://roche-data/shared/../roche/jobs/${job.id}/input`)).toEqual({ status: 400, code: 'validation_failed' });
      expect(await submit(`s3://roche-data/shared/%2e%2e/roche/jobs/${job.id}/input`)).toEqual({ status: 400, code: 'validation_failed' });
      expect(await submit('s3://customer-docs/in/./page.png')).toEqual({ status: 400, code: 'validation_failed' });
      expect(await submit('s3://other-bucket/in/page.png')).toEqual({ status: 403, code: 'forbidden' });
    } finally {
      await t.stop();
      client.destroy();
      await s3.close();
    }
  });

  it('answers 503 storage_unavailable when S3 is down at submit, and accepts nothing', async () => {
    const s3 = await startS3(['roche-data']);
    const t = await startTestService(
      {
        S3_BUCKET: 'roche-data',
        S3_ENDPOINT: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
      { api: true, worker: false },
    );
    try {
      await s3.close();
      const f = new FormData();
      f.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
      const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
      expect(await t.svc.infra.queue.pages.count()).toBe(0);
      expect((await fetch(`${t.svc.api!.url}/readyz`)).status).toBe(503);
    } finally {
      await t.stop();
    }
  });
});

describe('jobs survive restarts', () => {
  it('a job queued while no worker runs is done by a worker started later', async () => {
    const api = await startTestService({}, { api: true, worker: false });
    try {
      const job = await api.client.submitFile(FIXTURE_PAGE);
      await new Promise((r) => setTimeout(r, 300));
      expect((await api.client.status(job.id)).state).toBe('queued');
      // A separate worker process would do the same: same Redis, same store, same prefix.
      const worker = await startService(api.config, { api: false, worker: true }, () => {});
      try {
        expect((await api.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
      } finally {
        await worker.stop();
      }
    } finally {
      await api.stop();
    }
  });

  it('the embedded redis-server persists queued jobs across a full service restart', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-embedded-'));
    const env = { ROCHE_DATA_DIR: dataDir, ROCHE_PORT: '0', ROCHE_ORT_INTRA_OP_THREADS: '1' };
    const first = await startService(loadConfig(env), { api: true, worker: false }, () => {});
    let jobId: string;
    try {
      expect(first.infra.embeddedRedis).toBeDefined();
      jobId = (await new RocheClient(first.api!.url).submitFile(FIXTURE_PAGE)).id;
    } finally {
      await first.stop();
    }
    const second = await startService(loadConfig(env), { api: true, worker: true }, () => {});
    try {
      const done: JobView = await new RocheClient(second.api!.url).waitForTerminal(jobId, 60_000);
      expect(done.state).toBe('succeeded');
      expect(done.input.filename).toBe('fw9-page2.png');
    } finally {
      await second.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('Redis down', () => {
  it('submit answers 503 queue_unavailable and readiness fails, instead of hanging', async () => {
    const { startEmbeddedRedis } = await import('@roche/queue');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-redis-down-'));
    const redis = await startEmbeddedRedis({ dir, persist: false });
    const t = await startTestService({ REDIS_URL: redis.url }, { api: true, worker: false });
    try {
      await redis.stop();
      const f = new FormData();
      f.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
      const t0 = Date.now();
      const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('queue_unavailable');
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect((await fetch(`${t.svc.api!.url}/readyz`)).status).toBe(503);
    } finally {
      await t.stop();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
