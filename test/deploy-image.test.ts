import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@roche/queue';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startS3, type TestS3 } from './support/s3.js';
import { buildLocalNodeBase, createPodman, hasPodman, type Podman } from './support/podman.js';
import { FIXTURE_PAGE } from './support/service.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const IMAGE = 'localhost/roche:test';
const BASE = 'localhost/roche-node-base:test';

/**
 * docker/Dockerfile built with Buildah and run with Podman (Debian's packages, installed by
 * scripts/setup.sh). Images cannot be pulled here, so NODE_IMAGE is a base made from this machine's
 * node, npm and C libraries (test/support/podman.ts), and npm installs offline from the npm cache
 * that `npm ci` filled. Everything the containers talk to is on loopback (host network).
 */
describe('service image (docker/Dockerfile)', () => {
  let p: Podman;
  let s3: TestS3 | undefined;

  beforeAll(async () => {
    expect(hasPodman(), 'podman, buildah, runc and tini are needed (scripts/setup.sh installs them)').toBe(true);
    p = createPodman();
    await buildLocalNodeBase(p, BASE, path.join(ROOT, 'node_modules'));
    const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
    // --format docker keeps HEALTHCHECK (the OCI image format has no field for it).
    const built = p.buildah(
      [
        'bud',
        '--format',
        'docker',
        '--network',
        'none',
        '--layers=false',
        '-f',
        'docker/Dockerfile',
        '--build-arg',
        `NODE_IMAGE=${BASE}`,
        '--build-arg',
        'APT_PACKAGES=',
        '--build-arg',
        'NPM_CONFIG_CACHE=/npm-cache',
        '--build-arg',
        'NPM_CONFIG_OFFLINE=true',
        '-v',
        `${npmCache}:/npm-cache`,
        '-t',
        IMAGE,
        ROOT,
      ],
      1_200_000,
    );
    await built.catch((e: Error) => {
      // Offline installs need the registry metadata `npm ci` caches; `npm install` of a new package does not.
      if (e.message.includes('ENOTCACHED'))
        e.message = `run \`npm ci\` once to fill the npm cache the offline image build reads\n${e.message}`;
      throw e;
    });
  }, 1_500_000);

  afterAll(async () => {
    await s3?.close();
    await p?.cleanup();
  }, 120_000);

  it('runs as the node user under tini, role api by default, with a health check', async () => {
    const [info] = JSON.parse(await p.podman(['image', 'inspect', IMAGE])) as Array<{
      Config: {
        User: string;
        Entrypoint: string[];
        Cmd: string[];
        ExposedPorts: Record<string, unknown>;
        Healthcheck?: { Test: string[] };
      };
      Healthcheck?: { Test: string[] };
    }>;
    expect(info!.Config.User).toBe('node');
    expect(info!.Config.Entrypoint).toEqual(['tini', '--', '/app/docker/entrypoint.sh']);
    expect(info!.Config.Cmd).toEqual(['api']);
    expect(Object.keys(info!.Config.ExposedPorts)).toEqual(['8080/tcp']);
    expect((info!.Healthcheck ?? info!.Config.Healthcheck)?.Test.join(' ')).toContain('/app/docker/healthcheck.mjs');
    const uid = await p.podman(['run', '--rm', '--network', 'none', '--entrypoint', 'node', IMAGE, '-p', 'process.getuid()']);
    expect(uid.trim()).toBe('1000');
  });

  it('ships the bundle and production dependencies only, no sources', async () => {
    const listing = await p.podman([
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'node',
      IMAGE,
      '-e',
      `const fs = require('fs'); const has = (p) => fs.existsSync('/app/' + p);
       console.log(JSON.stringify(Object.fromEntries(['dist/main.js', 'dist/main.js.map', 'pipeline_config.yaml', 'node_modules/sharp',
         'node_modules/onnxruntime-node', 'node_modules/@embedpdf/pdfium', 'node_modules/bullmq', 'node_modules/vitest', 'node_modules/esbuild',
         'node_modules/tsx', 'node_modules/@roche', 'apps', 'packages', 'scripts'].map((p) => [p, has(p)]))));`,
    ]);
    expect(JSON.parse(listing)).toEqual({
      'dist/main.js': true,
      'dist/main.js.map': true,
      'pipeline_config.yaml': true,
      'node_modules/sharp': true,
      'node_modules/onnxruntime-node': true,
      'node_modules/@embedpdf/pdfium': true,
      'node_modules/bullmq': true,
      'node_modules/vitest': false,
      'node_modules/esbuild': false,
      'node_modules/tsx': false,
      'node_modules/@roche': false,
      apps: false,
      packages: false,
      scripts: false,
    });
  });

  it('passes other commands to the CLI and refuses a role without REDIS_URL', async () => {
    expect(await p.podman(['run', '--rm', '--network', 'none', IMAGE, '--help'])).toContain('roche serve [--api-only | --worker-only]');
    const refused = await p.podman(['run', '--rm', '--network', 'none', IMAGE, 'worker']).then(
      () => 'started',
      (e: Error) => e.message,
    );
    expect(refused).toContain('exit code 64');
    expect(refused).toContain('set REDIS_URL');
  });

  it('api and worker containers share Redis and S3: a page is analyzed, both are healthy, SIGTERM stops them cleanly', async () => {
    s3 = await startS3(['roche-image']);
    const port = await freePort();
    const env = [
      `REDIS_URL=${inject('redisUrl')}`,
      `ROCHE_QUEUE_PREFIX=image-${process.pid}`,
      'S3_BUCKET=roche-image',
      `S3_ENDPOINT=${s3.endpoint}`,
      'S3_FORCE_PATH_STYLE=true',
      `S3_ACCESS_KEY_ID=${s3.settings.accessKeyId}`,
      `S3_SECRET_ACCESS_KEY=${s3.settings.secretAccessKey}`,
      // One key for both containers, as deployments set it (each has a /data of its own: a key
      // generated in each would make the second refuse to start).
      `ROCHE_SECRET_KEYS=${randomBytes(32).toString('base64')}`,
      // Host network in this test: keep the API on loopback.
      'ROCHE_HOST=127.0.0.1',
      `ROCHE_PORT=${port}`,
    ].flatMap((e) => ['-e', e]);
    const start = (name: string, role: string) => p.podman(['run', '-d', '--name', name, '--network', 'host', ...env, IMAGE, role]);
    await start('roche-api', 'api');
    await start('roche-worker', 'worker');
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    while (
      (await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      )) !== 200
    ) {
      if (Date.now() > deadline) throw new Error(`api not ready:\n${await p.logs('roche-api').catch((e: Error) => e.message)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(fs.readFileSync(FIXTURE_PAGE))]), 'page.png');
    const submitted = await fetch(`${url}/v1/jobs`, { method: 'POST', body: form });
    expect(submitted.status).toBe(202);
    const { id } = (await submitted.json()) as { id: string };
    let state = '';
    for (let i = 0; i < 10 && !['succeeded', 'failed', 'cancelled'].includes(state); i++)
      state = ((await (await fetch(`${url}/v1/jobs/${id}?wait=20`)).json()) as { state: string }).state;
    expect(state, await p.logs('roche-worker').catch(() => '')).toBe('succeeded');
    const result = (await (await fetch(`${url}/v1/jobs/${id}/result`)).json()) as { pages: Array<{ regions: unknown[] }> };
    expect(result.pages[0]!.regions.length).toBeGreaterThan(0);

    // The image's HEALTHCHECK: /readyz for the api, Redis PING for the worker.
    await p.podman(['healthcheck', 'run', 'roche-api']);
    await p.podman(['healthcheck', 'run', 'roche-worker']);

    await p.podman(['stop', '--time', '30', 'roche-api', 'roche-worker'], 60_000);
    const codes = await p.podman(['inspect', 'roche-api', 'roche-worker', '--format', '{{.State.ExitCode}}']);
    expect(codes.trim().split('\n')).toEqual(['0', '0']);
    expect(await p.logs('roche-worker')).toContain('SIGTERM: shutting down');
    expect(await p.logs('roche-api')).toContain('SIGTERM: shutting down');
  }, 240_000);
});
