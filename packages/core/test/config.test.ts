import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, pdfiumHeapLimitBytes } from '../src/config.js';

describe('loadConfig', () => {
  it('runs embedded with no variables: fs store under the data dir, no Redis URL', () => {
    const c = loadConfig({ ROCHE_DATA_DIR: '/tmp/roche-x' });
    expect(c.redisUrl).toBeUndefined();
    expect(c.storage).toEqual({ driver: 'fs', root: '/tmp/roche-x/objects' });
    expect(c.s3).toBeUndefined();
    expect(c.engine).toBe('embedded');
    expect(c.port).toBe(8080);
  });

  it('sends UINT8 to the normalizing model by default (wire follows the model), resizes on a thread pool, and keeps FP32 available', () => {
    const c = loadConfig({});
    expect(c.inference).toMatchObject({ tritonModel: 'pp_doclayout_u8', wire: 'auto' });
    expect(c.inference.preprocessThreads).toBeGreaterThanOrEqual(1);
    expect(c.inference.preprocessThreads).toBeLessThanOrEqual(4);
    const f = loadConfig({ ROCHE_TRITON_MODEL: 'pp_doclayout', ROCHE_TRITON_WIRE: 'fp32', ROCHE_PREPROCESS_THREADS: '0' });
    expect(f.inference).toMatchObject({ tritonModel: 'pp_doclayout', wire: 'fp32', preprocessThreads: 0 });
    expect(loadConfig({ ROCHE_TRITON_MODEL: 'pp_doclayout_native', ROCHE_TRITON_WIRE: 'native' }).inference.wire).toBe('native');
    expect(() => loadConfig({ ROCHE_TRITON_WIRE: 'fp16' })).toThrowError(/ROCHE_TRITON_WIRE/);
  });

  it('switches to the S3 driver when a bucket is set, with path-style parsed from a string', () => {
    const c = loadConfig({ S3_BUCKET: 'docs', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_FORCE_PATH_STYLE: 'true', S3_PREFIX: 'roche' });
    expect(c.storage).toMatchObject({
      driver: 's3',
      bucket: 'docs',
      endpoint: 'http://127.0.0.1:9000',
      forcePathStyle: true,
      prefix: 'roche',
    });
    expect(c.s3?.forcePathStyle).toBe(true);
  });

  it('names every bad variable in one error', () => {
    expect(() => loadConfig({ ROCHE_PORT: 'eighty', REDIS_URL: 'not a url' })).toThrowError(ConfigError);
    try {
      loadConfig({ ROCHE_PORT: 'eighty', REDIS_URL: 'not a url' });
    } catch (e) {
      expect((e as Error).message).toContain('ROCHE_PORT');
      expect((e as Error).message).toContain('REDIS_URL');
    }
  });

  it('runs bulk-work threads at nice 10 unless told otherwise, within 0-19', () => {
    expect(loadConfig({}).threadNice).toBe(10);
    expect(loadConfig({ ROCHE_THREAD_NICE: '0' }).threadNice).toBe(0);
    expect(() => loadConfig({ ROCHE_THREAD_NICE: '20' })).toThrowError(/ROCHE_THREAD_NICE/);
  });

  it("caps PDFium's heap at 1 GiB unless told otherwise, within 64 MiB-2 GiB (refused at start-up)", () => {
    expect(pdfiumHeapLimitBytes({})).toBe(2 ** 30);
    expect(pdfiumHeapLimitBytes({ ROCHE_PDFIUM_HEAP_MB: '' })).toBe(2 ** 30);
    expect(pdfiumHeapLimitBytes({ ROCHE_PDFIUM_HEAP_MB: '256' })).toBe(256 * 2 ** 20);
    expect(() => loadConfig({ ROCHE_PDFIUM_HEAP_MB: '32' })).toThrowError(/ROCHE_PDFIUM_HEAP_MB/);
    expect(() => loadConfig({ ROCHE_PDFIUM_HEAP_MB: '4096' })).toThrowError(/ROCHE_PDFIUM_HEAP_MB/);
  });

  it('requires a JWT audience with a JWKS URL (else any token of that identity provider would do)', () => {
    const jwks = 'https://idp.example/.well-known/jwks.json';
    expect(() => loadConfig({ ROCHE_JWT_JWKS_URL: jwks })).toThrowError(/ROCHE_JWT_AUDIENCE: required with ROCHE_JWT_JWKS_URL/);
    expect(loadConfig({ ROCHE_JWT_JWKS_URL: jwks, ROCHE_JWT_AUDIENCE: 'roche' }).auth.jwt).toMatchObject({
      audience: 'roche',
      tenantClaim: 'tenant',
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
  });
});
