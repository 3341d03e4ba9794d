import fs from 'node:fs';
import path from 'node:path';
import { LayoutOverrides } from '@roche/core';
import { applyOverrides, parsePipelineConfig, PipelineConfigError } from '../src/paddlex/pipeline-config.js';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/paddlex/models.js';
import { resizeCubicCv } from '../src/paddlex/cv-resize.js';
import {
  applyThreshold,
  clipToPage,
  dropPageSizedImages,
  iouPlusOne,
  isContained,
  layoutNms,
  mergeBoxes,
  postprocessLayout,
  splitBatchOutput,
  unclip,
  type Detection,
} from '../src/paddlex/postprocess.js';
import { LABELS_23 } from '../src/paddlex/models.js';
import { normalizeChw, resizeForModel } from '../src/paddlex/preprocess.js';

const D = (cls: number, score: number, box: [number, number, number, number]): Detection => ({ cls, score, box });

describe('pipeline_config.yaml', () => {
  const shipped = fs.readFileSync(path.resolve(import.meta.dirname, '../../../pipeline_config.yaml'), 'utf8');
  it('parses the shipped file with PaddleX keys', () => {
    const c = parsePipelineConfig(shipped).SubModules.LayoutDetection;
    expect(c).toMatchObject({
      model_name: 'PP-DocLayout-L',
      threshold: 0.5,
      layout_nms: true,
      layout_unclip_ratio: 1,
      layout_merge_bboxes_mode: 'large',
      batch_size: 8,
    });
  });
  it('reads per-class maps with integer YAML keys, as PaddleX configs write them', () => {
    const text = shipped
      .replace('threshold: 0.5', 'threshold: {0: 0.3, 2: 0.6}')
      .replace('layout_unclip_ratio: 1.0', 'layout_unclip_ratio: {2: [1.0, 1.05]}')
      .replace('layout_merge_bboxes_mode: large', 'layout_merge_bboxes_mode: {1: small, 8: large}');
    const c = parsePipelineConfig(text).SubModules.LayoutDetection;
    expect(c).toMatchObject({
      threshold: { '0': 0.3, '2': 0.6 },
      layout_unclip_ratio: { '2': [1, 1.05] },
      layout_merge_bboxes_mode: { '1': 'small', '8': 'large' },
    });
    expect(() => parsePipelineConfig(shipped.replace('layout_unclip_ratio: 1.0', 'layout_unclip_ratio: {2: 1.05}'))).toThrowError(
      /layout_unclip_ratio/,
    );
  });

  it('names the bad key', () => {
    expect(() => parsePipelineConfig(shipped.replace('layout_merge_bboxes_mode: large', 'layout_merge_bboxes_mode: biggest'))).toThrowError(
      /SubModules\.LayoutDetection\.layout_merge_bboxes_mode/,
    );
    expect(() => parsePipelineConfig(shipped.replace('threshold: 0.5', 'threshold: {a: 0.3}'))).toThrowError(PipelineConfigError);
    expect(() => parsePipelineConfig(shipped.replace('model_name: PP-DocLayout-L', 'model_name: YOLO'))).toThrowError(/model_name/);
  });
  it('applies per-request overrides on top with PaddleX semantics, validated', () => {
    const c = parsePipelineConfig(shipped).SubModules.LayoutDetection;
    const o = LayoutOverrides.parse({
      layoutThreshold: { '2': 0.7 },
      layoutNms: false,
      layoutUnclipRatio: [1.1, 1.2],
      layoutMergeBboxesMode: { '1': 'small' },
    });
    expect(applyOverrides(c, o)).toMatchObject({
      threshold: { '2': 0.7 },
      // DetPredictor.process: `layout_nms or self.layout_nms`: a request cannot switch NMS off.
      layout_nms: true,
      layout_unclip_ratio: [1.1, 1.2],
      layout_merge_bboxes_mode: { '1': 'small' },
      model_name: 'PP-DocLayout-L',
    });
    expect(LayoutOverrides.safeParse({ layoutThreshold: 2 }).success).toBe(false);
    // Per class, PaddleX unpacks a [w, h] pair; a bare number there would fail inside PaddleX.
    expect(LayoutOverrides.safeParse({ layoutUnclipRatio: { '2': [1.1, 1.3] } }).success).toBe(true);
    expect(LayoutOverrides.safeParse({ layoutUnclipRatio: { '2': 1.1 } }).success).toBe(false);
    expect(LayoutOverrides.safeParse({ other: 1 }).success).toBe(false);
  });
});

describe('PaddleX layout post-processing (hand-computed fixtures, semantics of DetPostProcess.apply)', () => {
  const L = LABELS_23; // image = 1, text = 2, formula = 7, table = 8
  const page = { width: 100, height: 100 };

  it('thresholds strictly (score > t) by one number or per class (others default to 0.5), dropping class -1', () => {
    const dets = [
      D(0, 0.4, [0, 0, 10, 10]),
      D(2, 0.45, [0, 0, 10, 10]),
      D(3, 0.55, [0, 0, 10, 10]),
      D(-1, 0.9, [0, 0, 10, 10]),
      D(3, 0.5, [0, 0, 10, 10]),
    ];
    expect(applyThreshold(dets, 0.42).map((d) => d.cls)).toEqual([2, 3, 3]);
    // A score equal to the threshold does not pass.
    expect(applyThreshold(dets, 0.5).map((d) => d.score)).toEqual([0.55]);
    // Per class: grouped by ascending class id, as numpy's np.unique loop returns them.
    expect(applyThreshold([D(3, 0.55, [0, 0, 1, 1]), D(0, 0.4, [0, 0, 1, 1])], { '0': 0.3 }).map((d) => d.cls)).toEqual([0, 3]);
  });

  it('IoU uses the +1 pixel convention', () => {
    // [0,0,9,9] is 10×10 = 100; [5,0,14,9] too; overlap 5×10 = 50 → 50 / 150.
    expect(iouPlusOne([0, 0, 9, 9], [5, 0, 14, 9])).toBeCloseTo(1 / 3);
  });

  it('NMS: same class suppressed at IoU ≥ 0.6, another class only at ≥ 0.98; output by descending score', () => {
    const a = D(2, 0.9, [0, 0, 99, 99]);
    const sameClose = D(2, 0.8, [0, 0, 99, 79]); // IoU 8000/10000 = 0.8
    const otherClose = D(1, 0.7, [0, 0, 99, 79]); // IoU 0.8 but another class: kept
    const otherSame = D(1, 0.6, [0, 0, 99, 99]); // IoU 1: dropped
    const sameAtLimit = D(2, 0.5, [0, 0, 99, 59]); // IoU 6000/10000 = 0.6 exactly: dropped (kept only below)
    expect(layoutNms([sameClose, a, otherClose, otherSame, sameAtLimit])).toEqual([a, otherClose]);
  });

  it('drops an image box covering more than 93 % of a portrait page (82 % of a landscape one), unless it is the only box', () => {
    const big = D(1, 0.9, [0, 0, 100, 95]); // 95 % of 100×100
    const text = D(2, 0.9, [10, 10, 20, 20]);
    expect(dropPageSizedImages([big, text], L, 100, 100)).toEqual([text]);
    expect(dropPageSizedImages([big], L, 100, 100)).toEqual([big]);
    const mid = D(1, 0.9, [0, 0, 100, 90]); // 90 %: fine on a square page, too big on a landscape one
    expect(dropPageSizedImages([mid, text], L, 100, 100)).toEqual([mid, text]);
    expect(dropPageSizedImages([D(1, 0.9, [0, 0, 120, 90]), text], L, 120, 100)).toEqual([text]); // 10800 / 12000 = 90 % > 82 %
    // The area is measured after clipping to the page: a box hanging off the page counts only its visible part.
    expect(dropPageSizedImages([D(1, 0.9, [-50, 0, 90, 100]), text], L, 100, 100)).toHaveLength(2);
  });

  it('containment is ≥ 90 % of the inner box inside the outer one', () => {
    expect(isContained([0, 0, 10, 10], [1, 0, 100, 100])).toBe(true); // 90 of 100
    expect(isContained([0, 0, 10, 10], [2, 0, 100, 100])).toBe(false); // 80 of 100
    expect(isContained([5, 5, 5, 9], [0, 0, 100, 100])).toBe(false); // zero area is never contained
  });

  it('merge mode large keeps the outer box, small the inner one, union both', () => {
    const outer = D(8, 0.9, [0, 0, 100, 100]);
    const inner = D(2, 0.8, [10, 10, 50, 50]);
    const apart = D(0, 0.7, [200, 200, 220, 210]);
    expect(mergeBoxes([outer, inner, apart], 'large', L)).toEqual([outer, apart]);
    expect(mergeBoxes([outer, inner, apart], 'small', L)).toEqual([inner, apart]);
    expect(mergeBoxes([outer, inner, apart], 'union', L)).toEqual([outer, inner, apart]);
    // small: a container that is itself inside another box stays (contained_by_other == 1).
    const mid = D(2, 0.8, [5, 5, 60, 60]);
    expect(mergeBoxes([outer, mid, inner], 'small', L)).toEqual([mid, inner]);
    // Two identical boxes contain each other: "large" drops both, as PaddleX does (NMS normally removed one).
    expect(mergeBoxes([D(2, 0.9, [0, 0, 10, 10]), D(2, 0.8, [0, 0, 10, 10])], 'large', L)).toEqual([]);
  });

  it('a formula is never counted as inside a non-formula box', () => {
    const para = D(2, 0.9, [0, 0, 100, 100]);
    const formula = D(7, 0.8, [10, 10, 50, 30]);
    const formulaNo = D(7, 0.8, [12, 12, 20, 20]); // inside the other formula: that does count
    expect(mergeBoxes([para, formula], 'large', L)).toEqual([para, formula]);
    expect(mergeBoxes([para, formula, formulaNo], 'large', L)).toEqual([para, formula]);
  });

  it('per-class merge: large for c drops boxes inside a class-c box; small for c drops boxes containing a class-c box', () => {
    const table = D(8, 0.9, [0, 0, 100, 100]);
    const textInTable = D(2, 0.8, [10, 10, 50, 50]);
    const paragraph = D(2, 0.9, [0, 200, 100, 300]);
    const titleInPara = D(0, 0.8, [10, 210, 50, 220]);
    // {8: large}: only containers of class 8 count: the text in the table goes, the title in the paragraph stays.
    expect(mergeBoxes([table, textInTable, paragraph, titleInPara], { '8': 'large' }, L)).toEqual([table, paragraph, titleInPara]);
    // {0: small}: boxes containing a class-0 box go (the paragraph); the table keeps its text.
    expect(mergeBoxes([table, textInTable, paragraph, titleInPara], { '0': 'small' }, L)).toEqual([table, textInTable, titleInPara]);
    // Entries combine: a box must survive every one.
    expect(mergeBoxes([table, textInTable, paragraph, titleInPara], { '8': 'large', '0': 'small', '2': 'union' }, L)).toEqual([
      table,
      titleInPara,
    ]);
  });

  it('unclip scales about the centre (one number, [w, h], or [w, h] per class) and does not clip', () => {
    const [d] = unclip([D(0, 1, [10, 10, 30, 20])], [2, 3]);
    expect(d!.box).toEqual([0, 0, 40, 30]); // centre (20, 15), 20×10 → 40×30
    const [e] = unclip([D(0, 1, [90, 90, 100, 100])], 2);
    expect(e!.box).toEqual([85, 85, 105, 105]);
    const per = unclip([D(2, 1, [10, 10, 20, 20]), D(8, 1, [10, 10, 20, 20])], { '8': [3, 1] });
    expect(per.map((x) => x.box)).toEqual([
      [10, 10, 20, 20],
      [0, 10, 30, 20],
    ]);
  });

  it('clips to the page last; a box wholly off the page is dropped (Roche regions need x2 > x1)', () => {
    expect(clipToPage([D(0, 1, [85, 85, 105, 105]), D(0, 1, [120, 0, 130, 10])], 100, 100).map((x) => x.box)).toEqual([[85, 85, 100, 100]]);
  });

  it('splits a batch output by per-image counts and runs the whole chain in PaddleX order', () => {
    const rows = [2, 0.9, 0, 0, 10, 10, 8, 0.3, 5, 5, 50, 50, 1, 0.8, 1, 1, 2, 2];
    const per = splitBatchOutput(Float32Array.from(rows), [2, 1]);
    expect(per.map((p) => p.length)).toEqual([2, 1]);
    expect(per[1]![0]).toMatchObject({ cls: 1, box: [1, 1, 2, 2] });
    expect(() => splitBatchOutput(Float32Array.from(rows), [2, 2])).toThrow(/counts add up to more/);
    const cfg = { threshold: 0.5, layout_nms: true, layout_unclip_ratio: 1, layout_merge_bboxes_mode: 'large' as const };
    expect(postprocessLayout(per[0]!, cfg, page, L).map((d) => d.cls)).toEqual([2]);
    // Merge runs before unclip: a text box just outside 90 % containment is not pulled in by a later unclip.
    const table = D(8, 0.9, [0, 0, 50, 50]);
    const text = D(2, 0.8, [40, 10, 60, 20]); // 10 of 20 px wide inside: 50 %
    const out = postprocessLayout([table, text], { ...cfg, layout_unclip_ratio: 2 }, page, L);
    expect(out.map((d) => [d.cls, d.box])).toEqual([
      [8, [0, 0, 75, 75]],
      [2, [30, 5, 70, 25]],
    ]);
  });
});

describe('PaddleX preprocessing', () => {
  it('resizes like cv2.INTER_CUBIC (Keys a = -0.75, 11-bit weights, replicated edges): hand-computed 2× upscale', () => {
    // 2× up: source x = d/2 - 0.25, so weights alternate between t = 0.75 and t = 0.25. For t = 0.25,
    // Keys' cubic with a = -0.75 gives (-0.10546875, 0.87890625, 0.26171875, -0.03515625) = (-216,
    // 1800, 536, -72) / 2048. A step 0,0,100,100 then becomes, output by output:
    //   d=0..2: 100·(≤0 weights) → clamped to 0 · d=3: 100·(536-72)/2048 = 22.66 → 23
    //   d=4: 100·(1800-216)/2048 = 77.34 → 77 · d=5: 100·(1800+536-72)/2048 = 110.55 → 111 (overshoot)
    //   d=6: 100·(536+1800-216)/2048 = 103.5 → 104 · d=7: 100.
    const want = [0, 0, 0, 23, 77, 111, 104, 100];
    expect([...resizeCubicCv(Uint8Array.from([0, 0, 100, 100]), 4, 1, 8, 1, 1)]).toEqual(want);
    // The same along y (vertical pass), and through the 8-lane float path for rows of 8 or more values.
    expect([...resizeCubicCv(Uint8Array.from([0, 0, 100, 100]), 1, 4, 1, 8, 1)]).toEqual(want);
    const wide = resizeCubicCv(
      Uint8Array.from({ length: 4 * 8 }, (_, i) => (Math.floor(i / 8) >= 2 ? 100 : 0)),
      8,
      4,
      8,
      8,
      1,
    );
    expect(Array.from({ length: 8 }, (_, y) => wide[y * 8 + 3])).toEqual(want);
    // Channels are resized independently.
    const rgb = resizeCubicCv(Uint8Array.from([0, 50, 9, 0, 50, 9, 100, 50, 9, 100, 50, 9]), 4, 1, 8, 1, 3);
    expect(Array.from({ length: 8 }, (_, x) => rgb[x * 3])).toEqual(want);
    expect(Array.from({ length: 8 }, (_, x) => [rgb[x * 3 + 1], rgb[x * 3 + 2]])).toEqual(Array(8).fill([50, 9]));
  });

  it('refuses sizes the kernels cannot honour instead of returning what their reused memory holds', () => {
    resizeCubicCv(new Uint8Array(64 * 64 * 3).fill(200), 64, 64, 4, 4, 3); // leaves pixels behind in the kernel's memory
    for (const [sw, sh, dw, dh] of [
      [0, 0, 4, 4],
      [4, 0, 4, 4],
      [4, 4, 0, 2],
      [4, 4, 2.5, 2],
    ])
      expect(() => resizeCubicCv(new Uint8Array(48), sw!, sh!, dw!, dh!, 3)).toThrow(RangeError);
    expect(() => resizeCubicCv(new Uint8Array(48), 4, 4, 2, 2, 0)).toThrow(RangeError);
    // A view into a larger array: writing past the view would overwrite its neighbours.
    const parent = new Float32Array(100).fill(-1);
    expect(() => normalizeChw(new Uint8Array(48), 4, MODELS['PP-DocLayout-L']!, parent.subarray(0, 12))).toThrow(RangeError);
    expect(() => normalizeChw(new Uint8Array(48), 4, MODELS['PP-DocLayout-L']!, parent, 60)).toThrow(RangeError);
    expect(parent.every((v) => v === -1)).toBe(true);
    expect(normalizeChw(new Uint8Array(48), 4, MODELS['PP-DocLayout-L']!, parent, 52)[52]).toBe(0);
  });

  it('normalizes HWC RGB to CHW with the model family mean/std, in float32 steps', () => {
    const px = Uint8Array.from([255, 0, 51, 0, 255, 0]); // 2 pixels, but a 1×1 "size" uses only the first
    const l = normalizeChw(px, 1, MODELS['PP-DocLayout-L']!);
    expect(l[0]).toBe(1);
    expect(l[1]).toBe(0);
    expect(l[2]).toBe(Math.fround(51 * Math.fround(1 / 255)));
    const m = normalizeChw(px, 1, MODELS['PP-DocLayout-M']!);
    expect(m[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(m[2]).toBeCloseTo((0.2 - 0.406) / 0.225, 5);
  });

  it('normalizes as PaddleX 3.x does, x·α + β in float32 (α = (1/255)/std, β = −mean/std), bit for bit', () => {
    const f = Math.fround;
    const px = new Uint8Array(16 * 16 * 3);
    for (let i = 0; i < 256; i++) px.set([i, i, i], i * 3);
    const out = normalizeChw(px, 16, MODELS['PP-DocLayout-M']!);
    const { mean, std } = MODELS['PP-DocLayout-M']!;
    let olderFormDiffers = 0;
    for (let c = 0; c < 3; c++)
      for (let v = 0; v < 256; v++) {
        const got = out[c * 256 + v]!;
        expect(got).toBe(f(f(v * f(1 / 255 / std[c]!)) + f(-mean[c]! / std[c]!)));
        if (got !== f(f(f(v * f(1 / 255)) - f(mean[c]!)) / f(std[c]!))) olderFormDiffers++;
      }
    // The (x/255 − mean)/std form of the PaddleX 3.0 betas is not bit-identical (measured: 643 of 768).
    expect(olderFormDiffers).toBe(643);
  });

  it('resizes without keeping the ratio and reports im_shape and scale_factor as (h, w)', () => {
    const page = { data: Buffer.alloc(300 * 200 * 3, 255), width: 300, height: 200 };
    const p = resizeForModel(page, MODELS['PP-DocLayout-S']!);
    expect(p.pixels.length).toBe(480 * 480 * 3);
    expect(p.pixels.every((v) => v === 255)).toBe(true);
    expect(p.imShape).toEqual([480, 480]);
    expect(p.scaleFactor).toEqual([480 / 200, 480 / 300]);
  });
});
