import { describe, expect, it } from 'vitest';
import { loadPipelineConfig, type ResolvedModel } from '@roche/inference';
import { checkJobOptions, checkOverrides } from '../src/create-engine.js';

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
  it('accepts everything LayoutOverrides admits for Roche-run PaddleX engines, and refuses overrides elsewhere', () => {
    const rich = {
      layoutThreshold: { '2': 0.3 },
      layoutUnclipRatio: { '2': [1, 1.1] as [number, number] },
      layoutMergeBboxesMode: { '1': 'small' as const },
    };
    for (const e of ['triton', 'onnx']) expect(() => checkOverrides(e, rich)).not.toThrow();
    // Engines without PaddleX's settings used to accept and ignore them: a threshold that changes nothing.
    for (const e of ['embedded', 'analyzer', 'text-blocks', 'tesseract'])
      expect(() => checkOverrides(e, { layoutThreshold: 0.3 })).toThrow(
        expect.objectContaining({
          code: 'validation_failed',
          message: expect.stringMatching(new RegExp(`the ${e} engine has no post-processing`)),
        }),
      );
    for (const e of ['embedded', 'paddlex-hps']) {
      expect(() => checkOverrides(e, undefined)).not.toThrow();
      expect(() => checkOverrides(e, {})).not.toThrow();
    }
  });
});

describe('checkJobOptions (called at submit)', () => {
  const layout = loadPipelineConfig(new URL('../../../pipeline_config.yaml', import.meta.url).pathname).SubModules.LayoutDetection;
  const model = (engine: string): ResolvedModel => ({ name: 'm', engine, tritonModel: 'x', hpsModel: 'layout-parsing', layout });

  it("accepts crops of common labels and of the model's own labels", () => {
    expect(() => checkJobOptions(model('embedded'), { crops: ['figure', 'table', 'formula'] })).not.toThrow();
    expect(() => checkJobOptions(model('triton'), { crops: ['chart', 'doc_title', 'caption'] })).not.toThrow();
  });

  it('refuses a crop label no region of the model can carry, naming it', () => {
    expect(() => checkJobOptions(model('embedded'), { crops: ['figure', 'figur'] })).toThrow(
      expect.objectContaining({
        code: 'validation_failed',
        details: expect.objectContaining({ field: 'options.crops', unknown: ['figur'] }),
      }),
    );
    expect(() => checkJobOptions(model('triton'), { crops: ['Figure'] })).toThrow(/no label "Figure"/);
  });

  it('checks overrides against the model engine', () => {
    expect(() => checkJobOptions(model('embedded'), { overrides: { layoutThreshold: 0.4 } })).toThrow(/embedded engine/);
    expect(() => checkJobOptions(model('triton'), { overrides: { layoutThreshold: 0.4 } })).not.toThrow();
  });
});
