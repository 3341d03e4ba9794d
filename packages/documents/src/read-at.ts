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

/**
 * Forward reads of a `ReadAt` through a window of `size` bytes, so a walk over a file's markers or
 * chunks costs one read per window, not one per header, and a path is never read whole.
 */
export class ByteWindow {
  private base = 0;
  private buf: Buffer;

  constructor(
    private readonly read: ReadAt,
    private readonly size = 64 * 1024,
  ) {
    this.buf = read(0, size);
  }

  private load(pos: number): void {
    this.base = pos;
    this.buf = this.read(pos, this.size);
  }

  /** The byte at `pos`, or -1 past the end. */
  at(pos: number): number {
    if (pos < this.base || pos >= this.base + this.buf.length) this.load(pos);
    return pos - this.base < this.buf.length ? this.buf[pos - this.base]! : -1;
  }

  /** The `n` bytes at `pos` (n ≤ the window), fewer at the end. */
  bytes(pos: number, n: number): Buffer {
    if (pos < this.base || pos + n > this.base + this.buf.length) this.load(pos);
    return this.buf.subarray(pos - this.base, pos - this.base + n);
  }

  /** Where `needle` (a byte, or bytes shorter than the window) next starts at or after `pos`, or -1. */
  indexOf(needle: number | Buffer, pos: number): number {
    const len = typeof needle === 'number' ? 1 : needle.length;
    for (;;) {
      if (pos < this.base || pos + len > this.base + this.buf.length) {
        this.load(pos);
        if (this.buf.length < len) return -1;
      }
      const i = this.buf.indexOf(needle, pos - this.base);
      if (i >= 0) return this.base + i;
      // Keep the last len - 1 bytes: a needle may straddle the window's end.
      pos = this.base + this.buf.length - len + 1;
    }
  }
}
