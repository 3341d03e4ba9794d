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

/**
 * The pages of the main IFD chain (sub-IFDs such as thumbnails are not pages, as for libtiff), or
 * null when the chain cannot be read. Stops after `maxPages + 1` pages: enough to say "too many".
 */
export function tiffPageSizes(read: ReadAt, maxPages: number): TiffPage[] | null {
  const head = read(0, 8);
  if (head.length < 8) return null;
  const order = head.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  if (u16(head, 2) !== 42) return null; // 43 is BigTIFF
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  for (let ifd = u32(head, 4); ifd !== 0 && pages.length <= maxPages;) {
    if (seen.has(ifd)) return null; // a loop: libtiff refuses it too
    seen.add(ifd);
    const countBytes = read(ifd, 2);
    if (countBytes.length < 2) return null;
    const n = u16(countBytes, 0);
    const body = read(ifd + 2, n * 12 + 4);
    if (body.length < n * 12 + 4) return null;
    let width = 0;
    let height = 0;
    let orientation = 1;
    let seenOrientation = 0;
    for (let i = 0; i < n; i++) {
      const e = i * 12;
      const tag = u16(body, e);
      if (tag !== IMAGE_WIDTH && tag !== IMAGE_LENGTH && tag !== ORIENTATION) continue;
      const type = u16(body, e + 2);
      if (u32(body, e + 4) !== 1 || (type !== SHORT && type !== LONG)) return null;
      // One SHORT or LONG sits in the value field itself, left-aligned.
      const value = type === SHORT ? u16(body, e + 8) : u32(body, e + 8);
      // A tag given twice is read one way by libtiff (the first, with a warning) and could be read
      // another here: such a page is not measured from the chain at all.
      if (tag === IMAGE_WIDTH) width = width ? -1 : value;
      else if (tag === IMAGE_LENGTH) height = height ? -1 : value;
      else orientation = seenOrientation++ ? -1 : value;
    }
    if (width <= 0 || height <= 0 || orientation < 0) return null;
    pages.push({ width, height, orientation: orientation >= 1 && orientation <= 8 ? orientation : 1 });
    ifd = u32(body, n * 12);
  }
  return pages;
}
