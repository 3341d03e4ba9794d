import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export interface EmbeddedRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would: only what the append-only file holds survives. */
  kill(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(500);
      s.once('connect', () => s.write('PING\r\n'));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${timeoutMs} ms`);
}

const URL_FILE = 'url';

/** The URL of the private redis-server running on the data in `dir` (as `startEmbeddedRedis` announces it), if one is. */
export async function embeddedRedisUrl(dir: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(path.join(dir, URL_FILE), 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a private redis-server bound to loopback with append-only persistence in `dir`, so
 * queued jobs survive a restart of the embedded service. `persist: false` is for tests. The AOF is
 * fsynced on every write (`appendfsync always`): a job the API has answered 202 for must survive a
 * crash of the machine a moment later, and Redis groups the fsyncs of one event-loop turn.
 */
export async function startEmbeddedRedis(opts: { dir: string; port?: number; persist?: boolean }): Promise<EmbeddedRedis> {
  await fs.mkdir(opts.dir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const persist = opts.persist ?? true;
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    path.resolve(opts.dir),
    '--daemonize',
    'no',
    '--protected-mode',
    'yes',
    '--save',
    '',
    '--appendonly',
    persist ? 'yes' : 'no',
    '--appendfsync',
    'always',
    // BullMQ requires that Redis never evicts its keys.
    '--maxmemory-policy',
    'noeviction',
    '--loglevel',
    'warning',
  ];
  let child: ChildProcess;
  try {
    child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`cannot start redis-server (is it installed? apt-get install redis-server): ${(e as Error).message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d.toString()));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) =>
      reject(new Error(`cannot start redis-server (is it installed? apt-get install redis-server): ${e.message}`)),
    ),
  );
  try {
    await Promise.race([waitForPing(port, child, 10_000), spawnError]);
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}${stderr ? `\n${stderr}` : ''}`);
  }
  let stopped: Promise<void> | undefined;
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  const url = `redis://127.0.0.1:${port}`;
  // Its port is new at every start: the CLI (`roche keys`) finds it here, beside its data.
  const urlFile = path.join(opts.dir, URL_FILE);
  await fs.writeFile(urlFile, `${url}\n`, { mode: 0o600 });
  const gone = exited.then(() => fs.rm(urlFile, { force: true }).catch(() => {}));
  return {
    url,
    port,
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return gone;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        // SIGTERM makes redis flush the AOF before exiting.
        child.kill('SIGTERM');
      }).then(() => gone);
      return stopped;
    },
  };
}
