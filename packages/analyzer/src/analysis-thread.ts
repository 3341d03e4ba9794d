/**
 * Worker-thread side of the analyzer's pool: text detection (its own onnxruntime session, which runs
 * on this thread), the geometric pass and the row classifier for one page — work that nothing can
 * interrupt on the thread it runs on; the pool's time limit can stop this thread. The models load
 * before the first request, so no page's time limit pays for them.
 */
import { workerData } from 'node:worker_threads';
import { serveRequests, type Region } from '@roche/core';
import { TextDetector, type TextDetectorOptions } from '@roche/inference';
import { analyzeLayout, analyzeTextLayer, TEXT_MODEL_FEATURES, type AnalysisRequest } from './analyzer-engine.js';
import { RowModel, TEXT_MODEL_PATH } from './row-model.js';

const model = RowModel.load();
const textModel = RowModel.load(TEXT_MODEL_PATH, TEXT_MODEL_FEATURES);
const detector = await TextDetector.create((workerData ?? {}) as TextDetectorOptions);

serveRequests<AnalysisRequest, Region[]>(async (r) => {
  const page = { width: r.width, height: r.height, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) };
  if (r.layer) return analyzeTextLayer(page, r.layer, textModel);
  return analyzeLayout(page, r.lines ?? (await detector.detect(page)), model);
});
