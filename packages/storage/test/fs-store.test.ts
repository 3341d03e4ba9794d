import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { FsObjectStore } from '../src/fs-store.js';
import { storeContract } from './contract.js';

storeContract('fs', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  return { store: new FsObjectStore(dir), close: () => fs.rm(dir, { recursive: true, force: true }) };
});

it('fs store leaves no temp files behind and gives no presigned URL', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  const store = new FsObjectStore(dir);
  await store.put('x/y', 'data');
  expect(await fs.readdir(path.join(dir, 'x'))).toEqual(['y']);
  expect(await store.presignedUrl()).toBeNull();
  await fs.rm(dir, { recursive: true, force: true });
});
