import { ByteWindow, type ReadAt } from './read-at.js';
import { entryValues, MAX_TIFF_ENTRIES, tiffChain, type TiffEntry } from './tiff-pages.js';

/**
 * The scans a JPEG may have. Every scan of a progressive JPEG is a pass over all the blocks of its
 * components, however few bytes it takes: a 204 KB file of 2,080 valid scans cost libvips 5.9 s of
 * CPU for 4000×4000 pixels (a normal progressive JPEG of that size: ~0.2 s), on a libuv thread that
 * no time limit stops (sharp's `timeout` only fires once the scans are read). Encoders write about 10
 * scans (libjpeg's progressive script) and cjpeg's own scripts may hold at most 100; libtiff refuses
 * JPEG strips of more than 100 (LIBTIFF_JPEG_MAX_ALLOWED_SCAN_NUMBER). At 100 scans a 100-megapixel
 * page decoded in 3.3 s here, 3× a normal progressive one.
 */
export const MAX_JPEG_SCANS = 100;

/**
 * The scans (SOS markers) of a JPEG stream up to its end (EOI) as libjpeg reads it, counting no
 * further than `limit + 1`. Read the way libjpeg finds markers, so a file cannot hide scans from it:
 * marker segments are skipped by their length (a thumbnail's scans inside an EXIF segment are not the
 * image's), bytes between segments up to the next 0xFF are skipped, fill bytes (0xFF runs) before a
 * marker code are skipped, and inside a scan's entropy-coded data 0xFF 0x00 is data and RST0-7 do
 * not end the scan. A stream cut short ends the count where it ends.
 */
export function jpegScanCount(read: ReadAt, limit = MAX_JPEG_SCANS): number {
  // Read a window at a time: a path is not read whole, and `indexOf` finds the next 0xFF natively
  // (entropy-coded data is nearly all of a JPEG).
  const w = new ByteWindow(read);
  const at = (pos: number) => w.at(pos);
  const nextFF = (pos: number) => w.indexOf(0xff, pos);
  /** After the 0xFF at `ff`: the marker code and where it ends (fill bytes skipped), or -1 at the end. */
  const codeAfter = (ff: number): [code: number, end: number] => {
    let p = ff + 1;
    let c = at(p);
    while (c === 0xff) c = at(++p);
    return [c, p + 1];
  };

  if (at(0) !== 0xff || at(1) !== 0xd8) return 0;
  let scans = 0;
  let pos = 2;
  for (;;) {
    const ff = nextFF(pos);
    if (ff < 0) return scans;
    const [code, end] = codeAfter(ff);
    if (code < 0 || code === 0xd9) return scans; // the end of the stream, or of the image (EOI)
    pos = end;
    if (code === 0x00 || code === 0x01 || code === 0xd8 || (code >= 0xd0 && code <= 0xd7)) continue; // no segment follows
    const hi = at(pos);
    const lo = at(pos + 1);
    if (hi < 0 || lo < 0) return scans;
    pos += (hi << 8) | lo;
    if (code !== 0xda) continue;
    if (++scans > limit) return scans;
    // The scan's entropy-coded data runs to the next marker that is not a restart.
    for (;;) {
      const f = nextFF(pos);
      if (f < 0) return scans;
      const [c, e] = codeAfter(f);
      if (c < 0) return scans;
      if (c === 0x00 || (c >= 0xd0 && c <= 0xd7)) {
        pos = e;
        continue;
      }
      pos = f;
      break;
    }
  }
}

const COMPRESSION = 259;
const STRIP_OFFSETS = 273;
const STRIP_BYTE_COUNTS = 279;
const TILE_WIDTH = 322;
const TILE_OFFSETS = 324;
const TILE_BYTE_COUNTS = 325;
const TAGS = new Set([COMPRESSION, STRIP_OFFSETS, STRIP_BYTE_COUNTS, TILE_WIDTH, TILE_OFFSETS, TILE_BYTE_COUNTS]);
/** TIFF compression 7: each strip or tile is a JPEG stream of its own. */
const JPEG = 7;
/** Directories read at most; a TIFF of more is refused (with the default page limit, 2,000, it is anyway). */
const MAX_TIFF_DIRECTORIES = 10_000;
/** Distinct JPEG strips and tiles counted at most (a 100-megapixel page of 16×16 tiles has 390,625). */
const MAX_TIFF_SEGMENTS = 1_000_000;
/** Strip and tile table values read at most, over all directories (their tables may overlap). */
const MAX_TABLE_VALUES = 4 * MAX_TIFF_SEGMENTS;
const TABLES_TOO_LARGE = { scans: 0, tooCostly: 'its strip and tile tables are too large' } as const;

/** What `tiffJpegScanCount` found: the most scans of any JPEG strip or tile, or why it could not tell cheaply. */
export interface TiffJpegScans {
  scans: number;
  tooCostly?: string;
}

/**
 * The most scans of any JPEG-compressed strip or tile of a TIFF of `fileBytes` bytes (0 when none is
 * JPEG), counting no further than `limit + 1`. libvips decodes JPEG tiles itself, past libtiff's limit
 * of 100 scans per strip: one 4096² tile of 20,791 scans (826 KB) held a worker for 66 s of CPU, and
 * 2,000 such pages would have held it for about a day. Read as libtiff reads: a page is tiled when it
 * has a TileWidth; its offsets and byte counts may sit under either the strip or the tile tags, in
 * any integer type; a missing byte count runs to the end of the file; directories read before a
 * broken chain count (libtiff still reads page 1). Each strip or tile is counted once, by its start,
 * at its largest stated size. Its own cost is bounded: directory entries (MAX_TIFF_ENTRIES), distinct
 * strips and tiles, and bytes scanned (no more than the file holds: strips and tiles that overlap are
 * refused rather than each scanned to the end); past a bound, `tooCostly` says why.
 */
export function tiffJpegScanCount(read: ReadAt, fileBytes: number, limit = MAX_JPEG_SCANS): TiffJpegScans {
  const chain = tiffChain(read, MAX_TIFF_DIRECTORIES, TAGS);
  if (!chain) return { scans: 0 };
  if (chain.overBudget) return { scans: 0, tooCostly: `its directories hold more than ${MAX_TIFF_ENTRIES} entries` };
  // Pages past the directories read would go unchecked (only with ROCHE_MAX_PAGES raised past them).
  if (chain.more) return { scans: 0, tooCostly: `it has more than ${MAX_TIFF_DIRECTORIES} pages` };
  const values = new Map<string, number[]>();
  let valuesRead = 0;
  /** An entry's values, read once however many directories share them, within a budget (arrays of different directories may overlap). */
  const valuesOf = (e: TiffEntry | undefined): number[] => {
    if (!e) return [];
    const key = `${e.type}:${e.count}:${e.field.toString('hex')}`;
    let v = values.get(key);
    if (!v) {
      valuesRead += Math.min(e.count, MAX_TIFF_SEGMENTS + 1);
      v = e.count > MAX_TIFF_SEGMENTS || valuesRead > MAX_TABLE_VALUES ? [] : (entryValues(read, e, chain.le) ?? []);
      values.set(key, v);
    }
    return v;
  };
  const segments = new Map<number, number>();
  const pairs = new Set<string>();
  for (const entries of chain.ifds) {
    const tag = (t: number) => entries.find((e) => e.tag === t);
    const jpeg = valuesOf(tag(COMPRESSION))[0] === JPEG;
    if (valuesRead > MAX_TABLE_VALUES) return TABLES_TOO_LARGE;
    if (!jpeg) continue;
    const tiled = tag(TILE_WIDTH) !== undefined;
    const offsets = (tiled ? tag(TILE_OFFSETS) : tag(STRIP_OFFSETS)) ?? tag(tiled ? STRIP_OFFSETS : TILE_OFFSETS);
    const counts = (tiled ? tag(TILE_BYTE_COUNTS) : tag(STRIP_BYTE_COUNTS)) ?? tag(tiled ? STRIP_BYTE_COUNTS : TILE_BYTE_COUNTS);
    if (!offsets) continue;
    if (offsets.count > MAX_TIFF_SEGMENTS) return { scans: 0, tooCostly: `a page has more than ${MAX_TIFF_SEGMENTS} JPEG strips or tiles` };
    const pair = `${offsets.field.toString('hex')}:${offsets.count}:${counts?.field.toString('hex')}:${counts?.count}`;
    if (pairs.has(pair)) continue; // pages sharing their strips: counted once
    pairs.add(pair);
    const at = valuesOf(offsets);
    const len = valuesOf(counts);
    if (valuesRead > MAX_TABLE_VALUES) return TABLES_TOO_LARGE;
    for (let i = 0; i < at.length; i++) {
      const start = at[i]!;
      if (start < 0 || start >= fileBytes) continue;
      const size = Math.min(len[i] && len[i]! > 0 ? len[i]! : fileBytes - start, fileBytes - start);
      if ((segments.get(start) ?? 0) < size) segments.set(start, size);
      if (segments.size > MAX_TIFF_SEGMENTS) return { scans: 0, tooCostly: `it has more than ${MAX_TIFF_SEGMENTS} JPEG strips or tiles` };
    }
  }
  let budget = fileBytes;
  let most = 0;
  for (const [start, size] of segments) {
    if ((budget -= size) < 0) return { scans: most, tooCostly: 'its JPEG strips or tiles overlap' };
    most = Math.max(
      most,
      jpegScanCount((o, n) => read(start + o, Math.max(0, Math.min(n, size - o))), limit),
    );
    if (most > limit) return { scans: most };
  }
  return { scans: most };
}
