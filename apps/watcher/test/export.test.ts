import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { JobRecord } from '@roche/core';
import { createS3Client, FsObjectStore } from '@roche/storage';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type TestS3 } from '../../../test/support/s3.js';
import { DropFolder } from '../src/config.js';
import { exportDropResult } from '../src/export.js';

describe('drop-folder export, run again (the steps after a job end may run twice)', () => {
  let srv: TestS3;
  let s3: S3Client;
  let dir: string;
  beforeAll(async () => {
    srv = await startS3(['drops']);
    s3 = createS3Client(srv.settings);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-export-'));
  });
  afterAll(async () => {
    await srv?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('moves the input it read once; a file dropped again under the same key since stays where it is', async () => {
    const folder = DropFolder.parse({ bucket: 'drops', inputPrefix: 'in/', outputPrefix: 'out/', afterProcess: 'move' });
    const put = async (body: string) =>
      (await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'in/a.pdf', Body: body }))).ETag!.replace(/"/g, '');
    const etag = await put('first version');
    const rec = {
      id: 'job_0000000000000000000000000000000e1',
      state: 'failed',
      createdAt: new Date().toISOString(),
      input: { key: 'jobs/x/input', type: 'pdf', size: 1, sha256: 'a'.repeat(64) },
      error: { code: 'corrupt_document', message: 'x' },
      metadata: { dropFolder: { folder: 0, bucket: 'drops', key: 'in/a.pdf', etag } },
    } as JobRecord;
    const store = new FsObjectStore(dir);
    expect(await exportDropResult(s3, store, [folder], rec)).toBe(true);
    const moved = await s3.send(new GetObjectCommand({ Bucket: 'drops', Key: 'processed/a.pdf' }));
    expect(await moved.Body!.transformToString()).toBe('first version');

    // Run again after the move: nothing to move, no error.
    expect(await exportDropResult(s3, store, [folder], rec)).toBe(true);
    // A new file at the same key (its own job): this job's steps, run again, leave it in place.
    await put('second version');
    expect(await exportDropResult(s3, store, [folder], rec)).toBe(true);
    const still = await s3.send(new HeadObjectCommand({ Bucket: 'drops', Key: 'in/a.pdf' }));
    expect(still.ContentLength).toBe('second version'.length);
    const processed = await s3.send(new GetObjectCommand({ Bucket: 'drops', Key: 'processed/a.pdf' }));
    expect(await processed.Body!.transformToString()).toBe('first version');
  });
});
