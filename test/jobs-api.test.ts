import fs from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody, JobView } from '@roche/core';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';

async function post(base: string, body: RequestInit['body'], headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/v1/jobs`, { method: 'POST', body, headers });
  return { res, json: (await res.json()) as unknown };
}

function form(bytes: Uint8Array, name = 'page.png', extra: Record<string, string> = {}) {
  const f = new FormData();
  f.set('file', new Blob([bytes]), name);
  for (const [k, v] of Object.entries(extra)) f.set(k, v);
  return f;
}

describe('jobs API with a real worker, Redis and fs store', () => {
  let t: TestService;
  let base: string;
  beforeAll(async () => {
    t = await startTestService({ ROCHE_MAX_UPLOAD_BYTES: String(2 * 1024 * 1024) });
    base = t.svc.api!.url;
  });
  afterAll(async () => t?.stop());

  it('accepts a multipart upload with 202, Location and Retry-After, then succeeds with text regions', async () => {
    const bytes = await fs.readFile(FIXTURE_PAGE);
    const { res, json } = await post(base, form(bytes, 'fw9.png', { metadata: JSON.stringify({ ref: 'abc' }) }));
    expect(res.status).toBe(202);
    const job = JobView.parse(json);
    expect(res.headers.get('location')).toBe(`/v1/jobs/${job.id}`);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(job.state).toBe('queued');
    expect(job.pagesTotal).toBe(1);
    expect(job.input).toMatchObject({ type: 'png', size: bytes.length, filename: 'fw9.png' });
    expect(job.metadata).toEqual({ ref: 'abc' });

    const done = await t.client.waitForTerminal(job.id, 60_000);
    expect(done.state).toBe('succeeded');
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    expect(done.pagesDone).toBe(1);

    const result = await t.client.result(job.id);
    const page = result.pages[0]!;
    expect([page.width, page.height]).toEqual([850, 1100]);
    expect(page.regions.length).toBeGreaterThan(10);
    for (const r of page.regions) {
      expect(r.box[0]).toBeGreaterThanOrEqual(0);
      expect(r.box[1]).toBeGreaterThanOrEqual(0);
      expect(r.box[2]).toBeLessThanOrEqual(850);
      expect(r.box[3]).toBeLessThanOrEqual(1100);
      expect(r.box[2]).toBeGreaterThan(r.box[0]);
      expect(r.box[3]).toBeGreaterThan(r.box[1]);
    }
    expect(page.regions.map((r) => r.order).sort((a, b) => a - b)).toEqual(page.regions.map((_, i) => i));
    // Two-column page: everything read in the left column comes before the right column's body.
    const body = page.regions.filter((r) => r.box[1] > 70).sort((a, b) => a.order - b.order);
    const firstRight = body.findIndex((r) => r.box[0] > 425);
    expect(firstRight).toBeGreaterThan(0);
    expect(body.slice(firstRight).every((r) => r.box[0] > 425)).toBe(true);

    const withResult = JobView.parse(await (await fetch(`${base}/v1/jobs/${job.id}?include=result`)).json());
    expect(withResult.result?.pages[0]?.regions.length).toBe(page.regions.length);

    // A result over 8 MiB (thousands of pages) is streamed from the store, byte for byte.
    const big = Buffer.from(JSON.stringify({ ...result, padding: 'x'.repeat(9 * 1024 * 1024) }));
    await t.svc.infra.store.put(`jobs/${job.id}/result.json`, big);
    const streamed = await fetch(`${base}/v1/jobs/${job.id}/result`);
    expect(streamed.status).toBe(200);
    expect(Buffer.from(await streamed.arrayBuffer()).equals(big)).toBe(true);
  });

  it('accepts raw bytes with a non-JSON content type', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const { res, json } = await post(base, new Uint8Array(png), { 'content-type': 'application/octet-stream', 'x-filename': 'blank.png' });
    expect(res.status).toBe(202);
    const done = await t.client.waitForTerminal(JobView.parse(json).id, 60_000);
    expect(done.state).toBe('succeeded');
    const result = await t.client.result(done.id);
    expect(result.pages[0]).toMatchObject({ width: 64, height: 48, regions: [] });
  });

  it('sniffs the type from content, not the name: a text file named .png is 415', async () => {
    const { res, json } = await post(base, form(new TextEncoder().encode('hello, not an image'), 'fake.png'));
    expect(res.status).toBe(415);
    expect(ErrorBody.parse(json).error.code).toBe('unsupported_media_type');
  });

  it('refuses an upload over the limit with 413 and the JSON error shape', async () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const { res, json } = await post(base, form(big));
    expect(res.status).toBe(413);
    expect(ErrorBody.parse(json).error.code).toBe('payload_too_large');
  });

  it('rejects a multipart body without a file part and malformed metadata', async () => {
    const f = new FormData();
    f.set('other', 'x');
    const a = await post(base, f);
    expect(a.res.status).toBe(400);
    expect(ErrorBody.parse(a.json).error.code).toBe('validation_failed');
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const b = await post(base, form(png, 'x.png', { metadata: '[1,2]' }));
    expect(b.res.status).toBe(400);
    expect(ErrorBody.parse(b.json).error.message).toContain('metadata');
  });

  it('validates options against the engine at submit: overrides it has, crop labels it makes, no __proto__ keys', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const submit = (options: string) => post(base, form(png, 'x.png', { options }));
    const bad = await submit(JSON.stringify({ overrides: { layoutThreshold: 3 } }));
    expect(bad.res.status).toBe(400);
    expect(JSON.stringify(ErrorBody.parse(bad.json).error.details)).toContain('layoutThreshold');
    // The embedded analyzer has no PaddleX post-processing: a threshold used to be accepted and ignored.
    const ignored = await submit(JSON.stringify({ overrides: { layoutThreshold: 0.4 } }));
    expect(ignored.res.status).toBe(400);
    expect(ErrorBody.parse(ignored.json).error.message).toMatch(/embedded engine has no post-processing settings/);
    // A misspelt crop label used to be accepted and store no crops.
    const typo = await submit(JSON.stringify({ crops: ['figure', 'tabel'] }));
    expect(typo.res.status).toBe(400);
    expect(ErrorBody.parse(typo.json).error).toMatchObject({ code: 'validation_failed', details: { unknown: ['tabel'] } });
    // `__proto__` (plain or escaped) parsed as an own key and vanished in validation: stored as `{}`.
    for (const options of ['{"crops":["figure"],"__proto__":{"dpi":600}}', '{"overrides":{"layoutThreshold":{"\\u005f_proto__":0.1}}}']) {
      const proto = await submit(options);
      expect(proto.res.status).toBe(400);
      expect(ErrorBody.parse(proto.json).error.message).toMatch(/__proto__/);
    }
    const ok = await submit(JSON.stringify({ crops: ['figure', 'table', 'doc_title'], overrides: {}, dpi: 100 }));
    expect(ok.res.status).toBe(202);
    expect(JobView.parse(ok.json).options).toMatchObject({ crops: ['figure', 'table', 'doc_title'], dpi: 100 });
  });

  it('lists jobs with a limit of 1-200 and refuses any other limit with 400', async () => {
    for (const bad of ['2.5', '0', '-1', 'abc', '201', '1e9']) {
      const res = await fetch(`${base}/v1/jobs?limit=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(ErrorBody.parse(await res.json()).error.code).toBe('validation_failed');
    }
    const ok = (await (await fetch(`${base}/v1/jobs?limit=1`)).json()) as { data: unknown[] };
    expect(ok.data).toHaveLength(1);
  });

  it('refuses a multipart body with a second file, a repeated field or a file under another name', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const two = form(png);
    two.append('file', new Blob([new Uint8Array(png)]), 'second.png');
    const twice = form(png);
    twice.append('options', '{"dpi":100}');
    twice.append('options', '{"dpi":300}');
    const unnamed = new FormData();
    unnamed.set('file', 'the document as text');
    const other = new FormData();
    other.set('document', new Blob([new Uint8Array(png)]), 'x.png');
    for (const [body, message] of [
      [two, /one file per job/],
      [twice, /`options` is given twice/],
      [other, /unexpected file part `document`/],
      [unnamed, /the `file` part has no filename/],
    ] as const) {
      const r = await post(base, body);
      expect(r.res.status).toBe(400);
      expect(ErrorBody.parse(r.json).error.message).toMatch(message);
    }
  });

  it('an s3:// reference from a bucket the operator did not allow is a clear 403', async () => {
    const { res, json } = await post(base, JSON.stringify({ source: 's3://bucket/key.png' }), { 'content-type': 'application/json' });
    expect(res.status).toBe(403);
    expect(ErrorBody.parse(json).error.message).toMatch(/ROCHE_S3_SOURCES/);
  });

  it('a truncated image is refused at submit with 422 corrupt_document', async () => {
    const png = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#abc' } })
      .png()
      .toBuffer();
    const { res, json } = await post(base, form(png.subarray(0, 20)));
    expect(res.status).toBe(422);
    expect(ErrorBody.parse(json).error.code).toBe('corrupt_document');
  });

  it('an image whose header reads but whose pixels do not fails the job with corrupt_document', async () => {
    const noise = Buffer.from(Array.from({ length: 300 * 300 * 3 }, (_, i) => (i * 7919) % 251));
    const png = await sharp(noise, { raw: { width: 300, height: 300, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const broken = Buffer.from(png);
    broken.fill(0xff, 200, broken.length - 100); // pixel data and its checksum destroyed, header intact
    const { res, json } = await post(base, form(broken));
    expect(res.status).toBe(202);
    const done = await t.client.waitForTerminal(JobView.parse(json).id, 60_000);
    expect(done.state).toBe('failed');
    expect(done.error?.code).toBe('corrupt_document');
    expect(done).toMatchObject({ pagesTotal: 1, pagesDone: 0, pagesFailed: 1 });
    const r = await fetch(`${base}/v1/jobs/${done.id}/result`);
    expect(r.status).toBe(409);
    expect(ErrorBody.parse(await r.json()).error).toMatchObject({ code: 'result_not_ready', details: { state: 'failed' } });
  });

  it('small hostile inputs: compressed bodies, wrong methods, multibyte metadata, control characters in names', async () => {
    const bytes = await fs.readFile(FIXTURE_PAGE);
    // A gzip body is refused with the JSON error shape and a reason (it was a bare 415).
    const gz = await fetch(`${base}/v1/jobs`, {
      method: 'POST',
      body: bytes,
      headers: { 'content-type': 'image/png', 'content-encoding': 'gzip' },
    });
    expect(gz.status).toBe(415);
    expect(ErrorBody.parse(await gz.json()).error.message).toMatch(/Content-Encoding/);
    // A known path with a method it does not take is 405 with Allow (it was 404).
    const put = await fetch(`${base}/v1/jobs`, { method: 'PUT', body: 'x' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toMatch(/GET/);
    expect(put.headers.get('allow')).toMatch(/POST/);
    expect(ErrorBody.parse(await put.json()).error.code).toBe('method_not_allowed');
    const del = await fetch(`${base}/v1/jobs/job_000000000aaaaaaaaaaaaaaaa/result`, { method: 'DELETE' });
    expect(del.status).toBe(405);
    // An empty page selection is refused, not read as every page.
    const blank = await post(base, form(bytes, 'p.png', { options: JSON.stringify({ pages: '' }) }));
    expect(blank.res.status).toBe(400);
    expect(ErrorBody.parse(blank.json).error.message).toMatch(/invalid page range "": it is empty/);
    // The 16 KiB metadata cap counts bytes: 6,000 three-byte characters are 18 KB.
    const wide = await post(base, form(bytes, 'p.png', { metadata: JSON.stringify({ note: '€'.repeat(6000) }) }));
    expect(wide.res.status).toBe(400);
    expect(ErrorBody.parse(wide.json).error.message).toMatch(/16384 bytes/);
    // Bidirectional-override characters are dropped from file names (they disguise
    // extensions in listings: "invoice\u202Efdp.exe"); the rest of the name is kept.
    // Names are UTF-8 (busboy read them as latin1: "résumé" came back "rÃ©sumÃ©").
    const named = await post(base, form(bytes, 'rés\u202Eumé\u200F 2024.png'));
    expect(named.res.status, JSON.stringify(named.json)).toBe(202);
    expect(JobView.parse(named.json).input.filename).toBe('résumé 2024.png');
    // Raw bodies name themselves with X-Filename, percent-encoded beyond ASCII; a literal % stays.
    for (const [sent, kept] of [
      ['r%C3%A9sum%C3%A9.png', 'résumé.png'],
      ['100%.png', '100%.png'],
    ]) {
      const raw = await post(base, bytes, { 'content-type': 'image/png', 'x-filename': sent! });
      expect(JobView.parse(raw.json).input.filename).toBe(kept);
    }
  });

  it('unknown ids and routes are 404 with the JSON error shape', async () => {
    for (const p of ['/v1/jobs/job_000000000aaaaaaaaaaaaaaaa', '/v1/jobs/not-an-id/result', '/v2/nothing']) {
      const res = await fetch(`${base}${p}`);
      expect(res.status).toBe(404);
      expect(ErrorBody.parse(await res.json()).error.code).toBe('not_found');
    }
  });

  it('serves an OpenAPI 3.1 document describing the routes', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/jobs', '/v1/jobs/{id}', '/v1/jobs/{id}/result']));
  });

  it('reports readiness of Redis and the store', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
  });
});
