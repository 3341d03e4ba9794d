import fs from 'node:fs/promises';
import path from 'node:path';
import type { JobOptions, JobView } from '@roche/client';
import cliProgress from 'cli-progress';
import type { RocheClient } from './client.js';

/** Exit codes scripts can branch on: 0 succeeded, 1 failed, 3 partial or canceled (2 is bad usage). */
export function exitCode(state: string): number {
  return state === 'succeeded' || state === 'queued' || state === 'running' ? 0 : state === 'failed' ? 1 : 3;
}

/** Writes a job's result.json and every overlay, preview and crop it links to; returns the files written. */
export async function saveResult(client: RocheClient, id: string, dir: string): Promise<string[]> {
  const result = await client.result(id);
  const base = path.join(dir, id);
  await fs.mkdir(base, { recursive: true });
  const written = [path.join(base, 'result.json')];
  await fs.writeFile(written[0]!, JSON.stringify(result, null, 2));
  for (const p of result.pages) {
    const hrefs = [p.overlay, p.preview, ...(p.crops ?? []).map((c) => c.href)].filter((h): h is string => Boolean(h));
    for (const href of hrefs) {
      const rel = href.split('/files/')[1]!;
      const file = path.join(base, ...rel.split('/'));
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, await client.file(href));
      written.push(file);
    }
  }
  return written;
}

/**
 * Submits each file (or s3:// reference). With --wait, follows every job: a progress bar per
 * document on a terminal (pages done / total, pages/s, ETA), one plain line per change otherwise,
 * or only JSON with --json.
 */
export async function submitCommand(
  client: RocheClient,
  targets: string[],
  opts: { options: JobOptions; wait: boolean; out?: string; json: boolean },
): Promise<number> {
  const jobs: Array<{ target: string; job: JobView }> = [];
  for (const target of targets) {
    const job = target.startsWith('s3://')
      ? await client.submitS3(target, opts.options)
      : await client.submitFile(target, undefined, opts.options);
    jobs.push({ target, job });
    if (!opts.wait) console.log(opts.json ? JSON.stringify(job) : `${job.id}\t${job.state}\t${target}`);
  }
  if (!opts.wait) return 0;
  const tty = process.stderr.isTTY && !opts.json;
  const bars = tty
    ? new cliProgress.MultiBar(
        { format: ' {bar} {value}/{total} pages | {rate} pages/s | ETA {eta}s | {name} {state}', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const finals = await Promise.all(
    jobs.map(async ({ target, job }) => {
      const name = path.basename(target);
      const t0 = Date.now();
      const bar = bars?.create(job.pagesTotal ?? 1, 0, { name, state: job.state, rate: '0.0' });
      let last = '';
      const final = await client.waitForTerminal(job.id, 24 * 3600_000, (v) => {
        const done = (v.pagesDone ?? 0) + (v.pagesFailed ?? 0);
        const rate = (done / Math.max(0.001, (Date.now() - t0) / 1000)).toFixed(1);
        if (bar) bar.update(done, { state: v.state, rate });
        else if (!opts.json && `${v.state}${done}` !== last)
          console.error(`${v.id} ${name}: ${v.state} ${done}/${v.pagesTotal ?? '?'} pages`);
        last = `${v.state}${done}`;
      });
      if (opts.out && (final.state === 'succeeded' || final.state === 'partial')) await saveResult(client, final.id, opts.out);
      return final;
    }),
  );
  bars?.stop();
  for (const f of finals)
    console.log(opts.json ? JSON.stringify(f) : `${f.id}\t${f.state}\t${f.pagesDone ?? 0}/${f.pagesTotal ?? '?'} pages`);
  return Math.max(...finals.map((f) => exitCode(f.state)));
}
