import fs from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// s3rver ships no types.
// @ts-expect-error untyped module
import S3rver from 's3rver';

export interface TestS3 {
  endpoint: string;
  bucket: string;
  settings: { endpoint: string; region: string; forcePathStyle: boolean; accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on loopback with fresh buckets. */
export async function startS3(buckets: string[] = ['roche-test']): Promise<TestS3> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const addr = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${addr.port}`;
  return {
    endpoint,
    bucket: buckets[0]!,
    // s3rver accepts its documented default credentials.
    settings: { endpoint, region: 'us-east-1', forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async close() {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
