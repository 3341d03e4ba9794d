import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, JobView } from '@roche/core';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';
import { startReceiver } from './support/webhook-receiver.js';
import { RocheClient } from '../apps/cli/src/client.js';
import { DEFAULT_PER_RECEIVER } from '@roche/webhooks';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

async function submit(t: TestService, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const f = new FormData();
  f.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'page.png');
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f, headers });
  return { res, body: (await res.json()) as Record<string, unknown> };
}

const json = (t: TestService, path: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${t.svc.api!.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

describe('webhooks against a real loopback receiver', () => {
  let t: TestService;
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
    t = await startTestService({
      ROCHE_WEBHOOK_ALLOW: '127.0.0.1/32',
      ROCHE_WEBHOOK_SCHEDULE: '300,300,300',
      ROCHE_WEBHOOK_TIMEOUT_MS: '700',
    });
  });
  afterAll(async () => {
    await t?.stop();
    await rx?.close();
  });

  it('a per-job webhook survives failures and a stall, keeps its webhook-id, and verifies with the official library', async () => {
    rx.respond({ status: 500 }, 'stall');
    const { res, body } = await submit(t, {
      webhook: JSON.stringify({ url: rx.url('/job') }),
      clientRef: 'order-42',
      metadata: '{"k":"v"}',
    });
    expect(res.status).toBe(202);
    const job = JobView.parse(body);
    expect(job.webhookSecret).toMatch(/^whsec_/);
    expect(job.webhook).toEqual({ url: rx.url('/job') });
    expect((await t.client.status(job.id)).webhookSecret).toBeUndefined();

    await rx.waitFor((r) => r.filter((x) => x.headers['webhook-id'] && x.status === 200 && x.body.includes(job.id)).length === 1);
    const mine = rx.received.filter((x) => x.body.includes(job.id));
    expect(mine.map((x) => x.status)).toEqual([500, 0, 200]);
    expect(new Set(mine.map((x) => x.headers['webhook-id'])).size).toBe(1);
    const ok = mine[2]!;
    const payload = new Webhook(job.webhookSecret!).verify(ok.body, ok.headers) as { type: string; data: Record<string, unknown> };
    expect(payload.type).toBe('job.succeeded');
    expect(payload.data).toMatchObject({ id: job.id, state: 'succeeded', clientRef: 'order-42', metadata: { k: 'v' }, pagesDone: 1 });
    expect(ok.body).not.toContain('regions'); // small payload, never the result

    const log = await json(t, `/v1/jobs/${job.id}/webhook/deliveries`);
    const entries = log.body.data as Array<{ outcome: string; status?: number; attempt: number; error?: string }>;
    expect(entries.map((e) => [e.attempt, e.outcome])).toEqual([
      [1, 'retrying'],
      [2, 'retrying'],
      [3, 'delivered'],
    ]);
    expect(entries[0]!.status).toBe(500);
    expect(entries[1]!.error).toMatch(/no answer within 700 ms/);

    const re = await json(t, `/v1/jobs/${job.id}/webhook/redeliver`, 'POST');
    expect(re).toMatchObject({ status: 202, body: { queued: 1 } });
    await rx.waitFor((r) => r.filter((x) => x.body.includes(job.id)).length === 4);
    expect(rx.received.filter((x) => x.body.includes(job.id)).at(-1)!.headers['webhook-id']).toBe(ok.headers['webhook-id']);
  });

  it('tenant endpoints: secret shown once, rotation signs with both, 410 disables, tenants are separate', async () => {
    const tenant = { 'x-roche-tenant': 'acme' };
    const created = await json(t, '/v1/webhooks', 'POST', { url: rx.url('/acme'), events: ['job.succeeded'] }, tenant);
    expect(created.status).toBe(201);
    const first = created.body.secret as string;
    expect(first).toMatch(/^whsec_/);
    const id = created.body.id as string;
    expect((await json(t, `/v1/webhooks/${id}`, 'GET', undefined, tenant)).body.secret).toBeUndefined();
    expect((await json(t, `/v1/webhooks/${id}`)).status).toBe(404); // another tenant
    const rotated = await json(t, `/v1/webhooks/${id}/rotate-secret`, 'POST', undefined, tenant);
    const second = rotated.body.secret as string;
    expect(second).not.toBe(first);

    const { body } = await submit(t, {}, tenant);
    const jobId = JobView.parse(body).id;
    await rx.waitFor((r) => r.some((x) => x.headers['webhook-id'] && x.body.includes(jobId) && x.status === 200));
    const hit = rx.received.find((x) => x.body.includes(jobId) && x.status === 200)!;
    expect(hit.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(first).verify(hit.body, hit.headers)).not.toThrow();
    expect(() => new Webhook(second).verify(hit.body, hit.headers)).not.toThrow();

    rx.respond({ status: 410 });
    const job2 = JobView.parse((await submit(t, {}, tenant)).body).id;
    await rx.waitFor((r) => r.some((x) => x.body.includes(job2)));
    await new Promise((r) => setTimeout(r, 300));
    const ep = await json(t, `/v1/webhooks/${id}`, 'GET', undefined, tenant);
    expect(ep.body).toMatchObject({ disabled: true, disabledReason: expect.stringContaining('410') });
    const job3 = JobView.parse((await submit(t, {}, tenant)).body).id;
    const acme = new RocheClient(t.svc.api!.url, 'acme');
    await acme.waitForTerminal(job3, 30_000);
    // Jobs are scoped to their tenant.
    expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job3}`)).status).toBe(404);
    expect((await fetch(`${t.svc.api!.url}/v1/jobs/${job3}`, { headers: tenant })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 800));
    expect(rx.received.some((x) => x.body.includes(job3))).toBe(false);
    expect((await json(t, '/v1/webhooks', 'GET', undefined, tenant)).body.data).toHaveLength(1);
  });

  it('refuses internal destinations that are not on the allow-list', async () => {
    const meta = await json(t, '/v1/webhooks', 'POST', { url: 'http://169.254.169.254/latest' });
    expect(meta.status).toBe(400);
    expect(ErrorBody.parse(meta.body).error.message).toMatch(/internal address/);
    const { res, body } = await submit(t, { webhook: JSON.stringify({ url: 'http://10.0.0.5/hook' }) });
    expect(res.status).toBe(400);
    expect(ErrorBody.parse(body).error.code).toBe('validation_failed');
  });

  it('Idempotency-Key: same body replays the job, a different body conflicts, concurrent twins make one job', async () => {
    const key = { 'idempotency-key': `k-${Date.now()}` };
    const [a, b] = await Promise.all([submit(t, { clientRef: 'x' }, key), submit(t, { clientRef: 'x' }, key)]);
    expect([a.res.status, b.res.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    const replay = await submit(t, { clientRef: 'x' }, key);
    expect(replay.res.status).toBe(200);
    expect(replay.res.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(a.body.id);
    const other = await submit(t, { clientRef: 'y' }, key);
    expect(other.res.status).toBe(409);
    expect(ErrorBody.parse(other.body).error.code).toBe('conflict');
    // Keys are per tenant.
    const elsewhere = await submit(t, { clientRef: 'y' }, { ...key, 'x-roche-tenant': 'other' });
    expect(elsewhere.res.status).toBe(202);
  });

  it('Idempotency-Key whose job was deleted: the retry creates a new job instead of a day of 409s', async () => {
    const key = { 'idempotency-key': `gone-${Date.now()}` };
    const first = await submit(t, { clientRef: 'g' }, key);
    expect(first.res.status).toBe(202);
    expect((await json(t, `/v1/jobs/${String(first.body.id)}`, 'DELETE')).status).toBe(200);
    const again = await submit(t, { clientRef: 'g' }, key);
    expect(again.res.status).toBe(202);
    expect(again.res.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.id).not.toBe(first.body.id);
    // The key now names the new job: replays return it, and a different body still conflicts.
    const replay = await submit(t, { clientRef: 'g' }, key);
    expect(replay.res.status).toBe(200);
    expect(replay.body.id).toBe(again.body.id);
    expect((await submit(t, { clientRef: 'other' }, key)).res.status).toBe(409);
  });

  it('concurrent retries of a key whose job was deleted make one new job between them', async () => {
    const key = { 'idempotency-key': `gone-twins-${Date.now()}` };
    const first = await submit(t, { clientRef: 'gt' }, key);
    expect((await json(t, `/v1/jobs/${String(first.body.id)}`, 'DELETE')).status).toBe(200);
    const [a, b] = await Promise.all([submit(t, { clientRef: 'gt' }, key), submit(t, { clientRef: 'gt' }, key)]);
    // Both release the key (the second release finds it taken and leaves it), one creates, the other replays.
    expect([a.res.status, b.res.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    expect(a.body.id).not.toBe(first.body.id);
  });
});

describe('a receiver that never answers', () => {
  let t: TestService;
  let rx: Receiver;
  let hole: http.Server;
  let open = 0;
  let maxOpen = 0;
  let seen = 0;
  beforeAll(async () => {
    // Accepts every request and never answers: each delivery to it lasts the whole timeout.
    hole = http.createServer((req) => {
      seen++;
      open++;
      maxOpen = Math.max(maxOpen, open);
      req.on('close', () => open--);
    });
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    rx = await startReceiver();
    t = await startTestService({ ROCHE_WEBHOOK_ALLOW: '127.0.0.1/32', ROCHE_WEBHOOK_SCHEDULE: '60000', ROCHE_WEBHOOK_TIMEOUT_MS: '30000' });
  });
  afterAll(async () => {
    // Connections dropped first: the deliveries held by the black hole end now, not after their timeout.
    hole?.closeAllConnections();
    await new Promise((r) => hole?.close(r));
    await t?.stop();
    await rx?.close();
  });

  it(`holds at most ${DEFAULT_PER_RECEIVER} deliveries at once, so other receivers' webhooks go out meanwhile`, async () => {
    const url = `http://127.0.0.1:${(hole.address() as AddressInfo).port}/hook`;
    const jobs = 3 * DEFAULT_PER_RECEIVER;
    for (let i = 0; i < jobs; i++) expect((await submit(t, { webhook: JSON.stringify({ url }) })).res.status).toBe(202);
    // Wait until the dead receiver holds its full share, then a job for a live receiver.
    const deadline = Date.now() + 60_000;
    while (open < DEFAULT_PER_RECEIVER && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(open).toBe(DEFAULT_PER_RECEIVER);
    const live = JobView.parse((await submit(t, { webhook: JSON.stringify({ url: rx.url('/live') }) })).body);
    await rx.waitFor((r) => r.some((x) => x.status === 200 && x.body.includes(live.id)));
    // Delivered while the dead receiver still held its share (its deliveries wait out 30 s each), and
    // it never held more: with one slot pool for all receivers it held 64 at once.
    expect(open).toBeGreaterThan(0);
    expect(maxOpen).toBe(DEFAULT_PER_RECEIVER);
    expect(seen).toBeGreaterThanOrEqual(DEFAULT_PER_RECEIVER);
  });
});
