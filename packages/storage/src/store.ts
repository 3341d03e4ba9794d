import { RocheError } from '@roche/core';
import type { Readable } from 'node:stream';

export interface ObjectInfo {
  key: string;
  size: number;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
}

export interface PutOptions {
  contentType?: string;
}

/**
 * What Roche needs from an object store. Keys are `/`-separated relative paths; drivers map them
 * to files or S3 objects. Missing objects: `get`/`stream` throw NotFoundError, `head` returns null.
 */
export interface ObjectStore {
  readonly kind: 'fs' | 's3';
  put(key: string, body: Buffer | Uint8Array | string, opts?: PutOptions): Promise<void>;
  /** Stores a local file without reading it into memory (multipart upload on S3; copy on fs). */
  putFile(key: string, file: string, opts?: PutOptions): Promise<void>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<void>;
  /** Deletes every object under a prefix; returns how many were removed. */
  deletePrefix(prefix: string): Promise<number>;
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** A URL a client can fetch directly (presigned for S3), or null when the API must serve it. */
  presignedUrl(key: string, ttlSeconds: number): Promise<string | null>;
  /** Checks the store is reachable; throws a StorageError otherwise. */
  ping(): Promise<void>;
}

/** A missing object: `not_found` wherever it surfaces, never worth retrying. */
export class NotFoundError extends RocheError {
  override name = 'NotFoundError';
  constructor(readonly key: string) {
    super('not_found', `object not found: ${key}`, { retryable: false });
  }
}

/** The store could not be reached or refused the request; retrying may help. */
export class StorageError extends RocheError {
  override name = 'StorageError';
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super('storage_unavailable', message, { ...opts, retryable: true });
  }
}

export function assertValidKey(key: string): void {
  if (!key || key.startsWith('/') || key.split('/').some((p) => p === '..' || p === '.' || p === '') || key.includes('\0')) {
    throw new Error(`invalid object key: ${JSON.stringify(key)}`);
  }
}
