/**
 * What writing a submit's input costs the process that writes it, by object store: the fs store on
 * the project's disk and on tmpfs, and the S3 store (AWS SDK v3) against s3rver in another process
 * (its CPU is not counted, as a real S3's is not the API's). A submit writes one small object under a
 * key of its own job (`jobs/<id>/input.png`, whose extension says its type), 32 at a time as under bench/api-load.ts's load, so this is
 * the store's share of the API's CPU per submit there.
 *
 *   npm run bench:store-put -- [--puts 2000] [--rounds 3]
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { objectKeys } from '@roche/core';
import { FsObjectStore, S3ObjectStore, type ObjectStore } from '@roche/storage';
import sharp from 'sharp';
import { startS3, type TestS3 } from '../test/support/s3.js';
import { writeBenchSection } from './report.js';
import { machineLoad, storeNote, tempDir } from './support/processes.js';

if (process.argv[2] === 'serve-s3') {
  // The S3 server runs here, in a child process of its own.
  const s3 = await startS3(['roche-bench']);
  process.send!(s3.settings);
  process.on('disconnect', () => void s3.close().finally(() => process.exit(0)));
} else {
  await main();
}

async function main() {
  const { values } = parseArgs({
    options: {
      puts: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '32' },
    },
  });
  const PUTS = Number(values.puts);
  const ROUNDS = Number(values.rounds);
  const CONC = Number(values.concurrency);
  const load = machineLoad();
  // The api-load bench's submit: a 64×48 PNG.
  const body = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#fff' } })
    .png()
    .toBuffer();

  /** CPU of this process (user, kernel) per put, in µs, and puts per second, for `n` puts `CONC` at a time. */
  const measure = async (store: ObjectStore, n: number) => {
    let next = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONC }, async () => {
        while (next < n) {
          next++;
          await store.put(objectKeys.input(`job_${randomBytes(12).toString('hex')}`, 'png'), body, { contentType: 'image/png' });
        }
      }),
    );
    const c = process.cpuUsage(c0);
    return { userUs: c.user / n, sysUs: c.system / n, perSec: n / ((performance.now() - t0) / 1000) };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

  interface Row {
    store: string;
    where: string;
    userUs: number;
    sysUs: number;
    perSec: number;
  }
  const rows: Row[] = [];
  const run = async (label: string, where: string, store: ObjectStore) => {
    await measure(store, Math.min(300, PUTS));
    const rounds = [];
    for (let i = 0; i < ROUNDS; i++) rounds.push(await measure(store, PUTS));
    const row = {
      store: label,
      where,
      userUs: median(rounds.map((r) => r.userUs)),
      sysUs: median(rounds.map((r) => r.sysUs)),
      perSec: median(rounds.map((r) => r.perSec)),
    };
    console.log(JSON.stringify(row));
    rows.push(row);
  };

  const dirs: string[] = [];
  try {
    const disk = await tempDir('store-put');
    dirs.push(disk);
    await run('fs', await storeNote(disk), new FsObjectStore(disk));
    if (await fs.stat('/dev/shm').catch(() => null)) {
      const shm = await fs.mkdtemp('/dev/shm/roche-store-put-');
      dirs.push(shm);
      await run('fs', await storeNote(shm), new FsObjectStore(shm));
    }
    const child = fork(fileURLToPath(import.meta.url), ['serve-s3'], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      const settings = await new Promise<TestS3['settings']>((resolve, reject) => {
        child.once('message', resolve as never);
        child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
      });
      await run('S3 (AWS SDK v3 PutObject)', `s3rver on 127.0.0.1 in another process`, new S3ObjectStore('roche-bench', settings));
    } finally {
      child.removeAllListeners('exit');
      child.disconnect();
    }
  } finally {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  }

  await writeBenchSection(
    'store-put',
    `## What a submit's input costs the API, by object store (\`npm run bench:store-put\`)

${new Date().toISOString().slice(0, 10)}, ${load}. ${PUTS} puts of a ${body.length}-byte PNG per round, ${CONC} at a time, each under a new job's key (\`jobs/<id>/input.png\`) as a submit writes it; medians of ${ROUNDS} rounds after a warm-up. CPU is the writing process's own (user, kernel); s3rver's is not counted. This is the store's share of the API's CPU per submit in the api-load section, where the API's own work besides it is 0.55-0.65 ms.

| store | where | CPU µs per put: user / kernel | puts/s (one process) |
|---|---|---|---|
${rows.map((r) => `| ${r.store} | ${r.where} | ${Math.round(r.userUs)} / ${Math.round(r.sysUs)} | ${Math.round(r.perSec)} |`).join('\n')}`,
  );
}
