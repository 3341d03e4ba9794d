import { describe, expect, it } from 'vitest';
import { cleanFilename } from '../src/intake.js';

describe('file names of jobs', () => {
  it('drop control characters and bidirectional controls, keep the rest, and stay within 255 characters', () => {
    // Multipart parsers refuse some of these in headers, but X-Filename, drop-folder keys and s3:// keys carry them.
    expect(cleanFilename('inv\u202Eoice\u0007\u0000\u001b[31m 2024.png')).toBe('invoice[31m 2024.png');
    expect(cleanFilename('a\u2066b\u2069c\u200E\u061C.pdf')).toBe('abc.pdf');
    expect(cleanFilename('\ufeffa\u200bb\u2028c\u2029d\u200d.pdf')).toBe('abcd.pdf');
    expect(cleanFilename('résumé 履歴書.pdf')).toBe('résumé 履歴書.pdf');
    expect(cleanFilename('\u0000\u202E ')).toBeUndefined();
    expect(cleanFilename(undefined)).toBeUndefined();
    const long = cleanFilename('😀'.repeat(300))!;
    expect([...long]).toHaveLength(255);
    expect(long.startsWith('😀')).toBe(true);
  });
});
