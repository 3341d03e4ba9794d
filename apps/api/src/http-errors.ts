import { RocheError } from '@roche/core';
import type { Context } from 'hono';

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
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new RocheError('validation_failed', `\`${name}\` must be a JSON object`);
  if (JSON.stringify(v).length > maxBytes) throw new RocheError('validation_failed', `\`${name}\` is limited to ${maxBytes} bytes of JSON`);
  return v as Record<string, unknown>;
}
