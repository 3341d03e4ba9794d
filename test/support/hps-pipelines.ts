import { groupLines, type TextDetector } from '@roche/inference';
import sharp from 'sharp';

/**
 * The PaddleX HPS pipelines of the test server (kserve-server.ts), written from PaddleX's serving
 * schemas (`paddlex/inference/serving/schemas/{layout_parsing,formula_recognition,object_detection}.py`)
 * and HPS models (`deploy/hps/sdk/pipelines/<pipeline>/server/model_repo/<name>/1/model.py`):
 *   - requests are checked as pydantic would (wrong types → errorCode 422, unknown keys ignored);
 *   - `layout-parsing` / `formula-recognition` reply `{layoutParsingResults | formulaRecResults:
 *     [{prunedResult, outputImages, inputImage}], dataInfo}`; `prunedResult` is the pipeline's JSON
 *     minus `input_path`: `page_index`, `model_settings`, `doc_preprocessor_res` (only when it ran),
 *     `layout_det_res.boxes[{cls_id, label, score, coordinate}]`, and for formulas `formula_res_list
 *     [{rec_formula, formula_region_id, dt_polys: [[x1, y1, x2, y2]]}]` (the pipeline's `_to_json`
 *     wraps dt_polys in a one-element tuple);
 *   - the stock configs turn the document preprocessor on, so a request that does not set both
 *     `useDocOrientationClassify` and `useDocUnwarping` gets `use_doc_preprocessor: true` back;
 *   - `object-detection` takes `image` and `threshold` and replies `{detectedObjects: [{bbox,
 *     categoryId, categoryName, score}], image}`.
 * Detection itself is the real PP-OCRv4 text detector with lines grouped into blocks: blocks are
 * `text`, and for formula recognition the last block of the page is called a `formula` (class 7) with
 * LaTeX naming its index, so the reply shapes are real even though the "model" is not.
 */
export const HPS_MODELS = ['layout-parsing', 'formula-recognition', 'object-detection'] as const;
export type HpsModel = (typeof HPS_MODELS)[number];

type Envelope = { logId: string; errorCode: number; errorMsg: string; result?: unknown };
const ok = (result: unknown): Envelope => ({ logId: 'test', errorCode: 0, errorMsg: 'Success', result });
const err = (code: number, msg: string): Envelope => ({ logId: 'test', errorCode: code, errorMsg: msg });

const isNum = (v: unknown) => typeof v === 'number';
const isPair = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every(isNum);

/** pydantic's verdict on the fields Roche may send; `null` when the body is valid. */
function schemaError(model: HpsModel, b: Record<string, unknown>): string | null {
  const bad = (f: string, why: string) => `${f}: ${why}`;
  if (model === 'object-detection') {
    if (typeof b.image !== 'string') return bad('image', 'Field required');
    const t = b.threshold;
    if (t !== undefined && t !== null && !isNum(t)) {
      if (typeof t !== 'object' || Array.isArray(t)) return bad('threshold', 'Input should be a valid number or dictionary');
      for (const [k, v] of Object.entries(t as object))
        if (!/^-?\d+$/.test(k) || !isNum(v)) return bad(`threshold.${k}`, 'Input should be a valid integer key with a number value');
    }
    if (b.layoutUnclipRatio !== undefined && !isNum(b.layoutUnclipRatio) && !isPair(b.layoutUnclipRatio))
      return bad('layoutUnclipRatio', 'Input should be a valid number or list of 2');
    if (b.layoutMergeBboxesMode !== undefined && !['union', 'large', 'small'].includes(b.layoutMergeBboxesMode as string))
      return bad('layoutMergeBboxesMode', "Input should be 'union', 'large' or 'small'");
    return null;
  }
  if (typeof b.file !== 'string') return bad('file', 'Field required');
  if (b.fileType !== undefined && b.fileType !== 0 && b.fileType !== 1) return bad('fileType', 'Input should be 0 or 1');
  for (const k of ['useDocOrientationClassify', 'useDocUnwarping', 'useLayoutDetection', 'layoutNms', 'visualize'])
    if (b[k] !== undefined && typeof b[k] !== 'boolean') return bad(k, 'Input should be a valid boolean');
  const t = b.layoutThreshold;
  if (t !== undefined && !isNum(t) && (typeof t !== 'object' || t === null || Array.isArray(t)))
    return bad('layoutThreshold', 'Input should be a valid number or dictionary');
  if (b.layoutUnclipRatio !== undefined && !isNum(b.layoutUnclipRatio) && !isPair(b.layoutUnclipRatio))
    return bad('layoutUnclipRatio', 'Input should be a valid number or tuple of 2');
  if (b.layoutMergeBboxesMode !== undefined && typeof b.layoutMergeBboxesMode !== 'string')
    return bad('layoutMergeBboxesMode', 'Input should be a valid string');
  return null;
}

export async function hpsReply(model: HpsModel, body: Record<string, unknown>, detector: TextDetector): Promise<Envelope> {
  const invalid = schemaError(model, body);
  if (invalid) return err(422, invalid);
  if (model !== 'object-detection' && body.fileType === undefined) return err(422, 'File type cannot be determined');
  let decoded;
  try {
    decoded = await sharp(Buffer.from((model === 'object-detection' ? body.image : body.file) as string, 'base64'))
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    return err(422, `Unsupported file: ${(e as Error).message}`);
  }
  const { data, info } = decoded;
  const lines = await detector.detect({ data, width: info.width, height: info.height });
  const blocks = groupLines(lines);
  const threshold =
    typeof body.layoutThreshold === 'number' ? body.layoutThreshold : typeof body.threshold === 'number' ? body.threshold : 0;
  const boxes = blocks
    .map((b, i) => {
      const formula = model === 'formula-recognition' && i === blocks.length - 1 && blocks.length > 1;
      return { cls_id: formula ? 7 : 2, label: formula ? 'formula' : 'text', score: b.score, coordinate: b.box };
    })
    .filter((b) => b.score > threshold);

  if (model === 'object-detection') {
    return ok({
      detectedObjects: boxes.map((b) => ({ bbox: b.coordinate, categoryId: b.cls_id, categoryName: b.label, score: b.score })),
      image: null,
    });
  }
  // FormulaRecognitionPipeline.get_model_settings: both switches unset → the config's default (on).
  const preprocess =
    body.useDocOrientationClassify === undefined && body.useDocUnwarping === undefined
      ? true
      : body.useDocOrientationClassify === true || body.useDocUnwarping === true;
  const useLayout = body.useLayoutDetection ?? true;
  const pruned: Record<string, unknown> = {
    page_index: null,
    model_settings: { use_doc_preprocessor: preprocess, use_layout_detection: useLayout },
  };
  if (preprocess) pruned.doc_preprocessor_res = { page_index: null, model_settings: {}, angle: 0 };
  if (useLayout) pruned.layout_det_res = { page_index: null, boxes };
  if (model === 'formula-recognition') {
    pruned.formula_res_list = boxes
      .filter((b) => b.label === 'formula')
      .map((b, i) => ({ rec_formula: `x_{${i + 1}}^{2}+\\frac{a}{b}`, formula_region_id: i + 1, dt_polys: [b.coordinate] }));
    return ok({
      formulaRecResults: [{ prunedResult: pruned, outputImages: null, inputImage: null }],
      dataInfo: { width: info.width, height: info.height, type: 'image' },
    });
  }
  return ok({
    layoutParsingResults: [{ prunedResult: pruned, outputImages: null, inputImage: null }],
    dataInfo: { width: info.width, height: info.height, type: 'image' },
  });
}
