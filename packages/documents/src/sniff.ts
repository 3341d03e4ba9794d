import type { DocumentType } from '@roche/core';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

/** Document type from magic bytes; the file name and declared content type are never trusted. */
export function sniffType(buf: Uint8Array): DocumentType | null {
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(buf, [0x49, 0x49, 0x2a, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  // PDF readers accept the header anywhere in the first 1 KiB.
  const head = Buffer.from(buf.subarray(0, 1024)).toString('latin1');
  if (head.includes('%PDF-')) return 'pdf';
  return null;
}

/**
 * A well-known format Roche does not read, named for the refusal (null: not recognised). BigTIFF
 * (TIFF with 64-bit offsets) is refused rather than handed to libvips: the TIFF checks made before
 * decoding (pages, directories, compressed tiles) read classic TIFF only.
 */
export function unsupportedFormat(buf: Uint8Array): string | null {
  if (startsWith(buf, [0x49, 0x49, 0x2b, 0x00]) || startsWith(buf, [0x4d, 0x4d, 0x00, 0x2b])) return 'BigTIFF';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'GIF';
  // "BM", the file size, then four reserved zero bytes.
  if (startsWith(buf, [0x42, 0x4d]) && startsWith(buf, [0, 0, 0, 0], 6)) return 'BMP';
  const brand = Buffer.from(buf.subarray(8, 12)).toString('latin1');
  if (startsWith(buf, [0x66, 0x74, 0x79, 0x70], 4) && ['heic', 'heix', 'mif1', 'msf1', 'avif', 'avis'].includes(brand)) return 'HEIF/AVIF';
  return null;
}

export const CONTENT_TYPES: Record<DocumentType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
};
