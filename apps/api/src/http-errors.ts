import { RocheError } from '@roche/core';
import type { Context } from 'hono';
import type { z } from 'zod';

export const fail = (c: Context, e: RocheError) => c.json(e.toBody(), e.status as 400);

/** Parses an optional JSON-object field that may arrive as a string (multipart) or an object (JSON). */
export function parseJsonObject(name: string, raw: unknown, maxBytes = 16_384): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = JSON.parse(raw);
    } catch {
      throw new RocheError('validation_failed', `\`${name}\` must be a JSON object`);
    }
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new RocheError('validation_failed', `\`${name}\` must be a JSON object`);
  if (JSON.stringify(v).length > maxBytes) throw new RocheError('validation_failed', `\`${name}\` is limited to ${maxBytes} bytes of JSON`);
  return v as Record<string, unknown>;
}

/** Reads a JSON body and validates it; malformed JSON is `bad_request`, a schema miss `validation_failed` with the issues. */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, what = 'body'): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new RocheError('bad_request', 'body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new RocheError('validation_failed', `invalid ${what}`, { details: parsed.error.issues });
  return parsed.data;
}
