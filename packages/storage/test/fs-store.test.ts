import { isOutage, objectKeys } from '@roche/core';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { classifyFsError, FsObjectStore } from '../src/fs-store.js';
import { NotFoundError, StorageError } from '../src/store.js';
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

it('fs store writes one file for an object whose key implies its content type, two otherwise', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  const store = new FsObjectStore(dir);
  await store.put('j/pages/1.json', '{}', { contentType: 'application/json' });
  await store.put('j/input', '%PDF', { contentType: 'application/pdf' });
  // A job's input key carries its type's extension (objectKeys.input): no sidecar for any input type.
  for (const [type, ct] of [
    ['pdf', 'application/pdf'],
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['webp', 'image/webp'],
    ['tiff', 'image/tiff'],
  ] as const) {
    const key = objectKeys.input('k', type);
    await store.put(key, 'x', { contentType: ct });
    expect((await store.head(key))?.contentType, type).toBe(ct);
  }
  const files = (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.includes('.meta') && f.endsWith('.json'));
  expect(files).toEqual([path.join('.meta', 'j', 'input.json')]);
  await fs.rm(dir, { recursive: true, force: true });
});

it('fs store reads small objects and large ones (through the thread pool) alike, and a folder is not an object', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  const store = new FsObjectStore(dir);
  // Either side of the 256 KiB line between the synchronous and the thread-pool read.
  for (const size of [0, 1, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024]) {
    const body = Buffer.alloc(size, size % 251);
    for (let i = 0; i < size; i += 4093) body[i] = i % 256;
    await store.put(`new/folder/${size}.bin`, body);
    expect(Buffer.compare(await store.get(`new/folder/${size}.bin`), body), `size ${size}`).toBe(0);
    expect((await store.head(`new/folder/${size}.bin`))?.size).toBe(size);
  }
  // 'new/folder' exists as a folder of the tree, not as an object.
  expect(await store.head('new/folder')).toBeNull();
  await expect(store.get('new/folder')).rejects.toBeInstanceOf(NotFoundError);
  // A folder removed under the store (a job deleted) is made again by the next write.
  await fs.rm(path.join(dir, 'new'), { recursive: true });
  await store.put('new/folder/again.json', '{}');
  expect((await store.get('new/folder/again.json')).toString()).toBe('{}');
  await fs.rm(dir, { recursive: true, force: true });
});

it('a filesystem that refuses writes is an outage (storage_unavailable), as S3 being down is, so pages wait instead of failing', async () => {
  // sysfs refuses new folders even to root: EPERM (EROFS where it is mounted read-only).
  const store = new FsObjectStore('/sys');
  const err = await store.put('jobs/roche-test/input', 'x').then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StorageError);
  expect(isOutage(err)).toBe(true);
  expect((err as Error).message).toMatch(/^fs store: put jobs\/roche-test\/input failed: E(PERM|ROFS|ACCES)/);
  // Reading what is not there is still "not found", not an outage.
  await expect(store.get('jobs/roche-test/input')).rejects.toBeInstanceOf(NotFoundError);
});

it('a path the filesystem refuses in a store that can still be written is an error of that object, not an outage', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  try {
    // `jobs` leads into sysfs, which refuses new folders even to root; the store's root is writable.
    await fs.symlink('/sys', path.join(dir, 'jobs'));
    const store = new FsObjectStore(dir);
    const err = await store.put('jobs/roche-test/input', 'x').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeInstanceOf(StorageError);
    expect(isOutage(err)).toBe(false);
    expect((err as NodeJS.ErrnoException).code).toMatch(/^E(PERM|ACCES)$/);
    // The probe left nothing behind at the root.
    expect((await fs.readdir(dir)).sort()).toEqual(['jobs']);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

it('classifyFsError: a full disk, a quota, a read-only disk or no file handles is an outage; a refused or failing path only when the whole store cannot be written', async () => {
  const errno = (code: string) => Object.assign(new Error(`${code}: something`), { code });
  const writable = async () => true;
  const unwritable = async () => false;
  for (const code of ['ENOSPC', 'EDQUOT', 'EROFS', 'EMFILE', 'ENFILE'])
    expect(isOutage(await classifyFsError(errno(code), 'put k', writable)), code).toBe(true);
  for (const code of ['EACCES', 'EPERM', 'EIO']) {
    // One object's problem: it fails its page after the attempts rather than holding the queue.
    const e = errno(code);
    expect(await classifyFsError(e, 'put k', writable), code).toBe(e);
    expect(isOutage(await classifyFsError(e, 'put k', unwritable)), code).toBe(true);
  }
  const planted = errno('EEXIST');
  expect(await classifyFsError(planted, 'put k', unwritable)).toBe(planted);
  const plain = new Error('invalid object key');
  expect(await classifyFsError(plain, 'put k', unwritable)).toBe(plain);
});

it('a write that fails after its temp file was written leaves no temp file behind', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  try {
    const store = new FsObjectStore(dir);
    await store.put('x/y', 'data');
    // `x` is a folder now: the rename into place fails once the temp file exists.
    await expect(store.put('x', 'small')).rejects.toThrow();
    await expect(store.put('x', Buffer.alloc(300 * 1024))).rejects.toThrow(); // the large-object path
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await store.get('x/y')).toEqual(Buffer.from('data'));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

it('fs store streams what it opened: a folder or a missing key is NotFoundError at once, and an object deleted while it is read is read whole', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  const store = new FsObjectStore(dir);
  const body = Buffer.alloc(1024 * 1024, 7);
  await store.put('job/result.bin', body);
  await expect(store.stream('job')).rejects.toBeInstanceOf(NotFoundError);
  await expect(store.stream('job/result.bin/x')).rejects.toBeInstanceOf(NotFoundError);
  await expect(store.stream('job/missing.bin')).rejects.toBeInstanceOf(NotFoundError);
  const s = await store.stream('job/result.bin');
  await store.deletePrefix('job/');
  expect(await store.head('job/result.bin')).toBeNull();
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  expect(Buffer.compare(Buffer.concat(chunks), body)).toBe(0);
  await fs.rm(dir, { recursive: true, force: true });
});

it('fs store removes the folders a prefix emptied, and only those', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-fs-store-'));
  try {
    const store = new FsObjectStore(dir);
    await store.put('jobs/a/input.png', 'in');
    await store.put('jobs/a/pages/1.json', '{}');
    await store.put('jobs/a/pages/2.bin', 'x', { contentType: 'application/x-roche' }); // a sidecar under .meta
    await store.put('jobs/b/input.png', 'other');
    await store.put('jobsx/c', 'not under the prefix');
    // A temp file a write cut short left: its folder is not empty and stays.
    await store.put('jobs/d/input.png', 'in');
    await fs.writeFile(path.join(dir, 'jobs', 'd', 'input.png.abc-1.tmp'), 'partial');
    expect(await store.deletePrefix('jobs/a/')).toBe(3);
    expect(await store.deletePrefix('jobs/d/')).toBe(1);
    expect((await fs.readdir(path.join(dir, 'jobs'))).sort()).toEqual(['b', 'd']);
    expect(await fs.readdir(path.join(dir, '.meta', 'jobs'))).toEqual([]);
    expect(await fs.readdir(path.join(dir, 'jobs', 'd'))).toEqual(['input.png.abc-1.tmp']);
    expect((await store.get('jobs/b/input.png')).toString()).toBe('other');
    expect((await store.get('jobsx/c')).toString()).toBe('not under the prefix');
    // A new object in an emptied job's place is written as before.
    await store.put('jobs/a/input.png', 'again');
    expect((await store.get('jobs/a/input.png')).toString()).toBe('again');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});
