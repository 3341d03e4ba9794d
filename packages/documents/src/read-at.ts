import fs from 'node:fs';

/** Reads `length` bytes at `offset`; fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Buffer;

/** `ReadAt` over bytes in memory. */
export const readBuffer =
  (bytes: Buffer): ReadAt =>
  (offset, length) =>
    bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));

/** Positional reads of bytes in memory or of a file. */
export function withReader<T>(bytes: Buffer | string, f: (read: ReadAt) => T): T {
  if (typeof bytes !== 'string') return f(readBuffer(bytes));
  const fd = fs.openSync(bytes, 'r');
  try {
    return f((offset, length) => {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, fs.readSync(fd, buf, 0, length, offset));
    });
  } finally {
    fs.closeSync(fd);
  }
}
