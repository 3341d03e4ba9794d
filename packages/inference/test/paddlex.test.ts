import fs from 'node:fs';
import path from 'node:path';
import { applyOverrides, LayoutOverrides, parsePipelineConfig, PipelineConfigError } from '@roche/core';
import { describe, expect, it } from 'vitest';
import { MODELS } from '../src/paddlex/models.js';
import { applyThreshold, iouPlusOne, layoutNms, mergeBoxes, postprocessLayout, splitBatchOutput, unclip, type Detection } from '../src/paddlex/postprocess.js';
import { normalizeChw, resizeForModel } from '../src/paddlex/preprocess.js';

const D = (cls: number, score: number, box: [number, number, number, number]): Detection => ({ cls, score, box });

describe('pipeline_config.yaml', () => {
  const shipped = fs.readFileSync(path.resolve(import.meta.dirname, '../../../pipeline_config.yaml'), 'utf8');
  it('parses the shipped file with PaddleX keys', () => {
    const c = parsePipelineConfig(shipped).SubModules.LayoutDetection;
    expect(c).toMatchObject({ model_name: 'PP-DocLayout-L', threshold: 0.5, layout_nms: true, layout_unclip_ratio: 1, layout_merge_bboxes_mode: 'large', batch_size: 8 });
  });
  it('names the bad key', () => {
    expect(() => parsePipelineConfig(shipped.replace('layout_merge_bboxes_mode: large', 'layout_merge_bboxes_mode: biggest'))).toThrowError(
      /SubModules\.LayoutDetection\.layout_merge_bboxes_mode/,
    );
    expect(() => parsePipelineConfig(shipped.replace('threshold: 0.5', 'threshold: {a: 0.3}'))).toThrowError(PipelineConfigError);
    expect(() => parsePipelineConfig(shipped.replace('model_name: PP-DocLayout-L', 'model_name: YOLO'))).toThrowError(/model_name/);
  });
  it('applies per-request overrides on top, validated', () => {
    const c = parsePipelineConfig(shipped).SubModules.LayoutDetection;
    const o = LayoutOverrides.parse({ layoutThreshold: { '2': 0.7 }, layoutNms: false, layoutUnclipRatio: [1.1, 1.2], layoutMergeBboxesMode: { '1': 'small' } });
    expect(applyOverrides(c, o)).toMatchObject({ threshold: { '2': 0.7 }, layout_nms: false, layout_unclip_ratio: [1.1, 1.2], layout_merge_bboxes_mode: { '1': 'small' }, model_name: 'PP-DocLayout-L' });
    expect(LayoutOverrides.safeParse({ layoutThreshold: 2 }).success).toBe(false);
    expect(LayoutOverrides.safeParse({ other: 1 }).success).toBe(false);
  });
});

describe('PaddleX layout post-processing (hand-computed fixtures)', () => {
  it('thresholds by one number or per class (others default to 0.5)', () => {
    const dets = [D(0, 0.4, [0, 0, 10, 10]), D(2, 0.45, [0, 0, 10, 10]), D(3, 0.55, [0, 0, 10, 10])];
    expect(applyThreshold(dets, 0.42).map((d) => d.cls)).toEqual([2, 3]);
    expect(applyThreshold(dets, { '0': 0.3 }).map((d) => d.cls)).toEqual([0, 3]);
  });

  it('IoU uses the +1 pixel convention', () => {
    // [0,0,9,9] is 10×10 = 100; [5,0,14,9] too; overlap 5×10 = 50 → 50 / 150.
    expect(iouPlusOne([0, 0, 9, 9], [5, 0, 14, 9])).toBeCloseTo(1 / 3);
  });

  it('NMS: same class suppressed at IoU ≥ 0.6, another class only at ≥ 0.98', () => {
    const a = D(2, 0.9, [0, 0, 99, 99]);
    const sameClose = D(2, 0.8, [0, 0, 99, 79]); // IoU 0.8
    const otherClose = D(1, 0.7, [0, 0, 99, 79]); // IoU 0.8 but other class: kept
    const otherSame = D(1, 0.6, [0, 0, 99, 99]); // IoU 1: dropped
    expect(layoutNms([sameClose, a, otherClose, otherSame])).toEqual([a, otherClose]);
  });

  it('merge modes: large keeps the outer box, small the inner, union both; per class', () => {
    const outer = D(8, 0.9, [0, 0, 100, 100]);
    const inner = D(2, 0.8, [10, 10, 50, 50]);
    expect(mergeBoxes([outer, inner], 'large')).toEqual([outer]);
    expect(mergeBoxes([outer, inner], 'small')).toEqual([inner]);
    expect(mergeBoxes([outer, inner], 'union')).toEqual([outer, inner]);
    // Per class: the inner box's class (2) says small → it stays; the outer box's class (8) says union → stays.
    expect(mergeBoxes([outer, inner], { '2': 'small', '8': 'union' })).toEqual([outer, inner]);
  });

  it('unclip scales about the centre, per axis, and clips to the image', () => {
    const [d] = unclip([D(0, 1, [10, 10, 30, 20])], [2, 3], 100, 100);
    expect(d!.box).toEqual([0, 0, 40, 30]);
    const [e] = unclip([D(0, 1, [90, 90, 100, 100])], 2, 100, 100);
    expect(e!.box).toEqual([85, 85, 100, 100]);
  });

  it('splits a batch output by per-image counts and runs the whole chain', () => {
    const rows = [2, 0.9, 0, 0, 10, 10, 8, 0.3, 5, 5, 50, 50, 1, 0.8, 1, 1, 2, 2];
    const per = splitBatchOutput(Float32Array.from(rows), [2, 1]);
    expect(per.map((p) => p.length)).toEqual([2, 1]);
    expect(per[1]![0]).toMatchObject({ cls: 1, box: [1, 1, 2, 2] });
    const cfg = { module_name: 'layout_detection' as const, model_name: 'PP-DocLayout-L' as const, batch_size: 1, threshold: 0.5, layout_nms: true, layout_unclip_ratio: 1, layout_merge_bboxes_mode: 'large' as const };
    expect(postprocessLayout(per[0]!, cfg, 100, 100).map((d) => d.cls)).toEqual([2]);
  });
});

describe('PaddleX preprocessing', () => {
  it('normalizes HWC RGB to CHW with the model family mean/std', () => {
    const px = Uint8Array.from([255, 0, 51, 0, 255, 0]); // 2 pixels, but a 1×1 "size" uses only the first
    const l = normalizeChw(px, 1, MODELS['PP-DocLayout-L']!);
    expect(l[0]).toBe(1);
    expect(l[1]).toBe(0);
    expect(l[2]).toBeCloseTo(0.2, 6);
    const m = normalizeChw(px, 1, MODELS['PP-DocLayout-M']!);
    expect(m[0]).toBeCloseTo((1 - 0.485) / 0.229);
    expect(m[2]).toBeCloseTo((0.2 - 0.406) / 0.225);
  });
  it('resizes without keeping the ratio and reports im_shape and scale_factor', async () => {
    const page = { data: Buffer.alloc(300 * 200 * 3, 255), width: 300, height: 200 };
    const p = await resizeForModel(page, MODELS['PP-DocLayout-S']!);
    expect(p.pixels.length).toBe(480 * 480 * 3);
    expect(p.imShape).toEqual([480, 480]);
    expect(p.scaleFactor).toEqual([480 / 200, 480 / 300]);
  });
});
