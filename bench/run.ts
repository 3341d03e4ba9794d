/**
 * `npm run bench`: every benchmark in turn, each in its own process and writing its own section of
 * docs/benchmarks.md. Extra arguments pick a subset by name (`npm run bench -- gpu inference`).
 */
import { spawnSync } from 'node:child_process';

const ALL = [
  'inference',
  'gpu',
  'worker-path',
  'orchestration',
  'documents',
  'long-document',
  'eval',
  'api-load',
  'store-put',
  'upload-rss',
];
const picked = process.argv.slice(2);
const unknown = picked.filter((n) => !ALL.includes(n));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
  process.exit(2);
}
const failed: string[] = [];
for (const name of picked.length ? picked : ALL) {
  console.log(`\n=== bench/${name}.ts`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(`./${name}.ts`, import.meta.url).pathname], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
