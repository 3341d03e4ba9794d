import { describe, expect, it } from 'vitest';
import { checkOverrides } from '../src/create-engine.js';

describe('checkOverrides (called at submit)', () => {
  it('refuses for paddlex-hps what the configured pipeline would ignore or reject, with validation_failed', () => {
    expect(() => checkOverrides('paddlex-hps', { layoutThreshold: { '2': 0.3 } }, { hpsModel: 'layout-parsing' })).toThrow(
      expect.objectContaining({ code: 'validation_failed', status: 400 }),
    );
    expect(() => checkOverrides('paddlex-hps', { layoutNms: true }, { hpsModel: 'object-detection' })).toThrow(/object-detection/);
    expect(() => checkOverrides('paddlex-hps', { layoutThreshold: { '2': 0.3 } }, { hpsModel: 'object-detection' })).not.toThrow();
    expect(() =>
      checkOverrides('paddlex-hps', { layoutThreshold: 0.3, layoutUnclipRatio: [1, 1.1] }, { hpsModel: 'formula-recognition' }),
    ).not.toThrow();
  });
  it('accepts everything LayoutOverrides admits for Roche-run PaddleX engines, and ignores overrides elsewhere', () => {
    const rich = {
      layoutThreshold: { '2': 0.3 },
      layoutUnclipRatio: { '2': [1, 1.1] as [number, number] },
      layoutMergeBboxesMode: { '1': 'small' as const },
    };
    for (const e of ['triton', 'onnx', 'embedded', 'tesseract']) expect(() => checkOverrides(e, rich)).not.toThrow();
    expect(() => checkOverrides('paddlex-hps', undefined)).not.toThrow();
  });
});
