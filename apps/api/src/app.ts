import { OpenAPIHono } from '@hono/zod-openapi';
import { DocumentResult, JOB_ID_PATTERN, objectKeys, RocheError, SubmitJsonBody, toRocheError, type Config } from '@roche/core';
import type { DocumentQueue, JobStore } from '@roche/queue';
import { NotFoundError, type ObjectStore } from '@roche/storage';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { toJobView } from './job-view.js';
import { registerOpenApi } from './openapi.js';
import { submitDocument } from './submit.js';

export interface ApiDeps {
  config: Pick<Config, 'limits'>;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
  /** Reads an `s3://bucket/key` reference; absent when no S3 is configured. */
  readS3?: (uri: string) => Promise<Buffer>;
  /** Liveness of Redis for /readyz. */
  pingRedis: () => Promise<void>;
}

const fail = (c: Context, e: RocheError) => c.json(e.toBody(), e.status as 400);

function parseMetadata(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      throw new RocheError('validation_failed', '`metadata` must be a JSON object');
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RocheError('validation_failed', '`metadata` must be a JSON object');
  if (JSON.stringify(v).length > 16_384) throw new RocheError('validation_failed', '`metadata` is limited to 16 KiB of JSON');
  return v as Record<string, unknown>;
}

export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono();

  app.onError((e, c) => {
    if (e instanceof HTTPException) {
      const code = e.status === 413 ? 'payload_too_large' : e.status === 404 ? 'not_found' : 'bad_request';
      return fail(c, new RocheError(code, e.message || `HTTP ${e.status}`, { status: e.status }));
    }
    const re = toRocheError(e);
    if (re.code === 'internal') console.error('[api]', c.req.method, c.req.path, e);
    else if (re.status >= 500) console.error(`[api] ${c.req.method} ${c.req.path}: ${re.code}: ${re.message}`);
    return fail(c, re);
  });
  app.notFound((c) => fail(c, new RocheError('not_found', `no route for ${c.req.method} ${c.req.path}`)));

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const checks = await Promise.allSettled([deps.pingRedis(), deps.store.ping()]);
    const [redis, store] = checks.map((r) => (r.status === 'fulfilled' ? 'ok' : String((r.reason as Error)?.message ?? r.reason)));
    if (redis !== 'ok') return fail(c, new RocheError('queue_unavailable', `redis: ${redis}`));
    if (store !== 'ok') return fail(c, new RocheError('storage_unavailable', `object store: ${store}`));
    return c.json({ ok: true });
  });

  const limit = bodyLimit({
    maxSize: deps.config.limits.maxUploadBytes,
    // The rest of the body is never read, so the connection cannot be reused: say so, or clients
    // send their next request into a socket the server is closing.
    onError: (c) => {
      c.header('Connection', 'close');
      return fail(c, new RocheError('payload_too_large', `the document exceeds the upload limit of ${deps.config.limits.maxUploadBytes} bytes`, { details: { maxBytes: deps.config.limits.maxUploadBytes } }));
    },
  });

  app.post('/v1/jobs', limit, async (c) => {
    const ctype = (c.req.header('content-type') ?? '').toLowerCase();
    let record;
    if (ctype.startsWith('multipart/form-data')) {
      let form;
      try {
        form = await c.req.parseBody();
      } catch (e) {
        throw new RocheError('bad_request', `cannot parse multipart body: ${(e as Error).message}`);
      }
      const file = form.file;
      if (!(file instanceof File)) throw new RocheError('validation_failed', 'multipart body needs a `file` part holding the document');
      record = await submitDocument(deps, {
        bytes: Buffer.from(await file.arrayBuffer()),
        filename: file.name || undefined,
        metadata: parseMetadata(form.metadata),
      });
    } else if (ctype.startsWith('application/json')) {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new RocheError('bad_request', 'body is not valid JSON');
      }
      const parsed = SubmitJsonBody.safeParse(body);
      if (!parsed.success) throw new RocheError('validation_failed', 'invalid submit body', { details: parsed.error.issues });
      if (!deps.readS3) throw new RocheError('bad_request', 'this deployment has no S3 configured; upload the file instead');
      let bytes: Buffer;
      try {
        bytes = await deps.readS3(parsed.data.source);
      } catch (e) {
        if (e instanceof NotFoundError) throw new RocheError('not_found', `${parsed.data.source} does not exist`);
        throw new RocheError('storage_unavailable', `cannot read ${parsed.data.source}: ${(e as Error).message}`, { cause: e });
      }
      if (bytes.length > deps.config.limits.maxUploadBytes) throw new RocheError('payload_too_large', `${parsed.data.source} exceeds the upload limit`);
      record = await submitDocument(deps, { bytes, source: parsed.data.source, metadata: parseMetadata(parsed.data.metadata) });
    } else {
      const bytes = Buffer.from(await c.req.arrayBuffer());
      record = await submitDocument(deps, { bytes, filename: c.req.header('x-filename') });
    }
    const view = await toJobView(record, deps.store);
    c.header('Location', view.links.self);
    c.header('Retry-After', '1');
    return c.json(view, 202);
  });

  const loadJob = async (id: string) => {
    const rec = JOB_ID_PATTERN.test(id) ? await deps.jobs.get(id) : null;
    if (!rec) throw new RocheError('not_found', `job ${id} not found`);
    return rec;
  };

  app.get('/v1/jobs/:id', async (c) => {
    const rec = await loadJob(c.req.param('id'));
    const view = await toJobView(rec, deps.store);
    if (c.req.query('include') === 'result' && rec.state === 'succeeded') {
      view.result = DocumentResult.parse(JSON.parse((await deps.store.get(rec.resultKey ?? objectKeys.result(rec.id))).toString('utf8')));
    }
    if (rec.state === 'queued' || rec.state === 'running') c.header('Retry-After', '1');
    return c.json(view);
  });

  app.get('/v1/jobs/:id/result', async (c) => {
    const rec = await loadJob(c.req.param('id'));
    if (rec.state !== 'succeeded') {
      throw new RocheError('result_not_ready', `job ${rec.id} is ${rec.state}; the result exists once it has succeeded`, { details: { state: rec.state } });
    }
    const body = await deps.store.get(rec.resultKey ?? objectKeys.result(rec.id));
    return c.body(new Uint8Array(body), 200, { 'content-type': 'application/json' });
  });

  registerOpenApi(app);
  app.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Roche document layout analysis API', version: '0.1.0' } });
  return app;
}
