import net from 'node:net';
import { expect, it } from 'vitest';
import { startDelayProxy } from './support/delay-proxy.js';

/**
 * A server that answers every connection with `chunks` numbered 4-byte chunks, each its own write, then
 * ends: at once, or `perMs` chunks a millisecond (an answer that streams for a while).
 */
async function numberServer(chunks: number, perMs = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    let i = 0;
    const chunk = () => {
      const b = Buffer.alloc(4);
      b.writeUInt32BE(i++);
      return s.write(b);
    };
    const next = (): void => {
      if (perMs) {
        for (let k = 0; k < perMs && i < chunks; k++) chunk();
        if (i < chunks) return void setTimeout(next, 1);
      } else {
        while (i < chunks) if (!chunk()) return void s.once('drain', next);
      }
      s.end();
    };
    next();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

/** Reads a whole answer through `port`, slowly when `pauseMs` is set; resolves with it and when its first byte came. */
function read(port: number, pauseMs = 0): Promise<{ data: Buffer; firstByteMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    let firstByteMs = -1;
    const parts: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1');
    s.on('data', (d: Buffer) => {
      if (firstByteMs < 0) firstByteMs = Date.now() - t0;
      parts.push(d);
      if (pauseMs) {
        s.pause();
        setTimeout(() => s.resume(), pauseMs);
      }
    });
    s.on('end', () => resolve({ data: Buffer.concat(parts), firstByteMs }));
    s.on('error', reject);
  });
}

const inOrder = (data: Buffer, chunks: number) => {
  expect(data.length).toBe(chunks * 4);
  for (let i = 0; i < chunks; i++) if (data.readUInt32BE(i * 4) !== i) throw new Error(`chunk ${i} out of place`);
};

it('delays what the server sends by the set delay, in order and whole', async () => {
  const server = await numberServer(20_000);
  const proxy = await startDelayProxy(server.port, { delayMs: 300 });
  try {
    const { data, firstByteMs } = await read(proxy.port);
    expect(firstByteMs).toBeGreaterThanOrEqual(290);
    inOrder(data, 20_000);
  } finally {
    await proxy.close();
    await server.close();
  }
});

it('keeps the order of an answer that streams while the delay is lowered', async () => {
  // 600 ms of answer; the delay drops from 300 ms to none a third of the way in.
  const server = await numberServer(6000, 10);
  const proxy = await startDelayProxy(server.port, { delayMs: 300 });
  try {
    for (let run = 0; run < 3; run++) {
      proxy.setDelay(300);
      const reading = read(proxy.port);
      setTimeout(() => proxy.setDelay(0), 200);
      inOrder((await reading).data, 6000);
    }
  } finally {
    await proxy.close();
    await server.close();
  }
}, 30_000);

it('delivers a whole answer to a slow reader before it ends the connection', async () => {
  const server = await numberServer(1 << 21); // 8 MiB
  const proxy = await startDelayProxy(server.port, { delayMs: 20 });
  try {
    inOrder((await read(proxy.port, 5)).data, 1 << 21);
  } finally {
    await proxy.close();
    await server.close();
  }
}, 60_000);

it('answers a client that ends its side first, as a direct connection does', async () => {
  // The server answers once the request has ended.
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    s.on('error', () => {});
    s.resume();
    s.on('end', () => s.end('answer'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const proxy = await startDelayProxy((server.address() as net.AddressInfo).port, { delayMs: 100 });
  try {
    const got = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ port: proxy.port, host: '127.0.0.1', allowHalfOpen: true });
      let data = '';
      s.on('data', (d: Buffer) => (data += d.toString()));
      s.on('end', () => resolve(data));
      s.on('error', reject);
      s.end('ask');
    });
    expect(got).toBe('answer');
  } finally {
    await proxy.close();
    await new Promise((r) => server.close(r));
  }
});
