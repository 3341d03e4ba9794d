import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '@roche/storage';
import { Ajv } from 'ajv';
import { DockerfileParser } from 'dockerfile-ast';
import { loadConfig } from '@roche/core';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3, type TestS3 } from './support/s3.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const DOCKERFILES = fs
  .readdirSync(path.join(ROOT, 'docker'))
  .filter((f) => f.startsWith('Dockerfile'))
  .map((f) => `docker/${f}`);

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  deploy?: { resources?: { reservations?: { devices?: Array<{ capabilities: string[] }> } } };
  networks?: Record<string, { aliases?: string[] }>;
  entrypoint?: string[];
  restart?: string;
  volumes?: string[];
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

/** `${NAME:-default}` → default (what compose does with an empty environment). */
const interpolate = (v: string) => v.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');

function dockerfile(file: string) {
  return DockerfileParser.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));
}

describe('Dockerfiles', () => {
  it.each(DOCKERFILES)('%s parses, and every path it COPYs from the build context exists', (file) => {
    const df = dockerfile(file);
    expect(df.getFROMs().length).toBeGreaterThan(0);
    const copies = df.getCOPYs();
    expect(copies.length).toBeGreaterThan(0);
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim().replace(/^\*\*\//, ''))
      .filter(Boolean);
    for (const copy of copies) {
      if (copy.getFromFlag()) continue; // from another stage
      const args = copy.getArguments().map((a) => a.getValue());
      for (const src of args.slice(0, -1)) {
        expect(fs.existsSync(path.join(ROOT, src)), `${file}: COPY ${src}`).toBe(true);
        expect(ignored, `${file}: COPY ${src} is excluded by .dockerignore`).not.toContain(src.replace(/\/$/, ''));
      }
    }
    expect(df.getHEALTHCHECKs(), `${file} has a HEALTHCHECK`).toHaveLength(1);
  });

  it('the service image copies every workspace package.json before npm ci (layer caching, complete install)', () => {
    const copied = dockerfile('docker/Dockerfile')
      .getCOPYs()
      .flatMap((c) => c.getArguments().map((a) => a.getValue()))
      .filter((p) => p.endsWith('/package.json'));
    const workspaces = ['apps', 'packages'].flatMap((g) =>
      fs
        .readdirSync(path.join(ROOT, g))
        .filter((d) => fs.existsSync(path.join(ROOT, g, d, 'package.json')))
        .map((d) => `${g}/${d}/package.json`),
    );
    expect(copied.sort()).toEqual(workspaces.sort());
  });

  it('the service image: Node 22 LTS base, non-root, tini, role as command', () => {
    const df = dockerfile('docker/Dockerfile');
    const nodeImage = df
      .getInstructions()
      .find((i) => i.getKeyword() === 'ARG' && i.getArgumentsContent()?.startsWith('NODE_IMAGE='))!
      .getArgumentsContent()!;
    expect(nodeImage).toMatch(/^NODE_IMAGE=node:(22|24)-/);
    const last = (kw: string) =>
      df
        .getInstructions()
        .filter((i) => i.getKeyword() === kw)
        .at(-1)
        ?.getArgumentsContent();
    expect(last('USER')).toBe('node');
    expect(last('ENTRYPOINT')).toBe('["tini", "--", "/app/docker/entrypoint.sh"]');
    expect(last('CMD')).toBe('["api"]');
  });

  it('shell and Python scripts are syntactically valid', async () => {
    for (const f of ['docker/triton/start.sh', 'docker/triton/healthcheck.sh', 'docker/paddlex-hps/start.sh'])
      await run('bash', ['-n', path.join(ROOT, f)]);
    await run('sh', ['-n', path.join(ROOT, 'docker/service/entrypoint.sh')]);
    await run('/usr/bin/python3', ['-m', 'py_compile', path.join(ROOT, 'docker/triton/fetch_models.py')], {
      env: { ...process.env, PYTHONPYCACHEPREFIX: os.tmpdir() },
    });
  });
});

describe('compose.yaml', () => {
  it('is valid against the Compose specification schema', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/schemas/compose-spec.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const validate = ajv.compile(schema);
    expect(validate(compose), JSON.stringify(validate.errors, null, 2)).toBe(true);
    // The schema can fail: a misspelt service key is refused.
    expect(validate({ services: { api: { imagee: 'x' } } })).toBe(false);
  });

  it('Redis keeps an append-only file; MinIO gets the bucket Roche uses', () => {
    expect(compose.services.redis!.command).toEqual(expect.arrayContaining(['--appendonly', 'yes']));
    const init = compose.services['minio-init']!;
    expect(init.depends_on!.minio!.condition).toBe('service_healthy');
    expect(init.entrypoint!.join(' ')).toContain('mc mb --ignore-existing "local/$$ROCHE_BUCKET"');
    expect(interpolate(init.environment!.ROCHE_BUCKET!)).toBe(interpolate(compose.services.api!.environment!.S3_BUCKET!));
  });

  it('every dependency waits for health or completion, and every waited-on service has a health check', () => {
    const healthy = (name: string) => {
      const s = compose.services[name]!;
      if (s.healthcheck) return true;
      return s.build ? dockerfile(s.build.dockerfile).getHEALTHCHECKs().length === 1 : false;
    };
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(compose.services[dep], `${name} depends on ${dep}`).toBeDefined();
        expect(['service_healthy', 'service_completed_successfully'], `${name} → ${dep}`).toContain(condition);
        if (condition === 'service_healthy') expect(healthy(dep), `${dep} has a health check`).toBe(true);
      }
      if (name !== 'minio-init') expect(healthy(name), `${name} has a health check`).toBe(true);
    }
    for (const role of ['api', 'worker', 'watcher']) {
      const s = compose.services[role]!;
      expect(s.command).toEqual([role]);
      expect(s.depends_on!.redis!.condition).toBe('service_healthy');
      expect(s.depends_on!['minio-init']!.condition).toBe('service_completed_successfully');
    }
  });

  it('creates the first admin key once, in the volume the API shares, before the API starts; the README says how to read it', () => {
    const init = compose.services['keys-init']!;
    expect(init.command).toEqual([
      'keys',
      'create',
      '--tenant',
      'admin',
      '--scopes',
      'admin',
      '--name',
      'bootstrap',
      '--if-none',
      '/data/admin-key',
    ]);
    expect(init.restart).toBe('no'); // a one-shot: restarting it would not make another key, but would never end
    expect(init.volumes).toContain('roche-data:/data');
    expect(compose.services.api!.volumes).toContain('roche-data:/data');
    expect(init.depends_on!.redis!.condition).toBe('service_healthy');
    expect(compose.services.api!.depends_on!['keys-init']!.condition).toBe('service_completed_successfully');
    // The image's entrypoint maps roles and passes the rest to the CLI: `keys` reaches `roche keys`.
    const entry = fs.readFileSync(path.join(ROOT, 'docker/service/entrypoint.sh'), 'utf8');
    expect(entry).toMatch(/\*\) set -- "\$role" "\$@"/);
    const read = 'docker compose run --rm --entrypoint cat keys-init /data/admin-key';
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(read);
    expect(fs.readFileSync(path.join(ROOT, 'compose.yaml'), 'utf8')).toContain(read);
  });

  it('publishes ports on loopback only', () => {
    const published = Object.entries(compose.services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p] as const));
    expect(published.length).toBeGreaterThan(0);
    for (const [name, p] of published) expect(interpolate(p), name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('Triton has a GPU and a CPU profile, both reachable as "triton" by the workers', () => {
    const gpu = compose.services['triton-gpu']!;
    const cpu = compose.services['triton-cpu']!;
    expect(gpu.profiles).toEqual(['triton-gpu']);
    expect(cpu.profiles).toEqual(['triton-cpu']);
    expect(gpu.deploy!.resources!.reservations!.devices![0]!.capabilities).toEqual(['gpu']);
    expect(cpu.deploy).toBeUndefined();
    for (const s of [gpu, cpu]) expect(s.networks!.default!.aliases).toEqual(['triton']);
    expect(compose.services.worker!.environment!.ROCHE_TRITON_URL).toBe('triton:8001');
    expect(compose.services.worker!.depends_on!['triton-gpu']).toEqual({ condition: 'service_healthy', required: false });
  });

  it("the Roche services' environment is a valid Roche configuration (S3 storage, shared Redis)", () => {
    const env = Object.fromEntries(Object.entries(compose.services.worker!.environment!).map(([k, v]) => [k, interpolate(String(v))]));
    const config = loadConfig(env);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.storage).toMatchObject({ driver: 's3', bucket: 'roche', endpoint: 'http://minio:9000', forcePathStyle: true });
  });
});

describe('Triton start script (docker/triton/start.sh) with a stand-in tritonserver', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-triton-start-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    // Prints its arguments and the repository it was given, as Triton would be exec'd with them.
    fs.writeFileSync(
      path.join(dir, 'bin/tritonserver'),
      '#!/bin/sh\nfor a in "$@"; do echo "ARG $a"; done\nrepo=$(echo "$@" | sed -n "s/.*--model-repository=\\([^ ]*\\).*/\\1/p")\ncd "$repo" && find . -mindepth 1 | sort | while read -r f; do [ -L "$f" ] && echo "LINK $f -> $(readlink "$f")" || echo "FILE $f"; done\n',
      { mode: 0o755 },
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const start = (cache: string, load: string) =>
    run('bash', [path.join(ROOT, 'docker/triton/start.sh')], {
      env: {
        PATH: `${path.join(dir, 'bin')}:${process.env.PATH}`,
        ROCHE_BAKED_MODEL_REPO: path.join(ROOT, 'model_repo'),
        ROCHE_MODEL_CACHE: cache,
        ROCHE_MODEL_REPO: path.join(dir, `repo-${path.basename(cache)}`),
        ROCHE_TRITON_LOAD: load,
      },
    });

  it('overlays the cache on the image repository and starts Triton in explicit mode', async () => {
    const cache = path.join(dir, 'cache-full');
    fs.mkdirSync(path.join(cache, 'pp_doclayout/1'), { recursive: true });
    fs.writeFileSync(path.join(cache, 'pp_doclayout/1/model.onnx'), 'weights');
    fs.writeFileSync(path.join(cache, 'pp_doclayout/config.pbtxt'), 'name: "pp_doclayout"\nbackend: "onnxruntime"\nmax_batch_size: 0\n');
    fs.writeFileSync(path.join(cache, '.roche-complete'), '{}');
    const { stdout } = await start(cache, 'pp_doclayout,pp_doclayout_u8');
    expect(stdout).toContain('ARG --model-control-mode=explicit');
    expect(stdout).toContain('ARG --load-model=pp_doclayout\n');
    expect(stdout).toContain('ARG --load-model=pp_doclayout_u8\n');
    expect(stdout).toContain(`LINK ./pp_doclayout/1/model.onnx -> ${cache}/pp_doclayout/1/model.onnx`);
    // The cache's config.pbtxt (as fetch_models.sh writes it for the model it fetched) wins.
    expect(stdout).toContain(`LINK ./pp_doclayout/config.pbtxt -> ${cache}/pp_doclayout/config.pbtxt`);
    expect(stdout).toContain('FILE ./preprocess_doclayout/1/model.py');
    expect(stdout).not.toContain('.roche-complete');
  });

  it('refuses to start when a model to load, or an ensemble step, has no weights', async () => {
    const empty = path.join(dir, 'cache-empty');
    fs.mkdirSync(empty);
    for (const load of ['pp_doclayout', 'pp_doclayout_u8']) {
      const err = await start(empty, load).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err?.code, load).toBe(78);
      expect(err?.stderr).toContain('model "pp_doclayout" has no weights');
    }
    const unknown = await start(empty, 'nope').catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 78, stderr: expect.stringContaining('no model "nope"') });
  });
});

describe('Triton model cache fill (docker/triton/fetch_models.py) against S3 on loopback', () => {
  let s3: TestS3;
  let dir: string;
  beforeAll(async () => {
    s3 = await startS3(['models']);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-fetch-models-'));
  });
  afterAll(async () => {
    await s3.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const fetchModels = (source: string, cache: string) =>
    run('/usr/bin/python3', [path.join(ROOT, 'docker/triton/fetch_models.py'), source, cache], {
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL: s3.endpoint,
        AWS_ACCESS_KEY_ID: s3.settings.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
      },
    });

  it('downloads the prefix once, in Triton layout; a second start downloads nothing', async () => {
    const client = createS3Client(s3.settings);
    const put = (Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket: 'models', Key, Body }));
    await put('roche/v1/pp_doclayout/1/model.onnx', 'onnx-bytes');
    await put('roche/v1/pp_doclayout/config.pbtxt', 'name: "pp_doclayout"');
    await put('roche/v2/other/1/model.onnx', 'not this prefix');
    const cache = path.join(dir, 'cache');

    const first = await fetchModels('s3://models/roche/v1', cache);
    expect(first.stdout).toContain('2 files');
    expect(fs.readFileSync(path.join(cache, 'pp_doclayout/1/model.onnx'), 'utf8')).toBe('onnx-bytes');
    expect(fs.existsSync(path.join(cache, 'other'))).toBe(false);

    // Changed in S3 after the fill: the cache is complete, so it is not downloaded again.
    await put('roche/v1/pp_doclayout/1/model.onnx', 'changed');
    const second = await fetchModels('s3://models/roche/v1', cache);
    expect(second.stdout).toContain('already filled');
    expect(fs.readFileSync(path.join(cache, 'pp_doclayout/1/model.onnx'), 'utf8')).toBe('onnx-bytes');

    const missing = await fetchModels('s3://models/nothing-here', path.join(dir, 'cache2')).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('nothing under') });
    client.destroy();
  });
});

describe('the service image entrypoint maps roles to the CLI', () => {
  it.each([
    ['api', 'serve --api-only'],
    ['worker', 'serve --worker-only'],
    ['watcher', 'watch'],
    ['--help', '--help'],
  ])('%s → roche %s', (role, expected) => {
    // Run with a stand-in `node` that prints what it was asked to run.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-entry-'));
    try {
      fs.writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "$@"\n', { mode: 0o755 });
      const out = execFileSync('sh', [path.join(ROOT, 'docker/service/entrypoint.sh'), role], {
        env: { PATH: `${bin}:/usr/bin:/bin`, REDIS_URL: 'redis://redis:6379' },
        encoding: 'utf8',
      });
      expect(out.trim()).toBe(`/app/dist/main.js ${expected}`);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
