import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { assertValidKey, NotFoundError, StorageError, type ObjectInfo, type ObjectStore, type PutOptions } from './store.js';

const META_DIR = '.meta';
/** Objects up to this size are written without the thread pool (see writeAtomic). */
const SMALL_WRITE_BYTES = 256 * 1024;

/**
 * Content types the key's extension already says: no sidecar is written for them. Page results and
 * overlays are most of a job's objects, and the sidecar doubled the file writes of each.
 */
const IMPLIED_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.tiff': 'image/tiff',
  '.pdf': 'application/pdf',
};
const impliedType = (key: string): string | undefined => IMPLIED_TYPES[path.extname(key)];

/**
 * Temp-file names: a random tag per process and a counter, so no write pays for random bytes. The
 * names can be guessed, so temp files are created exclusively (`wx`): one planted first fails the write.
 */
const TMP_TAG = randomBytes(6).toString('hex');
let tmpSeq = 0;
const tmpName = (file: string) => `${file}.${TMP_TAG}-${(tmpSeq++).toString(36)}.tmp`;

/**
 * Writes a small file, making its folder only when the write says it is missing: most writes go to a
 * job's existing folder, and a mkdir first cost a system call and a thrown EEXIST each time.
 */
function writeNewFileSync(file: string, body: Buffer | Uint8Array | string): void {
  try {
    fsSync.writeFileSync(file, body, { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fsSync.mkdirSync(path.dirname(file), { recursive: true });
    fsSync.writeFileSync(file, body, { flag: 'wx' });
  }
}

/**
 * A small file read in three system calls on this thread, or null when it is large (the caller reads
 * it through the thread pool, so a big input never holds the event loop). fs.readFile makes four
 * thread-pool round trips (open, fstat, read, close), which cost page results more CPU than the
 * reading (measured on a page result: 146 µs of CPU a read through the pool, 16-35 µs here).
 */
function readSmallFileSync(file: string): Buffer | null {
  const fd = fsSync.openSync(file, 'r');
  try {
    const st = fsSync.fstatSync(fd);
    if (!st.isFile() || st.size > SMALL_WRITE_BYTES) return null;
    const size = st.size;
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = fsSync.readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Failures of the whole filesystem or process: a full disk or quota, a read-only disk, no file handles left. */
const FILESYSTEM_OUTAGES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EMFILE', 'ENFILE']);
/** Failures that may be one path's (a file with the wrong owner, a bad sector) or the whole store's. */
const PATH_OR_STORE = new Set(['EACCES', 'EPERM', 'EIO']);

/** Whether `e` is the filesystem's own failure (full, read-only, refused, failing, out of handles) rather than a request's. */
export function isFilesystemFailure(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && (FILESYSTEM_OUTAGES.has(code) || PATH_OR_STORE.has(code));
}

/**
 * A write cut short (a full disk) leaves its temp file behind, which no listing or expiry would see
 * (they skip temp files); a planted temp file (EEXIST) is not ours to remove. The write's own error
 * is the one to report, so a failed removal is ignored.
 */
function discardPartial(tmp: string, e: unknown): void {
  if ((e as NodeJS.ErrnoException).code === 'EEXIST') return;
  try {
    fsSync.rmSync(tmp, { force: true });
  } catch {
    // see above
  }
}

/**
 * The filesystem's failures as the StorageError the S3 store raises when S3 is down: an outage that
 * pages wait out (the worker pauses and retries, spending no attempts), not a page's fault to be
 * retried three times and failed as `internal`. A refused or failing path counts as an outage only
 * when the store as a whole cannot be written (`storeWritable`): otherwise it is that one object's
 * problem, and waiting for it would hold its job, and the queue's other pages behind it, for good.
 * Anything else (a planted temp file, a bad key) passes unchanged.
 */
export async function classifyFsError(e: unknown, what: string, storeWritable: () => Promise<boolean>): Promise<unknown> {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return e;
  const outage = FILESYSTEM_OUTAGES.has(code) || (PATH_OR_STORE.has(code) && !(await storeWritable()));
  return outage ? new StorageError(`fs store: ${what} failed: ${(e as Error).message}`, { cause: e }) : e;
}

/**
 * Local-filesystem store: the embedded default. Writes go to a temp file and are renamed into
 * place so a reader never sees half an object. Content types live in a sidecar tree.
 */
export class FsObjectStore implements ObjectStore {
  readonly kind = 'fs' as const;
  constructor(readonly root: string) {}

  private probing?: Promise<boolean>;

  /**
   * Whether a file can be created at the store's root now (a probe named as temp files are, which
   * listings skip). Off the event loop, and one probe at a time however many writes fail together.
   */
  private writable(): Promise<boolean> {
    this.probing ??= (async () => {
      const probe = tmpName(path.join(this.root, '.probe'));
      try {
        await fs.mkdir(this.root, { recursive: true });
        await fs.writeFile(probe, '', { flag: 'wx' });
        await fs.rm(probe, { force: true });
        return true;
      } catch {
        return false;
      }
    })().finally(() => (this.probing = undefined));
    return this.probing;
  }

  private fail(e: unknown, what: string): Promise<unknown> {
    return classifyFsError(e, what, () => this.writable());
  }

  private file(key: string): string {
    assertValidKey(key);
    if (key === META_DIR || key.startsWith(`${META_DIR}/`)) throw new Error(`invalid object key: ${key}`);
    return path.join(this.root, ...key.split('/'));
  }

  private meta(key: string): string {
    return path.join(this.root, META_DIR, ...key.split('/')) + '.json';
  }

  private async writeAtomic(file: string, body: Buffer | Uint8Array | string): Promise<void> {
    const tmp = tmpName(file);
    try {
      await this.writeVia(tmp, file, body);
    } catch (e) {
      discardPartial(tmp, e);
      throw e;
    }
  }

  private async writeVia(tmp: string, file: string, body: Buffer | Uint8Array | string): Promise<void> {
    if (body.length <= SMALL_WRITE_BYTES) {
      // Small objects (job inputs of a page, metadata, page results) are written synchronously:
      // without fsync they land in the page cache, and each libuv thread-pool hop of the async API
      // cost more CPU than the system call (measured: two atomic writes 0.97 ms of CPU async, 0.21 ms
      // sync; on the submit path they were a third of the API's CPU per job).
      writeNewFileSync(tmp, body);
      fsSync.renameSync(tmp, file);
      return;
    }
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(tmp, body, { flag: 'wx' });
    await fs.rename(tmp, file);
  }

  async put(key: string, body: Buffer | Uint8Array | string, opts: PutOptions = {}): Promise<void> {
    const file = this.file(key);
    try {
      await this.writeAtomic(file, body);
      await this.writeMeta(key, opts.contentType);
    } catch (e) {
      throw await this.fail(e, `put ${key}`);
    }
  }

  /**
   * The content type's sidecar, when the key does not imply it; an older one is removed. Checked with
   * existsSync first: rmSync({force}) walks rimraf in JavaScript and a failed unlink builds an Error
   * (3 % of the API's CPU per submit), while the usual case is one stat of a missing file.
   */
  private async writeMeta(key: string, contentType: string | undefined): Promise<void> {
    const meta = this.meta(key);
    if (contentType && contentType !== impliedType(key)) await this.writeAtomic(meta, JSON.stringify({ contentType }));
    else if (fsSync.existsSync(meta)) fsSync.rmSync(meta, { force: true });
  }

  async putFile(key: string, source: string, opts: PutOptions = {}): Promise<void> {
    const file = this.file(key);
    const tmp = tmpName(file);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      // copyFile streams in the kernel (or clones); the caller keeps its own file.
      await fs.copyFile(source, tmp, fsSync.constants.COPYFILE_EXCL);
      await fs.rename(tmp, file);
      await this.writeMeta(key, opts.contentType);
    } catch (e) {
      discardPartial(tmp, e);
      throw await this.fail(e, `put ${key}`);
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return readSmallFileSync(this.file(key)) ?? (await fs.readFile(this.file(key)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'EISDIR') throw new NotFoundError(key);
      throw await this.fail(e, `get ${key}`);
    }
  }

  /**
   * Opened before it is returned: a missing object is a NotFoundError and a failing disk an outage
   * here, not an error event in the middle of a response, and an object deleted or replaced while it
   * is read (a job expiring during its download) is still read whole.
   */
  async stream(key: string): Promise<Readable> {
    const file = this.file(key);
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(file, 'r');
      if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${key} is a folder`), { code: 'EISDIR' });
      return handle.createReadStream();
    } catch (e) {
      await handle?.close().catch(() => {});
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new NotFoundError(key);
      throw await this.fail(e, `stream ${key}`);
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      // A stat is answered from the inode cache; through the thread pool it cost more than itself,
      // and the usual answer on the page path (not stored yet) threw an ENOENT error.
      const st = fsSync.statSync(this.file(key), { throwIfNoEntry: false });
      if (!st?.isFile()) return null;
      let contentType: string | undefined;
      try {
        contentType = JSON.parse(await fs.readFile(this.meta(key), 'utf8')).contentType;
      } catch {
        contentType = impliedType(key);
      }
      return { key, size: st.size, contentType, lastModified: st.mtime };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw await this.fail(e, `head ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await fs.rm(this.file(key), { force: true });
      await fs.rm(this.meta(key), { force: true });
    } catch (e) {
      throw await this.fail(e, `delete ${key}`);
    }
  }

  /**
   * Deletes the objects under `prefix`, then the folders that held them and are left empty, within
   * the prefix only (a job's, not `jobs/` that other jobs' writes may be creating folders in): an
   * expired job's empty folders stayed behind for good, an inode and a directory entry per job.
   */
  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    const folders = new Set<string>();
    for await (const o of this.list(prefix)) {
      await this.delete(o.key);
      n++;
      for (let d = path.posix.dirname(o.key); d !== '.' && `${d}/`.startsWith(prefix); d = path.posix.dirname(d)) folders.add(d);
    }
    // Deepest first, so a folder is empty of folders when its turn comes.
    for (const d of [...folders].sort((a, b) => b.length - a.length)) {
      for (const base of [this.root, path.join(this.root, META_DIR)]) {
        try {
          await fs.rmdir(path.join(base, ...d.split('/')));
        } catch (e) {
          // Not empty (a write cut short left its temp file; an object written since) or never made.
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw await this.fail(e, `delete ${prefix}`);
        }
      }
    }
    return n;
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const out: ObjectInfo[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw await this.fail(e, `list ${prefix}`);
      }
      for (const ent of entries) {
        const key = rel ? `${rel}/${ent.name}` : ent.name;
        if (!rel && ent.name === META_DIR) continue;
        if (ent.isDirectory()) {
          if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await walk(path.join(dir, ent.name), key);
        } else if (ent.isFile() && !ent.name.endsWith('.tmp') && key.startsWith(prefix)) {
          let st;
          try {
            st = await fs.stat(path.join(dir, ent.name));
          } catch (e) {
            // Deleted since the folder was read: not listed.
            if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
            throw await this.fail(e, `list ${prefix}`);
          }
          out.push({ key, size: st.size, lastModified: st.mtime });
        }
      }
    };
    await walk(this.root, '');
    out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    yield* out;
  }

  async presignedUrl(): Promise<string | null> {
    return null;
  }

  async ping(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    await fs.access(this.root, fs.constants.W_OK);
  }
}
