import { z } from 'zod';

/** Stable machine-readable error codes. Clients branch on these; never rename one. */
export const ErrorCode = z.enum([
  'bad_request',
  'validation_failed',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'corrupt_document',
  'encrypted_document',
  'too_many_pages',
  'image_too_large',
  'result_not_ready',
  'storage_unavailable',
  'queue_unavailable',
  'inference_failed',
  'inference_unavailable',
  'conflict',
  'unauthorized',
  'forbidden',
  'auth_unavailable',
  'rate_limited',
  'quota_exceeded',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The one JSON error shape every endpoint and every failed job uses. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

const defaultStatus: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  corrupt_document: 422,
  encrypted_document: 422,
  too_many_pages: 422,
  image_too_large: 422,
  result_not_ready: 409,
  storage_unavailable: 503,
  queue_unavailable: 503,
  inference_failed: 500,
  inference_unavailable: 503,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  auth_unavailable: 503,
  rate_limited: 429,
  quota_exceeded: 429,
  internal: 500,
};

/**
 * An error that carries its stable code. `retryable` tells workers whether another attempt
 * may succeed (infrastructure down) or is pointless (the document itself is bad).
 */
export class RocheError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, opts: { details?: unknown; status?: number; retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'RocheError';
    this.code = code;
    this.status = opts.status ?? defaultStatus[code];
    this.details = opts.details;
    this.retryable = opts.retryable ?? this.status >= 500;
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export function isRocheError(e: unknown): e is RocheError {
  return e instanceof RocheError;
}

const OUTAGES: ReadonlySet<ErrorCode> = new Set(['inference_unavailable', 'storage_unavailable', 'queue_unavailable']);

/**
 * A dependency (Triton, the object store, Redis) is down: nothing is wrong with the work itself,
 * so workers wait for the dependency instead of spending the work's attempts on it.
 */
export function isOutage(e: unknown): boolean {
  return isRocheError(e) && OUTAGES.has(e.code);
}

/** Any thrown value as a RocheError; unknown failures become `internal` with their message. */
export function toRocheError(e: unknown): RocheError {
  if (isRocheError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new RocheError('internal', message, { cause: e });
}
