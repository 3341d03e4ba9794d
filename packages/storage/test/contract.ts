import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, type ObjectStore } from '../src/store.js';

/** The behaviour every ObjectStore driver must have; run against each driver. */
export function storeContract(name: string, open: () => Promise<{ store: ObjectStore; close: () => Promise<void> }>) {
  describe(`${name} store contract`, () => {
    let store: ObjectStore;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => close());

    it('round-trips bytes and content type', async () => {
      const body = Buffer.from([0, 1, 2, 255, 128]);
      await store.put('a/b/c.bin', body, { contentType: 'application/x-test' });
      expect(Buffer.compare(await store.get('a/b/c.bin'), body)).toBe(0);
      const info = await store.head('a/b/c.bin');
      expect(info?.size).toBe(5);
      expect(info?.contentType).toBe('application/x-test');
    });

    it('keeps the last content type given for a key, including the one its extension suggests', async () => {
      await store.put('t/1.json', '{}', { contentType: 'application/json' });
      expect((await store.head('t/1.json'))?.contentType).toBe('application/json');
      await store.put('t/1.json', 'not json', { contentType: 'text/plain' });
      expect((await store.head('t/1.json'))?.contentType).toBe('text/plain');
      await store.put('t/1.json', '[]', { contentType: 'application/json' });
      expect((await store.head('t/1.json'))?.contentType).toBe('application/json');
      await store.put('t/2.png', Buffer.from([137, 80, 78, 71]), { contentType: 'image/png' });
      expect((await store.head('t/2.png'))?.contentType).toBe('image/png');
    });

    it('stores a local file larger than one multipart part without reading it whole', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-putfile-'));
      const file = path.join(dir, 'big.bin');
      const body = randomBytes(9 * 1024 * 1024 + 17);
      await fs.writeFile(file, body);
      await store.putFile('big/file.bin', file, { contentType: 'application/pdf' });
      expect(
        createHash('sha256')
          .update(await store.get('big/file.bin'))
          .digest('hex'),
      ).toBe(createHash('sha256').update(body).digest('hex'));
      expect(await store.head('big/file.bin')).toMatchObject({ size: body.length, contentType: 'application/pdf' });
      await fs.access(file); // the caller's file is left alone
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('streams an object', async () => {
      await store.put('s/one.txt', 'hello stream');
      const chunks: Buffer[] = [];
      for await (const c of await store.stream('s/one.txt')) chunks.push(Buffer.from(c));
      expect(Buffer.concat(chunks).toString()).toBe('hello stream');
    });

    it('reports missing objects as NotFoundError and head null', async () => {
      await expect(store.get('nope/missing')).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.stream('nope/missing')).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.head('nope/missing')).toBeNull();
    });

    it('overwrites, lists by prefix in key order, deletes and deletes by prefix', async () => {
      await store.put('p/2', 'two');
      await store.put('p/1', 'one');
      await store.put('p/sub/3', 'three');
      await store.put('p/1', 'uno');
      await store.put('q/1', 'other');
      expect((await store.get('p/1')).toString()).toBe('uno');
      const keys: string[] = [];
      for await (const o of store.list('p/')) keys.push(o.key);
      expect(keys).toEqual(['p/1', 'p/2', 'p/sub/3']);
      await store.delete('p/2');
      await store.delete('p/does-not-exist');
      expect(await store.head('p/2')).toBeNull();
      expect(await store.deletePrefix('p/')).toBe(2);
      expect(await store.head('p/sub/3')).toBeNull();
      expect((await store.get('q/1')).toString()).toBe('other');
    });

    it('refuses keys that escape the namespace', async () => {
      await expect(store.put('../etc/passwd', 'x')).rejects.toThrow(/invalid object key/);
      await expect(store.put('/abs', 'x')).rejects.toThrow(/invalid object key/);
      await expect(store.put('a//b', 'x')).rejects.toThrow(/invalid object key/);
    });

    it('answers ping', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
