import { commonLabel, loadConfig } from '@roche/core';
import { decodeImage, renderOverlay } from '@roche/documents';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RocheClient } from './client.js';
import { startService } from './service.js';

export const DEMO_PAGE = fileURLToPath(new URL('../../../test/fixtures/fw9-page2.png', import.meta.url));

/**
 * The whole path on embedded defaults: start API + worker (+ private Redis), submit a page over
 * HTTP, wait, print what was found, draw the boxes, stop.
 */
export async function runDemo(opts: { file?: string; out?: string } = {}): Promise<void> {
  const log = (m: string) => console.log(`[roche] ${m}`);
  const env = { ROCHE_PORT: '0', ...process.env };
  const config = loadConfig(env);
  const file = opts.file ?? DEMO_PAGE;
  const out = path.resolve(opts.out ?? path.join(config.dataDir, 'demo-overlay.png'));
  const svc = await startService(config, { api: true, worker: true }, log);
  try {
    const client = new RocheClient(svc.api!.url);
    const t0 = performance.now();
    const job = await client.submitFile(file, { demo: true });
    log(`submitted ${path.relative(process.cwd(), file)} as ${job.id} (${job.state})`);
    const done = await client.waitForTerminal(job.id, 300_000, 50);
    const latency = performance.now() - t0;
    if (done.state !== 'succeeded') throw new Error(`job ended ${done.state}: ${JSON.stringify(done.error)}`);
    const result = await client.result(job.id);
    const page = result.pages[0]!;
    const counts = new Map<string, number>();
    for (const r of page.regions) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
    log(`job ${job.id} ${done.state} in ${latency.toFixed(0)} ms (engine ${result.engine})`);
    log(`page ${page.width}×${page.height}: ${page.regions.length} regions — ${[...counts].map(([l, n]) => `${l} ${n}`).join(', ')}`);
    console.log('  #  label            common   score  box [x1, y1, x2, y2]');
    for (const r of page.regions.slice(0, 15)) {
      console.log(
        `${String(r.order + 1).padStart(3)}  ${r.label.padEnd(16)} ${commonLabel(r.label).padEnd(8)} ${r.score.toFixed(3)}  [${r.box.map((v) => v.toFixed(0)).join(', ')}]`,
      );
    }
    if (page.regions.length > 15) console.log(`  … ${page.regions.length - 15} more`);
    const img = await decodeImage(await fs.readFile(file), config.limits);
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, await renderOverlay(img, page.regions));
    log(`overlay written to ${out}`);
  } finally {
    await svc.stop();
    log('stopped');
  }
}
