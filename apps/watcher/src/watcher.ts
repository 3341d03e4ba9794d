import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { RocheError, toRocheError } from '@roche/core';
import type { JobService } from '@roche/jobs';
import { getObject } from '@roche/storage';
import { metrics } from '@roche/telemetry';
import type { DropClaims } from './claims.js';
import type { DropFolder, DropOrigin } from './config.js';
import { relativeKey } from './config.js';
import { writeDropError } from './export.js';

export interface WatcherDeps {
  s3: S3Client;
  claims: DropClaims;
  jobs: JobService;
  folders: DropFolder[];
  /** Keyed hash for job ids (SecretBox.mac). */
  mac: (data: string) => string;
  log?: (m: string) => void;
}

const stripQuotes = (etag: string) => etag.replace(/^"|"$/g, '');

/** The parts of an S3 / MinIO event notification the watcher reads; other fields pass. */
const S3Event = z.object({
  Records: z
    .array(
      z
        .object({
          eventName: z.string().max(200).optional(),
          s3: z
            .object({
              bucket: z
                .object({ name: z.string().max(255) })
                .passthrough()
                .optional(),
              object: z
                .object({ key: z.string().max(4096), eTag: z.string().max(200).optional() })
                .passthrough()
                .optional(),
            })
            .passthrough()
            .optional(),
        })
        .passthrough(),
    )
    .max(1000),
});

/**
 * The job id of one object version: the same on every replica (so a second claim finds the job),
 * keyed with the service's secret so nobody who knows the bucket, key and ETag can derive it
 * (ids are what keeps jobs apart when auth is off). 9 + 24 hex digits, 132 bits.
 */
export function dropJobId(bucket: string, key: string, etag: string, mac: (data: string) => string): string {
  const h = mac(`${bucket}\n${key}\n${etag}`);
  return `job_${h.slice(0, 9)}${h.slice(9, 33)}`;
}

/**
 * Turns objects under each drop folder's input prefix into jobs. Safe with several replicas: the
 * claim decides who creates a job; everyone else skips the object.
 */
export class DropWatcher {
  readonly owner = randomBytes(6).toString('hex');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly deps: WatcherDeps,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.pollAll().then(
        () => {},
        (e) => this.deps.log?.(`drop-folder poll failed: ${(e as Error).message}`),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(tick, this.pollMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async pollAll(): Promise<number> {
    let created = 0;
    for (let i = 0; i < this.deps.folders.length && !this.stopped; i++) created += await this.poll(i);
    return created;
  }

  /** One pass over a folder's input prefix; returns how many jobs this replica created. */
  async poll(index: number): Promise<number> {
    const folder = this.deps.folders[index]!;
    let token: string | undefined;
    let created = 0;
    do {
      const page = await this.deps.s3.send(
        new ListObjectsV2Command({ Bucket: folder.bucket, Prefix: folder.inputPrefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) {
        if (this.stopped) return created;
        if (!o.Key || o.Key.endsWith('/') || !o.ETag) continue;
        if (await this.ingest(index, o.Key, stripQuotes(o.ETag))) created++;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token && !this.stopped);
    return created;
  }

  /** Creates the job for one object unless another replica (or an earlier pass) already did. */
  async ingest(index: number, key: string, etag: string): Promise<boolean> {
    const folder = this.deps.folders[index]!;
    if (!key.startsWith(folder.inputPrefix)) return false;
    metrics.dropObjects.inc({ event: 'seen' });
    if (!(await this.deps.claims.claim(folder.bucket, key, etag, this.owner))) return false;
    try {
      // The version claimed, no other (an event may be stale or carry any ETag), and no larger than an upload may be.
      const bytes = await getObject(this.deps.s3, folder.bucket, key, undefined, {
        etag,
        maxBytes: this.deps.jobs.deps.config.limits.maxUploadBytes,
      });
      const origin: DropOrigin = { folder: index, bucket: folder.bucket, key, etag };
      const rec = await this.deps.jobs.submit({
        // Derived from the claim: a replica that died after creating the job but before recording
        // it makes the next replica find this job instead of creating a second one.
        id: dropJobId(folder.bucket, key, etag, this.deps.mac),
        bytes,
        source: `s3://${folder.bucket}/${key}`,
        filename: key.split('/').pop(),
        metadata: { dropFolder: origin },
        options: folder.options,
        webhook: folder.webhook,
      });
      await this.deps.claims.complete(folder.bucket, key, etag, `job:${rec.id}`);
      metrics.dropObjects.inc({ event: 'claimed' });
      this.deps.log?.(`drop-folder: s3://${folder.bucket}/${key} → ${rec.id}`);
      return true;
    } catch (e) {
      const re = toRocheError(e);
      if (re.code === 'conflict') {
        // Not this version: the object's current one has its own ETag, claimed by its own event or the next poll.
        await this.deps.claims.complete(folder.bucket, key, etag, 'stale');
        this.deps.log?.(`drop-folder: s3://${folder.bucket}/${key} is not at ETag ${etag} any more; skipped`);
        return false;
      }
      if (re.retryable) {
        // Storage or Redis trouble: let a later pass try again.
        await this.deps.claims.release(folder.bucket, key, etag).catch(() => {});
        this.deps.log?.(`drop-folder: s3://${folder.bucket}/${key} will be retried: ${re.message}`);
        return false;
      }
      await writeDropError(this.deps.s3, folder, relativeKey(folder, key), { code: re.code, message: re.message, key, etag });
      await this.deps.claims.complete(folder.bucket, key, etag, `rejected:${re.code}`);
      return false;
    }
  }

  /** S3 / MinIO event notification JSON: objects created under a folder's prefix are ingested at once. */
  async handleEvent(body: unknown): Promise<number> {
    const parsed = S3Event.safeParse(body);
    if (!parsed.success)
      throw new RocheError(
        'validation_failed',
        'expected an S3 event notification: {"Records": [{"eventName", "s3": {"bucket": {"name"}, "object": {"key", "eTag"}}}]}',
        {
          details: parsed.error.issues,
        },
      );
    // Every key is decoded before any is ingested: a bad record refuses the whole notification.
    const records = parsed.data.Records.map((r, i) => {
      const rawKey = r.s3?.object?.key;
      if (!rawKey) return { ...r, key: undefined };
      try {
        // Keys in S3 events are URL-encoded with '+' for spaces.
        return { ...r, key: decodeURIComponent(rawKey.replace(/\+/g, ' ')) };
      } catch {
        throw new RocheError('validation_failed', `Records[${i}].s3.object.key is not a URL-encoded key`, { details: { key: rawKey } });
      }
    });
    let created = 0;
    for (const r of records) {
      const bucket = r.s3?.bucket?.name;
      const key = r.key;
      if (!bucket || !key || (r.eventName && !r.eventName.includes('ObjectCreated'))) continue;
      const etag = r.s3?.object?.eTag ? stripQuotes(r.s3.object.eTag) : null;
      for (const [i, f] of this.deps.folders.entries()) {
        if (f.bucket !== bucket || !key.startsWith(f.inputPrefix)) continue;
        if (etag && (await this.ingest(i, key, etag))) created++;
      }
    }
    return created;
  }
}
