import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '@roche/core';
import { embeddedRedisUrl, startEmbeddedRedis } from '@roche/queue';
import { authStartupLine } from '../apps/cli/src/service.js';
import { makeTextPdf } from './support/documents.js';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
let t: TestService;
let dir: string;

/** The CLI as a script would call it: a separate process, output on stdout, the exit code. */
async function roche(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return rocheWith({}, ...args);
}

/** The same, with `env` on top of this process's environment (`undefined` removes a variable). */
async function rocheWith(
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      timeout: 120_000,
      env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

beforeAll(async () => {
  t = await startTestService({ ROCHE_PDF_DPI: '72' });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-cli-'));
  await fs.writeFile(path.join(dir, 'two.pdf'), makeTextPdf(2));
});
afterAll(async () => {
  await t?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

it('submit FILE... --wait --json --out: one JSON line per job, results and overlays written, exit 0', async () => {
  const out = path.join(dir, 'out');
  const r = await roche(
    'submit',
    FIXTURE_PAGE,
    path.join(dir, 'two.pdf'),
    '--url',
    t.svc.api!.url,
    '--wait',
    '--json',
    '--out',
    out,
    '--pages',
    '1-',
  );
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; state: string; pagesTotal: number });
  expect(lines.map((l) => l.state)).toEqual(['succeeded', 'succeeded']);
  expect(lines.map((l) => l.pagesTotal).sort()).toEqual([1, 2]);
  for (const l of lines) {
    const files = await fs.readdir(path.join(out, l.id), { recursive: true });
    expect(files).toContain('result.json');
    expect(files.filter((f) => String(f).startsWith('overlays/')).length).toBe(l.pagesTotal);
  }
});

it('plain lines when not on a terminal; errors and unknown jobs give a non-zero exit code', async () => {
  const r = await roche('submit', FIXTURE_PAGE, '--url', t.svc.api!.url, '--wait');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^job_\w+\tsucceeded\t1\/1 pages$/m);
  expect(r.stderr).toMatch(/succeeded 1\/1 pages/);
  const missing = await roche('status', 'job_00000000000000000000000000', '--url', t.svc.api!.url);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('not_found');
  const usage = await roche('frobnicate');
  expect(usage.code).toBe(2);
  // `serve --help` prints the usage and exits (it used to start the service and run on; the timeout would end it with a kill).
  const help = await roche('serve', '--help');
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('roche serve');
  const model = await roche('submit', FIXTURE_PAGE, '--url', t.svc.api!.url, '--model', 'nope');
  expect(model.code).toBe(1);
  // The API's refusal in one line, not a stack trace.
  expect(model.stderr.trim()).toMatch(/^roche: validation_failed: .*\(HTTP 400\)$/);
  expect(model.stderr).not.toMatch(/\n\s+at /);
});

it('roche keys: usage without a command; with no REDIS_URL, the private Redis a running serve has for this data folder', async () => {
  const usage = await roche('keys');
  expect([usage.code, usage.stdout]).toEqual([0, expect.stringContaining('roche keys create --tenant T')]);
  const data = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-keys-'));
  const env = { REDIS_URL: undefined, ROCHE_API_KEY: undefined, ROCHE_DATA_DIR: data };
  try {
    // No Redis running for this folder: a message that says what to do.
    const none = await rocheWith(env, 'keys', 'list');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/needs REDIS_URL, a running `roche serve` with the data folder/);
    // What `roche serve` starts with no REDIS_URL: a private Redis on a new port, announced in the folder.
    const redis = await startEmbeddedRedis({ dir: path.join(data, 'redis'), persist: false });
    try {
      const made = await rocheWith(env, 'keys', 'create', '--tenant', 'acme', '--scopes', 'jobs:read');
      expect(made.code).toBe(0);
      const key = JSON.parse(made.stdout) as { id: string; key: string; tenant: string };
      expect(key.tenant).toBe('acme');
      const listed = JSON.parse((await rocheWith(env, 'keys', 'list')).stdout) as Array<{ id: string }>;
      expect(listed.map((k) => k.id)).toEqual([key.id]);
      expect(JSON.parse((await rocheWith(env, 'keys', 'revoke', key.id)).stdout).revokedAt).toEqual(expect.any(String));
    } finally {
      await redis.stop();
    }
    // Stopped: the announcement is gone with it.
    expect(await embeddedRedisUrl(path.join(data, 'redis'))).toBeUndefined();
    // One left by a Redis that died uncleanly, naming a port another Redis took since: refused.
    const other = await startEmbeddedRedis({ dir: path.join(data, 'other-redis'), persist: false });
    try {
      await fs.writeFile(path.join(data, 'redis', 'url'), `${other.url}\n`);
      const stale = await rocheWith(env, 'keys', 'list');
      expect([stale.code, stale.stderr]).toEqual([1, expect.stringMatching(/no `roche serve` is running with the data folder/)]);
    } finally {
      await other.stop();
    }
  } finally {
    await fs.rm(data, { recursive: true, force: true });
  }
});

it('says at start whether keys are required, and warns when they are off where others can reach the API', () => {
  const line = (env: Record<string, string>) => authStartupLine(loadConfig(env));
  expect(line({})).toMatch(/^authentication OFF: listening on loopback 127\.0\.0\.1 only/);
  expect(line({ ROCHE_HOST: '0.0.0.0' })).toMatch(/^authentication on: API keys required/);
  expect(line({ ROCHE_HOST: '0.0.0.0', ROCHE_AUTH: 'off' })).toMatch(
    /^WARNING: authentication OFF \(ROCHE_AUTH=off\) while listening on 0\.0\.0\.0/,
  );
  expect(line({ ROCHE_AUTH: 'on', ROCHE_JWT_JWKS_URL: 'https://idp.example/jwks', ROCHE_JWT_AUDIENCE: 'roche' })).toMatch(
    /API keys or JWTs required/,
  );
});
