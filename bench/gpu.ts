/**
 * Issue 10 figures: how well Roche keeps a GPU fed, against the simulated GPU of
 * test/support/sim-gpu.ts (KServe v2 over real gRPC, executions one at a time, cost on a timer) in
 * its own process; clients are separate processes (bench/support/gpu-client.ts) decoding real
 * 144-dpi pages. Ratios are measured in one run on a shared 2-core machine.
 *
 *   npm run bench:gpu -- [--documents 16] [--pages 8] [--fast-documents 96]
 */
import { fork, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDocument } from '@roche/documents';
import { MODELS, normalizeChw, resizeForModel } from '@roche/inference';
import type { RgbImage } from '@roche/core';
import { makeTextPdf } from '../test/support/documents.js';
import { SHARED_SAMPLES } from '../test/support/service.js';
import { startSimGpuProcess, WORKER_MALLOC_ENV, type SimGpu, type SimGpuOptions, type SimGpuStats } from '../test/support/sim-gpu.js';
import type { ClientJob, ClientResult } from './support/gpu-client.js';
import { writeBenchSection } from './report.js';

const { values } = parseArgs({
  options: {
    documents: { type: 'string', default: '16' },
    pages: { type: 'string', default: '8' },
    dpi: { type: 'string', default: '144' },
    /** Documents of the fast-GPU busy-share runs: long enough for a steady share (16 lasted half a second). */
    'fast-documents': { type: 'string', default: '96' },
  },
});
const FAST_DOCS = Number(values['fast-documents']);
const DOCS = Number(values.documents);
const PAGES = Number(values.pages);
const DPI = Number(values.dpi);
const CORES = os.cpus().length;
/** Resize threads per client process, as ROCHE_PREPROCESS_THREADS defaults. */
const THREADS = Math.min(4, os.availableParallelism());
const CLIENT = new URL('./support/gpu-client.ts', import.meta.url).pathname;

interface Run {
  results: ClientResult[];
  sim: SimGpuStats;
  pages: number;
  pagesPerSec: number;
}

/** Starts `jobs.length` client processes, lets them decode and connect, then runs them together. */
async function runClients(sim: SimGpu, jobs: ClientJob[], env: Record<string, string> = {}): Promise<Run> {
  const children = jobs.map((j) =>
    fork(CLIENT, [JSON.stringify(j)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...env },
    }),
  );
  const next = (c: (typeof children)[0]) =>
    new Promise<{ ready?: boolean; result?: ClientResult }>((resolve, reject) => {
      c.once('message', resolve as never);
      c.once('exit', (code) => reject(new Error(`client exited with ${code}`)));
    });
  await Promise.all(children.map(next));
  await sim.reset();
  const t0 = performance.now();
  const done = Promise.all(children.map(next));
  children.forEach((c) => c.send('go'));
  const results = (await done).map((m) => m.result!);
  const wall = performance.now() - t0;
  const stats = await sim.stats();
  for (const c of children) {
    c.removeAllListeners('exit');
    c.send('close');
  }
  const pages = results.reduce((s, r) => s + r.pages, 0);
  return { results, sim: stats, pages, pagesPerSec: pages / (wall / 1000) };
}

async function withSim<T>(opts: SimGpuOptions, fn: (sim: SimGpu) => Promise<T>): Promise<T> {
  const sim = await startSimGpuProcess(opts);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

const job = (url: string, o: Partial<ClientJob>): ClientJob => ({
  url,
  wire: 'uint8',
  maxBatch: 8,
  maxDelayMs: 5,
  documents: DOCS,
  pagesPerDocument: PAGES,
  concurrency: 16,
  dpi: DPI,
  threads: THREADS,
  ...o,
});
const sizes = (r: Run) =>
  Object.entries(r.sim.executionSizes)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
const cpuPerPage = (r: Run) => r.results.reduce((s, x) => s + x.cpuMs, 0) / r.pages;
/** The simulated server's whole process CPU (gRPC receive, decoding, replies, GC): on this machine it runs on the clients' cores. */
const serverCpuPerPage = (r: Run) => (r.sim.serverCpuMs ?? NaN) / r.pages;
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;

// 1. Client preprocessing alone, one core, from decoded pages.
const doc = await openDocument(makeTextPdf(PAGES), 'pdf', { maxPages: 1000, maxPagePixels: 1e8, dpi: DPI });
const pages: RgbImage[] = [];
for (let i = 0; i < PAGES; i++) pages.push(await doc.renderPage(i));
const spec = MODELS['PP-DocLayout-L']!;
/** CPU time (user + system) per page of `fn` over `n` pages: steadier than wall time on a shared machine. */
const time = (fn: () => void, n = pages.length, reps = 5) => {
  fn();
  const c0 = process.cpuUsage();
  for (let i = 0; i < reps; i++) fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / reps / n;
};
// A dense form page too (fw9 from ../shared/samples, when present): fewer blank rows to skip.
const fw9Path = path.join(SHARED_SAMPLES, 'pdfs', 'fw9.pdf');
const dense: RgbImage[] = [];
if (fs.existsSync(fw9Path)) {
  const d = await openDocument(fs.readFileSync(fw9Path), 'pdf', { maxPages: 1000, maxPagePixels: 1e8, dpi: DPI });
  for (let i = 0; i < Math.min(4, d.pageCount); i++) dense.push(await d.renderPage(i));
}
const denseMs = dense.length ? time(() => dense.forEach((p) => resizeForModel(p, spec)), dense.length) : NaN;
const resizeMs = time(() => pages.forEach((p) => resizeForModel(p, spec)));
const resized = pages.map((p) => resizeForModel(p, spec));
const normalizeMs = time(() => resized.forEach((r) => normalizeChw(r.pixels, spec.size, spec)));
const same = resized.map((r) => ({ data: r.pixels, width: spec.size, height: spec.size }));
const identityMs = time(() => same.forEach((p) => resizeForModel(p, spec)));

/**
 * The native wire moves resize and normalization to the Triton host (model_repo
 * preprocess_doclayout_native: cv2 in a Python-backend instance). The simulated server charges that
 * on a timer, per page, on PRE_INSTANCES instances: cv2's CPU time for one of these pages, measured
 * here with Debian's OpenCV when it is installed (else the cv2-exact port's, which is slower).
 */
const PRE_INSTANCES = 4;
function cv2PageMs(): { ms: number; by: string } | undefined {
  const py = `
import sys, time, numpy as np, cv2
cv2.setNumThreads(1)
img = np.frombuffer(sys.stdin.buffer.read(), np.uint8).reshape(${pages[0]!.height}, ${pages[0]!.width}, 3)
a = np.float32(1 / 255)
def one():
    y = cv2.resize(img, (640, 640), interpolation=cv2.INTER_CUBIC).transpose(2, 0, 1).astype(np.float32); y *= a; y += 0
one(); t = time.process_time()
for _ in range(20): one()
print((time.process_time() - t) / 20 * 1000)`;
  const r = spawnSync('/usr/bin/python3', ['-c', py], { input: pages[0]!.data, encoding: 'utf8' });
  return r.status === 0 ? { ms: Number(r.stdout.trim()), by: 'cv2 (python3-opencv), one thread' } : undefined;
}
const preCost = cv2PageMs() ?? { ms: resizeMs + normalizeMs, by: "Roche's cv2-exact port (no OpenCV here)" };
const preprocess = { pageMs: preCost.ms, instances: PRE_INSTANCES };

/** glibc settings of the worker services (compose.yaml, deploy/k8s/base/worker.yaml): freed memory is reused, not unmapped. The simulated server runs with them too. */
const WORKER_MALLOC = WORKER_MALLOC_ENV;

// 2. Whole client process CPU per page, against a GPU that costs nothing.
const free = await withSim({ execMs: 0, pageMs: 0, maxBatch: 8, preprocess }, async (sim) => ({
  u8: await runClients(sim, [job(sim.url, { wire: 'uint8', threads: 0 })]),
  f32: await runClients(sim, [job(sim.url, { wire: 'fp32', threads: 0 })]),
  u8Pool: await runClients(sim, [job(sim.url, { wire: 'uint8' })]),
  native: await runClients(sim, [job(sim.url, { wire: 'native', threads: 0 })]),
  u8Warm: await runClients(sim, [job(sim.url, { wire: 'uint8', threads: 0 })], WORKER_MALLOC),
  f32Warm: await runClients(sim, [job(sim.url, { wire: 'fp32', threads: 0 })], WORKER_MALLOC),
  nativeWarm: await runClients(sim, [job(sim.url, { wire: 'native', threads: 0 })], WORKER_MALLOC),
  // As a deployed worker runs: resize pool, the glibc settings, PDF pages from the render pool.
  u8Deployed: await runClients(sim, [job(sim.url, { wire: 'uint8', renderPool: true })], WORKER_MALLOC),
  f32Deployed: await runClients(sim, [job(sim.url, { wire: 'fp32', renderPool: true })], WORKER_MALLOC),
  // The same with pages in ordinary memory (an image upload decoded by sharp).
  u8DeployedHeap: await runClients(sim, [job(sim.url, { wire: 'uint8' })], WORKER_MALLOC),
  f32DeployedHeap: await runClients(sim, [job(sim.url, { wire: 'fp32' })], WORKER_MALLOC),
}));

// 3. GPU-bound: a 10× slower GPU (100 ms + 10 ms per page).
const slow = { execMs: 100, pageMs: 10, maxBatch: 8, preprocess };
const idealSlow = 8 / ((slow.execMs + 8 * slow.pageMs) / 1000);
const gpuBound = await withSim(slow, async (sim) => ({
  batched: await runClients(sim, [job(sim.url, {})]),
  inline: await runClients(sim, [job(sim.url, { threads: 0 })]),
  single: await runClients(sim, [job(sim.url, { maxBatch: 1, documents: Math.max(1, DOCS / 4) })]),
  native: await runClients(sim, [job(sim.url, { wire: 'native', threads: 0 })]),
  u8Warm: await runClients(sim, [job(sim.url, { wire: 'uint8', threads: 0 })], WORKER_MALLOC),
  f32Warm: await runClients(sim, [job(sim.url, { wire: 'fp32', threads: 0 })], WORKER_MALLOC),
  nativeWarm: await runClients(sim, [job(sim.url, { wire: 'native', threads: 0 })], WORKER_MALLOC),
}));

// 4. Fast GPU (10 ms + 1 ms per page): busy share with one client process per core. The simulated
// server's gRPC runs on node:http2 (test/support/grpc-h2-server.ts): grpc-js's server spent 2.2-3.1
// ms of CPU per page of the 2 cores the clients need (a GPU server's is another machine's); one row
// with grpc-js's server for comparison.
const fast = { execMs: 10, pageMs: 1, maxBatch: 8, preprocess, transport: 'h2' as const };
const idealFast = 8 / ((fast.execMs + 8 * fast.pageMs) / 1000);
const perCoreJobs = (url: string) =>
  Array.from({ length: CORES }, () => job(url, { documents: Math.ceil(FAST_DOCS / CORES), renderPool: true }));
const fastRuns = await withSim(fast, async (sim) => ({
  one: await runClients(sim, [job(sim.url, { renderPool: true, documents: FAST_DOCS })], WORKER_MALLOC),
  perCore: await runClients(sim, perCoreJobs(sim.url), WORKER_MALLOC),
  perCoreGrpcJs: await withSim({ ...fast, transport: 'grpc-js' }, (js) => runClients(js, perCoreJobs(js.url), WORKER_MALLOC)),
  nativeOne: await runClients(sim, [job(sim.url, { wire: 'native', threads: 0, documents: DOCS * 2 })]),
  nativePerCore: await runClients(
    sim,
    Array.from({ length: CORES }, () => job(sim.url, { wire: 'native', threads: 0, documents: Math.ceil((DOCS * 2) / CORES) })),
  ),
}));

// 5. One document at a time, fast GPU: batching on vs off in the same client process, alternating
// document by document (on, off, off, on, …) so both see the same machine load.
const oneDoc = await withSim(fast, async (sim) => {
  const docs = Math.max(16, 2 * DOCS);
  const seq = await runClients(sim, [job(sim.url, { documents: docs, concurrency: 1, sequentialDocuments: true, compareMaxBatch: 1 })]);
  const doc = await runClients(sim, [job(sim.url, { documents: docs, concurrency: PAGES, sequentialDocuments: true, compareMaxBatch: 1 })]);
  const rate = (r: Run, which: 'mainMs' | 'otherMs') => (r.pages / r.results[0]!.compare![which]) * 1000;
  const batchSizes = (b: ClientResult['batches']) =>
    Object.entries(b.sizes)
      .filter(([, c]) => c > 0)
      .map(([k, c]) => `${k}×${c}`)
      .join(' ');
  return {
    seqMedian: seq.results[0]!.compare!.medianRatio,
    docMedian: doc.results[0]!.compare!.medianRatio,
    seqOn: rate(seq, 'mainMs'),
    seqOff: rate(seq, 'otherMs'),
    docOn: rate(doc, 'mainMs'),
    docOff: rate(doc, 'otherMs'),
    seqSizes: batchSizes(seq.results[0]!.batches),
    docSizes: batchSizes(doc.results[0]!.batches),
    docs,
  };
});

const f = (x: number, d = 1) => x.toFixed(d);
const lines = [
  '## Feeding the GPU (issue 10)',
  '',
  `\`npm run bench:gpu -- --documents ${DOCS} --pages ${PAGES}\` — ${new Date().toISOString().slice(0, 10)}, ${CORES} cores (shared with other work), Node ${process.version}.`,
  `Simulated GPU: test/support/sim-gpu.ts in its own process — real KServe v2 gRPC on loopback, executions one at a time, each costing \`exec + page × pages\` on a timer (virtual clock, so timer lateness delays replies, not the GPU), no server-side dynamic batching. Clients: separate processes, each decoding ${PAGES} generated text pages at ${DPI} dpi (${pages[0]!.width}×${pages[0]!.height}) before timing and running the whole job once untimed (steady state, as in a worker that has been running), then running ${DOCS} documents × ${PAGES} pages as page jobs (16 in flight per process) through the Triton engine with PP-DocLayout-L tensors (cv2-exact INTER_CUBIC to 640×640; UINT8 to \`pp_doclayout_u8\` unless noted), micro-batching ≤ 8 with a 5 ms delay.`,
  '',
  '### Client CPU per page',
  '',
  'Kernels: CPU time on one core. Whole client process: CPU time of the process (all threads) over the pages of a run against a GPU that costs nothing.',
  '',
  '| | ms per page |',
  '|---|---|',
  `| INTER_CUBIC ${pages[0]!.width}×${pages[0]!.height} → 640×640, generated text page (one core) | ${f(resizeMs)} |`,
  ...(dense.length ? [`| INTER_CUBIC, IRS form fw9 pages (dense rules and text, ../shared/samples) | ${f(denseMs)} |`] : []),
  `| same, page already 640×640 (copy, as cv2) | ${f(identityMs, 2)} |`,
  `| normalization to FP32 CHW (FP32 wire only) | ${f(normalizeMs)} |`,
  `| whole client process, UINT8 (decoded page → request → regions; CPU time / pages) | ${f(cpuPerPage(free.u8))} |`,
  `| whole client process, FP32 | ${f(cpuPerPage(free.f32))} |`,
  `| whole client process, UINT8, resize on ${THREADS} pool threads (all threads' CPU) | ${f(cpuPerPage(free.u8Pool))} |`,
  `| whole client process, native size (\`pp_doclayout_native\`: the server resizes and normalizes) | ${f(cpuPerPage(free.native))} |`,
  `| with the worker services' glibc settings (\`MALLOC_MMAP_THRESHOLD_\`, \`MALLOC_TRIM_THRESHOLD_\`): UINT8 / FP32 / native | ${f(cpuPerPage(free.u8Warm))} / ${f(cpuPerPage(free.f32Warm))} / ${f(cpuPerPage(free.nativeWarm))} |`,
  `| **as a deployed worker runs** (glibc settings, resize on ${THREADS} pool threads, PDF pages rendered into shared memory by the render pool): UINT8 / FP32 | **${f(cpuPerPage(free.u8Deployed))} / ${f(cpuPerPage(free.f32Deployed))}** |`,
  `| same, pages in ordinary memory (an image upload decoded by sharp: one copy per page to a resize thread): UINT8 / FP32 | ${f(cpuPerPage(free.u8DeployedHeap))} / ${f(cpuPerPage(free.f32DeployedHeap))} |`,
  '',
  `Native wire: ${f(free.native.pagesPerSec)} pages/s from one client process on the zero-cost GPU, ${((pages[0]!.width * pages[0]!.height * 3) / 2 ** 20).toFixed(1)} MiB per page on the wire (UINT8: 1.2 MiB), longest event-loop stall ${f(free.native.results[0]!.maxLoopLagMs, 0)} ms. The server's preprocessing is charged on its own clock: ${f(preCost.ms)} ms per page (${preCost.by}, measured in this run) on ${PRE_INSTANCES} instances.`,
  '',
  `Targets: ≤ 5 ms (UINT8) and ≤ 10 ms (FP32) per page. The whole-process figure includes gRPC/protobuf, post-processing and reading order; on a zero-cost GPU one client process ran ${f(free.u8.pagesPerSec)} pages/s (UINT8), ${f(free.f32.pagesPerSec)} (FP32), ${f(free.u8Pool.pagesPerSec)} (UINT8, resize pool); longest event-loop stall ${f(free.u8.results[0]!.maxLoopLagMs, 0)} ms on the event loop, ${f(free.u8Pool.results[0]!.maxLoopLagMs, 0)} ms with the pool.`,
  '',
  `### GPU-bound: ${slow.execMs} ms + ${slow.pageMs} ms per page (ideal at batch 8: ${f(idealSlow)} pages/s)`,
  '',
  '| client | pages/s | × ideal | GPU busy | executions by size |',
  '|---|---|---|---|---|',
  `| micro-batched ≤ 8, resize on ${THREADS} threads | ${f(gpuBound.batched.pagesPerSec)} | ${f(gpuBound.batched.pagesPerSec / idealSlow, 2)} | ${pct(gpuBound.batched.sim.busyShare)} | ${sizes(gpuBound.batched)} |`,
  `| micro-batched ≤ 8, resize on the event loop | ${f(gpuBound.inline.pagesPerSec)} | ${f(gpuBound.inline.pagesPerSec / idealSlow, 2)} | ${pct(gpuBound.inline.sim.busyShare)} | ${sizes(gpuBound.inline)} |`,
  `| one page per RPC, resize on ${THREADS} threads | ${f(gpuBound.single.pagesPerSec)} | ${f(gpuBound.single.pagesPerSec / idealSlow, 2)} | ${pct(gpuBound.single.sim.busyShare)} | ${sizes(gpuBound.single)} |`,
  `| micro-batched ≤ 8, native size (server preprocesses) | ${f(gpuBound.native.pagesPerSec)} | ${f(gpuBound.native.pagesPerSec / idealSlow, 2)} | ${pct(gpuBound.native.sim.busyShare)} | ${sizes(gpuBound.native)} |`,
  '',
  `Micro-batched / one page per RPC: **${f(gpuBound.batched.pagesPerSec / gpuBound.single.pagesPerSec, 2)}×** (target ≥ 4×; the cost model allows ${f(idealSlow / (1000 / (slow.execMs + slow.pageMs)), 2)}×); micro-batched / ideal: **${f(gpuBound.batched.pagesPerSec / idealSlow, 2)}×** (target ≥ 0.9×). Client CPU ${f(cpuPerPage(gpuBound.batched))} ms per page with the pool, ${f(cpuPerPage(gpuBound.inline))} without; longest event-loop stall ${f(gpuBound.batched.results[0]!.maxLoopLagMs, 0)} ms with the pool, ${f(gpuBound.inline.results[0]!.maxLoopLagMs, 0)} ms without.`,
  '',
  `### Fast GPU: ${fast.execMs} ms + ${fast.pageMs} ms per page (ideal at batch 8: ${f(idealFast)} pages/s)`,
  '',
  '| clients | pages/s | GPU busy | executions by size | client CPU per page | simulated server CPU per page |',
  '|---|---|---|---|---|---|',
  `| 1 process (UINT8 runs: as a deployed worker runs, above) | ${f(fastRuns.one.pagesPerSec)} | ${pct(fastRuns.one.sim.busyShare)} | ${sizes(fastRuns.one)} | ${f(cpuPerPage(fastRuns.one))} ms | ${f(serverCpuPerPage(fastRuns.one))} ms |`,
  `| **${CORES} processes (one per core)** | ${f(fastRuns.perCore.pagesPerSec)} | **${pct(fastRuns.perCore.sim.busyShare)}** | ${sizes(fastRuns.perCore)} | ${f(cpuPerPage(fastRuns.perCore))} ms | ${f(serverCpuPerPage(fastRuns.perCore))} ms |`,
  `| ${CORES} processes, simulated server on grpc-js's gRPC server | ${f(fastRuns.perCoreGrpcJs.pagesPerSec)} | ${pct(fastRuns.perCoreGrpcJs.sim.busyShare)} | ${sizes(fastRuns.perCoreGrpcJs)} | ${f(cpuPerPage(fastRuns.perCoreGrpcJs))} ms | ${f(serverCpuPerPage(fastRuns.perCoreGrpcJs))} ms |`,
  `| 1 process, native size | ${f(fastRuns.nativeOne.pagesPerSec)} | ${pct(fastRuns.nativeOne.sim.busyShare)} | ${sizes(fastRuns.nativeOne)} | ${f(cpuPerPage(fastRuns.nativeOne))} ms | ${f(serverCpuPerPage(fastRuns.nativeOne))} ms |`,
  `| ${CORES} processes, native size | ${f(fastRuns.nativePerCore.pagesPerSec)} | ${pct(fastRuns.nativePerCore.sim.busyShare)} | ${sizes(fastRuns.nativePerCore)} | ${f(cpuPerPage(fastRuns.nativePerCore))} ms | ${f(serverCpuPerPage(fastRuns.nativePerCore))} ms |`,
  '',
  `UINT8 runs: ${FAST_DOCS} documents of ${PAGES} pages in all, each client process running its share with 16 pages in flight. The simulated server answers gRPC from node:http2 with request buffers reused (test/support/grpc-h2-server.ts; every sim-gpu test runs over both servers); grpc-js's server, which joins each request into a fresh buffer and leaves it to the garbage collector, is the row below it.`,
  '',
  `Target: GPU busy ≥ 80 % with one process per core. Here clients and the simulated GPU share ${CORES} cores, so this GPU (≈ ${f(idealFast, 0)} pages/s) is fed only as fast as the client CPU allows: at ${f(cpuPerPage(fastRuns.perCore))} ms of CPU per page (UINT8), ${CORES} cores feed at most ≈ ${f((CORES * 1000) / cpuPerPage(fastRuns.perCore), 0)} pages/s; native size, ${f(cpuPerPage(fastRuns.nativePerCore))} ms, ≈ ${f((CORES * 1000) / cpuPerPage(fastRuns.nativePerCore), 0)} pages/s — and the simulated server's own process (receiving, decoding, answering, its GC: ${f(serverCpuPerPage(fastRuns.perCore))} ms of CPU per page with UINT8, ${f(serverCpuPerPage(fastRuns.nativePerCore))} with native-size pages of ${((pages[0]!.width * pages[0]!.height * 3) / 2 ** 20).toFixed(1)} MiB; a GPU server's CPU is another machine's) runs on the same cores: clients and server together leave at most ≈ ${f((CORES * 1000) / (cpuPerPage(fastRuns.perCore) + serverCpuPerPage(fastRuns.perCore)), 0)} pages/s with UINT8 and ≈ ${f((CORES * 1000) / (cpuPerPage(fastRuns.nativePerCore) + serverCpuPerPage(fastRuns.nativePerCore)), 0)} with native-size pages here. Native runs carry twice the documents (longer runs, steadier shares).`,
  '',
  '### One document at a time (fast GPU): batching on vs off',
  '',
  '| | batching on (≤ 8) | off (1) | on / off | median over documents of on / off | batches sent with batching on |',
  '|---|---|---|---|---|---|',
  `| pages one at a time | ${f(oneDoc.seqOn)} | ${f(oneDoc.seqOff)} | ${f(oneDoc.seqOn / oneDoc.seqOff, 3)} | ${f(oneDoc.seqMedian, 3)} | ${oneDoc.seqSizes} |`,
  `| a document's ${PAGES} pages in flight together | ${f(oneDoc.docOn)} | ${f(oneDoc.docOff)} | ${f(oneDoc.docOn / oneDoc.docOff, 3)} | ${f(oneDoc.docMedian, 3)} | ${oneDoc.docSizes} |`,
  '',
  `pages/s over ${oneDoc.docs} documents of ${PAGES} pages, each document run by both engines in one client process back to back, alternating which goes first (on, off, off, on, …), after one untimed pass. Two summaries of the same runs: the ratio of the sums, and the median of the per-document ratios (a burst of load elsewhere lands on one document's pair rather than on the whole figure); each moves by a few per cent from run to run on this shared machine. Target: on ≥ 0.98× off. With pages one at a time the adaptive batcher sends each page at once (nothing else is being prepared), so on and off send the same requests.`,
];
console.log(lines.join('\n'));
await writeBenchSection('gpu', lines.join('\n'));
