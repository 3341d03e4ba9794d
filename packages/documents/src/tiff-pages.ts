import type { ReadAt } from './read-at.js';

/**
 * The page sizes of a multi-page TIFF from its directory chain, in one pass.
 *
 * libvips measures the pages of a TIFF one at a time, and libtiff walks the chain of image file
 * directories (IFDs) from the start for each page: O(pages²). When the pages differ in size (libvips
 * reads same-sized pages in one pass; see `uniformPages`), 1000 pages of a 0.5 MB file took 7.5 s of
 * CPU and 2000 pages about 30 s. Reading the three tags each page needs (width, height, orientation)
 * from the chain takes milliseconds. No library reads only the chain: TIFF decoders in JavaScript
 * (utif and kin) decode or index every tag of every page.
 *
 * Classic TIFF only (BigTIFF, 64-bit offsets, answers null and is measured by libvips). A chain
 * that loops, points outside the file or holds a page without a size is not a TIFF libtiff would
 * page through either: null again, and the caller decides.
 */

export interface TiffPage {
  width: number;
  height: number;
  /** TIFF/EXIF orientation, 1 when the page has none. */
  orientation: number;
}

const IMAGE_WIDTH = 256;
const IMAGE_LENGTH = 257;
const ORIENTATION = 274;
const SHORT = 3;
const LONG = 4;
const SIZE_TAGS = new Set([IMAGE_WIDTH, IMAGE_LENGTH, ORIENTATION]);

/** One directory entry: tag, field type, value count and the 4-byte value-or-offset field. */
export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  field: Buffer;
}

/** The directories of a classic TIFF's main chain as far as they were read, and its byte order. */
export interface TiffChain {
  le: boolean;
  /** Per directory, its entries of the tags asked for. */
  ifds: TiffEntry[][];
  /** The chain ended (next offset 0) or `maxIfds` were read: false when it loops or leaves the file. */
  complete: boolean;
  /** Stopped because the directories held more than `maxEntries` entries in all. */
  overBudget: boolean;
  /** `maxIfds` were read and the chain goes on: pages past them were not read. */
  more: boolean;
}

/** Entries read at most over a chain's directories: a legitimate TIFF has 10-30 per page. */
export const MAX_TIFF_ENTRIES = 1_000_000;

/**
 * The first `maxIfds` directories of the main chain (sub-IFDs such as thumbnails are not pages, as
 * for libtiff), keeping the entries of the `tags` asked for, or null when the file is not a classic
 * TIFF (BigTIFF). Reading stops at a loop, at a directory outside the file, or past `maxEntries`
 * entries (65,535 a directory, and directories may overlap: a hostile file of 800 KB can claim 10,000
 * of them), with what was read so far.
 */
export function tiffChain(read: ReadAt, maxIfds: number, tags: ReadonlySet<number>, maxEntries = MAX_TIFF_ENTRIES): TiffChain | null {
  const head = read(0, 8);
  if (head.length < 8) return null;
  const order = head.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  if (u16(head, 2) !== 42) return null; // 43 is BigTIFF
  const chain: TiffChain = { le, ifds: [], complete: false, overBudget: false, more: false };
  const seen = new Set<number>();
  let entries = 0;
  let ifd = u32(head, 4);
  for (; ifd !== 0 && chain.ifds.length < maxIfds;) {
    if (seen.has(ifd)) return chain; // a loop: libtiff refuses it too
    seen.add(ifd);
    const countBytes = read(ifd, 2);
    if (countBytes.length < 2) return chain;
    const n = u16(countBytes, 0);
    if ((entries += n) > maxEntries) return { ...chain, overBudget: true };
    const body = read(ifd + 2, n * 12 + 4);
    if (body.length < n * 12 + 4) return chain;
    const kept: TiffEntry[] = [];
    for (let i = 0; i < n; i++) {
      const tag = u16(body, i * 12);
      if (tags.has(tag))
        kept.push({ tag, type: u16(body, i * 12 + 2), count: u32(body, i * 12 + 4), field: body.subarray(i * 12 + 8, i * 12 + 12) });
    }
    chain.ifds.push(kept);
    ifd = u32(body, n * 12);
  }
  return { ...chain, complete: true, more: ifd !== 0 };
}

/** Bytes per value of TIFF's integer field types (BYTE, SHORT, LONG, SBYTE, SSHORT, SLONG), which libtiff accepts for integer tags. */
const INTEGER_BYTES: Record<number, number> = { 1: 1, 3: 2, 4: 4, 6: 1, 8: 2, 9: 4 };

/**
 * The values of an integer entry (in the field itself when they fit in 4 bytes), or null for another
 * type or values outside the file. `only`: the types accepted (default all integer types).
 */
export function entryValues(read: ReadAt, e: TiffEntry, le: boolean, only?: readonly number[]): number[] | null {
  const size = INTEGER_BYTES[e.type];
  if (!size || (only && !only.includes(e.type))) return null;
  const bytes = e.count * size <= 4 ? e.field : read(le ? e.field.readUInt32LE(0) : e.field.readUInt32BE(0), e.count * size);
  if (bytes.length < e.count * size) return null;
  // SBYTE, SSHORT, SLONG are types 6, 8, 9; Buffer reads 1, 2 or 4 bytes of either kind.
  const value = e.type >= 6 ? (le ? bytes.readIntLE : bytes.readIntBE) : le ? bytes.readUIntLE : bytes.readUIntBE;
  return Array.from({ length: e.count }, (_, i) => value.call(bytes, i * size, size));
}

/**
 * The pages of the main IFD chain, or null when the chain cannot be read. Stops after `maxPages +
 * 1` pages: enough to say "too many".
 */
export function tiffPageSizes(read: ReadAt, maxPages: number): TiffPage[] | null {
  const chain = tiffChain(read, maxPages + 1, SIZE_TAGS);
  if (!chain?.complete) return null;
  const pages: TiffPage[] = [];
  for (const entries of chain.ifds) {
    let width = 0;
    let height = 0;
    let orientation = 1;
    let seenOrientation = 0;
    for (const e of entries) {
      if (e.count !== 1 || (e.type !== SHORT && e.type !== LONG)) return null;
      // One SHORT or LONG sits in the value field itself, left-aligned.
      const value = entryValues(read, e, chain.le)![0]!;
      // A tag given twice is read one way by libtiff (the first, with a warning) and could be read
      // another here: such a page is not measured from the chain at all.
      if (e.tag === IMAGE_WIDTH) width = width ? -1 : value;
      else if (e.tag === IMAGE_LENGTH) height = height ? -1 : value;
      else orientation = seenOrientation++ ? -1 : value;
    }
    if (width <= 0 || height <= 0 || orientation < 0) return null;
    pages.push({ width, height, orientation: orientation >= 1 && orientation <= 8 ? orientation : 1 });
  }
  return pages;
}
