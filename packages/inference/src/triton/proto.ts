import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

export const KSERVE_PROTO = fileURLToPath(new URL('./kserve.proto', import.meta.url));

/** Loaded once; shared by the client and the test server so both speak the same messages. */
export function loadKserve(): grpc.GrpcObject {
  const def = protoLoader.loadSync(KSERVE_PROTO, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  return grpc.loadPackageDefinition(def);
}

export interface Tensor {
  name: string;
  datatype: string;
  shape: number[];
}

export interface InferRequest {
  model_name: string;
  model_version?: string;
  id?: string;
  inputs: Tensor[];
  outputs?: Array<{ name: string }>;
  raw_input_contents: Buffer[];
}

/** InferTensorContents: a tensor's elements as typed lists (the alternative to raw contents). */
export interface TensorContents {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: number[];
  uint_contents?: number[];
  uint64_contents?: number[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface InferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: Array<Tensor & { contents?: TensorContents | null }>;
  raw_output_contents: Buffer[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: Tensor[];
  outputs: Tensor[];
}

/** Byte width of KServe datatypes with a fixed size (BYTES is variable). */
export const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  UINT8: 1,
  INT8: 1,
  UINT16: 2,
  INT16: 2,
  FP16: 2,
  BF16: 2,
  UINT32: 4,
  INT32: 4,
  FP32: 4,
  UINT64: 8,
  INT64: 8,
  FP64: 8,
};

/** A KServe BYTES tensor as parts, for writing without concatenating: each element's 4-byte little-endian length, then the element. */
export const bytesTensorParts = (elements: readonly Uint8Array[]): Uint8Array[] =>
  elements.flatMap((e) => {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(e.length);
    return [length, e];
  });

/** A KServe BYTES tensor in one buffer. */
export const encodeBytesTensor = (elements: readonly Uint8Array[]): Buffer => Buffer.concat(bytesTensorParts(elements));

/** The elements of a BYTES tensor (views into `raw`); with `count`, throws unless exactly that many fill it. */
export function decodeBytesTensor(raw: Buffer, count?: number): Buffer[] {
  const out: Buffer[] = [];
  let o = 0;
  while (o + 4 <= raw.length && (count === undefined || out.length < count)) {
    const n = raw.readUInt32LE(o);
    if (o + 4 + n > raw.length) throw new Error(`BYTES element ${out.length} claims ${n} bytes, ${raw.length - o - 4} left`);
    out.push(raw.subarray(o + 4, o + 4 + n));
    o += 4 + n;
  }
  if (count !== undefined && (out.length !== count || o !== raw.length))
    throw new Error(`BYTES tensor holds ${out.length} elements and ${raw.length - o} stray bytes, expected ${count} elements`);
  return out;
}

/** Typed lists → raw little-endian bytes, by datatype (FP16/BF16 exist only as raw contents). */
const FROM_CONTENTS: Record<string, (c: TensorContents) => Buffer> = {
  BOOL: (c) => Buffer.from(Uint8Array.from(c.bool_contents ?? [], Number)),
  UINT8: (c) => Buffer.from(Uint8Array.from(c.uint_contents ?? [])),
  UINT16: (c) => view(Uint16Array.from(c.uint_contents ?? [])),
  UINT32: (c) => view(Uint32Array.from(c.uint_contents ?? [])),
  UINT64: (c) => view(BigUint64Array.from(c.uint64_contents ?? [], BigInt)),
  INT8: (c) => view(Int8Array.from(c.int_contents ?? [])),
  INT16: (c) => view(Int16Array.from(c.int_contents ?? [])),
  INT32: (c) => view(Int32Array.from(c.int_contents ?? [])),
  INT64: (c) => view(BigInt64Array.from(c.int64_contents ?? [], BigInt)),
  FP32: (c) => view(Float32Array.from(c.fp32_contents ?? [])),
  FP64: (c) => view(Float64Array.from(c.fp64_contents ?? [])),
  BYTES: (c) => encodeBytesTensor(c.bytes_contents ?? []),
};
const view = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * The bytes of output `name`, as raw contents hold them (row-major, little-endian; BYTES elements
 * length-prefixed). Triton answers with `raw_output_contents`; another KServe v2 server may answer
 * with typed `contents` instead (the protocol allows either, never both), which is converted here.
 * Throws when the output is missing or its element count does not match its shape.
 */
export function outputBytes(res: InferResponse, name: string): { tensor: Tensor; bytes: Buffer } {
  const i = res.outputs.findIndex((o) => o.name === name);
  const tensor = res.outputs[i];
  if (!tensor) throw new Error(`response lacks output ${name}`);
  if (res.raw_output_contents.length) {
    const raw = res.raw_output_contents[i];
    if (!raw) throw new Error(`response lacks raw contents for output ${name}`);
    return { tensor, bytes: raw };
  }
  const convert = FROM_CONTENTS[tensor.datatype];
  if (!tensor.contents || !convert) throw new Error(`response lacks contents for output ${name} (${tensor.datatype})`);
  const bytes = convert(tensor.contents);
  const elements = tensor.shape.reduce((a, d) => a * Number(d), 1);
  const width = DTYPE_BYTES[tensor.datatype];
  const count = width ? bytes.length / width : decodeBytesTensor(bytes).length;
  if (count !== elements)
    throw new Error(`output ${name} has ${count} elements in its contents, its shape [${tensor.shape.join(', ')}] says ${elements}`);
  return { tensor, bytes };
}
