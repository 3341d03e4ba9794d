import { RocheError, type Config } from '@roche/core';
import { NotFoundError, parseS3Uri } from '@roche/storage';
import { DestinationRefused, openLimited, resolveDestination, SourceFetchError, type AllowList } from '@roche/webhooks';

/** The store's own bucket and prefix, whose `jobs/` objects are other jobs' data and never a source. */
export interface OwnStore {
  bucket?: string;
  prefix: string;
}

/**
 * Whether an `s3://` source may be read: only buckets (or `bucket/prefix/`) named in
 * `ROCHE_S3_SOURCES`, never a path with `..` or `.` segments (the S3 client would collapse them),
 * never the store's own `jobs/` prefix. Throws a RocheError saying why not.
 */
export function checkS3Source(uri: string, allowed: readonly string[], own: OwnStore): { bucket: string; key: string } {
  const ref = parseS3Uri(uri);
  if (!ref) throw new RocheError('validation_failed', `not an s3://bucket/key reference: ${uri}`);
  // Only the escapes that could spell a path step are decoded for the check: a literal `%` is a valid
  // key character (`100%.png` was refused as "not valid percent-encoding").
  const decoded = ref.key.replace(/%(2e|2f|5c)/gi, (m) => String.fromCharCode(parseInt(m.slice(1), 16)));
  for (const k of [ref.key, decoded]) {
    if (k.split('/').some((seg) => seg === '..' || seg === '.') || k.includes('\\') || k.startsWith('/'))
      throw new RocheError('validation_failed', 's3:// keys may not contain `.` or `..` segments');
  }
  // The same normalisation as S3ObjectStore: a non-empty prefix ends with one slash.
  const ownPrefix = own.prefix && !own.prefix.endsWith('/') ? `${own.prefix}/` : own.prefix;
  if (own.bucket && ref.bucket === own.bucket && ref.key.startsWith(`${ownPrefix}jobs/`))
    throw new RocheError('forbidden', "s3:// sources may not point into the service's own job data");
  const ok = allowed.some((entry) => {
    const [bucket, ...rest] = entry.split('/');
    // A prefix names a folder: `bucket/in` allows `in/...`, not `inbox-private/...`.
    const prefix = rest.join('/');
    const folder = prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix;
    return bucket === ref.bucket && ref.key.startsWith(folder);
  });
  if (!ok)
    throw new RocheError(
      'forbidden',
      `s3://${ref.bucket}/ is not an allowed source; the operator lists allowed buckets in ROCHE_S3_SOURCES`,
    );
  return ref;
}

/** Reads an allowed `s3://` source as a submit input. */
export async function readS3Source(
  uri: string,
  read: ((uri: string) => Promise<Buffer>) | undefined,
  settings: { allowed: readonly string[]; own: OwnStore; maxBytes: number },
): Promise<Buffer> {
  checkS3Source(uri, settings.allowed, settings.own);
  if (!read) throw new RocheError('bad_request', 'this deployment has no S3 configured; upload the file instead');
  let bytes: Buffer;
  try {
    bytes = await read(uri);
  } catch (e) {
    if (e instanceof NotFoundError) throw new RocheError('not_found', `${uri} does not exist`);
    throw new RocheError('storage_unavailable', `cannot read ${uri}: ${(e as Error).message}`, { cause: e });
  }
  if (bytes.length > settings.maxBytes) throw new RocheError('payload_too_large', `${uri} exceeds the upload limit`);
  return bytes;
}

/** A URL source's failures as the caller's errors: refused (400), too large (413), unreachable (400). */
function urlSourceError(url: string, e: unknown): RocheError {
  if (e instanceof RocheError) return e;
  if (e instanceof DestinationRefused) return new RocheError('validation_failed', `source URL refused: ${e.message}`);
  if (e instanceof SourceFetchError) {
    if (e.kind === 'too_large') return new RocheError('payload_too_large', `${url} ${e.message}`);
    return new RocheError('bad_request', `could not fetch ${url}: ${e.message}`);
  }
  return new RocheError('bad_request', `could not fetch ${url}: ${(e as Error).message}`);
}

/**
 * Opens an `http(s)://` source through the same SSRF guard as webhooks (DNS pinned, internal ranges
 * refused unless allowed): its body as a stream the caller reads (and stages to disk when large, as
 * an upload), so a large source is never held whole in memory. The caller enforces `maxBytes` while
 * reading; a declared length over it is refused here. Errors while reading are RocheErrors too.
 */
export async function openUrlSource(
  url: string,
  allow: AllowList,
  limits: Pick<Config['sources'], 'urlTimeoutMs'> & { maxBytes: number },
): Promise<AsyncIterable<Uint8Array>> {
  let res: Awaited<ReturnType<typeof openLimited>>;
  const started = Date.now();
  try {
    res = await openLimited(await resolveDestination(url, allow), { maxBytes: limits.maxBytes, timeoutMs: limits.urlTimeoutMs });
  } catch (e) {
    throw urlSourceError(url, e);
  }
  return (async function* () {
    try {
      for await (const chunk of res as AsyncIterable<Uint8Array>) yield chunk;
    } catch (e) {
      // The time limit ends the response mid-body ('aborted'), not always as an AbortError.
      if ((e as Error).name === 'AbortError' || Date.now() - started >= limits.urlTimeoutMs)
        throw new RocheError('bad_request', `could not fetch ${url}: not received in full within ${limits.urlTimeoutMs} ms`);
      throw urlSourceError(url, e);
    } finally {
      res.destroy();
    }
  })();
}
