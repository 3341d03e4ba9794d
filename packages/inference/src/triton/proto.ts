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

export interface InferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: Tensor[];
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
