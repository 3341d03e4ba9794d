import { describe, expect, it } from 'vitest';
import { checkS3Source } from '../src/sources.js';

describe('s3:// sources', () => {
  const allowed = ['customer-docs', 'shared/in/'];
  const own = { bucket: 'roche-data', prefix: 'roche' };
  const code = (uri: string) => {
    try {
      checkS3Source(uri, allowed, own);
      return 'ok';
    } catch (e) {
      return (e as { code: string }).code;
    }
  };

  it('take keys with a literal % and refuse path steps however they are escaped', () => {
    // `100%.png` was refused as "not valid percent-encoding"; a `%` is a valid key character.
    expect(code('s3://customer-docs/reports/100%.png')).toBe('ok');
    expect(code('s3://customer-docs/a%zz/b.png')).toBe('ok');
    for (const uri of [
      's3://customer-docs/a/../b.png',
      's3://customer-docs/a/%2e%2e/b.png',
      's3://customer-docs/100%/%2E%2e/b.png', // an invalid escape before it no longer hides the step
      's3://customer-docs/a%2f..%2fb.png',
      's3://customer-docs/a%5cb.png',
      's3://customer-docs/./b.png',
    ])
      expect(code(uri), uri).toBe('validation_failed');
    expect(code('s3://shared/in/x.png')).toBe('ok');
    expect(code('s3://shared/out/x.png')).toBe('forbidden');
    expect(code('s3://elsewhere/x.png')).toBe('forbidden');
  });

  it('read a prefix without its slash as a folder: `bucket/in` allows `in/...`, not `inbox-private/...`', () => {
    const check = (uri: string) => {
      try {
        checkS3Source(uri, ['shared/in'], own);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(check('s3://shared/in/x.png')).toBe('ok');
    expect(check('s3://shared/inbox-private/x.png')).toBe('forbidden');
    expect(check('s3://shared/in')).toBe('forbidden');
  });
});
