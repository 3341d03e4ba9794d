import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ErrorBody, JobView } from '@roche/core';
import { createRedis, startEmbeddedRedis, type EmbeddedRedis } from '@roche/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';

/** A Redis of its own (the suite's shared one must stay up), stopped and restarted mid-test. */
describe('Redis outage', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let t: TestService;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-outage-'));
    redis = await startEmbeddedRedis({ dir, persist: true });
    t = await startTestService({ REDIS_URL: redis.url, ROCHE_REDIS_READ_TIMEOUT_MS: '1500' }, { api: true, worker: false });
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('status reads and submits answer 503 queue_unavailable without the client message, then recover', async () => {
    const base = t.svc.api!.url;
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
    const job = JobView.parse(await (await fetch(`${base}/v1/jobs`, { method: 'POST', body: form })).json());

    await redis.stop();
    const res = await fetch(`${base}/v1/jobs/${job.id}`);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = ErrorBody.parse(await res.json());
    expect(body.error.code).toBe('queue_unavailable');
    expect(body.error.message).not.toMatch(/ECONNREFUSED|max retries|Connection is closed/i);
    const form2 = new FormData();
    form2.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
    const sub = await fetch(`${base}/v1/jobs`, { method: 'POST', body: form2 });
    expect(sub.status).toBe(503);
    expect(ErrorBody.parse(await sub.json()).error.code).toBe('queue_unavailable');

    redis = await startEmbeddedRedis({ dir, persist: true, port: redis.port });
    let after = 0;
    for (let i = 0; i < 50 && after !== 200; i++) {
      after = (await fetch(`${base}/v1/jobs/${job.id}`)).status;
      if (after !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toBe(200);
    // The refused submit left no record behind: only the accepted job is in Redis.
    const records = await t.svc.infra.redis.keys(`${t.config.queuePrefix}:job:*`);
    expect(records.filter((k) => /:job:job_[0-9a-z]+$/.test(k))).toEqual([t.svc.infra.keys.job(job.id)]);
  });

  it('a Redis that hangs (stopped, not refusing) is an outage for status reads and readiness: 503, not a request left waiting', async () => {
    const base = t.svc.api!.url;
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
    const job = JobView.parse(await (await fetch(`${base}/v1/jobs`, { method: 'POST', body: form })).json());
    const probe = createRedis(redis.url);
    const pid = Number(/process_id:(\d+)/.exec(await probe.info('server'))![1]);
    await probe.quit();
    process.kill(pid, 'SIGSTOP');
    try {
      // Without the read timeout these waited 90 s and more (the signal ends the wait here).
      const res = await fetch(`${base}/v1/jobs/${job.id}`, { signal: AbortSignal.timeout(30_000) });
      expect([res.status, ErrorBody.parse(await res.json()).error.code]).toEqual([503, 'queue_unavailable']);
      const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(30_000) });
      expect(ready.status).toBe(503);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    let after = 0;
    for (let i = 0; i < 50 && after !== 200; i++) {
      after = (await fetch(`${base}/v1/jobs/${job.id}`)).status;
      if (after !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toBe(200);
  });

  it('a record written before its job is queued expires unless confirmed (no orphan `queued` records)', async () => {
    const { jobs, keys } = t.svc.infra;
    const rec = { id: 'job_0000000000000000000000000000000a1', state: 'queued' as const, createdAt: new Date().toISOString() };
    const input = { key: 'jobs/x/input', type: 'png' as const, size: 1, sha256: 'a'.repeat(64) };
    await jobs.create({ ...rec, input }, 60_000);
    const ttl = await t.svc.infra.redis.pttl(keys.job(rec.id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await jobs.confirm(rec.id);
    expect(await t.svc.infra.redis.pttl(keys.job(rec.id))).toBe(-1);
    await jobs.delete(rec.id);
    // Every job the service accepted is confirmed.
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'p.png');
    const job = JobView.parse(await (await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: form })).json());
    expect(await t.svc.infra.redis.pttl(keys.job(job.id))).toBe(-1);
  });
});
