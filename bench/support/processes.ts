import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RocheProcess {
  child: ChildProcess;
  url?: string;
  stop(): Promise<void>;
}

/**
 * Runs `roche serve …` from a source tree (this one, or a checkout of another revision for a
 * before/after comparison) as its own process, so the load generator does not share its event loop.
 */
export async function startRoche(tree: string, args: string[], env: Record<string, string>): Promise<RocheProcess> {
  // BENCH_CPU_PROF=DIR writes a V8 CPU profile of each Roche process there when it exits.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_BUILT=1 runs the production bundle (`npm run build` → dist/main.js), as the images do.
  const entry = process.env.BENCH_BUILT ? [path.join(tree, 'dist/main.js')] : ['--import', 'tsx', path.join(tree, 'apps/cli/src/main.ts')];
  const child = spawn(process.execPath, [...prof, ...entry, 'serve', ...args], {
    cwd: tree,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string | undefined>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`roche ${args.join(' ')} did not start:\n${log}`)), 60_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      const m = /api listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      } else if (args.includes('--worker-only') && /worker ready/.test(log)) {
        clearTimeout(timer);
        resolve(undefined);
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`roche exited ${code}:\n${log}`)));
  });
  child.stderr!.resume();
  child.stdout!.resume();
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/** Peak resident memory (VmHWM) and current RSS of a process, in MiB. */
export async function memoryOf(pid: number): Promise<{ peakMiB: number; rssMiB: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
export async function cpuMsOf(pid: number): Promise<number> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/PID/stat (1-based), in clock ticks (100 Hz on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** What else is running: load averages and cores, for the record next to every figure. */
export function machineLoad(): string {
  const [l1, l5, l15] = os.loadavg().map((x) => x.toFixed(2));
  return `${os.cpus().length} cores, load average ${l1} / ${l5} / ${l15} (1/5/15 min) at the start — the machine is shared with other developers`;
}

/**
 * A scratch data directory for a bench run, under the project's `.cache/bench/` rather than the
 * system's temp directory: the service keeps its data under the project (`ROCHE_DATA_DIR=.data`)
 * by default, so that is the disk a bench should measure. (On this VM the two differ: creating and
 * renaming a small file costs 0.27 ms of kernel CPU in /tmp against 0.07 ms under /work, both ext4
 * on the same device.)
 */
export async function tempDir(name: string): Promise<string> {
  const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'bench');
  await fs.mkdir(root, { recursive: true });
  return fs.mkdtemp(path.join(root, `${name}-`));
}
