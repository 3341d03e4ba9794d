import createClient, { type Client } from 'openapi-fetch';
import { Webhook } from 'standardwebhooks';
import type { components, paths } from './schema.js';

export type JobView = paths['/v1/jobs/{id}']['get']['responses'][200]['content']['application/json'];
export type DocumentResult = NonNullable<JobView['result']>;
export type ErrorBody = components extends { schemas: { ErrorBody: infer E } }
  ? E
  : { error: { code: string; message: string; details?: unknown } };
export type JobOptions = NonNullable<JobView['options']>;
export type ModelInfo = paths['/v1/models']['get']['responses'][200]['content']['application/json']['data'][number];

const TERMINAL = new Set(['succeeded', 'failed', 'partial', 'canceled']);

/** An API answer other than 2xx, with the API's stable error code. */
export class RocheApiError extends Error {
  override name = 'RocheApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(`${code}: ${message} (HTTP ${status})`);
  }
}

export interface ClientOptions {
  /** API key (sent as `Authorization: Bearer`). */
  apiKey?: string;
  /** Tenant header for deployments without keys. */
  tenant?: string;
  fetch?: typeof fetch;
}

/**
 * A typed client for Roche's API, generated from its OpenAPI document (`npm run gen:client`), with
 * the helpers callers need: submit a file and wait, follow progress, fetch results and files,
 * verify webhook signatures.
 */
export class RocheClient {
  readonly api: Client<paths>;

  constructor(
    readonly baseUrl: string,
    private readonly opts: ClientOptions = {},
  ) {
    this.api = createClient<paths>({ baseUrl, headers: this.headers(), ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  }

  private headers(): Record<string, string> {
    return {
      ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}),
      ...(this.opts.tenant ? { 'x-roche-tenant': this.opts.tenant } : {}),
    };
  }

  private static fail(status: number, body: unknown): never {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new RocheApiError(status, e?.code ?? 'unknown', e?.message ?? `HTTP ${status}`, e?.details);
  }

  private static ok<T>(r: { data?: T; error?: unknown; response: Response }): T {
    if (r.data === undefined || !r.response.ok) RocheClient.fail(r.response.status, r.error);
    return r.data as T;
  }

  /** Submits document bytes (multipart) with options; the type is detected by the server. */
  async submit(
    bytes: Uint8Array,
    opts: { filename?: string; options?: JobOptions; metadata?: Record<string, unknown>; webhook?: object } = {},
  ): Promise<JobView> {
    const form = new FormData();
    form.set('file', new Blob([bytes]), opts.filename ?? 'document');
    if (opts.options) form.set('options', JSON.stringify(opts.options));
    if (opts.metadata) form.set('metadata', JSON.stringify(opts.metadata));
    if (opts.webhook) form.set('webhook', JSON.stringify(opts.webhook));
    const res = await fetch(new URL('/v1/jobs', this.baseUrl), { method: 'POST', body: form, headers: this.headers() });
    const body = await res.json();
    if (!res.ok) RocheClient.fail(res.status, body);
    return body as JobView;
  }

  /** Submits a document already in S3 (`s3://bucket/key`). */
  async submitS3(source: string, options?: JobOptions): Promise<JobView> {
    return RocheClient.ok(
      await this.api.POST('/v1/jobs', { body: { source, ...(options ? { options } : {}) } as never }),
    ) as unknown as JobView;
  }

  /** The job; with `wait`, long-polls up to that many seconds for its next change, or with `until: 'end'` for its end. */
  async status(id: string, wait?: number, until?: 'change' | 'end'): Promise<JobView> {
    return RocheClient.ok(
      await this.api.GET('/v1/jobs/{id}', { params: { path: { id }, query: wait ? { wait, ...(until ? { until } : {}) } : {} } }),
    ) as unknown as JobView;
  }

  async result(id: string): Promise<DocumentResult> {
    const res = await fetch(new URL(`/v1/jobs/${id}/result`, this.baseUrl), { headers: this.headers() });
    const body = await res.json();
    if (!res.ok) RocheClient.fail(res.status, body);
    return body as DocumentResult;
  }

  async list(limit = 50): Promise<JobView[]> {
    return (RocheClient.ok(await this.api.GET('/v1/jobs', { params: { query: { limit } } })) as unknown as { data: JobView[] }).data;
  }

  async models(): Promise<ModelInfo[]> {
    return (RocheClient.ok(await this.api.GET('/v1/models')) as unknown as { data: ModelInfo[] }).data;
  }

  async cancel(id: string): Promise<JobView> {
    return RocheClient.ok(await this.api.POST('/v1/jobs/{id}/cancel', { params: { path: { id } } })) as unknown as JobView;
  }

  /** A file of the job (`/v1/jobs/{id}/files/...` href from a result), following presigned redirects. */
  async file(href: string): Promise<Buffer> {
    const res = await fetch(new URL(href, this.baseUrl), { headers: this.headers() });
    if (!res.ok) RocheClient.fail(res.status, await res.json().catch(() => undefined));
    return Buffer.from(await res.arrayBuffer());
  }

  /** Waits with long-polls until the job ends (or `timeoutMs`). */
  async waitForTerminal(id: string, timeoutMs = 300_000, onProgress?: (v: JobView) => void): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      // Without a progress callback nothing needs the job before it ends: one request per 30 s, not one per page.
      const v = await this.status(id, Math.max(1, Math.min(30, Math.floor(left / 1000))), onProgress ? 'change' : 'end');
      onProgress?.(v);
      if (TERMINAL.has(v.state)) return v;
      if (Date.now() > deadline) throw new RocheApiError(408, 'timeout', `job ${id} still ${v.state} after ${timeoutMs} ms`);
    }
  }

  /** Server-sent progress: yields the job on every change until it ends. */
  async *events(id: string): AsyncGenerator<JobView> {
    const res = await fetch(new URL(`/v1/jobs/${id}/events`, this.baseUrl), { headers: this.headers() });
    if (!res.ok || !res.body) RocheClient.fail(res.status, await res.json().catch(() => undefined));
    let buf = '';
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data:'))
          .map((l) => l.slice(5).trim())
          .join('');
        if (!data) continue;
        const v = JSON.parse(data) as JobView;
        yield v;
        if (TERMINAL.has(v.state)) return;
      }
    }
  }
}

/**
 * Checks a webhook delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`)
 * against the endpoint's secret (`whsec_...`) and returns the parsed event; throws when it is forged or stale.
 */
export function verifyWebhook(
  secret: string,
  body: string,
  headers: Record<string, string>,
): { type: string; data: { id: string; state: string } } {
  return new Webhook(secret).verify(body, headers) as { type: string; data: { id: string; state: string } };
}
