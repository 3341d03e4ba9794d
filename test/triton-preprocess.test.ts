import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RgbImage } from '@roche/core';
import { openDocument } from '@roche/documents';
import { MODELS, normalizeChw, resizeForModel } from '@roche/inference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';

/**
 * The Triton Python-backend models of model_repo/ run here under CPython with Debian's OpenCV and a
 * stand-in for `triton_python_backend_utils` (tensors in, tensors out: the backend's own API, no
 * server). What they compute must equal, bit for bit, what Roche's client computes for the other
 * wires: PaddleX's Resize (cv2 INTER_CUBIC) and Normalize. No Triton can run here; the ensemble
 * wiring is checked by config tests and by the simulated GPU, the arithmetic is checked here.
 */
const PY = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import cv2, numpy'], { stdio: 'ignore' }).status === 0);
const REPO = path.resolve(import.meta.dirname, '../model_repo');

const DRIVER = `
import importlib.util, json, sys, types
import numpy as np

pb = types.ModuleType("triton_python_backend_utils")
class Tensor:
    def __init__(self, name, array): self._name, self._array = name, array
    def name(self): return self._name
    def as_numpy(self): return self._array
class TritonError(Exception):
    def __init__(self, msg): super().__init__(msg); self._msg = msg
    def message(self): return self._msg
class InferenceResponse:
    def __init__(self, output_tensors, error=None): self.output_tensors, self.error = output_tensors, error
class Request:
    def __init__(self, tensors): self.tensors = tensors
pb.Tensor, pb.TritonError, pb.InferenceResponse = Tensor, TritonError, InferenceResponse
pb.get_input_tensor_by_name = lambda request, name: request.tensors.get(name)
sys.modules["triton_python_backend_utils"] = pb

job = json.load(open(sys.argv[1]))
spec = importlib.util.spec_from_file_location("model", job["model"])
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
model = module.TritonPythonModel()
model.initialize({"model_config": json.dumps({"parameters": job["parameters"]})})
tensors = {}
for name, t in job["inputs"].items():
    if t["dtype"] == "BYTES":
        arr = np.empty((len(t["files"]), 1), dtype=object)
        for k, f in enumerate(t["files"]): arr[k, 0] = open(f, "rb").read()
    else:
        arr = np.frombuffer(open(t["file"], "rb").read(), dtype=t["dtype"]).reshape(t["shape"])
    tensors[name] = Tensor(name, arr)
[reply] = model.execute([Request(tensors)])
if reply.error is not None:
    print(json.dumps({"error": reply.error.message()}))
else:
    out = {}
    for t in reply.output_tensors:
        a = np.ascontiguousarray(t.as_numpy())
        open(job["out"] + "/" + t.name(), "wb").write(a.tobytes())
        out[t.name()] = {"dtype": str(a.dtype), "shape": list(a.shape)}
    print(json.dumps(out))
`;

/** `parameters` of a config.pbtxt, as Triton hands them to the model (model_config JSON). */
function pbtxtParameters(file: string, override: Record<string, string> = {}) {
  const params: Record<string, { string_value: string }> = {};
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/parameters \{ key: "(\w+)" value: \{ string_value: "([^"]*)" \} \}/g))
    params[m[1]!] = { string_value: m[2]! };
  for (const [k, v] of Object.entries(override)) params[k] = { string_value: v };
  return params;
}

let dir: string;
let pages: RgbImage[];
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-tpp-'));
  fs.writeFileSync(path.join(dir, 'driver.py'), DRIVER);
  const doc = await openDocument(makeTextPdf(2), 'pdf', { maxPages: 10, maxPagePixels: 1e8, dpi: 144 });
  // A rendered 144-dpi text page and a smaller odd-sized crop of it (up- and down-scaling, odd sizes).
  const first = await doc.renderPage(0);
  const w = 301;
  const h = 203;
  const crop = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    first.data.copy(crop, y * w * 3, ((y + 300) * first.width + 100) * 3, ((y + 300) * first.width + 100 + w) * 3);
  pages = [first, { width: w, height: h, data: crop }];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(model: string, parameters: Record<string, unknown>, inputs: Record<string, unknown>) {
  const out = fs.mkdtempSync(path.join(dir, 'out-'));
  const job = path.join(out, 'job.json');
  fs.writeFileSync(job, JSON.stringify({ model: path.join(REPO, model, '1/model.py'), parameters, inputs, out }));
  const r = spawnSync(PY!, [path.join(dir, 'driver.py'), job], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  const meta = JSON.parse(r.stdout) as Record<string, { dtype: string; shape: number[] }> & { error?: string };
  const read = (name: string) => fs.readFileSync(path.join(out, name));
  return { meta, read };
}

const f32 = (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));

describe('Triton preprocessing models (model_repo, Python backend) against Roche’s client-side preprocessing', () => {
  it.each([
    ['PP-DocLayout-L', {}],
    ['PP-DocLayout-M', { mean: '0.485,0.456,0.406', std: '0.229,0.224,0.225' }],
  ] as const)(
    'preprocess_doclayout_native: pages at their own size → the same tensors as resize + normalize in Roche (%s)',
    (name, norm) => {
      expect(PY, 'python3-opencv is needed (scripts/setup-test.sh installs it)').toBeDefined();
      const spec = MODELS[name]!;
      const files = pages.map((p, k) => {
        const f = path.join(dir, `page${k}.rgb`);
        fs.writeFileSync(f, p.data);
        return f;
      });
      const sizes = path.join(dir, 'sizes.i32');
      fs.writeFileSync(sizes, Buffer.from(Int32Array.from(pages.flatMap((p) => [p.height, p.width])).buffer));
      const { meta, read } = run(
        'preprocess_doclayout_native',
        pbtxtParameters(path.join(REPO, 'preprocess_doclayout_native/config.pbtxt'), norm),
        {
          image: { dtype: 'BYTES', files },
          image_size: { dtype: 'int32', file: sizes, shape: [pages.length, 2] },
        },
      );
      expect(meta.error).toBeUndefined();
      const s = spec.size;
      expect(meta.image_out).toEqual({ dtype: 'float32', shape: [pages.length, 3, s, s] });
      const image = read('image_out');
      const scale = f32(read('scale_factor'));
      const imShape = f32(read('im_shape'));
      pages.forEach((p, k) => {
        const prepared = resizeForModel(p, spec);
        const want = normalizeChw(prepared.pixels, s, spec);
        const got = image.subarray(k * 3 * s * s * 4, (k + 1) * 3 * s * s * 4);
        expect(Buffer.compare(got, Buffer.from(want.buffer)), `page ${k} tensor`).toBe(0);
        expect([scale[2 * k], scale[2 * k + 1]]).toEqual(prepared.scaleFactor.map(Math.fround));
        expect([imShape[2 * k], imShape[2 * k + 1]]).toEqual(prepared.imShape);
      });
    },
  );

  it('preprocess_doclayout_native refuses a page whose bytes do not match its size', () => {
    const f = path.join(dir, 'short.rgb');
    fs.writeFileSync(f, Buffer.alloc(10 * 10 * 3 - 1));
    const sizes = path.join(dir, 'short.i32');
    fs.writeFileSync(sizes, Buffer.from(Int32Array.of(10, 10).buffer));
    const { meta } = run('preprocess_doclayout_native', pbtxtParameters(path.join(REPO, 'preprocess_doclayout_native/config.pbtxt')), {
      image: { dtype: 'BYTES', files: [f] },
      image_size: { dtype: 'int32', file: sizes, shape: [1, 2] },
    });
    expect(meta.error).toMatch(/needs 300 bytes, got 299/);
  });

  it('preprocess_doclayout (the UINT8 ensemble): resized pixels → the same FP32 tensor as Roche normalizes', () => {
    const spec = MODELS['PP-DocLayout-M']!;
    const s = spec.size;
    const prepared = pages.map((p) => resizeForModel(p, spec));
    const f = path.join(dir, 'u8.bin');
    fs.writeFileSync(f, Buffer.concat(prepared.map((p) => p.pixels)));
    const params = pbtxtParameters(path.join(REPO, 'preprocess_doclayout/config.pbtxt'), {
      mean: '0.485,0.456,0.406',
      std: '0.229,0.224,0.225',
    });
    const { meta, read } = run('preprocess_doclayout', params, { image_u8: { dtype: 'uint8', file: f, shape: [pages.length, s, s, 3] } });
    expect(meta.image).toEqual({ dtype: 'float32', shape: [pages.length, 3, s, s] });
    const want = new Float32Array(pages.length * 3 * s * s);
    prepared.forEach((p, k) => normalizeChw(p.pixels, s, spec, want, k * 3 * s * s));
    expect(Buffer.compare(read('image'), Buffer.from(want.buffer))).toBe(0);
  });
});
