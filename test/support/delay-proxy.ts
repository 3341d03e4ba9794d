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
  // Half-open as a direct connection is: a client that ends its side first still gets the answer.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ port: targetPort, host, allowHalfOpen: true });
    sockets.add(client).add(upstream);
    // One queue and one timer per connection, so what the server sent is delivered strictly in order
    // even when the delay is lowered meanwhile (two timers could fire out of order).
    const queue: Array<{ due: number; deliver: () => void }> = [];
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const pump = () => {
      timer = undefined;
      while (queue.length && queue[0]!.due <= Date.now()) queue.shift()!.deliver();
      if (queue.length) timer = setTimeout(pump, queue[0]!.due - Date.now());
    };
    const later = (deliver: () => void) => {
      if (closed) return;
      queue.push({ due: Math.max(Date.now() + delayMs, queue.at(-1)?.due ?? 0), deliver });
      timer ??= setTimeout(pump, queue[0]!.due - Date.now());
    };
    client.pipe(upstream);
    // A slow reader holds the server back, as it would without the proxy.
    let held = false;
    client.on('drain', () => {
      held = false;
      upstream.resume();
    });
    upstream.on('data', (chunk: Buffer) =>
      later(() => {
        if (client.destroyed) return;
        if (!client.write(chunk) && !held) {
          held = true;
          upstream.pause();
        }
      }),
    );
    let ended = false;
    upstream.on('end', () => {
      ended = true;
      later(() => client.end());
    });
    // After a clean end the client closes once it has read everything; only an abrupt close is passed on.
    upstream.on('close', () => !ended && later(() => client.destroy()));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => {});
    client.once('close', () => {
      closed = true;
      queue.length = 0;
      clearTimeout(timer);
      sockets.delete(client);
      upstream.destroy();
    });
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
