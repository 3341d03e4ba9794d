import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { objectKeys, type JobRecord } from '@roche/core';
import type { ObjectStore } from '@roche/storage';
import { DropOrigin, relativeKey, type DropFolder } from './config.js';

export async function writeDropError(s3: S3Client, folder: DropFolder, rel: string, reason: Record<string, unknown>): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: folder.bucket,
      Key: `${folder.errorPrefix}${rel}.error.json`,
      Body: JSON.stringify({ ...reason, at: new Date().toISOString() }, null, 2),
      ContentType: 'application/json',
    }),
  );
}

const encodeCopySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/**
 * Runs when a drop-folder job ends: results (or the reason it failed) go next to the folder's
 * output, then the input is moved, tagged or kept as configured.
 */
export async function exportDropResult(s3: S3Client, store: ObjectStore, folders: DropFolder[], rec: JobRecord): Promise<boolean> {
  const origin = DropOrigin.safeParse(rec.metadata?.dropFolder);
  if (!origin.success) return false;
  const folder = folders[origin.data.folder];
  if (!folder || folder.bucket !== origin.data.bucket) return false;
  const rel = relativeKey(folder, origin.data.key);
  if (rec.state === 'succeeded' || rec.state === 'partial') {
    const result = await store.get(rec.resultKey ?? objectKeys.result(rec.id));
    await s3.send(
      new PutObjectCommand({
        Bucket: folder.bucket,
        Key: `${folder.outputPrefix}${rel}.layout.json`,
        Body: result,
        ContentType: 'application/json',
      }),
    );
    for (const page of rec.pages ?? []) {
      const overlay = objectKeys.overlay(rec.id, page);
      if (!(await store.head(overlay))) continue;
      await s3.send(
        new PutObjectCommand({
          Bucket: folder.bucket,
          Key: `${folder.outputPrefix}${rel}.page-${page}.png`,
          Body: await store.get(overlay),
          ContentType: 'image/png',
        }),
      );
    }
  }
  if (rec.state !== 'succeeded') {
    await writeDropError(s3, folder, rel, {
      jobId: rec.id,
      state: rec.state,
      ...(rec.error ? { code: rec.error.code, message: rec.error.message } : {}),
      key: origin.data.key,
    });
  }
  const src = { Bucket: folder.bucket, Key: origin.data.key };
  if (folder.afterProcess === 'move') {
    // Only the version this job read: the steps after a job's end may run twice, and a file dropped
    // again under the same key since (a new job of its own) must stay where it is. S3 checks the
    // ETag at the copy too; the look first also covers stores that ignore that condition.
    if (!(await sameVersion(s3, src, origin.data.etag))) return true;
    try {
      await s3.send(
        new CopyObjectCommand({
          Bucket: folder.bucket,
          Key: `${folder.processedPrefix}${rel}`,
          CopySource: encodeCopySource(folder.bucket, origin.data.key),
          CopySourceIfMatch: `"${origin.data.etag}"`,
        }),
      );
    } catch (e) {
      if (isGoneOrChanged(e)) return true;
      throw e;
    }
    await s3.send(new DeleteObjectCommand(src));
  } else if (folder.afterProcess === 'tag') {
    await s3.send(
      new PutObjectTaggingCommand({
        ...src,
        Tagging: {
          TagSet: [
            { Key: 'roche-status', Value: rec.state },
            { Key: 'roche-job', Value: rec.id },
          ],
        },
      }),
    );
  }
  return true;
}

/** Whether the object is still there with this ETag. */
async function sameVersion(s3: S3Client, src: { Bucket: string; Key: string }, etag: string): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand(src));
    return head.ETag?.replace(/^"|"$/g, '') === etag;
  } catch (e) {
    if (isGoneOrChanged(e)) return false;
    throw e;
  }
}

/** Not found (moved already) or precondition failed (replaced since). */
function isGoneOrChanged(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404 || status === 412;
}
