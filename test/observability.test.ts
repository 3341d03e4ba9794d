import fs from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import { freePort } from '@roche/queue';
import { createLogger, logger, setLogger } from '@roche/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';
import { startKserveServer } from './support/kserve-server.js';
import { startTestService, type TestService } from './support/service.js';

/** One sample's value from Prometheus exposition text (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[3] ?? '').split(',');
    if (want.every((w) => have.includes(w))) total += Number(m[4]);
  }
  return total;
}

describe('metrics, readiness and logs of a running service (Triton engine on the KServe test server)', () => {
  let kserve: Awaited<ReturnType<typeof startKserveServer>>;
  let t: TestService;
  beforeAll(async () => {
    kserve = await startKserveServer();
    t = await startTestService({
      ROCHE_ENGINE: 'triton',
      ROCHE_TRITON_URL: kserve.url,
      ROCHE_TRITON_MODEL: 'pp_doclayout_u8',
      ROCHE_PDF_DPI: '72',
      ROCHE_WORKER_CONCURRENCY: '4',
    });
  });
  afterAll(async () => {
    await t?.stop();
    await kserve?.close();
  });
  const scrape = async () => {
    const res = await fetch(`${t.svc.api!.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  it('the figures move when a job runs: requests by route, jobs, pages, stages, batches, Triton calls, queues', async () => {
    const before = await scrape();
    const f = new FormData();
    f.set('file', new Blob([new Uint8Array(makeTextPdf(3))]), 'd.pdf');
    const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const job = (await res.json()) as { id: string };
    expect((await t.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
    await t.client.status(job.id);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);

    expect(delta('roche_http_requests_total', { method: 'POST', route: '/v1/jobs', status: '202' })).toBe(1);
    expect(delta('roche_http_requests_total', { method: 'GET', route: '/v1/jobs/:id', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(after).not.toContain(job.id); // route patterns, never raw paths
    expect(delta('roche_jobs_submitted_total')).toBe(1);
    expect(delta('roche_jobs_ended_total', { state: 'succeeded' })).toBe(1);
    expect(delta('roche_pages_total', { outcome: 'done' })).toBe(3);
    for (const stage of ['render', 'analyze', 'store']) expect(delta('roche_page_stage_seconds_count', { stage })).toBe(3);
    expect(delta('roche_batch_pages_sum', { model: 'pp_doclayout_u8' })).toBe(3);
    expect(delta('roche_triton_rpc_seconds_count', { method: 'ModelInfer', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'roche_queue_jobs', { queue: 'pages', state: 'waiting' })).toBe(0);
    expect(after).toMatch(/roche_queue_oldest_waiting_seconds\{queue="pages"\} 0/);
  });

  it('/readyz answers 503 inference_unavailable while the model server is down, and recovers', async () => {
    expect((await fetch(`${t.svc.api!.url}/readyz`)).status).toBe(200);
    await kserve.stop();
    try {
      const res = await fetch(`${t.svc.api!.url}/readyz`);
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('inference_unavailable');
    } finally {
      await kserve.restart();
    }
    let ok = false;
    for (let i = 0; i < 50 && !ok; i++) {
      ok = (await fetch(`${t.svc.api!.url}/readyz`)).status === 200;
      if (!ok) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ok).toBe(true);
  });

  it('logs are JSON lines and never carry credentials or webhook secrets', async () => {
    const lines: string[] = [];
    const capture = new Writable({
      write(chunk, _enc, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const previous = logger;
    setLogger(createLogger({ level: 'debug', destination: capture }));
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    try {
      // What a careless caller of the logger might pass: redaction must catch it.
      logger.info({ headers: { authorization: 'Bearer rk_live_topsecret' }, webhook: { url: 'http://x', secret } }, 'careless');
      const f = new FormData();
      f.set('file', new Blob([new Uint8Array(makeTextPdf(1))]), 'd.pdf');
      f.set('webhook', JSON.stringify({ url: 'http://127.0.0.1:9/hook', secret }));
      await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f, headers: { authorization: 'Bearer rk_live_topsecret' } });
      await fetch(`${t.svc.api!.url}/v1/jobs/job_nope`, { headers: { authorization: 'Bearer rk_live_topsecret' } });
    } finally {
      setLogger(previous);
    }
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow();
    const all = lines.join('\n');
    expect(all).not.toContain('rk_live_topsecret');
    expect(all).not.toContain(secret);
    expect(all).toContain('[redacted]');
    // Request lines carry the request id and a route pattern, never the raw path with a job id.
    const requests = lines
      .map((l) => JSON.parse(l) as { msg?: string; route?: string; requestId?: string })
      .filter((l) => l.msg === 'request' || l.msg === 'request refused: credentials');
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(requests.every((r) => r.requestId && r.route && !r.route.includes('job_nope'))).toBe(true);
  });
});

describe('a worker-only process (no API): /metrics, /healthz and /readyz on ROCHE_METRICS_PORT', () => {
  it('serves them on the configured host, and readiness names the part that is down', async () => {
    const port = await freePort();
    const w = await startTestService({ ROCHE_METRICS_PORT: String(port) }, { api: false, worker: true });
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/^# HELP roche_queue_jobs /m);
      // The store made unwritable: not ready, and it says which part.
      await fs.rm(path.join(w.dataDir, 'objects'), { recursive: true, force: true });
      await fs.writeFile(path.join(w.dataDir, 'objects'), 'a file where the store should be');
      const down = await fetch(`${base}/readyz`);
      expect([down.status, ((await down.json()) as { error: { code: string } }).error.code]).toEqual([503, 'storage_unavailable']);
    } finally {
      await w.stop();
    }
  });
});
