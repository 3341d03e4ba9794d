import { createReadStream } from 'node:fs';
import { Upload } from '@aws-sdk/lib-storage';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { RocheError } from '@roche/core';
import { assertValidKey, NotFoundError, StorageError, type ObjectInfo, type ObjectStore, type PutOptions } from './store.js';

export interface S3Settings {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** How long a request may wait for the server's next byte (S3_REQUEST_TIMEOUT_MS); 60 s when unset. */
  requestTimeoutMs?: number;
}

export function createS3Client(s: S3Settings): S3Client {
  const cfg: S3ClientConfig = {
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    // A dead S3 must surface as an error in seconds, not hang a worker slot.
    maxAttempts: 3,
    // A server that stops answering is cut after this much silence: the handler's socketTimeout. Its
    // requestTimeout bounds the whole transfer (a large upload over a slow link) and, in this SDK,
    // only logs a warning unless told to throw; set alone, as it was here, it left a silent S3 holding
    // a worker slot for good.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: s.requestTimeoutMs ?? 60_000 } as S3ClientConfig['requestHandler'],
  };
  if (s.endpoint) cfg.endpoint = s.endpoint;
  if (s.accessKeyId && s.secretAccessKey) cfg.credentials = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey };
  return new S3Client(cfg);
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NoSuchKey' || err?.name === 'NotFound' || err?.$metadata?.httpStatusCode === 404;
}

function wrap(e: unknown, what: string): Error {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode;
  // 4xx other than 404 are configuration mistakes (credentials, bucket); still a storage error to callers.
  return new StorageError(`S3 ${what} failed: ${err?.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${err?.message ?? String(e)}`);
}

/** The body's bytes, refusing more than `max` as they arrive (a server may send more than it declared). */
async function toBuffer(body: unknown, max = Infinity, label = 'object'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of body as AsyncIterable<Uint8Array>) {
    size += c.byteLength;
    if (size > max) {
      (body as { destroy?: () => void }).destroy?.();
      throw new RocheError('payload_too_large', `${label} is over the limit of ${max} bytes`, { details: { maxBytes: max } });
    }
    chunks.push(Buffer.from(c));
  }
  return Buffer.concat(chunks);
}

/** S3 driver for AWS, MinIO or any S3-compatible server. Keys live under an optional prefix. */
export class S3ObjectStore implements ObjectStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;

  constructor(
    readonly bucket: string,
    settings: S3Settings,
    readonly prefix = '',
    client?: S3Client,
  ) {
    this.client = client ?? createS3Client(settings);
    if (prefix && !prefix.endsWith('/')) this.prefix = `${prefix}/`;
  }

  private k(key: string): string {
    assertValidKey(key);
    return this.prefix + key;
  }

  async put(key: string, body: Buffer | Uint8Array | string, opts: PutOptions = {}): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.k(key), Body: body, ContentType: opts.contentType }));
    } catch (e) {
      throw wrap(e, `put ${key}`);
    }
  }

  async putFile(key: string, file: string, opts: PutOptions = {}): Promise<void> {
    try {
      // Multipart upload in 8 MiB parts, at most 2 in flight: memory stays bounded whatever the size.
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: this.k(key), Body: createReadStream(file), ContentType: opts.contentType },
        partSize: 8 * 1024 * 1024,
        queueSize: 2,
      });
      await upload.done();
    } catch (e) {
      throw wrap(e, `put ${key}`);
    }
  }

  async get(key: string): Promise<Buffer> {
    return getObject(this.client, this.bucket, this.k(key), key);
  }

  async stream(key: string): Promise<Readable> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.k(key) }));
      return r.Body as Readable;
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError(key);
      throw wrap(e, `get ${key}`);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.k(key) }));
      return { key, size: r.ContentLength ?? 0, contentType: r.ContentType, etag: r.ETag, lastModified: r.LastModified };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw wrap(e, `head ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.k(key) }));
    } catch (e) {
      if (!isNotFound(e)) throw wrap(e, `delete ${key}`);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let batch: string[] = [];
    let n = 0;
    const flush = async () => {
      if (!batch.length) return;
      try {
        await this.client.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
      } catch (e) {
        throw wrap(e, `delete ${prefix}*`);
      }
      n += batch.length;
      batch = [];
    };
    for await (const o of this.list(prefix)) {
      batch.push(this.prefix + o.key);
      if (batch.length === 1000) await flush();
    }
    await flush();
    return n;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined;
    do {
      let r;
      try {
        r = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }),
        );
      } catch (e) {
        throw wrap(e, `list ${prefix}`);
      }
      for (const o of r.Contents ?? []) {
        if (!o.Key) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, etag: o.ETag, lastModified: o.LastModified };
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }

  async presignedUrl(key: string, ttlSeconds: number): Promise<string | null> {
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: this.k(key) }), { expiresIn: ttlSeconds });
  }

  async ping(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch (e) {
      throw wrap(e, `head bucket ${this.bucket}`);
    }
  }
}

/** Reads one object from any bucket (for `s3://bucket/key` job references). */
export interface GetObjectOptions {
  /** Refused (413 `payload_too_large`) before the body is read when the object is larger, and while reading if it grows. */
  maxBytes?: number;
  /** The version expected (an event's ETag): another one is refused as `conflict` before the body is read. */
  etag?: string;
}

export async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
  label = `s3://${bucket}/${key}`,
  opts: GetObjectOptions = {},
): Promise<Buffer> {
  let r;
  try {
    r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  } catch (e) {
    if (isNotFound(e)) throw new NotFoundError(label);
    throw wrap(e, `get ${label}`);
  }
  const drop = () => (r.Body as { destroy?: () => void } | undefined)?.destroy?.();
  const etag = r.ETag?.replace(/^"|"$/g, '');
  if (opts.etag !== undefined && etag !== opts.etag) {
    drop();
    throw new RocheError('conflict', `${label} changed: its ETag is ${etag ?? 'unknown'}, not ${opts.etag}`, {
      details: { etag, expected: opts.etag },
    });
  }
  const max = opts.maxBytes;
  if (max !== undefined && (r.ContentLength ?? 0) > max) {
    drop();
    throw new RocheError('payload_too_large', `${label} is ${r.ContentLength} bytes, over the limit of ${max}`, {
      details: { maxBytes: max },
    });
  }
  try {
    return await toBuffer(r.Body, max, label);
  } catch (e) {
    if (e instanceof RocheError) throw e;
    throw wrap(e, `get ${label}`);
  }
}

/** Parses `s3://bucket/key`; returns null when the string is not such a reference. */
export function parseS3Uri(uri: string): { bucket: string; key: string } | null {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(uri);
  if (!m) return null;
  return { bucket: m[1]!, key: m[2]! };
}
