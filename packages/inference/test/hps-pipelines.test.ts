import { describe, expect, it } from 'vitest';
import { hpsOverrideFields, hpsPipelineOf, hpsRegions, hpsRequest, hpsResultBoxes } from '../src/hps/pipelines.js';

/** Replies shaped as PaddleX's pipelines write them (FormulaRecognitionResult._to_json, DetResult, serving apps). */
const box = (cls_id: number, label: string, score: number, coordinate: number[]) => ({ cls_id, label, score, coordinate });
const formulaReply = (formulaList: unknown[], extra: Record<string, unknown> = {}) => ({
  formulaRecResults: [
    {
      prunedResult: {
        page_index: null,
        model_settings: { use_doc_preprocessor: false, use_layout_detection: true },
        layout_det_res: {
          page_index: null,
          boxes: [
            box(2, 'text', 0.9, [10, 10, 200, 40]),
            box(7, 'formula', 0.8, [20, 50, 180, 80]),
            box(7, 'formula', 0.7, [20, 90, 180, 120]),
          ],
        },
        formula_res_list: formulaList,
        ...extra,
      },
      outputImages: null,
      inputImage: null,
    },
  ],
  dataInfo: { width: 300, height: 200, type: 'image' },
});

describe('PaddleX HPS pipelines: requests', () => {
  it('turns document preprocessing off and sends only fields the pipeline honours', () => {
    expect(hpsRequest('layout-parsing', 'B64', { layoutThreshold: 0.4, layoutNms: true })).toEqual({
      file: 'B64',
      fileType: 1,
      visualize: false,
      useDocOrientationClassify: false,
      useDocUnwarping: false,
      layoutThreshold: 0.4,
      layoutNms: true,
    });
    expect(hpsRequest('formula-recognition', 'B64')).toMatchObject({ useLayoutDetection: true, useDocUnwarping: false });
    expect(hpsRequest('object-detection', 'B64', { layoutThreshold: { '7': 0.3 } })).toEqual({
      image: 'B64',
      visualize: false,
      threshold: { '7': 0.3 },
    });
  });

  it('refuses per-class maps on document pipelines and layout options on object-detection', () => {
    for (const p of ['layout-parsing', 'formula-recognition'] as const) {
      expect(() => hpsOverrideFields(p, { layoutThreshold: { '2': 0.3 } })).toThrow(/per-class thresholds are ignored/);
      expect(() => hpsOverrideFields(p, { layoutUnclipRatio: { '2': [1, 1.2] } })).toThrow(/layoutUnclipRatio/);
      expect(() => hpsOverrideFields(p, { layoutMergeBboxesMode: { '2': 'small' } })).toThrow(/layoutMergeBboxesMode/);
      expect(hpsOverrideFields(p, { layoutUnclipRatio: [1, 1.1], layoutMergeBboxesMode: 'union' })).toEqual({
        layoutUnclipRatio: [1, 1.1],
        layoutMergeBboxesMode: 'union',
      });
    }
    for (const k of ['layoutNms', 'layoutUnclipRatio', 'layoutMergeBboxesMode'] as const) {
      const o = { layoutNms: true, layoutUnclipRatio: 1.1, layoutMergeBboxesMode: 'large' as const };
      expect(() => hpsOverrideFields('object-detection', { [k]: o[k] })).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
    expect(() => hpsPipelineOf('PP-StructureV3')).toThrow(/not a PaddleX serving pipeline/);
  });
});

describe('PaddleX HPS pipelines: replies', () => {
  it('gives formula regions the LaTeX of the formula_res_list entry with the same (tuple-wrapped) dt_polys', () => {
    const boxes = hpsResultBoxes(
      'formula-recognition',
      formulaReply([
        // Listed out of order on purpose: matching is by box, not by position.
        { rec_formula: 'b^2', formula_region_id: 2, dt_polys: [[20, 90, 180, 120]] },
        { rec_formula: 'a^2', formula_region_id: 1, dt_polys: [[20, 50, 180, 80]] },
      ]),
    );
    const regions = hpsRegions(boxes, 300, 200);
    expect(regions.map((r) => [r.label, r.latex, r.formulaId])).toEqual([
      ['text', undefined, undefined],
      ['formula', 'a^2', 1],
      ['formula', 'b^2', 2],
    ]);
  });

  it('falls back to formula_region_id (1, 2, ... over formula boxes) when dt_polys is absent', () => {
    const boxes = hpsResultBoxes(
      'formula-recognition',
      formulaReply([
        { rec_formula: 'B', formula_region_id: 2 },
        { rec_formula: 'A', formula_region_id: 1 },
      ]),
    );
    expect(boxes.filter((b) => b.label === 'formula').map((b) => b.latex)).toEqual(['A', 'B']);
  });

  it('fails loudly: no layout_det_res, document preprocessing ran, missing results, malformed boxes', () => {
    const noLayout = formulaReply([]);
    delete (noLayout.formulaRecResults[0]!.prunedResult as Record<string, unknown>).layout_det_res;
    expect(() => hpsResultBoxes('formula-recognition', noLayout)).toThrow(/no layout_det_res/);
    const rotated = formulaReply([], {
      model_settings: { use_doc_preprocessor: true, use_layout_detection: true },
      doc_preprocessor_res: { angle: 90 },
    });
    expect(() => hpsResultBoxes('formula-recognition', rotated)).toThrow(/document preprocessing/);
    expect(() => hpsResultBoxes('layout-parsing', formulaReply([]))).toThrow(/no layoutParsingResults/);
    expect(() => hpsResultBoxes('object-detection', { detectedObjects: [{ bbox: [1, 2, 3], categoryName: 'text', score: 1 }] })).toThrow(
      /malformed/,
    );
    expect(() => hpsResultBoxes('layout-parsing', undefined)).toThrow(
      expect.objectContaining({ code: 'inference_failed', retryable: false }),
    );
  });

  it('reads object-detection replies (detectedObjects) and clips boxes to the page', () => {
    const boxes = hpsResultBoxes('object-detection', {
      detectedObjects: [{ bbox: [-5, 10, 320, 50], categoryId: 2, categoryName: 'text', score: 0.9 }],
      image: null,
    });
    expect(hpsRegions(boxes, 300, 200)).toEqual([{ label: 'text', score: 0.9, box: [0, 10, 300, 50], order: 0 }]);
  });
});
