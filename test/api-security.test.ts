import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ErrorBody, JobView } from '@roche/core';
import { createLogger, logger, setLogger } from '@roche/telemetry';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';

type Json = Record<string, unknown>;

async function call(base: string, path: string, init: RequestInit & { key?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.key) headers.set('authorization', `Bearer ${init.key}`);
  const res = await fetch(`${base}${path}`, { ...init, headers });
  const text = await res.text();
  return { res, status: res.status, json: (text ? JSON.parse(text) : undefined) as Json };
}

const pngForm = async () => {
  const f = new FormData();
  f.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), 'page.png');
  return f;
};

describe('API keys, scopes and tenants (auth on, real Redis and HTTP)', () => {
  let t: TestService;
  let base: string;
  let admin: string;
  const keyFor = async (tenant: string, scopes: string[]) => {
    const r = await call(base, '/v1/admin/keys', {
      method: 'POST',
      key: admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant, scopes }),
    });
    expect(r.status).toBe(201);
    return r.json as { id: string; key: string; tenant: string };
  };

  beforeAll(async () => {
    t = await startTestService({ ROCHE_AUTH: 'on', ROCHE_WORKER_CONCURRENCY: '1' }, { api: true, worker: false });
    base = t.svc.api!.url;
    admin = (await t.svc.infra.apiKeys.create({ tenant: 'ops', scopes: ['admin'] })).key;
  });
  afterAll(async () => t?.stop());

  it('answers 401 without a key, whatever tenant header is sent', async () => {
    const r = await call(base, '/v1/jobs', { method: 'POST', body: await pngForm(), headers: { 'x-roche-tenant': 'acme' } });
    expect(r.status).toBe(401);
    expect(ErrorBody.parse(r.json).error.code).toBe('unauthorized');
    expect(r.res.headers.get('www-authenticate')).toBe('Bearer realm="roche"');
    expect((await call(base, '/v1/webhooks')).status).toBe(401);
    expect((await call(base, '/v1/jobs/job_000000000000000000000000000000000', { key: 'rk_nonsense' })).status).toBe(401);
    // Probes and the API description stay public.
    expect((await call(base, '/healthz')).status).toBe(200);
    expect((await call(base, '/openapi.json')).status).toBe(200);
  });

  it('logs refused credentials and key changes at the default level, without the keys', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const capture = new Writable({
      write(chunk, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const previous = logger;
    setLogger(createLogger({ level: 'info', destination: capture }));
    let made: { id: string; key: string };
    try {
      expect((await call(base, '/v1/jobs/job_000000000000000000000000000000000', { key: 'rk_leaked_or_guessed' })).status).toBe(401);
      made = await keyFor('audit', ['jobs:read']);
      expect((await call(base, '/v1/admin/keys', { key: made.key })).status).toBe(403);
      expect((await call(base, `/v1/admin/keys/${made.id}`, { method: 'DELETE', key: admin })).status).toBe(200);
    } finally {
      setLogger(previous);
    }
    const text = JSON.stringify(lines);
    expect(text).not.toContain('rk_leaked_or_guessed');
    expect(text).not.toContain(made.key);
    const refused = lines.filter((l) => l.msg === 'request refused: credentials');
    // Route patterns, as on every request line (the 401 comes before a route is matched).
    expect(refused.map((l) => [l.status, l.route])).toEqual([
      [401, '/v1/*'],
      [403, '/v1/admin/keys'],
    ]);
    expect(refused[1]).toMatchObject({ tenant: 'audit', subject: made.id, via: 'key' });
    expect(lines.find((l) => l.msg === 'api key created')).toMatchObject({ keyId: made.id, tenant: 'audit', scopes: ['jobs:read'] });
    expect(lines.find((l) => l.msg === 'api key revoked')).toMatchObject({ keyId: made.id, tenant: 'audit' });
  });

  it('binds the tenant to the key: another tenant’s job is 404, the tenant header is ignored', async () => {
    const acme = await keyFor('acme', ['jobs:write', 'jobs:read']);
    const globex = await keyFor('globex', ['jobs:write', 'jobs:read']);
    const sub = await call(base, '/v1/jobs', {
      method: 'POST',
      key: acme.key,
      body: await pngForm(),
      headers: { 'x-roche-tenant': 'globex' },
    });
    expect(sub.status).toBe(202);
    const id = JobView.parse(sub.json).id;
    expect(id).toMatch(/^job_[0-9a-z]{9}[0-9a-f]{24}$/);
    expect((await t.svc.infra.jobs.get(id))?.tenant).toBe('acme');
    expect((await call(base, `/v1/jobs/${id}`, { key: acme.key })).status).toBe(200);
    for (const path of [`/v1/jobs/${id}`, `/v1/jobs/${id}/result`, `/v1/jobs/${id}/events`, `/v1/jobs/${id}/webhook/deliveries`]) {
      const r = await call(base, path, { key: globex.key, headers: { 'x-roche-tenant': 'acme' } });
      expect(r.status, path).toBe(404);
      expect(ErrorBody.parse(r.json).error.code).toBe('not_found');
    }
    expect((await call(base, `/v1/jobs/${id}/cancel`, { method: 'POST', key: globex.key })).status).toBe(404);
    expect((await call(base, `/v1/jobs/${id}`, { method: 'DELETE', key: globex.key })).status).toBe(404);
    // X-API-Key works as well as Bearer.
    expect((await call(base, `/v1/jobs/${id}`, { headers: { 'x-api-key': acme.key } })).status).toBe(200);
  });

  it('answers 403 when the key lacks the scope', async () => {
    const reader = await keyFor('acme', ['jobs:read']);
    const r = await call(base, '/v1/jobs', { method: 'POST', key: reader.key, body: await pngForm() });
    expect(r.status).toBe(403);
    expect(ErrorBody.parse(r.json).error).toMatchObject({ code: 'forbidden', details: { scope: 'jobs:write' } });
    expect((await call(base, '/v1/webhooks', { key: reader.key })).status).toBe(403);
    expect((await call(base, '/v1/admin/keys', { key: reader.key })).status).toBe(403);
  });

  it('answers 401 once a key is revoked (CLI-equivalent admin route), and never shows a key twice', async () => {
    const k = await keyFor('acme', ['jobs:read']);
    expect((await call(base, '/v1/jobs/job_000000000000000000000000000000000', { key: k.key })).status).toBe(404);
    const list = await call(base, '/v1/admin/keys?tenant=acme', { key: admin });
    const listed = (list.json.data as Json[]).find((x) => x.id === k.id)!;
    expect(listed).toMatchObject({ id: k.id, tenant: 'acme', scopes: ['jobs:read'] });
    // The secret is everything after `rk_<id>_` (base64url, so it can hold `_` itself).
    const secret = k.key.slice(`rk_${k.id}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(list.json)).not.toContain(secret);
    expect(listed).not.toHaveProperty('hash');
    // Only the hash is in Redis.
    const raw = await t.svc.infra.redis.get(t.svc.infra.keys.apiKey(k.id));
    expect(raw).not.toContain(secret);
    const rev = await call(base, `/v1/admin/keys/${k.id}`, { method: 'DELETE', key: admin });
    expect(rev.status).toBe(200);
    expect(rev.json.revokedAt).toEqual(expect.any(String));
    const after = await call(base, '/v1/jobs/job_000000000000000000000000000000000', { key: k.key });
    expect(after.status).toBe(401);
    expect(ErrorBody.parse(after.json).error.message).toMatch(/revoked/);
  });

  it('a tampered secret with a valid key id is refused', async () => {
    const k = await keyFor('acme', ['jobs:read']);
    const last = k.key.at(-1) === 'A' ? 'B' : 'A';
    const r = await call(base, '/v1/jobs/job_000000000000000000000000000000000', { key: `${k.key.slice(0, -1)}${last}` });
    expect(r.status).toBe(401);
  });

  it('stores webhook secrets sealed, and still signs with them', async () => {
    const hooks = await keyFor('acme', ['webhooks:admin', 'jobs:write']);
    const ep = await call(base, '/v1/webhooks', {
      method: 'POST',
      key: hooks.key,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://93.184.216.34/hook' }),
    });
    expect(ep.status).toBe(201);
    const secret = ep.json.secret as string;
    const raw = (await t.svc.infra.redis.get(t.svc.infra.keys.webhookEndpoint(ep.json.id as string)))!;
    expect(raw).not.toContain(secret);
    expect(raw).toContain('enc:v1:');
    expect((await t.svc.infra.webhooks.endpoints.get('acme', ep.json.id as string))!.secrets[0]!.secret).toBe(secret);

    const f = await pngForm();
    f.set('webhook', JSON.stringify({ url: 'https://93.184.216.34/job-hook' }));
    const sub = await call(base, '/v1/jobs', { method: 'POST', key: hooks.key, body: f });
    expect(sub.status).toBe(202);
    const jobSecret = sub.json.webhookSecret as string;
    expect(jobSecret).toMatch(/^whsec_/);
    const hash = await t.svc.infra.redis.hgetall(t.svc.infra.keys.job(sub.json.id as string));
    expect(JSON.stringify(hash)).not.toContain(jobSecret);
    expect((await t.svc.infra.jobs.get(sub.json.id as string))!.webhook!.secret).toBe(jobSecret);
  });
});

describe('JWT bearer tokens from an identity provider (JWKS over loopback)', () => {
  let t: TestService;
  let jwks: http.Server;
  let sign: (claims: Json, aud?: string) => Promise<string>;
  let providerDown = true; // until the first test has seen the outage (jose keeps a key set it fetched)
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
    jwks = http.createServer((_req, res) =>
      providerDown
        ? res.writeHead(503).end()
        : res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
    sign = (claims, aud = 'roche') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setAudience(aud).setExpirationTime('5m').sign(privateKey);
    t = await startTestService(
      { ROCHE_AUTH: 'on', ROCHE_JWT_JWKS_URL: url, ROCHE_JWT_AUDIENCE: 'roche', ROCHE_JWT_TENANT_CLAIM: 'org' },
      { api: true, worker: false },
    );
  });
  afterAll(async () => {
    await t?.stop();
    jwks?.close();
  });

  it("answers 503 auth_unavailable, not 401, while the identity provider's key set cannot be fetched; a good token passes once it can", async () => {
    const base = t.svc.api!.url;
    const good = await sign({ org: 'initech', scope: 'jobs:write jobs:read' });
    const down = await call(base, '/v1/jobs', { key: good });
    expect([down.status, ErrorBody.parse(down.json).error.code]).toEqual([503, 'auth_unavailable']);
    expect(Number(down.res.headers.get('retry-after'))).toBeGreaterThan(0);
    providerDown = false;
    expect((await call(base, '/v1/jobs', { key: good })).status).toBe(200);
  });

  it('takes tenant and scopes from a valid token; wrong audience or missing tenant is 401', async () => {
    providerDown = false;
    const base = t.svc.api!.url;
    const good = await sign({ org: 'initech', scope: 'jobs:write jobs:read', sub: 'u1' });
    const sub = await call(base, '/v1/jobs', { method: 'POST', key: good, body: await pngForm() });
    expect(sub.status).toBe(202);
    expect((await t.svc.infra.jobs.get(sub.json.id as string))?.tenant).toBe('initech');
    expect(
      (
        await call(base, '/v1/jobs', {
          method: 'POST',
          key: await sign({ org: 'initech', scope: 'jobs:write' }, 'other'),
          body: await pngForm(),
        })
      ).status,
    ).toBe(401);
    expect((await call(base, '/v1/jobs', { method: 'POST', key: await sign({ scope: 'jobs:write' }), body: await pngForm() })).status).toBe(
      401,
    );
    expect((await call(base, '/v1/webhooks', { key: good })).status).toBe(403);
  });
});

describe('limits: rate limits, admission control, hostile requests', () => {
  let t: TestService;
  let base: string;
  let key: string;
  beforeAll(async () => {
    t = await startTestService(
      { ROCHE_AUTH: 'on', ROCHE_RATE_READ_PER_SEC: '5', ROCHE_RATE_WRITE_PER_SEC: '50', ROCHE_TENANT_MAX_PAGES_IN_FLIGHT: '2' },
      { api: true, worker: false },
    );
    base = t.svc.api!.url;
    key = (await t.svc.infra.apiKeys.create({ tenant: 'acme', scopes: ['jobs:write', 'jobs:read'] })).key;
  });
  afterAll(async () => t?.stop());

  it('answers 429 with Retry-After and RateLimit-* headers over the read budget; writes have their own budget', async () => {
    // Align to the start of a one-second window so the burst falls in one window.
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    const reads = await Promise.all(
      Array.from({ length: 12 }, () => call(base, '/v1/jobs/job_000000000000000000000000000000000', { key })),
    );
    const limited = reads.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(7 - 1);
    expect(reads.filter((r) => r.status === 404).length).toBeLessThanOrEqual(5);
    const l = limited[0]!;
    expect(ErrorBody.parse(l.json).error.code).toBe('rate_limited');
    expect(Number(l.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(l.res.headers.get('ratelimit-limit')).toBe('5');
    expect(l.res.headers.get('ratelimit-remaining')).toBe('0');
    // The write budget is untouched by the reads.
    const w = await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() });
    expect(w.status).toBe(202);
    expect(w.res.headers.get('ratelimit-limit')).toBe('50');
    await call(base, `/v1/jobs/${w.json.id}`, { method: 'DELETE', key });
  });

  it('refuses a submit over the tenant’s pages in flight with 429 quota_exceeded, and admits again once a job ends', async () => {
    const a = await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() });
    const b = await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() });
    expect([a.status, b.status]).toEqual([202, 202]);
    const c = await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() });
    expect(c.status).toBe(429);
    expect(ErrorBody.parse(c.json).error).toMatchObject({ code: 'quota_exceeded', details: { limit: 'tenant_pages_in_flight', max: 2 } });
    expect(Number(c.res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call(base, `/v1/jobs/${a.json.id}/cancel`, { method: 'POST', key })).status).toBe(200);
    const d = await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() });
    expect(d.status).toBe(202);
    for (const id of [b.json.id, d.json.id]) await call(base, `/v1/jobs/${id}`, { method: 'DELETE', key });
  });

  it('deeply nested metadata is a 400, not a stack overflow', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const f = await pngForm();
    f.set('metadata', deep);
    const r = await call(base, '/v1/jobs', { method: 'POST', key, body: f });
    expect(r.status).toBe(400);
    expect(ErrorBody.parse(r.json).error.code).toBe('validation_failed');
    const j = await call(base, '/v1/jobs', {
      method: 'POST',
      key,
      headers: { 'content-type': 'application/json' },
      body: `{"source":"https://93.184.216.34/x.pdf","metadata":${'{"a":'.repeat(8_000)}1${'}'.repeat(8_000)}}`,
    });
    expect(j.status).toBe(400);
    expect(ErrorBody.parse(j.json).error.code).toBe('validation_failed');
  });

  it('a JSON body over 64 KiB is a 413 even when streamed without a length', async () => {
    // Chunked: no Content-Length to check up front; the API used to read all of it into memory.
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctl) {
        if (sent === 0) ctl.enqueue(new TextEncoder().encode('{"source":"s3://bucket/key","x":"'));
        if (sent >= 4 << 20) return ctl.close();
        ctl.enqueue(new Uint8Array(64 * 1024).fill(97));
        sent += 64 * 1024;
      },
    });
    const r = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(r.status).toBe(413);
    expect(ErrorBody.parse(await r.json()).error).toMatchObject({ code: 'payload_too_large', details: { maxBytes: 65536 } });
  });

  it('a 100 KB URL gets the JSON error shape', async () => {
    const r = await fetch(`${base}/v1/jobs/${'x'.repeat(100_000)}`);
    expect(r.status).toBe(431);
    expect(r.headers.get('content-type')).toContain('application/json');
    expect(ErrorBody.parse(await r.json()).error.code).toBe('bad_request');
  });
});

describe('open event streams and long-polls per tenant', () => {
  let t: TestService;
  let base: string;
  beforeAll(async () => {
    t = await startTestService({ ROCHE_AUTH: 'on', ROCHE_MAX_STREAMS_PER_TENANT: '2' }, { api: true, worker: false });
    base = t.svc.api!.url;
  });
  afterAll(async () => t?.stop());

  it('answers 429 past the limit, counts each tenant apart, and frees a slot when a stream closes', async () => {
    // Each open stream holds a connection and reads its job up to four times a second; the request
    // rate limit counts it once. Without a worker the job stays queued and the streams stay open.
    const keyOf = async (tenant: string) => (await t.svc.infra.apiKeys.create({ tenant, scopes: ['jobs:write', 'jobs:read'] })).key;
    const [acme, globex] = [await keyOf('acme'), await keyOf('globex')];
    const job = async (key: string) => (await call(base, '/v1/jobs', { method: 'POST', key, body: await pngForm() })).json.id as string;
    const [a, g] = [await job(acme), await job(globex)];
    const open = async (key: string, id: string) => {
      const ctl = new AbortController();
      const res = await fetch(`${base}/v1/jobs/${id}/events`, { headers: { authorization: `Bearer ${key}` }, signal: ctl.signal });
      return { res, close: () => ctl.abort() };
    };
    const s1 = await open(acme, a);
    const s2 = await open(acme, a);
    expect([s1.res.status, s2.res.status]).toEqual([200, 200]);
    const third = await open(acme, a);
    expect(third.res.status).toBe(429);
    const body = ErrorBody.parse(await third.res.json());
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/2 open event streams/);
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0);
    // A long-poll takes a slot too; a plain status read does not need one.
    expect((await call(base, `/v1/jobs/${a}?wait=5`, { key: acme })).status).toBe(429);
    expect((await call(base, `/v1/jobs/${a}`, { key: acme })).status).toBe(200);
    // Another tenant has its own slots.
    const other = await open(globex, g);
    expect(other.res.status).toBe(200);
    // A closed stream gives its slot back.
    s1.close();
    let again: Awaited<ReturnType<typeof open>> | undefined;
    for (let i = 0; i < 50 && again?.res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      again = await open(acme, a);
    }
    expect(again!.res.status).toBe(200);
    for (const s of [s2, other, again!]) s.close();
  });
});

describe('submit by URL through the SSRF guard', () => {
  let t: TestService;
  let origin: http.Server;
  let host: string;
  beforeAll(async () => {
    const png = await fs.readFile(FIXTURE_PAGE);
    origin = http.createServer((req, res) => {
      if (req.url === '/page.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      if (req.url === '/big') {
        // No Content-Length: the limit must hold while reading.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 4 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 4 * 1024 * 1024) res.once('drain', pump);
          else res.end();
        };
        return pump();
      }
      if (req.url === '/slow') return setTimeout(() => res.end('late'), 3000);
      if (req.url === '/drip') {
        // Answers at once, then sends its body a little at a time past the time limit.
        res.writeHead(200, { 'content-type': 'image/png' });
        res.write(png.subarray(0, 1024));
        const timer = setInterval(() => res.write(Buffer.alloc(16)), 100);
        return void setTimeout(() => (clearInterval(timer), res.end()), 2000);
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    host = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
    t = await startTestService(
      { ROCHE_WEBHOOK_ALLOW: '127.0.0.1/32', ROCHE_MAX_UPLOAD_BYTES: String(1024 * 1024), ROCHE_URL_SOURCE_TIMEOUT_MS: '500' },
      { api: true, worker: false },
    );
  });
  afterAll(async () => {
    await t?.stop();
    origin?.closeAllConnections();
    origin?.close();
  });

  const submit = (source: string) =>
    call(t.svc.api!.url, '/v1/jobs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source }) });

  it('fetches an allowed URL, and refuses internal, oversized and slow sources with clear errors', async () => {
    const ok = await submit(`${host}/page.png`);
    expect(ok.status).toBe(202);
    expect(JobView.parse(ok.json).input).toMatchObject({ type: 'png', source: `${host}/page.png` });
    // Internal addresses not on the allow-list, in IPv6 disguise too.
    for (const url of [
      'http://127.0.0.2:9/x.png',
      'http://[::ffff:10.0.0.1]:9/x.png',
      'http://[::127.0.0.1]:9/x.png',
      'http://169.254.169.254/latest',
    ]) {
      const r = await submit(url);
      expect(r.status, `${url} ${JSON.stringify(r.json)}`).toBe(400);
      expect(ErrorBody.parse(r.json).error.message).toMatch(/refused/);
    }
    const big = await submit(`${host}/big`);
    expect(big.status).toBe(413);
    const slow = await submit(`${host}/slow`);
    expect(slow.status).toBe(400);
    expect(ErrorBody.parse(slow.json).error.message).toMatch(/within 500 ms/);
    // The body streams to the submit (staged like an upload), so the time limit holds while reading it too.
    const drip = await submit(`${host}/drip`);
    expect(drip.status).toBe(400);
    expect(ErrorBody.parse(drip.json).error.message).toMatch(/not received in full within 500 ms/);
    expect((await submit('ftp://example.com/x')).status).toBe(400);
  });
});

describe('streamed uploads', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ROCHE_MAX_UPLOAD_BYTES: String(3 * 1024 * 1024) }, { api: true, worker: false });
  });
  afterAll(async () => t?.stop());

  it('spills a large upload to a file, stores it intact, leaves no staging file, and refuses an oversized stream with 413', async () => {
    const { default: sharp } = await import('sharp');
    const { createHash, randomBytes } = await import('node:crypto');
    const noise = await sharp(randomBytes(900 * 900 * 3), { raw: { width: 900, height: 900, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(noise.length).toBeGreaterThan(1024 * 1024);
    const base = t.svc.api!.url;
    for (const body of [
      (() => {
        const f = new FormData();
        f.set('metadata', JSON.stringify({ before: 'file' }));
        f.set('file', new Blob([new Uint8Array(noise)]), 'noise.png');
        f.set('clientRef', 'after-file');
        return f;
      })(),
      new Uint8Array(noise),
    ]) {
      const r = await call(base, '/v1/jobs', {
        method: 'POST',
        body,
        headers: body instanceof FormData ? {} : { 'content-type': 'image/png' },
      });
      expect(r.status).toBe(202);
      const job = JobView.parse(r.json);
      expect(job.input).toMatchObject({ type: 'png', size: noise.length, sha256: createHash('sha256').update(noise).digest('hex') });
      if (body instanceof FormData) expect([job.metadata, job.clientRef]).toEqual([{ before: 'file' }, 'after-file']);
      const stored = await t.svc.infra.store.get(`jobs/${job.id}/input.png`);
      expect(Buffer.compare(stored, noise)).toBe(0);
    }
    const staging = await fs.readdir(`${t.dataDir}/uploads`).catch(() => []);
    expect(staging).toEqual([]);
    // Chunked (no Content-Length): the limit is enforced while streaming, and the partial file is removed.
    const big = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < 64; i++) ctl.enqueue(new Uint8Array(64 * 1024).fill(i));
        ctl.close();
      },
    });
    const res = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/pdf' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(ErrorBody.parse(await res.json()).error.code).toBe('payload_too_large');
    expect(await fs.readdir(`${t.dataDir}/uploads`).catch(() => [])).toEqual([]);
  });
});

describe('request time limits (ROCHE_REQUEST_TIMEOUT_MS)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService({ ROCHE_REQUEST_TIMEOUT_MS: '2000' }, { api: true, worker: false });
  });
  afterAll(async () => t?.stop());

  /** Sends `head` then one more header line every 300 ms until the server answers or closes; what it answered. */
  const trickle = (head: string, lines: () => string) =>
    new Promise<string>((resolve, reject) => {
      const url = new URL(t.svc.api!.url);
      const socket = net.connect(Number(url.port), url.hostname);
      let got = '';
      const tick = setInterval(() => socket.writable && socket.write(lines()), 300);
      // Node's default would hold it 60 s or more: far past this.
      const give = setTimeout(() => reject(new Error(`still open after 20 s; received: ${got}`)), 20_000);
      socket.on('data', (d) => (got += d.toString()));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(tick);
        clearTimeout(give);
        resolve(got);
      });
      socket.write(head);
    });

  it('ends a request whose headers trickle in, and one whose body does', async () => {
    let n = 0;
    const headers = await trickle('GET /v1/models HTTP/1.1\r\nHost: x\r\n', () => `X-Slow-${n++}: 1\r\n`);
    expect(headers).toMatch(/^HTTP\/1\.1 408/);
    const body = await trickle('POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 1000000\r\n\r\n', () =>
      'x'.repeat(10),
    );
    expect(body).toMatch(/^HTTP\/1\.1 408/);
    expect(body).toContain('"code"');
  });
});
