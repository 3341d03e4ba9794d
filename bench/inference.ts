/**
 * Issue 3 figures, one run on the same pages: pages/s for (a) in-process ONNX Runtime,
 * (b) the Triton engine with one page per request, (c) the Triton engine with cross-document
 * micro-batching, plus bytes per page on the wire (FP32 vs UINT8). The "Triton" is Roche's KServe v2
 * test server (test/support/kserve-server.ts) on loopback, serving the PP-OCRv4 detector with
 * onnxruntime-node: real gRPC and a real model, but not NVIDIA's server, and on the same 2 CPU cores.
 *
 *   npm run bench:inference -- [--pages 24]
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { openDocument } from '@roche/documents';
import {
  MODELS,
  normalizeChw,
  normalizeToChwBgr,
  parsePipelineConfig,
  PpDocLayoutAdapter,
  resizeForModel,
  TextDetAdapter,
  TextDetector,
  TritonClient,
  TritonEngine,
} from '@roche/inference';
import type { RgbImage } from '@roche/core';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { makeTextPdf } from '../test/support/documents.js';
import { startKserveServer } from '../test/support/kserve-server.js';
import { FIXTURE_PAGE } from '../test/support/service.js';
import { writeBenchSection } from './report.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '24' }, concurrency: { type: 'string', default: '8' } } });
const N = Number(values.pages);
const CONC = Number(values.concurrency);
const SIZE = 640;

// Pages: the shipped W-9 page and generated text pages at 100 dpi.
const doc = await openDocument(makeTextPdf(N), 'pdf', { maxPages: 1000, maxPagePixels: 1e8, dpi: 100 });
const fixture = await sharp(fs.readFileSync(FIXTURE_PAGE)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
const pages: RgbImage[] = [{ data: fixture.data, width: fixture.info.width, height: fixture.info.height }];
for (let i = 0; pages.length < N; i++) pages.push(await doc.renderPage(i));

/** Runs `fn` over all pages with `conc` in flight, as concurrent page jobs in a worker do. */
async function throughput(fn: (p: RgbImage) => Promise<unknown>, conc: number): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < pages.length) await fn(pages[next++]!);
    }),
  );
  return pages.length / ((performance.now() - t0) / 1000);
}

// (a) In-process: same model, same 640×640 input, one page per run, one ORT thread (as the server).
const session = await ort.InferenceSession.create(TextDetector.defaultModelPath(), { executionProviders: ['cpu'], intraOpNumThreads: 1 });
const adapter = new TextDetAdapter('ppocr-det', SIZE, 'fp32');
const inProcess = await throughput(async (p) => {
  const item = await adapter.prepare(p);
  await session.run({ x: new ort.Tensor('float32', normalizeToChwBgr(item.pixels, SIZE, SIZE), [1, 3, SIZE, SIZE]) });
}, CONC);
await session.release();

const server = await startKserveServer({ maxBatch: 8 });
const engine = async (model: string, wire: 'fp32' | 'uint8', maxBatch: number) =>
  TritonEngine.create(new TritonClient({ url: server.url, timeoutMs: 120_000 }), new TextDetAdapter(model, SIZE, wire), {
    maxBatch,
    maxDelayMs: 5,
    maxInFlight: 64,
  });

const single = await engine('ppocr-det', 'fp32', 1);
const singleRate = await throughput((p) => single.analyze([p]), CONC);
const batched = await engine('ppocr-det', 'fp32', 8);
const batchedRate = await throughput((p) => batched.analyze([p]), CONC);
const u8 = await engine('ppocr-det-u8', 'uint8', 8);
const u8Rate = await throughput((p) => u8.analyze([p]), CONC);
const avgBatch = (e: { wire: { pages: number; requests: number } }) => (e.wire.pages / e.wire.requests).toFixed(1);
await Promise.all([single.close(), batched.close(), u8.close()]);

// PP-DocLayout-L's real tensors (cv2-exact resize, PaddleX normalization, image + im_shape +
// scale_factor in, boxes + counts out) against the test server's synthetic PP-DocLayout, which
// does no real compute: what it measures is Roche's side and the transport, the ceiling a real
// model's time adds to.
const cfg = parsePipelineConfig(fs.readFileSync(new URL('../pipeline_config.yaml', import.meta.url), 'utf8')).SubModules.LayoutDetection;
const docEngine = async (model: string, wire: 'fp32' | 'uint8', maxBatch: number) =>
  TritonEngine.create(new TritonClient({ url: server.url, timeoutMs: 120_000 }), PpDocLayoutAdapter.forModel(model, cfg, wire), {
    maxBatch,
    maxDelayMs: 5,
    maxInFlight: 64,
  });
const docSingle = await docEngine('pp_doclayout', 'fp32', 1);
const docSingleRate = await throughput((p) => docSingle.analyze([p]), CONC);
const docBatched = await docEngine('pp_doclayout', 'fp32', 8);
const docBatchedRate = await throughput((p) => docBatched.analyze([p]), CONC);
const docU8 = await docEngine('pp_doclayout_u8', 'uint8', 8);
const docU8Rate = await throughput((p) => docU8.analyze([p]), CONC);
await Promise.all([docSingle.close(), docBatched.close(), docU8.close()]);
await server.close();

// Client preprocessing alone, one core: resize (port of cv2 INTER_CUBIC) and normalize, per page.
const specL = MODELS['PP-DocLayout-L']!;
let t0 = performance.now();
const resized = pages.map((p) => resizeForModel(p, specL));
const resizeMs = (performance.now() - t0) / pages.length;
t0 = performance.now();
for (const r of resized) normalizeChw(r.pixels, specL.size, specL);
const normalizeMs = (performance.now() - t0) / pages.length;
t0 = performance.now();
for (const p of pages)
  await sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
    .resize(640, 640, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer();
const sharpMs = (performance.now() - t0) / pages.length;

const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
const lines = [
  '## Inference paths (issue 3)',
  '',
  `\`npm run bench:inference -- --pages ${N} --concurrency ${CONC}\` — ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Node ${process.version}; ${N} pages (W-9 page 2 + generated text pages), each resized to ${SIZE}×${SIZE}, ${CONC} pages in flight.`,
  'Model: PP-OCRv4 DB detector (stand-in for PP-DocLayout, which is not available here) on onnxruntime-node, 1 intra-op thread, CPU.',
  "The Triton side is Roche's KServe v2 test server in the same process on loopback: real gRPC and protobuf, real model, not NVIDIA Triton, and it shares the 2 cores with the client.",
  '',
  '| path | pages/s | requests | avg pages per request | wire bytes per page |',
  '|---|---|---|---|---|',
  `| (a) in-process ONNX Runtime | ${inProcess.toFixed(2)} | — | — | 0 |`,
  `| (b) Triton engine, one page per request (FP32) | ${singleRate.toFixed(2)} | ${single.wire.requests} | ${avgBatch(single)} | ${mb(single.wire.bytes / single.wire.pages)} |`,
  `| (c) Triton engine, micro-batched ≤ 8, 5 ms (FP32) | ${batchedRate.toFixed(2)} | ${batched.wire.requests} | ${avgBatch(batched)} | ${mb(batched.wire.bytes / batched.wire.pages)} |`,
  `| (c') micro-batched, UINT8 pixels, normalized server-side | ${u8Rate.toFixed(2)} | ${u8.wire.requests} | ${avgBatch(u8)} | ${mb(u8.wire.bytes / u8.wire.pages)} |`,
  '',
  "PP-DocLayout-L tensors (640×640 `image` + `im_shape` + `scale_factor`; boxes `[N, 3, 6]` + counts back) on the test server's synthetic PP-DocLayout, which computes nothing: Roche's preprocessing, post-processing and the transport only, i.e. the ceiling before a real model's time.",
  '',
  '| path | pages/s | requests | avg pages per request | wire bytes per page |',
  '|---|---|---|---|---|',
  `| (b) PP-DocLayout-L, one page per request (FP32) | ${docSingleRate.toFixed(2)} | ${docSingle.wire.requests} | ${avgBatch(docSingle)} | ${docSingle.wire.bytes / docSingle.wire.pages} B |`,
  `| (c) PP-DocLayout-L, micro-batched ≤ 8, 5 ms (FP32) | ${docBatchedRate.toFixed(2)} | ${docBatched.wire.requests} | ${avgBatch(docBatched)} | ${docBatched.wire.bytes / docBatched.wire.pages} B |`,
  `| (c') PP-DocLayout-L, micro-batched, UINT8 (model repo normalizes) | ${docU8Rate.toFixed(2)} | ${docU8.wire.requests} | ${avgBatch(docU8)} | ${docU8.wire.bytes / docU8.wire.pages} B |`,
  '',
  `Client preprocessing per page on one core: ${resizeMs.toFixed(1)} ms resize to 640×640 (the port of OpenCV's INTER_CUBIC, bit-identical to cv2; sharp's cubic took ${sharpMs.toFixed(1)} ms on the same pages but gives different pixels) + ${normalizeMs.toFixed(1)} ms normalization (FP32 wire only). The resize bounds a worker at about ${(1000 / resizeMs).toFixed(0)} pages/s per core before any model time.`,
  '',
  batchedRate < singleRate
    ? `Here micro-batching was ${((1 - batchedRate / singleRate) * 100).toFixed(0)} % slower than single-page requests: the server runs concurrent single requests in parallel on both cores, while a batch is one ORT call on one thread. On CPU, batching only saves round trips; its purpose is GPU utilisation, which cannot be measured on these machines. Keep ROCHE_BATCH_MAX=1 for CPU Triton deployments.`
    : 'Micro-batching helped here by saving round trips; on a GPU its purpose is utilisation, which cannot be measured on these machines.',
  'UINT8 pixels with normalization in the model repository cut the wire cost 4× (for PP-DocLayout-L at 640×640: 4.9 MB as FP32, 1.2 MB as UINT8, + 16 bytes of im_shape/scale_factor); batched UINT8 ran at ' +
    u8Rate.toFixed(2) +
    ' pages/s against ' +
    batchedRate.toFixed(2) +
    ' for batched FP32.',
];
console.log(lines.join('\n'));
await writeBenchSection('inference', lines.join('\n'));
