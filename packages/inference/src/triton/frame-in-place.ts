import * as compressionFilter from '@grpc/grpc-js/build/src/compression-filter.js';

/**
 * gRPC frames every message with a 5-byte prefix (compressed flag, length). grpc-js writes it by
 * copying the whole message into a fresh buffer five bytes longer (compression-filter.js,
 * `IdentityHandler.writeMessage`). For a batch of pages that is tens of MiB of new memory per call:
 * page faults on every page of it, and V8 counts it as external memory and runs a full collection
 * every few calls. Measured with the bench/gpu.ts client (16 documents × 8 pages, a GPU that costs
 * nothing, no glibc tuning): client CPU per page 42.4 → 5.5 ms on the FP32 wire and 9.5 → 3.6 ms
 * on UINT8 when the message is framed where it lies.
 *
 * So a message encoded with `FRAME_HEADER_BYTES` spare bytes in front of it and marked with
 * `frameInPlace` has its prefix written into those bytes, and the view that includes them is sent.
 * Everything else (other messages, compression, a message over the send limit) goes through
 * grpc-js unchanged. The hook is installed only when grpc-js's compression filter has the shape it
 * was written against (checked below); otherwise grpc-js frames with its copy, as before, and
 * `framingInPlace` is false. packages/inference/test/frame-in-place.test.ts checks it against grpc-js's
 * own framing and a real gRPC server.
 */
export const FRAME_HEADER_BYTES = 5;

interface WriteObject {
  message: Buffer;
  flags?: number;
}
interface FilterShape {
  sendCompression: object;
  maxSendMessageLength: number;
  currentCompressionAlgorithm: string;
  sendMessage(message: Promise<WriteObject> | WriteObject): Promise<WriteObject>;
}

const marked = new WeakSet<Buffer>();

function install(): boolean {
  const Filter = (compressionFilter as unknown as { CompressionFilter?: new (options: object, shared: object) => FilterShape })
    .CompressionFilter;
  if (typeof Filter !== 'function' || typeof Filter.prototype.sendMessage !== 'function') return false;
  let probe: FilterShape;
  try {
    probe = new Filter({}, {});
  } catch {
    return false;
  }
  // The original's own test for "no compression": `this.sendCompression instanceof IdentityHandler`.
  const Identity = probe.sendCompression?.constructor as (new () => object) | undefined;
  if (
    typeof Identity !== 'function' ||
    Identity.name !== 'IdentityHandler' ||
    probe.currentCompressionAlgorithm !== 'identity' ||
    typeof probe.maxSendMessageLength !== 'number'
  )
    return false;
  const original = Filter.prototype.sendMessage;
  Filter.prototype.sendMessage = async function (this: FilterShape, message: Promise<WriteObject> | WriteObject): Promise<WriteObject> {
    const m = await message;
    const b = m.message;
    if (
      !marked.delete(b) ||
      !(this.sendCompression instanceof Identity) ||
      (this.maxSendMessageLength !== -1 && b.length > this.maxSendMessageLength)
    )
      return original.call(this, m);
    const framed = Buffer.from(b.buffer, b.byteOffset - FRAME_HEADER_BYTES, b.length + FRAME_HEADER_BYTES);
    framed[0] = 0; // not compressed
    framed.writeUInt32BE(b.length, 1);
    return { message: framed, flags: m.flags };
  };
  return true;
}

/** Whether grpc-js frames marked messages in place in this process. */
export const framingInPlace = install();

/**
 * Marks an encoded message to be framed in place; it must be a view with `FRAME_HEADER_BYTES`
 * bytes before it in its buffer that belong to the caller and that nothing else uses until its call
 * has completed (the offset check cannot tell: a small Buffer from Node's shared pool has a
 * neighbour's bytes there). The client's own pooled request buffers are the one caller; this module
 * is not exported from the package.
 */
export function frameInPlace(message: Buffer): Buffer {
  if (message.byteOffset < FRAME_HEADER_BYTES) throw new RangeError('no room for the frame header before the message');
  if (framingInPlace) marked.add(message);
  return message;
}
