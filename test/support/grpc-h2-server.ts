import type * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';

/**
 * A unary-only gRPC server straight on node:http2, for the simulated GPU (sim-gpu.ts) where its
 * own CPU matters: on a shared 2-core machine every millisecond the stand-in server spends is taken
 * from the clients it measures, while a real Triton's is another host's. grpc-js's server joins each
 * request's frames into a fresh buffer (10 MB for 8 UINT8 pages) and leaves them to the garbage
 * collector: in a profile, that copy and the collections were most of the server's 2.2-2.8 ms of CPU
 * per page. Here a request is copied once into a buffer from a pool, reused once it has been
 * answered. Same wire protocol (gRPC over HTTP/2: length-prefixed messages, `grpc-status` trailers),
 * same messages (the service's own protobuf (de)serializers); no streaming, compression or
 * deadlines (the server answers every call; clients enforce their own deadlines).
 */

type Unary = (call: { request: unknown }, cb: (e: grpc.ServiceError | Error | null, r?: unknown) => void) => void;

export interface H2GrpcServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `handlers` (by method name, as for grpc-js's addService) for `service`'s unary methods. */
export async function serveGrpcOverH2(
  service: grpc.ServiceDefinition,
  handlers: Record<string, Unary>,
  port = 0,
  maxMessageBytes = 512 * 2 ** 20,
): Promise<H2GrpcServer> {
  const byPath = new Map(Object.entries(service).map(([name, def]) => [def.path, { def, handler: handlers[name] }]));
  const pool: Buffer[] = [];
  const take = (n: number) => {
    const i = pool.findIndex((b) => b.length >= n);
    return i >= 0 ? pool.splice(i, 1)[0]! : Buffer.allocUnsafe(Math.ceil(n / 2 ** 20) * 2 ** 20);
  };
  const give = (b: Buffer) => {
    pool.push(b);
    if (pool.length > 16) pool.sort((a, c) => c.length - a.length).length = 16;
  };
  const server = http2.createServer({
    // As a C++ gRPC server's windows grow: multi-MiB requests do not crawl through 64 KiB updates.
    settings: { initialWindowSize: 16 * 2 ** 20, maxFrameSize: 2 ** 24 - 1 },
  });
  server.on('session', (s) => s.setLocalWindowSize(64 * 2 ** 20));
  server.on('stream', (stream, headers) => {
    const fail = (code: number, message: string) => {
      if (stream.destroyed || stream.headersSent) return;
      // Trailers-only response, as gRPC servers send errors.
      stream.respond(
        { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': encodeURI(message) },
        { endStream: true },
      );
    };
    const route = byPath.get(String(headers[':path']));
    if (!route?.handler || route.def.requestStream || route.def.responseStream) {
      stream.resume();
      return fail(12, `method ${String(headers[':path'])} not implemented`); // UNIMPLEMENTED
    }
    let buf: Buffer | undefined;
    let got = 0;
    let want = -1;
    const head = Buffer.alloc(5);
    stream.on('data', (chunk: Buffer) => {
      let at = 0;
      if (want < 0) {
        const n = Math.min(5 - got, chunk.length);
        chunk.copy(head, got, 0, n);
        got += n;
        at = n;
        if (got < 5) return;
        if (head[0] !== 0) return (stream.destroy(), undefined); // compressed messages are not accepted
        want = head.readUInt32BE(1);
        if (want > maxMessageBytes) return fail(8, `message of ${want} bytes is larger than ${maxMessageBytes}`);
        buf = take(want);
        got = 0;
      }
      const n = Math.min(want - got, chunk.length - at);
      if (n > 0 && buf) chunk.copy(buf, got, at, at + n);
      got += n;
    });
    stream.on('end', () => {
      if (!buf || got !== want) return fail(13, 'incomplete message'); // INTERNAL
      const message = buf.subarray(0, want);
      let request: unknown;
      try {
        request = route.def.requestDeserialize(message);
      } catch (e) {
        give(buf);
        return fail(13, `cannot parse the request: ${(e as Error).message}`);
      }
      const held = buf;
      // The request's bytes fields are views into `held` (protobufjs does not copy them): it goes back
      // to the pool only when the call is answered, after the simulated execution has read them.
      route.handler!({ request }, (e, r) => {
        give(held);
        if (e) return fail((e as grpc.ServiceError).code ?? 2, (e as grpc.ServiceError).details ?? e.message);
        if (stream.destroyed) return;
        const body = route.def.responseSerialize(r) as Buffer;
        const framed = Buffer.allocUnsafe(5 + body.length);
        framed[0] = 0;
        framed.writeUInt32BE(body.length, 1);
        body.copy(framed, 5);
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(framed);
      });
    });
    stream.on('error', () => {});
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => (sessions.add(s), s.once('close', () => sessions.delete(s))));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}
