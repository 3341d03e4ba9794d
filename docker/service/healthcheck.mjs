// Container health check (Docker/Podman HEALTHCHECK; Kubernetes uses its own probes).
// The role comes from PID 1's command line (tini -- entrypoint.sh ROLE): the api must answer
// GET /readyz, a worker or watcher must reach Redis (it has no HTTP port). No dependencies.
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

const TIMEOUT_MS = 4000;

function role() {
  try {
    const args = fs.readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    const i = args.findIndex((a) => a.endsWith('entrypoint.sh'));
    return i >= 0 ? (args[i + 1] ?? 'api') : 'api';
  } catch {
    return 'api';
  }
}

async function api() {
  const port = process.env.ROCHE_PORT ?? '8080';
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`/readyz answered ${res.status}: ${await res.text()}`);
}

/** PING over RESP, with AUTH when the URL has a password. */
function redis() {
  const url = new URL(process.env.REDIS_URL ?? '');
  const port = Number(url.port || 6379);
  const commands = [];
  if (url.password)
    commands.push(
      url.username
        ? ['AUTH', decodeURIComponent(url.username), decodeURIComponent(url.password)]
        : ['AUTH', decodeURIComponent(url.password)],
    );
  commands.push(['PING']);
  const wire = commands.map((c) => `*${c.length}\r\n${c.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`).join('');
  return new Promise((resolve, reject) => {
    const socket =
      url.protocol === 'rediss:' ? tls.connect(port, url.hostname, { servername: url.hostname }) : net.connect(port, url.hostname);
    let reply = '';
    socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new Error('redis: timeout')));
    socket.once(url.protocol === 'rediss:' ? 'secureConnect' : 'connect', () => socket.write(wire));
    socket.on('data', (d) => {
      reply += d.toString();
      if (reply.startsWith('-')) socket.destroy(new Error(`redis: ${reply.trim()}`));
      else if (reply.includes('+PONG')) {
        socket.end();
        resolve();
      }
    });
    socket.once('error', reject);
  });
}

const r = role();
(r === 'worker' || r === 'watcher' ? redis() : api()).then(
  () => process.exit(0),
  (e) => {
    console.error(`unhealthy (${r}): ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
