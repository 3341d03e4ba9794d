import type { Config } from '@roche/core';
import { FsObjectStore } from './fs-store.js';
import { S3ObjectStore } from './s3-store.js';
import type { ObjectStore } from './store.js';

export function createObjectStore(storage: Config['storage']): ObjectStore {
  if (storage.driver === 'fs') return new FsObjectStore(storage.root);
  return new S3ObjectStore(storage.bucket, storage, storage.prefix);
}
