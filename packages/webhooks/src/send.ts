import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedDestination } from './ssrf.js';

export interface SendResult {
  status: number;
  /** From a `Retry-After` header (seconds or HTTP date), when present. */
  retryAfterMs?: number;
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs to the destination's pinned address (the one the SSRF check approved), with the URL's
 * host name kept for the Host header and TLS. Times out as a whole after `timeoutMs`.
 */
export function postJson(dest: ResolvedDestination, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
  const pinned: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all)
      (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address: dest.address, family: dest.family },
      ]);
    else cb(null, dest.address, dest.family);
  };
  const mod = dest.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      dest.url,
      {
        method: 'POST',
        lookup: pinned,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Roche-Webhooks/1',
          ...headers,
        },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        res.resume(); // the body is not used; drain it so the socket is freed
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfterMs: parseRetryAfter(res.headers['retry-after'] as string | undefined) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', (e) => reject(e.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : e));
    req.end(body);
  });
}

/**
 * GETs a document from the destination's pinned address (submit by URL): answers the response once
 * its status and declared length pass (over `maxBytes` by Content-Length is refused at once; the
 * caller counts the bytes it reads). `timeoutMs` covers the whole exchange, body included: the
 * stream fails with an AbortError when it runs out. Redirects are not followed: each hop would
 * need its own SSRF check.
 */
export function openLimited(dest: ResolvedDestination, opts: { maxBytes: number; timeoutMs: number }): Promise<http.IncomingMessage> {
  const pinned: LookupFunction = (_host, o, cb) => {
    if ((o as { all?: boolean }).all)
      (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [
        { address: dest.address, family: dest.family },
      ]);
    else cb(null, dest.address, dest.family);
  };
  const mod = dest.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(
      dest.url,
      { lookup: pinned, headers: { 'user-agent': 'Roche/1' }, signal: AbortSignal.timeout(opts.timeoutMs) },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          res.resume();
          return reject(new SourceFetchError(`answered HTTP ${status}`, 'status'));
        }
        if (Number(res.headers['content-length'] ?? 0) > opts.maxBytes) {
          res.destroy();
          return reject(new SourceFetchError(`is larger than ${opts.maxBytes} bytes`, 'too_large'));
        }
        resolve(res);
      },
    );
    req.on('error', (e) => reject(e.name === 'AbortError' ? new SourceFetchError(`no answer within ${opts.timeoutMs} ms`, 'timeout') : e));
  });
}

export class SourceFetchError extends Error {
  override name = 'SourceFetchError';
  constructor(
    message: string,
    readonly kind: 'status' | 'too_large' | 'timeout',
  ) {
    super(message);
  }
}
