import { expect, it } from 'vitest';
import { startDelayProxy } from '../../../test/support/delay-proxy.js';
import { startS3 } from '../../../test/support/s3.js';
import { createS3Client, getObject, parseS3Uri, S3ObjectStore } from '../src/s3-store.js';
import { StorageError } from '../src/store.js';
import { storeContract } from './contract.js';

storeContract('s3 (s3rver)', async () => {
  const s3 = await startS3(['roche-contract']);
  const store = new S3ObjectStore('roche-contract', s3.settings, 'pre');
  return {
    store,
    close: async () => {
      store.client.destroy();
      await s3.close();
    },
  };
});

it('presigned URLs fetch the object over plain HTTP', async () => {
  const s3 = await startS3(['roche-presign']);
  const store = new S3ObjectStore('roche-presign', s3.settings);
  await store.put('r/result.json', '{"ok":true}', { contentType: 'application/json' });
  const url = await store.presignedUrl('r/result.json', 60);
  expect(url).toContain('X-Amz-Signature');
  const res = await fetch(url!);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
  // A reference into any bucket reads through the same client settings.
  expect((await getObject(createS3Client(s3.settings), 'roche-presign', 'r/result.json')).toString()).toBe('{"ok":true}');
  store.client.destroy();
  await s3.close();
});

it('a stopped S3 server surfaces as StorageError, not a hang', async () => {
  const s3 = await startS3(['roche-down']);
  const store = new S3ObjectStore('roche-down', s3.settings);
  await s3.close();
  await expect(store.put('k', 'v')).rejects.toBeInstanceOf(StorageError);
  await expect(store.ping()).rejects.toBeInstanceOf(StorageError);
  store.client.destroy();
});

it('a server silent for longer than the request timeout (S3_REQUEST_TIMEOUT_MS) is an outage; within it, a slow answer is waited for', async () => {
  const s3 = await startS3(['roche-slow']);
  // Every byte s3rver sends back reaches the client 1.5 s late.
  const proxy = await startDelayProxy(Number(new URL(s3.settings.endpoint!).port), { delayMs: 1500 });
  const via = { ...s3.settings, endpoint: proxy.url };
  const impatient = new S3ObjectStore('roche-slow', { ...via, requestTimeoutMs: 400 });
  const patient = new S3ObjectStore('roche-slow', via);
  try {
    await expect(impatient.put('k', 'v1')).rejects.toBeInstanceOf(StorageError);
    await patient.put('k', 'v2');
    expect((await patient.get('k')).toString()).toBe('v2');
  } finally {
    impatient.client.destroy();
    patient.client.destroy();
    await proxy.close();
    await s3.close();
  }
}, 30_000);

it('parses s3:// references', () => {
  expect(parseS3Uri('s3://my-bucket/a/b.png')).toEqual({ bucket: 'my-bucket', key: 'a/b.png' });
  expect(parseS3Uri('s3://my-bucket/')).toBeNull();
  expect(parseS3Uri('https://x/y')).toBeNull();
});
