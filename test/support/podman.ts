import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Podman and Buildah (Debian's packages) in a private storage root, tuned for this sandbox: vfs
 * storage, runc (crun refuses the hybrid cgroup layout here), no default ulimits (raising them is
 * not permitted), chroot isolation for build steps.
 */
export interface Podman {
  root: string;
  /** `podman <args>` with this storage root; resolves stdout. */
  podman(args: string[], timeoutMs?: number): Promise<string>;
  /** stdout and stderr of `podman logs NAME`, interleaved as captured. */
  logs(name: string): Promise<string>;
  /** `buildah <args>` with this storage root; resolves stdout. */
  buildah(args: string[], timeoutMs?: number): Promise<string>;
  cleanup(): Promise<void>;
}

export function hasPodman(): boolean {
  return ['podman', 'buildah', 'runc', 'tini'].every((bin) => {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
}

export function createPodman(): Podman {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-podman-'));
  const conf = path.join(root, 'containers.conf');
  fs.writeFileSync(conf, '[containers]\ndefault_ulimits = []\n[engine]\nruntime = "runc"\n');
  const env = { ...process.env, CONTAINERS_CONF: conf, BUILDAH_ISOLATION: 'chroot', TMPDIR: path.join(root, 'tmp') };
  fs.mkdirSync(env.TMPDIR, { recursive: true });
  const storage = ['--root', path.join(root, 'storage'), '--runroot', path.join(root, 'run'), '--storage-driver', 'vfs'];
  const exec = (bin: string, args: string[], timeoutMs = 600_000) =>
    run(bin, [...storage, ...args], { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }).catch((e: unknown) => {
      const err = e as { stderr?: string; stdout?: string; code?: number | string };
      throw new Error(
        `${bin} ${args.join(' ')} failed with exit code ${err.code}\n${err.stdout?.slice(-4000) ?? ''}\n${err.stderr?.slice(-4000) ?? ''}`,
      );
    });
  const call = async (bin: string, args: string[], timeoutMs?: number) => (await exec(bin, args, timeoutMs)).stdout;
  // Podman's own state (locks, exit files) in this root too, not in the machine-wide /run/libpod.
  const podmanArgs = (args: string[]) => ['--tmpdir', path.join(root, 'libpod'), ...args];
  return {
    root,
    podman: (args, t) => call('podman', podmanArgs(args), t),
    logs: async (name) => {
      const { stdout, stderr } = await exec('podman', podmanArgs(['logs', name]));
      return stdout + stderr;
    },
    buildah: (args, t) => call('buildah', args, t),
    async cleanup() {
      await call('podman', podmanArgs(['rm', '--all', '--force']), 60_000).catch(() => {});
      // vfs layers are plain directories; some are read-only for the owner, so chmod first.
      await run('chmod', ['-R', 'u+w', root]).catch(() => {});
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Shared libraries a binary or addon links against, as `ldd` resolves them here. */
function sharedLibraries(file: string): string[] {
  let out = '';
  try {
    out = execFileSync('ldd', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return []; // not dynamic
  }
  return [...out.matchAll(/(\/\S+\.so[.\d]*)/g)].map((m) => m[1]!).filter((p) => !p.includes('node_modules'));
}

/**
 * A stand-in for `node:22-bookworm-slim`, made from this machine's own files because images cannot
 * be pulled here: node and npm, dash as /bin/sh, tini, the C libraries they and the native addons
 * in `nodeModules` need, and a `node` user with uid 1000 as in the official image. It has no apt,
 * so the Dockerfile is built with APT_PACKAGES="" (tini is already in it).
 */
export async function buildLocalNodeBase(p: Podman, tag: string, nodeModules: string): Promise<void> {
  const ctx = path.join(p.root, 'base');
  const rootfs = path.join(ctx, 'rootfs');
  const put = (src: string, dest = src) => {
    const to = path.join(rootfs, dest);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.cpSync(fs.realpathSync(src), to, { recursive: true, dereference: true });
  };
  const nodeBin = fs.realpathSync(process.execPath);
  const dash = fs.realpathSync('/bin/sh');
  const tini = execFileSync('sh', ['-c', 'command -v tini'], { encoding: 'utf8' }).trim();
  put(nodeBin, '/usr/local/bin/node');
  put(dash, '/bin/sh');
  put(tini, '/usr/bin/tini');
  put('/usr/bin/env'); // npm's and tsx's `#!/usr/bin/env node`
  const npmDir = path.resolve(
    path.dirname(fs.realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim())),
    '..',
  );
  put(npmDir, '/usr/local/lib/node_modules/npm');
  fs.symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(rootfs, 'usr/local/bin/npm'));
  const addons = execFileSync(
    'find',
    [nodeModules, '-path', '*linux*', '(', '-name', '*.node', '-o', '-name', '*.so*', ')', '-type', 'f'],
    {
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter(Boolean);
  const libs = new Set([nodeBin, dash, tini, '/usr/bin/env', ...addons].flatMap(sharedLibraries));
  for (const lib of libs) put(lib);
  fs.mkdirSync(path.join(rootfs, 'etc'), { recursive: true });
  fs.writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n');
  fs.writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nnode:x:1000:\n');
  for (const dir of ['tmp', 'root', 'home/node']) fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
  fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  fs.chownSync(path.join(rootfs, 'home/node'), 1000, 1000);
  fs.writeFileSync(path.join(ctx, 'Containerfile'), 'FROM scratch\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\nCMD ["node"]\n');
  await p.buildah(['bud', '--network', 'none', '--layers=false', '-t', tag, ctx]);
}
