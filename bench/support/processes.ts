import { spawn, type ChildProcess } from 'node:child_process';
import fsSync from 'node:fs';
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

/** CPU time a process (all threads) has used so far in user space and in the kernel, in ms. */
export async function cpuSplitOf(pid: number): Promise<{ user: number; system: number }> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of /proc/PID/stat (1-based), in clock ticks (100 Hz on Linux).
  return { user: (Number(fields[11]) * 1000) / 100, system: (Number(fields[12]) * 1000) / 100 };
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
export async function cpuMsOf(pid: number): Promise<number> {
  const { user, system } = await cpuSplitOf(pid);
  return user + system;
}

/** What else is running: load averages and cores, for the record next to every figure. */
export function machineLoad(): string {
  const [l1, l5, l15] = os.loadavg().map((x) => x.toFixed(2));
  return `${os.cpus().length} cores, load average ${l1} / ${l5} / ${l15} (1/5/15 min) at the start — the machine is shared with other developers`;
}

/**
 * A scratch data directory for a bench run, under the project's `.cache/bench/` rather than the
 * system's temp directory: the service keeps its data under the project (`ROCHE_DATA_DIR=.data`)
 * by default, so that is the disk a bench should measure. `BENCH_DATA_ROOT` puts it elsewhere (e.g.
 * `/dev/shm` to take the disk out of a figure); `storeNote` says which filesystem it was.
 */
export async function tempDir(name: string): Promise<string> {
  const root = process.env.BENCH_DATA_ROOT ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.cache', 'bench');
  await fs.mkdir(root, { recursive: true });
  return fs.mkdtemp(path.join(root, `${name}-`));
}

/** The filesystem `dir` lives on (type, mount point and device), from the longest matching mount. */
async function filesystemOf(dir: string): Promise<{ type: string; mount: string; device: string }> {
  const real = await fs.realpath(dir);
  let best = { type: 'unknown', mount: '', device: '' };
  for (const line of (await fs.readFile('/proc/mounts', 'utf8')).split('\n')) {
    const [device, raw, type] = line.split(' ');
    if (!device || !raw || !type) continue;
    // /proc/mounts writes spaces and the like in octal (`\040`).
    const mount = raw.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const inside = real === mount || real.startsWith(mount.endsWith('/') ? mount : `${mount}/`);
    if (inside && mount.length > best.mount.length) best = { type, mount, device };
  }
  return best;
}

/** Whether an ext4 on `device` has a journal: jbd2 lists each journal it runs as `<device>-<inode>`. */
async function ext4Journaled(device: string): Promise<boolean> {
  const name = path.basename(device);
  return (await fs.readdir('/proc/fs/jbd2').catch(() => [] as string[])).some((j) => j.startsWith(`${name}-`));
}

/**
 * Time to create a folder and a small file in it in `dir`, in µs (the median of `n`, which leaves
 * out the ones another process preempted; on this machine almost all of it is kernel CPU): what the
 * fs store pays for a submit's input (a new job's folder) and, less the folder, for every page result.
 * It differs by an order of magnitude between filesystems, and on ext4 without a journal (this VM's
 * disk) with what was deleted lately: such an ext4 will not reuse an inode freed in the last 60 s
 * (360 s while its inode-table block is unwritten) and steps past each one, one buffer-cache lookup
 * apiece, for every new file in that block group (fs/ext4/ialloc.c `recently_deleted`). After a
 * bench's teardown removed 24,000 files, a new file cost 0.4-0.6 ms there instead of 16-40 µs. So
 * the probe's files are left in `dir` (removed with it, after the bench): deleting them here would
 * charge the run for them.
 */
export async function fileCreateUs(dir: string, n = 400): Promise<number> {
  const probe = await fs.mkdtemp(path.join(dir, 'create-probe-'));
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    fsSync.mkdirSync(path.join(probe, `d${i}`));
    fsSync.closeSync(fsSync.openSync(path.join(probe, `d${i}`, 'f'), 'wx'));
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  return times.sort((x, y) => x - y)[n >> 1]!;
}

/**
 * Creates `n` folders of one small file each in `dir` and deletes them: what a finished bench's
 * teardown, or the store's expiry of `n` jobs, leaves behind it for a while on ext4 without a
 * journal (see fileCreateUs). For figures that say what that costs, beside ones without it.
 */
export async function deleteFreshFiles(dir: string, n: number): Promise<void> {
  const churn = await fs.mkdtemp(path.join(dir, 'deleted-'));
  for (let i = 0; i < n; i++) {
    fsSync.mkdirSync(path.join(churn, `d${i}`));
    fsSync.writeFileSync(path.join(churn, `d${i}`, 'f'), 'x');
  }
  await fs.rm(churn, { recursive: true, force: true });
}

/** One line on where a bench's object store lived and what creating a file there cost, for the record beside its figures. */
export async function storeNote(dir: string): Promise<string> {
  const [{ type, mount, device }, us] = await Promise.all([filesystemOf(dir), fileCreateUs(dir)]);
  const kind = type === 'ext4' && !(await ext4Journaled(device)) ? 'ext4 without a journal' : type;
  return `fs store on ${kind} (${mount}); creating a folder with a small file in it took ${Math.round(us)} µs there (median of 400)`;
}
