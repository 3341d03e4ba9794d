/**
 * API load: small submits per second at 32 concurrent clients, then status reads of a finished job
 * while workers drain the backlog those submits made. API and worker run as their own processes
 * against a private redis-server; the load comes from autocannon over loopback.
 *
 *   npx tsx bench/api-load.ts [--tree DIR --label NAME] [--seconds 10] [--rounds 1] [--delete-first N]
 *                             [--section NAME] [--report-only]
 *
 * `--tree` runs another checkout (e.g. `git archive main`) for a before/after comparison; the
 * after run has auth and rate limits on (limits set high enough not to be the bottleneck). Each run is
 * kept in bench/.api-load-<label>.json and the section lists every kept run; `--report-only` rewrites
 * it from them. `BENCH_DATA_ROOT` sets where the fs store lives (support/processes.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyStore } from '@roche/auth';
import { RedisKeys } from '@roche/core';
import { createRedis, startEmbeddedRedis } from '@roche/queue';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { writeBenchSection } from './report.js';
import { cpuMsOf, cpuSplitOf, deleteFreshFiles, machineLoad, startRoche, storeNote, tempDir } from './support/processes.js';

const { values } = parseArgs({
  options: {
    tree: { type: 'string' },
    label: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    section: { type: 'string', default: 'api-load' },
    rounds: { type: 'string', default: '1' },
    'delete-first': { type: 'string', default: '0' },
    'report-only': { type: 'boolean', default: false },
  },
});
const tree = path.resolve(values.tree ?? path.join(import.meta.dirname, '..'));
const label = values.label ?? 'this branch';
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const deleteFirst = Number(values['delete-first']);

interface Run {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  total: number;
  /** API process CPU time per request (all threads), ms. */
  apiCpuMs: number;
  /** The kernel's part of it (system calls: sockets, the fs store's files), ms. */
  apiSysMs: number;
}

async function load(opts: autocannon.Options, apiPid: number): Promise<Run> {
  const cpu0 = await cpuSplitOf(apiPid);
  const r = await autocannon({ ...opts, connections, duration: seconds });
  const cpu1 = await cpuSplitOf(apiPid);
  const n = Math.max(1, r.requests.total);
  return {
    apiCpuMs: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / n,
    apiSysMs: (cpu1.system - cpu0.system) / n,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    total: r.requests.total,
  };
}

/**
 * Rounds in one process, each on a fresh Redis, API, worker and store, all removed at the end: a
 * round's teardown deleting its files would make the next round's new files dearer on ext4 without a
 * journal (see fileCreateUs). `--delete-first N` deletes N fresh files just before each round, to
 * measure that case beside the others.
 */
async function main() {
  const parent = await tempDir('load');
  try {
    for (let i = 1; i <= rounds; i++) {
      const dir = await fs.mkdtemp(path.join(parent, 'round-'));
      if (deleteFirst > 0) await deleteFreshFiles(dir, deleteFirst);
      await round(dir, rounds > 1 ? `${label}, round ${i}` : label);
    }
  } finally {
    await fs.rm(parent, { recursive: true, force: true });
  }
}

async function round(dir: string, label: string) {
  const loadNote = machineLoad();
  const store = `${await storeNote(dir)}${deleteFirst > 0 ? `, just after deleting ${deleteFirst} fresh folders of a file each` : ''}`;
  const redis = await startEmbeddedRedis({ dir: path.join(dir, 'redis'), persist: false });
  const prefix = 'bench';
  const env = {
    REDIS_URL: redis.url,
    ROCHE_DATA_DIR: path.join(dir, 'data'),
    ROCHE_PORT: '0',
    ROCHE_QUEUE_PREFIX: prefix,
    ROCHE_AUTH: 'on',
    ROCHE_RATE_WRITE_PER_SEC: '100000',
    ROCHE_RATE_READ_PER_SEC: '100000',
    ROCHE_TENANT_MAX_PAGES_IN_FLIGHT: '1000000',
    ROCHE_MAX_PAGES_IN_FLIGHT: '1000000',
    ROCHE_ORT_INTRA_OP_THREADS: '1',
    ROCHE_WORKER_CONCURRENCY: '2',
  };
  const r = createRedis(redis.url, { maxRetriesPerRequest: 2 });
  const { key } = await new ApiKeyStore(r, new RedisKeys(prefix)).create({ tenant: 'bench', scopes: ['jobs:write', 'jobs:read'] });
  const api = await startRoche(tree, ['--api-only'], env);
  const worker = await startRoche(tree, ['--worker-only'], env);
  const headers = { authorization: `Bearer ${key}` };
  try {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    // A finished job to read while the workers drain.
    const first = await fetch(`${api.url}/v1/jobs`, {
      method: 'POST',
      body: new Uint8Array(png),
      headers: { ...headers, 'content-type': 'image/png' },
    });
    const { id } = (await first.json()) as { id: string };
    for (let i = 0; i < 600; i++) {
      const s = (await (await fetch(`${api.url}/v1/jobs/${id}`, { headers })).json()) as { state: string };
      if (s.state === 'succeeded') break;
      await new Promise((res) => setTimeout(res, 100));
    }
    // Warm-up, then the measured runs.
    await autocannon({ url: `${api.url}/v1/jobs/${id}`, headers, connections: 4, duration: 1 });
    // Where the machine's CPU goes during the submits: the API's share beside the worker draining the
    // backlog, Redis and the load generator (this process), all on the same cores.
    const redisPid = Number(/process_id:(\d+)/.exec(await r.info('server'))?.[1]);
    const others = { worker: worker.child.pid!, redis: redisPid };
    const cpu0 = await Promise.all(Object.values(others).map(cpuMsOf));
    const self0 = process.cpuUsage();
    const submit = await load(
      {
        url: `${api.url}/v1/jobs`,
        method: 'POST',
        headers: { ...headers, 'content-type': 'image/png' },
        body: png,
      },
      api.child.pid!,
    );
    const cpu1 = await Promise.all(Object.values(others).map(cpuMsOf));
    const self1 = process.cpuUsage(self0);
    const perSubmit = (ms: number) => ms / Math.max(1, submit.total);
    const otherCpuMs = {
      worker: perSubmit(cpu1[0]! - cpu0[0]!),
      redis: perSubmit(cpu1[1]! - cpu0[1]!),
      loadGenerator: perSubmit((self1.user + self1.system) / 1000),
    };
    const backlog = Number(await r.llen(`${prefix}:pages:wait`)) + Number(await r.zcard(`${prefix}:pages:prioritized`));
    const status = await load({ url: `${api.url}/v1/jobs/${id}`, headers }, api.child.pid!);
    const result = { label, tree, connections, seconds, submit, otherCpuMs, status, backlogAfterSubmits: backlog, load: loadNote, store };
    console.log(JSON.stringify(result, null, 2));
    const file = path.join(import.meta.dirname, `.api-load-${label.replace(/\W+/g, '-')}.json`);
    await fs.writeFile(file, JSON.stringify(result, null, 2));
    await report();
  } finally {
    await worker.stop();
    await api.stop();
    await r.quit();
    await redis.stop();
  }
}

/** Writes every stored run (before/after) as one table. */
async function report() {
  const files = (await fs.readdir(import.meta.dirname)).filter((f) => f.startsWith('.api-load-') && f.endsWith('.json'));
  const runs = await Promise.all(files.map(async (f) => JSON.parse(await fs.readFile(path.join(import.meta.dirname, f), 'utf8'))));
  type Other = { worker: number; redis: number; loadGenerator: number };
  const others = (o?: Other) => (o ? `${o.worker.toFixed(2)} / ${o.redis.toFixed(2)} / ${o.loadGenerator.toFixed(2)}` : '—');
  const row = (x: { label: string; submit: Run; otherCpuMs?: Other; status: Run; backlogAfterSubmits: number }) =>
    `| ${x.label} | ${Math.round(x.submit.rps)} | ${x.submit.p50} / ${x.submit.p99} | ${cpu(x.submit)} | ${others(x.otherCpuMs)} | ${x.submit.non2xx + x.submit.errors} | ${Math.round(x.status.rps)} | ${x.status.p50} / ${x.status.p99} | ${cpu(x.status)} | ${x.status.non2xx + x.status.errors} | ${x.backlogAfterSubmits} |`;
  const cpu = (r: Run) =>
    r.apiCpuMs === undefined ? '—' : `${r.apiCpuMs.toFixed(2)}${r.apiSysMs === undefined ? '' : ` (${r.apiSysMs.toFixed(2)})`}`;
  await writeBenchSection(
    values.section!,
    `## API load: submits and status reads (\`npx tsx bench/api-load.ts${values.section === 'api-load' ? '' : ` --section ${values.section}`}\`)

${connections} concurrent clients (autocannon over loopback), ${seconds} s per phase; API and one worker
(concurrency 2, embedded analyzer) as separate processes on a private redis-server and the fs store.
Submit = a 64×48 PNG as raw bytes. Status = \`GET /v1/jobs/{id}\` of a finished job while the worker
drains the backlog the submits made. Runs of the current tree ("now") have API keys and per-tenant
rate limits on (limits set high so they are checked, not hit). Latencies in ms.
Goal (issue 11): ≥ 1,000 submits/s and status p99 < 20 ms under this load with auth and rate limits
on. The worker analyzing the backlog, Redis and the load generator share the API's 2 cores, so runs
vary with the machine's load (the load averages below). The CPU columns count each process's own CPU
time (all its threads) during the submit phase, divided by the submits. A submit creates a folder and a
file (its input) in the fs store, and what the kernel charges for a new file differs by an order of
magnitude between filesystems and, on this VM's disk (ext4 without a journal), with what was deleted on
it in the last six minutes: such an ext4 steps past every inode freed lately, in kernel CPU, for each
new file (docs/architecture.md, embedded mode). So each run records where its store was and what a
folder and a file cost there just before it; the rounds of one invocation keep their stores until the
end, and invocations on the disk start at least 6 minutes apart. The runs "deleted just before" first
delete 12,000 fresh folders of a file (\`--delete-first 12000\`), about what an earlier run's cleanup
leaves. \`BENCH_DATA_ROOT=/dev/shm\` puts the store on tmpfs. Runs before 2026-12-05 followed each other
straight after the last one's cleanup, so their disk figures (254-342 submits/s before issue 11,
481-1,053 now) were of that case. The store-put section gives each store's share of a submit's CPU
(an S3 store's is the largest).

| run | submits/s | submit p50 / p99 | API CPU ms per submit (in the kernel) | meanwhile, CPU ms per submit: worker / Redis / load generator | submit errors | status/s | status p50 / p99 | API CPU ms per status (in the kernel) | status errors | pages waiting after submits |
|---|---|---|---|---|---|---|---|---|---|---|
${runs.map(row).join('\n')}

${runs.map((x) => `- ${x.label}: ${x.load}${x.store ? `; ${x.store}` : ''}`).join('\n')}`,
  );
}

(values['report-only'] ? report() : main()).catch((e) => {
  console.error(e);
  process.exit(1);
});
