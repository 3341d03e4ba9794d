/**
 * Worker-thread side of the analyzer's pool: the geometric pass and the row classifier for one page
 * (pure JavaScript that nothing can interrupt on the thread it runs on; the pool's time limit can
 * stop this thread). The models load before the first request, so no page's time limit pays for them.
 */
import { serveRequests, type Region } from '@roche/core';
import { analyzeLayout, analyzeTextLayer, TEXT_MODEL_FEATURES, type AnalysisRequest } from './analyzer-engine.js';
import { RowModel, TEXT_MODEL_PATH } from './row-model.js';

const model = RowModel.load();
const textModel = RowModel.load(TEXT_MODEL_PATH, TEXT_MODEL_FEATURES);

serveRequests<AnalysisRequest, Region[]>((r) => {
  const page = { width: r.width, height: r.height, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) };
  return r.layer ? analyzeTextLayer(page, r.layer, textModel) : analyzeLayout(page, r.lines ?? [], model);
});
