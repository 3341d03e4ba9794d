import { DocumentResult, JobView, TERMINAL_STATES } from '@roche/core';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Minimal HTTP client for the Roche API, used by the CLI and the demo. */
export class RocheClient {
  constructor(
    readonly baseUrl: string,
    readonly tenant?: string,
  ) {}

  private async call(p: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.tenant) headers.set('x-roche-tenant', this.tenant);
    const res = await fetch(new URL(p, this.baseUrl), { ...init, headers });
    if (!res.ok) {
      const body = await res.text();
      throw new Error(`${init.method ?? 'GET'} ${p}: HTTP ${res.status} ${body}`);
    }
    return res;
  }

  async submitFile(file: string, metadata?: Record<string, unknown>): Promise<JobView> {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(await fs.readFile(file))]), path.basename(file));
    if (metadata) form.set('metadata', JSON.stringify(metadata));
    return JobView.parse(await (await this.call('/v1/jobs', { method: 'POST', body: form })).json());
  }

  async submitS3(source: string): Promise<JobView> {
    const res = await this.call('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source }),
    });
    return JobView.parse(await res.json());
  }

  async status(id: string): Promise<JobView> {
    return JobView.parse(await (await this.call(`/v1/jobs/${id}`)).json());
  }

  async result(id: string): Promise<DocumentResult> {
    return DocumentResult.parse(await (await this.call(`/v1/jobs/${id}/result`)).json());
  }

  async waitForTerminal(id: string, timeoutMs = 300_000, intervalMs = 100): Promise<JobView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await this.status(id);
      if (TERMINAL_STATES.has(v.state)) return v;
      if (Date.now() > deadline) throw new Error(`job ${id} still ${v.state} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
