import type * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/paddlex/models.js';
import { normalizeChw, normalizeChwInto } from '../src/paddlex/preprocess.js';
import {
  encodeInferRequest,
  inferRequestLength,
  MessagePool,
  rawLength,
  type InferCall,
  type Part,
  type WrittenPart,
} from '../src/triton/infer-request.js';
import { decodeBytesTensor, loadKserve, outputBytes, type InferRequest, type InferResponse } from '../src/triton/proto.js';

const method = (loadKserve() as unknown as { inference: { GRPCInferenceService: grpc.ServiceClientConstructor } }).inference
  .GRPCInferenceService.service.ModelInfer!;

/** A part's bytes (a written part writes itself into a buffer of its own). */
const partBytes = (p: Part): Buffer => {
  if (p instanceof Uint8Array) return Buffer.from(p);
  const b = Buffer.alloc(p.byteLength);
  p.writeTo(b, 0);
  return b;
};

/** The same request with each input's parts concatenated, as protobufjs takes it. */
const joined = (c: InferCall): InferRequest => ({
  ...c,
  raw_input_contents: c.raw_input_contents.map((r) =>
    Array.isArray(r) ? Buffer.concat((r as Part[]).map(partBytes)) : partBytes(r as Part),
  ),
});

/** An FP32 page normalized straight into the message, as the FP32 wire sends it. */
const normalizedPage = (seed: number): WrittenPart => ({
  byteLength: 3 * 16 * 16 * 4,
  writeTo: (into, at) => normalizeChwInto(bytes(16 * 16 * 3, seed), 16, MODELS['PP-DocLayout-L']!, into, at),
});

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255));

describe('ModelInferRequest written by hand (infer-request.ts)', () => {
  const cases: Array<[string, InferCall]> = [
    [
      'a UINT8 batch given as pages, FP32 side inputs, requested outputs',
      {
        model_name: 'pp_doclayout_u8',
        inputs: [
          { name: 'image', datatype: 'UINT8', shape: [3, 640, 640, 3] },
          { name: 'scale_factor', datatype: 'FP32', shape: [3, 2] },
        ],
        outputs: [{ name: 'fetch_name_0' }, { name: 'fetch_name_1' }],
        raw_input_contents: [[bytes(640 * 640 * 3, 1), bytes(640 * 640 * 3, 2), bytes(640 * 640 * 3, 3)], bytes(24, 4)],
      },
    ],
    [
      'a BYTES tensor in parts, version, id, non-ASCII names, large and zero dims, an empty input',
      {
        model_name: 'modèle',
        model_version: '7',
        id: 'req-été',
        inputs: [
          { name: 'image', datatype: 'BYTES', shape: [2, 1] },
          { name: 'image_size', datatype: 'INT32', shape: [2, 2] },
          { name: 'empty', datatype: 'UINT8', shape: [0, 300000] },
        ],
        outputs: [],
        raw_input_contents: [
          [Buffer.from(Uint32Array.of(5).buffer), bytes(5, 9), Buffer.from(Uint32Array.of(200).buffer), bytes(200, 8)],
          Buffer.from(Int32Array.of(1, 5, 10, 20).buffer),
          Buffer.alloc(0),
        ],
      },
    ],
  ];

  cases.push([
    'an FP32 batch whose pages write themselves (normalized straight into the message), one written part alone',
    {
      model_name: 'pp_doclayout',
      inputs: [
        { name: 'image', datatype: 'FP32', shape: [2, 3, 16, 16] },
        { name: 'single', datatype: 'FP32', shape: [1, 3, 16, 16] },
      ],
      outputs: [{ name: 'fetch_name_0' }],
      raw_input_contents: [[normalizedPage(1), normalizedPage(2)], normalizedPage(3)],
    },
  ]);

  it('writes a written part where its bytes go: the normalized page, as normalizeChw makes it', () => {
    const call = cases[2]![1];
    const back = method.requestDeserialize(encodeInferRequest(call)) as InferRequest;
    const want = Buffer.concat(
      [1, 2].map((seed) => Buffer.from(normalizeChw(bytes(16 * 16 * 3, seed), 16, MODELS['PP-DocLayout-L']!).buffer)),
    );
    expect(Buffer.compare(back.raw_input_contents[0]!, want)).toBe(0);
  });

  it.each(cases)('is byte for byte what protobufjs writes: %s', (_, call) => {
    const ours = encodeInferRequest(call);
    expect(ours.length).toBe(inferRequestLength(call));
    expect(Buffer.compare(ours, method.requestSerialize(joined(call)))).toBe(0);
    // And it reads back as the request.
    const back = method.requestDeserialize(ours) as InferRequest;
    expect(back.model_name).toBe(call.model_name);
    expect(back.inputs.map((t) => t.shape.map(Number))).toEqual(call.inputs.map((t) => t.shape));
    back.raw_input_contents.forEach((r, i) => expect(r.length).toBe(rawLength(call.raw_input_contents[i]!)));
  });

  it('writes into a larger pooled buffer and returns just the message', () => {
    const call = cases[0]![1];
    const into = Buffer.alloc(inferRequestLength(call) + 1000, 0xee);
    const view = encodeInferRequest(call, into);
    expect(view.buffer).toBe(into.buffer);
    expect(Buffer.compare(view, encodeInferRequest(call))).toBe(0);
  });

  it('refuses a negative dimension instead of writing a wrong varint', () => {
    expect(() =>
      encodeInferRequest({ model_name: 'm', inputs: [{ name: 'x', datatype: 'FP32', shape: [-1] }], raw_input_contents: [] }),
    ).toThrow(RangeError);
  });

  // Identity checks as booleans: vitest formats Buffer operands of toBe (megabytes here) even when it passes.
  it('pools message buffers: a released buffer is reused for a request that fits, at most `keep` are kept', () => {
    const pool = new MessagePool(2);
    const a = pool.acquire(3 * 2 ** 20 + 5);
    expect(a.length).toBe(4 * 2 ** 20);
    pool.release(a);
    expect(pool.acquire(2 ** 20) === a).toBe(true);
    const [x, y, z] = [pool.acquire(10), pool.acquire(5 * 2 ** 20), pool.acquire(2 * 2 ** 20)];
    for (const b of [x, y, z]) pool.release(b);
    // The two largest stay.
    expect(pool.acquire(4 * 2 ** 20) === y).toBe(true);
    expect(pool.acquire(2 * 2 ** 20) === z).toBe(true);
    expect(pool.acquire(10) === x).toBe(false);
  });
});

describe('outputBytes: raw contents or typed contents (proto.ts)', () => {
  const res = (outputs: InferResponse['outputs'], raw: Buffer[] = []): InferResponse => ({
    model_name: 'm',
    model_version: '1',
    id: '',
    outputs,
    raw_output_contents: raw,
  });

  it('gives typed contents as the raw bytes Triton would have sent', () => {
    const f = Float32Array.of(1.5, -2, 3.25);
    const i64 = BigInt64Array.of(7n, -9n);
    const r = res([
      { name: 'a', datatype: 'FP32', shape: [1, 3], contents: { fp32_contents: [1.5, -2, 3.25] } },
      { name: 'b', datatype: 'INT64', shape: [2], contents: { int64_contents: [7, -9] } },
      { name: 'c', datatype: 'BYTES', shape: [2], contents: { bytes_contents: [Buffer.from('x'), Buffer.from('yz')] } },
      { name: 'd', datatype: 'UINT8', shape: [2], contents: { uint_contents: [3, 250] } },
    ]);
    expect(Buffer.compare(outputBytes(r, 'a').bytes, Buffer.from(f.buffer))).toBe(0);
    expect(Buffer.compare(outputBytes(r, 'b').bytes, Buffer.from(i64.buffer))).toBe(0);
    expect(decodeBytesTensor(outputBytes(r, 'c').bytes).map(String)).toEqual(['x', 'yz']);
    expect([...outputBytes(r, 'd').bytes]).toEqual([3, 250]);
  });

  it('takes raw contents as they are, and refuses what does not add up', () => {
    const raw = Buffer.from(Float32Array.of(1, 2).buffer);
    expect(outputBytes(res([{ name: 'a', datatype: 'FP32', shape: [2] }], [raw]), 'a').bytes).toBe(raw);
    expect(() => outputBytes(res([{ name: 'a', datatype: 'FP32', shape: [2] }], [raw]), 'b')).toThrow(/lacks output b/);
    expect(() => outputBytes(res([{ name: 'a', datatype: 'FP32', shape: [3], contents: { fp32_contents: [1, 2] } }]), 'a')).toThrow(
      /2 elements in its contents, its shape \[3\] says 3/,
    );
    expect(() => outputBytes(res([{ name: 'a', datatype: 'FP16', shape: [1], contents: {} }]), 'a')).toThrow(/lacks contents/);
  });
});
