import { describe, expect, it } from 'vitest';
import { parseDropFolders, relativeKey } from '../src/config.js';
import { dropJobId } from '../src/watcher.js';
import { JOB_ID_PATTERN, SecretBox } from '@roche/core';

describe('drop-folder configuration', () => {
  it('parses folders with defaults', () => {
    const [f] = parseDropFolders(JSON.stringify([{ bucket: 'docs', inputPrefix: 'in/', outputPrefix: 'out/' }]));
    expect(f).toMatchObject({ errorPrefix: 'errors/', afterProcess: 'move', processedPrefix: 'processed/' });
    expect(relativeKey(f!, 'in/a/b.pdf')).toBe('a/b.pdf');
    expect(parseDropFolders('')).toEqual([]);
  });

  it('names the bad key, and refuses outputs inside the input prefix', () => {
    expect(() => parseDropFolders('[{"bucket":"docs","inputPrefix":"in","outputPrefix":"out/"}]')).toThrow(
      /\[0\.inputPrefix\] must end with "\/"/,
    );
    expect(() => parseDropFolders('[{"bucket":"docs","inputPrefix":"in/","outputPrefix":"in/out/"}]')).toThrow(/outside the input prefix/);
    expect(() => parseDropFolders('[{"bucket":"docs","inputPrefix":"in/","outputPrefix":"out/","extra":1}]')).toThrow(/extra/);
    expect(() => parseDropFolders('{not json')).toThrow(/not valid JSON/);
  });

  it('derives a valid, stable job id per object version that only the key holder can compute', () => {
    const box = new SecretBox([SecretBox.generateKey()]);
    const mac = (d: string) => box.mac(d);
    const a = dropJobId('b', 'in/x.pdf', 'etag1', mac);
    expect(a).toMatch(JOB_ID_PATTERN);
    expect(dropJobId('b', 'in/x.pdf', 'etag1', mac)).toBe(a);
    expect(dropJobId('b', 'in/x.pdf', 'etag2', mac)).not.toBe(a);
    const other = new SecretBox([SecretBox.generateKey()]);
    expect(dropJobId('b', 'in/x.pdf', 'etag1', (d) => other.mac(d))).not.toBe(a);
  });
});
