import net from 'node:net';

/**
 * A TCP proxy on loopback that makes a real server slow without stopping it: every byte the server
 * sends back reaches the client `delayMs` later (in order), while requests pass at once. Put between
 * Roche and s3rver it is an object store answering late, as an overloaded S3 or a congested link does.
 * The delay can change while connections are open; it applies to bytes the server sends from then on.
 */
export interface DelayProxy {
  readonly port: number;
  readonly url: string;
  setDelay(ms: number): void;
  close(): Promise<void>;
}

/** `listenPort` 0 picks a free port; a proxy closed and started again on its old port stands for a server restarting. */
export async function startDelayProxy(targetPort: number, opts: { listenPort?: number; delayMs?: number } = {}): Promise<DelayProxy> {
  const host = '127.0.0.1';
  let delayMs = opts.delayMs ?? 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, host);
    sockets.add(client).add(upstream);
    // When the last delayed chunk is due: later chunks never overtake earlier ones.
    let lastDue = 0;
    const later = (fn: () => void) => {
      lastDue = Math.max(Date.now() + delayMs, lastDue);
      setTimeout(fn, lastDue - Date.now());
    };
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => later(() => !client.destroyed && client.write(chunk)));
    upstream.on('end', () => later(() => client.end()));
    upstream.on('close', () => later(() => client.destroy()));
    client.on('close', () => upstream.destroy());
    // A reset on either side ends both; the client sees the close, as it would with a real server.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => later(() => client.destroy()));
    client.once('close', () => sockets.delete(client));
    upstream.once('close', () => sockets.delete(upstream));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, host, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://${host}:${port}`,
    setDelay(ms: number) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
