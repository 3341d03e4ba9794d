import { OpenAPIHono } from '@hono/zod-openapi';
import {
  DocumentResult,
  hasResult,
  JobOptions,
  JobView,
  JobWebhookInput,
  objectKeys,
  RocheError,
  SubmitJsonBody,
  TERMINAL_STATES,
  type JobRecord,
} from '@roche/core';
import { openUrlSource, readS3Source, requestFingerprint, type SubmitInput } from '@roche/jobs';
import { NotFoundError } from '@roche/storage';
import { DestinationRefused, resolveDestination } from '@roche/webhooks';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { streamSSE } from 'hono/streaming';
import { requireScope, tenantOf, type AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { fail, parseJsonObject, readJsonBody } from '../http-errors.js';
import { RESULT_URL_TTL_SECONDS, toJobView } from '../job-view.js';
import { collectUpload, discardUpload, parseMultipart, uploadDir, webStream } from '../upload.js';
import { StreamSlots } from '../stream-slots.js';
import { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { AUTH_ERRORS, createRoute, err, jobIdParam, mount, needs } from '../openapi.js';
import { z } from 'zod';

const submitJob = createRoute({
  method: 'post',
  path: '/v1/jobs',
  operationId: 'submitJob',
  tags: ['jobs'],
  summary: 'Submit a document for layout analysis',
  description:
    'Three forms: multipart/form-data with a `file` part (and optional `metadata`, `options`, `webhook` JSON parts and `clientRef`), streamed to storage; application/json with a `source` (`s3://bucket/key` from a bucket the operator allows, or an `https://` URL fetched through the SSRF guard); or the raw document bytes with any other content type (`X-Filename` names it, percent-encoded UTF-8 for names beyond ASCII). The type is sniffed from magic bytes. `Idempotency-Key`: the same key and body within 24 h returns the original job with 200 (or, if that job was deleted or has expired since, creates a new one that the key then names); a different body 409.',
  security: needs('jobs:write'),
  request: {
    headers: z.object({ 'idempotency-key': z.string().max(200).optional() }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({
            file: z.string().describe('binary'),
            metadata: z.string().optional().describe('JSON object echoed in the job and webhooks (at most 16 KiB, 32 levels deep)'),
            options: z
              .string()
              .optional()
              .describe(`JSON object: ${Object.keys(JobOptions.shape).join(', ')}`),
            webhook: z.string().optional().describe('JSON object: url, events, secret'),
            clientRef: z.string().max(200).optional(),
          }),
        },
        'application/json': { schema: SubmitJsonBody },
        'application/octet-stream': { schema: z.string().describe('binary') },
      },
    },
  },
  responses: {
    202: {
      description: 'Accepted. `Location` points at the job; `Retry-After` suggests when to poll. `webhookSecret` is shown here once.',
      content: { 'application/json': { schema: JobView } },
    },
    200: {
      description: 'Idempotent replay of an earlier submit (`Idempotent-Replayed: true`)',
      content: { 'application/json': { schema: JobView } },
    },
    400: err('Malformed request, invalid options, refused source or webhook URL'),
    409: err('Idempotency-Key reused with a different body'),
    413: err('Document larger than the upload limit'),
    415: err('Not a supported document type'),
    422: err('Corrupt or encrypted document, too many pages, page too large'),
    ...AUTH_ERRORS,
  },
});

const GetJobQuery = z.object({
  include: z.enum(['result']).optional(),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(60)
    .optional()
    .describe('Long-poll: answer at the next change of the job (see `until`) or after this many seconds'),
  until: z
    .enum(['change', 'end'])
    .optional()
    .describe('With `wait`: `change` (default) answers at any change, progress included; `end` only once the job has ended'),
});
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional().describe('At most this many (default 50)') });

const listJobs = createRoute({
  method: 'get',
  path: '/v1/jobs',
  operationId: 'listJobs',
  tags: ['jobs'],
  summary: "The caller's most recent jobs, newest first",
  security: needs('jobs:read'),
  request: { query: ListQuery },
  responses: {
    200: { description: 'Jobs of the tenant', content: { 'application/json': { schema: z.object({ data: z.array(JobView) }) } } },
    ...AUTH_ERRORS,
  },
});

const getJob = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}',
  operationId: 'getJob',
  tags: ['jobs'],
  summary: 'Job status',
  security: needs('jobs:read'),
  request: {
    params: jobIdParam,
    query: GetJobQuery,
  },
  responses: {
    200: { description: 'The job, with progress (pagesTotal/pagesDone/pagesFailed)', content: { 'application/json': { schema: JobView } } },
    404: err("Unknown job (or another tenant's)"),
    ...AUTH_ERRORS,
  },
});

const getJobResult = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/result',
  operationId: 'getJobResult',
  tags: ['jobs'],
  summary: 'Layout result of a finished job',
  security: needs('jobs:read'),
  request: { params: jobIdParam },
  responses: {
    200: {
      description: 'The result document (also for `partial` jobs: `errors` lists the failed pages)',
      content: { 'application/json': { schema: DocumentResult } },
    },
    404: err('Unknown job'),
    409: err('The job has no result (yet); `details.state` says where it is'),
    ...AUTH_ERRORS,
  },
});

const streamJobEvents = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/events',
  operationId: 'streamJobEvents',
  tags: ['jobs'],
  summary: 'Server-sent events: `status` on every change, `end` with the terminal state, then the stream closes',
  security: needs('jobs:read'),
  request: { params: jobIdParam },
  responses: {
    200: { description: 'text/event-stream of JobView JSON', content: { 'text/event-stream': { schema: z.string() } } },
    404: err('Unknown job'),
    ...AUTH_ERRORS,
  },
});

const cancelJob = createRoute({
  method: 'post',
  path: '/v1/jobs/{id}/cancel',
  operationId: 'cancelJob',
  tags: ['jobs'],
  summary: 'Cancel: pending pages are dropped, the job ends `canceled`',
  security: needs('jobs:write'),
  request: { params: jobIdParam },
  responses: {
    200: {
      description: 'The canceled job',
      content: { 'application/json': { schema: JobView.extend({ pagesRemoved: z.number().int() }) } },
    },
    404: err('Unknown job'),
    409: err('The job already ended'),
    ...AUTH_ERRORS,
  },
});

const deleteJob = createRoute({
  method: 'delete',
  path: '/v1/jobs/{id}',
  operationId: 'deleteJob',
  tags: ['jobs'],
  summary: "Delete the job's record, input and results now (cancels it first if it is running)",
  security: needs('jobs:write'),
  request: { params: jobIdParam },
  responses: {
    200: {
      description: 'Deleted',
      content: { 'application/json': { schema: z.object({ id: z.string(), deleted: z.literal(true), objects: z.number().int() }) } },
    },
    404: err('Unknown job'),
    ...AUTH_ERRORS,
  },
});

const getJobFile = createRoute({
  method: 'get',
  path: '/v1/jobs/{id}/files/{path}',
  operationId: 'getJobFile',
  tags: ['jobs'],
  summary: 'Overlay images, crops and per-page results linked from the result (302 to a short-lived presigned URL on S3)',
  security: needs('jobs:read'),
  request: { params: jobIdParam.extend({ path: z.string().describe('e.g. `overlays/1.png`, `crops/1-0-table.png`, `pages/1.json`') }) },
  responses: {
    200: { description: 'The file' },
    302: { description: 'Redirect to the object in S3 (presigned, expires after an hour)' },
    404: err('No such file'),
    ...AUTH_ERRORS,
  },
});

const MAX_WAIT_SECONDS = 60;
const SSE_HEARTBEAT_MS = 15_000;
/**
 * A stream reads its job at most this often, however fast pages finish: each read was one Redis
 * read and one view per page per client, and 150 clients watching a 2000-page job made it take 207 s
 * instead of 33 s (hostile-input audit). Progress four times a second is plenty to watch.
 */
export const SSE_MIN_INTERVAL_MS = 250;

function parseOptions(raw: unknown): JobOptions | undefined {
  const obj = parseJsonObject('options', raw);
  if (!obj) return undefined;
  const parsed = JobOptions.safeParse(obj);
  if (!parsed.success) throw new RocheError('validation_failed', 'invalid `options`', { details: parsed.error.issues });
  return parsed.data;
}

const CONTENT_TYPE_BY_EXT: Record<string, string> = { json: 'application/json', png: 'image/png', webp: 'image/webp', jpg: 'image/jpeg' };

export async function checkWebhookUrl(deps: Pick<ApiDeps, 'webhooks'>, url: string): Promise<void> {
  try {
    await resolveDestination(url, deps.webhooks.allow);
  } catch (e) {
    if (e instanceof DestinationRefused) throw new RocheError('validation_failed', `webhook URL refused: ${e.message}`);
    throw e;
  }
}

function parseWebhook(raw: unknown): JobWebhookInput | undefined {
  const obj = parseJsonObject('webhook', raw, 4096);
  if (!obj) return undefined;
  const parsed = JobWebhookInput.safeParse(obj);
  if (!parsed.success) throw new RocheError('validation_failed', 'invalid `webhook`', { details: parsed.error.issues });
  return parsed.data;
}

/**
 * The request body as a Node stream. Under @hono/node-server the socket's own IncomingMessage is
 * read, untouched: the web stream the adapter makes of it (Readable.toWeb, Node 20) counts its
 * high-water mark in chunks, so it pulls a whole upload into memory as fast as the client sends
 * (measured: +175 MiB RSS for one 150 MiB upload). Elsewhere (app.request in tests) the web body.
 */
function requestBody(c: Context): Readable | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming instanceof IncomingMessage && incoming.readableFlowing === null && !incoming.readableDidRead) return incoming;
  const body = c.req.raw.body;
  return body ? webStream(body) : null;
}

/** The three submit forms (multipart, JSON with a source, raw bytes) as one SubmitInput; uploads stream. */
async function readSubmission(c: Context, deps: ApiDeps): Promise<SubmitInput> {
  const ctype = c.req.header('content-type') ?? '';
  const upload = { dir: uploadDir(deps.config.dataDir), maxBytes: deps.config.limits.maxUploadBytes };
  const body = requestBody(c);
  if (ctype.toLowerCase().startsWith('multipart/form-data')) {
    if (!body) throw new RocheError('validation_failed', 'multipart body needs a `file` part holding the document');
    const form = await parseMultipart(body, ctype, { ...upload, maxFieldBytes: 64 * 1024 });
    try {
      if (!form.file) throw new RocheError('validation_failed', 'multipart body needs a `file` part holding the document');
      const f = form.fields;
      const clientRef = f.clientRef || undefined;
      if (clientRef && clientRef.length > 200) throw new RocheError('validation_failed', '`clientRef` is limited to 200 characters');
      return {
        ...form.file,
        filename: form.filename,
        metadata: parseJsonObject('metadata', f.metadata),
        options: parseOptions(f.options),
        webhook: parseWebhook(f.webhook),
        clientRef,
      };
    } catch (e) {
      await discardUpload(form.file);
      throw e;
    }
  }
  if (ctype.toLowerCase().startsWith('application/json')) {
    const body = await readJsonBody(c, SubmitJsonBody, 'submit body');
    const maxBytes = deps.config.limits.maxUploadBytes;
    const { source, options, webhook, clientRef } = body;
    const metadata = parseJsonObject('metadata', body.metadata);
    // Refuse a bad webhook before fetching anything.
    if (webhook) await checkWebhookUrl(deps, webhook.url);
    if (source.startsWith('s3://')) {
      const bytes = await readS3Source(source, deps.readS3, { allowed: deps.config.sources.s3, own: deps.ownStore, maxBytes });
      return { bytes, source, metadata, options, webhook, clientRef };
    }
    // Staged like an upload: eight 48 MB sources fetched at once held +490 MB in the API before.
    const stream = await openUrlSource(source, deps.webhooks.allow, { urlTimeoutMs: deps.config.sources.urlTimeoutMs, maxBytes });
    return { ...(await collectUpload(stream, upload)), source, metadata, options, webhook, clientRef };
  }
  const file = body ? await collectUpload(body, upload) : { bytes: Buffer.alloc(0) };
  return { ...file, filename: headerFilename(c.req.header('x-filename')) };
}

export function jobRoutes(deps: ApiDeps): OpenAPIHono<AuthEnv> {
  const app = new OpenAPIHono<AuthEnv>();
  const read = requireScope('jobs:read');
  const write = requireScope('jobs:write');

  // A declared size over the limit is refused before a byte is read; a body without one (chunked) is
  // counted as it streams (collectUpload). Not hono's bodyLimit: it opens the web body (see requestBody).
  const limit = createMiddleware(async (c, next) => {
    const declared = Number(c.req.header('content-length') ?? NaN);
    const maxBytes = deps.config.limits.maxUploadBytes;
    if (!(declared > maxBytes)) return next();
    // The rest of the body is never read, so the connection cannot be reused: say so, or clients
    // send their next request into a socket the server is closing.
    c.header('Connection', 'close');
    return fail(
      c,
      new RocheError('payload_too_large', `the document exceeds the upload limit of ${maxBytes} bytes`, { details: { maxBytes } }),
    );
  });

  mount(app, submitJob, write, limit, async (c) => {
    const tenant = tenantOf(c);
    const input = await readSubmission(c, deps).catch((e: unknown) => {
      // An upload cut off at the limit leaves the rest of its body unread: the connection cannot be reused.
      if (e instanceof RocheError && e.code === 'payload_too_large') c.header('Connection', 'close');
      throw e;
    });
    try {
      return await accept(c, tenant, input);
    } finally {
      await discardUpload(input);
    }
  });

  const accept = async (c: Context<AuthEnv>, tenant: string, input: SubmitInput) => {
    input.tenant = tenant;
    if (input.webhook) await checkWebhookUrl(deps, input.webhook.url);
    const idemKey = c.req.header('idempotency-key');
    const create = () => service.submit(input);
    let record: JobRecord;
    let replayed = false;
    if (idemKey) {
      const fp = requestFingerprint([
        input.bytes ?? input.staged!.sha256,
        input.source,
        JSON.stringify([input.options, input.metadata, input.clientRef, input.webhook]),
      ]);
      ({ replayed, value: record } = await deps.idempotency.run(tenant, idemKey, fp, create, (id) => service.deps.jobs.get(id)));
    } else record = await create();
    const view = await toJobView(record, deps.store);
    // The generated secret is shown once, to the request that created the job.
    if (!replayed && record.webhook && !input.webhook?.secret) view.webhookSecret = record.webhook.secret;
    c.header('Location', view.links.self);
    if (replayed) {
      c.header('Idempotent-Replayed', 'true');
      return c.json(view, 200);
    }
    c.header('Retry-After', '1');
    return c.json(view, 202);
  };

  const { service } = deps;
  const slots = new StreamSlots(deps.config.http.maxStreamsPerTenant);
  const loadJob = (c: Context, id = c.req.param('id') ?? ''): Promise<JobRecord> => service.get(id, tenantOf(c));

  mount(app, listJobs, read, async (c) => {
    // The route's own schema: `limit=2.5` reached Redis and answered 500; `limit=0` or `abc` silently meant 50.
    const q = ListQuery.safeParse(c.req.query());
    if (!q.success) throw new RocheError('validation_failed', 'invalid query', { details: q.error.issues });
    const limit = q.data.limit ?? 50;
    const recs = await service.list(tenantOf(c), limit);
    return c.json({ data: await Promise.all(recs.map((r) => toJobView(r, deps.store))) });
  });

  mount(app, getJob, read, async (c) => {
    const u = GetJobQuery.shape.until.safeParse(c.req.query('until'));
    if (!u.success) throw new RocheError('validation_failed', "invalid query: `until` is 'change' or 'end'", { details: u.error.issues });
    const until = u.data;
    let rec = await loadJob(c);
    const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number(c.req.query('wait') ?? 0) || 0));
    if (wait > 0 && !TERMINAL_STATES.has(rec.state)) {
      // Long-poll: answer at the first change (progress or state) or when the wait is over.
      const before = JSON.stringify(rec);
      const release = slots.take(tenantOf(c));
      try {
        if (until === 'end') {
          const ended = async () => {
            const now = await service.deps.jobs.get(rec.id);
            return !now || TERMINAL_STATES.has(now.state);
          };
          await deps.events.waitUntil(rec.id, wait * 1000, ended, (fields) => fields.includes('state') || fields.includes('deleted'));
        } else
          await deps.events.waitForChange(rec.id, wait * 1000, async () => JSON.stringify(await service.deps.jobs.get(rec.id)) !== before);
      } finally {
        release();
      }
      rec = await loadJob(c, rec.id);
    }
    const view = await toJobView(rec, deps.store);
    if (c.req.query('include') === 'result' && hasResult(rec)) view.result = await service.result(rec);
    if (!TERMINAL_STATES.has(rec.state)) c.header('Retry-After', '1');
    return c.json(view);
  });

  mount(app, getJobResult, read, async (c) => {
    const body = await service.resultStream(await loadJob(c));
    const head = await readUpTo(body, RESULT_BUFFER_BYTES);
    const json = { 'content-type': 'application/json' };
    if (head.done) return c.body(new Uint8Array(Buffer.concat(head.chunks)), 200, json);
    // A large result (thousands of pages) is streamed rather than held whole per request. The stream
    // holds a connection to the store for as long as the client reads, so it takes one of the
    // tenant's stream slots: slow readers cannot take every store connection of the process.
    let release: () => void;
    try {
      release = slots.take(tenantOf(c));
    } catch (e) {
      head.rest.return?.();
      throw e;
    }
    async function* all() {
      try {
        yield* head.chunks;
        for (let r = await head.rest.next(); !r.done; r = await head.rest.next()) yield r.value as Buffer;
      } finally {
        release();
        await head.rest.return?.();
      }
    }
    return c.body(Readable.toWeb(Readable.from(all())) as ReadableStream<Uint8Array>, 200, json);
  });

  mount(app, streamJobEvents, read, async (c) => {
    const first = await loadJob(c);
    const release = slots.take(tenantOf(c));
    return streamSSE(c, async (stream) => {
      let wake: () => void = () => {};
      let unsubscribe: () => Promise<void> = async () => {};
      try {
        unsubscribe = await deps.events.subscribe(first.id, () => wake());
        let last = '';
        let lastRead = 0;
        for (;;) {
          const changed = new Promise<void>((r) => (wake = r));
          lastRead = Date.now();
          const rec = await service.deps.jobs.get(first.id);
          if (!rec) {
            await stream.writeSSE({ event: 'deleted', data: JSON.stringify({ id: first.id }) });
            return;
          }
          const view = JSON.stringify(await toJobView(rec, deps.store));
          if (view !== last) {
            await stream.writeSSE({ event: TERMINAL_STATES.has(rec.state) ? 'end' : 'status', data: view, id: String(Date.now()) });
            last = view;
          }
          if (TERMINAL_STATES.has(rec.state) || stream.aborted) return;
          let timer: NodeJS.Timeout | undefined;
          const heartbeat = new Promise<'beat'>((r) => (timer = setTimeout(() => r('beat'), SSE_HEARTBEAT_MS)));
          const why = await Promise.race([changed, heartbeat, new Promise<void>((r) => stream.onAbort(r))]);
          clearTimeout(timer);
          if (stream.aborted) return;
          if (why === 'beat') await stream.write(': keep-alive\n\n');
          // Changes that arrive meanwhile are read together at the next read.
          const wait = lastRead + SSE_MIN_INTERVAL_MS - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
      } finally {
        release();
        await unsubscribe();
      }
    });
  });

  mount(app, cancelJob, write, async (c) => {
    const { record, pagesRemoved } = await service.cancel(c.req.param('id') ?? '', tenantOf(c));
    return c.json({ ...(await toJobView(record, deps.store)), pagesRemoved });
  });

  mount(app, deleteJob, write, async (c) => {
    const { id, objects } = await service.delete(c.req.param('id') ?? '', tenantOf(c));
    return c.json({ id, deleted: true, objects });
  });

  mount(app, getJobFile, read, async (c) => {
    const rec = await loadJob(c);
    const rel = c.req.path.split('/files/')[1] ?? '';
    if (!/^(overlays|previews|crops|pages)\/[\w.-]+$/.test(rel)) throw new RocheError('not_found', `no file ${rel}`);
    const key = `${objectKeys.jobPrefix(rec.id)}${rel}`;
    const direct = await deps.store.presignedUrl(key, RESULT_URL_TTL_SECONDS);
    if (direct) return c.redirect(direct, 302);
    try {
      const body = await deps.store.stream(key);
      return c.body(Readable.toWeb(body) as ReadableStream<Uint8Array>, 200, {
        'content-type': CONTENT_TYPE_BY_EXT[rel.split('.').pop() ?? ''] ?? 'application/octet-stream',
      });
    } catch (e) {
      if (e instanceof NotFoundError) throw new RocheError('not_found', `no file ${rel}`);
      throw e;
    }
  });

  return app;
}

/**
 * `X-Filename` as sent: HTTP header values are bytes (fetch refuses anything beyond latin1), so names
 * beyond ASCII come percent-encoded UTF-8 ("r%C3%A9sum%C3%A9.pdf"); a value that does not decode
 * (a literal "100%.png") is kept as it is.
 */
export function headerFilename(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Results up to this size are read whole and the store's connection freed at once; larger ones are streamed. */
export const RESULT_BUFFER_BYTES = 8 * 1024 * 1024;

/** Reads a stream until it ends or passes `max` bytes; what is left stays in `rest`. */
async function readUpTo(stream: Readable, max: number): Promise<{ chunks: Buffer[]; done: boolean; rest: AsyncIterator<unknown> }> {
  const rest = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let size = 0;
  while (size <= max) {
    const r = await rest.next();
    if (r.done) return { chunks, done: true, rest };
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as Uint8Array);
    chunks.push(b);
    size += b.length;
  }
  return { chunks, done: false, rest };
}
