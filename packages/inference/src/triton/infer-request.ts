import type { InferRequest } from './proto.js';

/**
 * ModelInferRequest written straight into one buffer, the pages' bytes copied once.
 *
 * Why not protobufjs (which the rest of the client uses): a batch of pages is tens of MiB, and the
 * generic path copied it three times — the adapter concatenating pages into one tensor, protobufjs
 * encoding, grpc-js framing — each into freshly allocated memory, which on Roche's VMs costs about
 * 9 ms per 5.5 MiB copy (page faults; into warm memory 0.5 ms). Here the adapters hand over each
 * input as parts (the pages, back to back), the message is written once into a buffer from a small
 * pool that is reused after the call is answered, and grpc-js sends it from there (frame-in-place.ts). The
 * encoding is byte-for-byte what protobufjs writes for the same request (tested).
 */

/**
 * A part that writes itself into the message when it is encoded, e.g. a page normalized to FP32
 * straight into the request instead of into a 4.7 MiB tensor of its own. `writeTo` may be called
 * again for the same request (a retry), so it must write the same bytes each time.
 */
export interface WrittenPart {
  readonly byteLength: number;
  writeTo(into: Buffer, at: number): void;
}

/** Bytes, or a part that writes itself. */
export type Part = Uint8Array | WrittenPart;

/** One input's raw contents: one part, or parts written back to back (the client never concatenates them). */
export type RawContent = Part | readonly Part[];

/** A request as the client sends it: raw contents may be given in parts. */
export interface InferCall extends Omit<InferRequest, 'raw_input_contents'> {
  raw_input_contents: RawContent[];
}

const partLength = (p: Part): number => p.byteLength;

export const rawLength = (r: RawContent): number =>
  Array.isArray(r) ? (r as readonly Part[]).reduce((s, p) => s + partLength(p), 0) : partLength(r as Part);

const varintLength = (n: number): number => {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
};

/** Length of a length-delimited field (tag + length + payload) whose payload is `n` bytes; field numbers < 16. */
const fieldLength = (n: number): number => 1 + varintLength(n) + n;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** Payload of a packed repeated int64 field. */
const packedLength = (values: readonly number[]): number => values.reduce((s, d) => s + varintLength(d), 0);

function tensorLength(t: { name: string; datatype: string; shape: number[] }): number {
  const shape = packedLength(t.shape);
  return (
    (t.name ? fieldLength(utf8(t.name)) : 0) + (t.datatype ? fieldLength(utf8(t.datatype)) : 0) + (t.shape.length ? fieldLength(shape) : 0)
  );
}

/** Size of the encoded request. */
export function inferRequestLength(req: InferCall): number {
  let n = 0;
  if (req.model_name) n += fieldLength(utf8(req.model_name));
  if (req.model_version) n += fieldLength(utf8(req.model_version));
  if (req.id) n += fieldLength(utf8(req.id));
  for (const t of req.inputs) n += fieldLength(tensorLength(t));
  for (const o of req.outputs ?? []) n += fieldLength(o.name ? fieldLength(utf8(o.name)) : 0);
  for (const r of req.raw_input_contents) n += fieldLength(rawLength(r));
  return n;
}

class Writer {
  at = 0;
  constructor(readonly buf: Buffer) {}
  varint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n} as an unsigned varint`);
    while (n >= 0x80) {
      this.buf[this.at++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.at++] = n;
  }
  /** Tag of a length-delimited field, then its length. */
  header(field: number, length: number): void {
    this.buf[this.at++] = (field << 3) | 2;
    this.varint(length);
  }
  string(field: number, s: string | undefined): void {
    if (!s) return;
    this.header(field, utf8(s));
    this.at += this.buf.write(s, this.at, 'utf8');
  }
  part(p: Part): void {
    if (p instanceof Uint8Array) this.buf.set(p, this.at);
    else p.writeTo(this.buf, this.at);
    this.at += p.byteLength;
  }
}

/** Encodes `req` as a protobuf ModelInferRequest into `into` (at least inferRequestLength bytes); returns the written view. */
export function encodeInferRequest(req: InferCall, into: Buffer = Buffer.allocUnsafe(inferRequestLength(req))): Buffer {
  const w = new Writer(into);
  w.string(1, req.model_name);
  w.string(2, req.model_version);
  w.string(3, req.id);
  for (const t of req.inputs) {
    w.header(5, tensorLength(t));
    w.string(1, t.name);
    w.string(2, t.datatype);
    if (t.shape.length) {
      w.header(3, packedLength(t.shape));
      for (const d of t.shape) w.varint(d);
    }
  }
  for (const o of req.outputs ?? []) {
    w.header(6, o.name ? fieldLength(utf8(o.name)) : 0);
    w.string(1, o.name);
  }
  for (const r of req.raw_input_contents) {
    w.header(7, rawLength(r));
    if (Array.isArray(r)) for (const p of r as readonly Part[]) w.part(p);
    else w.part(r as Part);
  }
  return into.subarray(0, w.at);
}

/**
 * Reusable message buffers. A buffer goes back only when its call has been answered, by which time
 * the server has read all of it (it is sent from where it lies: frame-in-place.ts). Holds at most
 * `keep` buffers, so a worker's resident memory grows by about `keep` × its largest batch.
 */
export class MessagePool {
  private free: Buffer[] = [];
  constructor(private readonly keep = 4) {}

  /** Buffers kept for the next requests. */
  get spare(): number {
    return this.free.length;
  }

  acquire(n: number): Buffer {
    const i = this.free.findIndex((b) => b.length >= n);
    if (i >= 0) return this.free.splice(i, 1)[0]!;
    // Round up so that batches of slightly different sizes share buffers.
    return Buffer.allocUnsafe(Math.ceil(n / 2 ** 20) * 2 ** 20);
  }

  release(b: Buffer): void {
    this.free.push(b);
    // Keep the largest ones.
    if (this.free.length > this.keep) this.free.sort((a, c) => c.length - a.length).length = this.keep;
  }
}
