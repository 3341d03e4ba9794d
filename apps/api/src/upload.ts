import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { RocheError } from '@roche/core';
import type { StagedFile } from '@roche/jobs';
import { isFilesystemFailure } from '@roche/storage';
import Busboy from 'busboy';

/** Uploads up to this size stay in memory; larger ones are streamed to a file as they arrive. */
export const IN_MEMORY_UPLOAD_BYTES = 1024 * 1024;
const HEAD_BYTES = 4096;
/** Staged uploads are named `<ms>-<random>.upload`; sweeps touch nothing else in the folder. */
const UPLOAD_SUFFIX = '.upload';

export type Upload = { bytes: Buffer } | { staged: StagedFile };

export interface UploadSettings {
  dir: string;
  maxBytes: number;
}

const tooLarge = (maxBytes: number) =>
  new RocheError('payload_too_large', `the document exceeds the upload limit of ${maxBytes} bytes`, { details: { maxBytes } });

/**
 * Collects a document from a stream: in memory while small, then spilled to a file in `dir`,
 * hashing as it goes, so a 200 MB upload costs the API a few chunks of memory, not 200 MB.
 */
export async function collectUpload(body: AsyncIterable<Uint8Array>, s: UploadSettings): Promise<Upload> {
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let size = 0;
  let file: string | undefined;
  // A FileHandle, not a WriteStream: each write is awaited, so when the upload fails there is no
  // write still in flight to land on a destroyed stream (an uncaught ERR_STREAM_DESTROYED).
  let out: fs.FileHandle | undefined;
  let head: Buffer | undefined;
  try {
    for await (const raw of body) {
      const chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      size += chunk.length;
      if (size > s.maxBytes) throw tooLarge(s.maxBytes);
      hash.update(chunk);
      if (!out && size > IN_MEMORY_UPLOAD_BYTES) {
        await fs.mkdir(s.dir, { recursive: true });
        file = path.join(s.dir, `${Date.now()}-${randomBytes(8).toString('hex')}${UPLOAD_SUFFIX}`);
        out = await fs.open(file, 'wx', 0o600);
        const buffered = Buffer.concat(chunks);
        head = buffered.subarray(0, HEAD_BYTES);
        chunks.length = 0;
        await writeAll(out, buffered);
      }
      if (out) await writeAll(out, chunk);
      else chunks.push(chunk);
    }
    if (!out) return { bytes: Buffer.concat(chunks) };
    await out.close();
    out = undefined;
    return { staged: { path: file!, size, sha256: hash.digest('hex'), head: Buffer.from(head!) } };
  } catch (e) {
    await out?.close().catch(() => undefined);
    // A folder that refused the write may refuse the removal too: the write's error is the one to report.
    if (file) await fs.rm(file, { force: true }).catch(() => undefined);
    throw stagingError(e);
  }
}

/** The API's own staging folder cannot take the upload (full, read-only, refused, failing): a 503 to retry later, not the request's fault. */
function stagingError(e: unknown): unknown {
  if (!isFilesystemFailure(e)) return e;
  return new RocheError('storage_unavailable', `cannot stage the upload: ${(e as Error).message}`, { cause: e });
}

async function writeAll(out: fs.FileHandle, buf: Buffer): Promise<void> {
  for (let at = 0; at < buf.length;) at += (await out.write(buf, at)).bytesWritten;
}

/** Where this API stages uploads larger than IN_MEMORY_UPLOAD_BYTES. */
export const uploadDir = (dataDir: string): string => path.join(dataDir, 'uploads');

/**
 * How old a staged upload must be before a sweep takes it for abandoned. A file in use is younger: an
 * upload being received is written as its chunks arrive, and after its last byte it is measured
 * (within the intake time limit), then copied to the store and removed, minutes at most, even by a
 * handler the request timeout gave up on (Hono's timeout answers 408 but does not stop the handler).
 * An hour, or twice the request timeout when that is longer, leaves a wide margin; API replicas
 * sharing the folder should share the setting.
 */
export const staleUploadMs = (requestTimeoutMs: number): number => Math.max(2 * requestTimeoutMs, 3_600_000);

/**
 * Removes staged uploads older than `olderThanMs`: an API process killed while it received or stored
 * an upload leaves the file behind (its client got no 202, so nothing else refers to it), and without
 * a sweep such files would fill the disk over restarts. API replicas sharing the folder leave each
 * other's live files alone for the same reason a live file is young. Files that cannot be removed are
 * reported once through `onError` and the sweep goes on. Returns how many went.
 */
export async function sweepStaleUploads(
  dir: string,
  olderThanMs: number,
  now = Date.now(),
  onError: (e: unknown) => void = () => {},
): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  let removed = 0;
  let failed = 0;
  let firstError: unknown;
  for (const name of names) {
    if (!name.endsWith(UPLOAD_SUFFIX)) continue;
    const file = path.join(dir, name);
    try {
      const st = await fs.lstat(file).catch(() => null);
      if (!st?.isFile() || now - st.mtimeMs < olderThanMs) continue;
      await fs.rm(file, { force: true });
      removed++;
    } catch (e) {
      failed++;
      firstError ??= e;
    }
  }
  // One report a sweep, not a line per file every ten minutes.
  if (failed) onError(new Error(`${failed} abandoned upload(s) could not be removed, the first: ${(firstError as Error).message}`));
  return removed;
}

/** Sweeps at once and then every `everyMs` until stopped; a failed sweep is reported and tried again next time. */
export function startUploadSweeper(
  dir: string,
  olderThanMs: number,
  onError: (e: unknown) => void,
  everyMs = 10 * 60_000,
): { stop(): void; swept: Promise<number> } {
  const sweep = () => sweepStaleUploads(dir, olderThanMs, Date.now(), onError).catch((e) => (onError(e), 0));
  const timer = setInterval(() => void sweep(), everyMs).unref();
  return { stop: () => clearInterval(timer), swept: sweep() };
}

/** Removes a staged upload once the store has its copy (or the submit failed). */
export async function discardUpload(u: { staged?: StagedFile } | { bytes: Buffer } | undefined): Promise<void> {
  const staged = u && 'staged' in u ? u.staged : undefined;
  if (staged) await fs.rm(staged.path, { force: true });
}

export const webStream = (s: ReadableStream<Uint8Array>) => Readable.fromWeb(s as unknown as WebReadableStream<Uint8Array>);

export interface MultipartUpload {
  file?: Upload;
  filename?: string;
  fields: Record<string, string>;
}

/**
 * Parses multipart/form-data as it streams: the `file` part goes through `collectUpload`, other
 * parts are small text fields. Parts after `file` still arrive; `file` may come in any position.
 */
export function parseMultipart(
  body: Readable,
  contentType: string,
  s: UploadSettings & { maxFieldBytes: number },
): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let bb: Busboy.Busboy;
    try {
      // Browsers and fetch send file names as raw UTF-8; busboy's default (latin1) made "résumé.pdf" "rÃ©sumÃ©.pdf".
      bb = Busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        limits: { fields: 20, files: 1, fieldSize: s.maxFieldBytes, parts: 30 },
      });
    } catch (e) {
      return reject(new RocheError('bad_request', `cannot parse multipart body: ${(e as Error).message}`));
    }
    const result: MultipartUpload = { fields: {} };
    let pending: Promise<void> = Promise.resolve();
    let failed: unknown;
    const fail = (e: unknown) => {
      if (failed) return;
      failed = e;
      body.unpipe(bb);
      body.resume();
      // Ends the file part being streamed too (its reader would otherwise wait for the rest forever,
      // holding the staged file open).
      bb.destroy(e instanceof Error ? e : new Error(String(e)));
      // Whatever was staged already goes.
      void pending.finally(() => discardUpload(result.file)).finally(() => reject(e));
    };
    bb.on('file', (name, stream, info) => {
      if (name !== 'file') {
        // fail() destroys the parser and this part with it: nobody else listens for its error.
        stream.on('error', () => {});
        stream.resume();
        return fail(new RocheError('validation_failed', `unexpected file part \`${name}\`: the document goes in the part named \`file\``));
      }
      result.filename = info.filename || undefined;
      pending = collectUpload(stream, s).then(
        (u) => {
          result.file = u;
          if (failed) void discardUpload(u);
        },
        (e) => fail(e),
      );
    });
    bb.on('field', (name, value, info) => {
      // A part without a filename (or an empty one) arrives as a text field.
      if (name === 'file')
        return fail(
          new RocheError('validation_failed', 'the `file` part has no filename: send the document as a file part (filename="…")'),
        );
      if (info.valueTruncated) return fail(new RocheError('validation_failed', `\`${name}\` is limited to ${s.maxFieldBytes} bytes`));
      // A second `options` part would silently win over the first.
      if (Object.hasOwn(result.fields, name)) return fail(new RocheError('validation_failed', `\`${name}\` is given twice`));
      result.fields[name] = value;
    });
    // One document per job: a second file part used to be dropped without a word.
    bb.on('filesLimit', () => fail(new RocheError('validation_failed', 'one file per job: the body has more than one file part')));
    bb.on('partsLimit', () => fail(new RocheError('bad_request', 'too many parts in the multipart body')));
    bb.on('error', (e) => fail(new RocheError('bad_request', `cannot parse multipart body: ${(e as Error).message}`)));
    // 'finish' (all parts parsed) is enough: the form is complete then. (busboy 0.3, which a dev tool
    // pulls in, never emits 'close'; the root now pins 1.6 so the bundle resolves the right one.)
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      pending.then(() => (failed ? undefined : resolve(result)), fail);
    };
    bb.on('finish', done);
    bb.on('close', done);
    body.on('error', (e) => fail(e));
    body.pipe(bb);
  });
}
