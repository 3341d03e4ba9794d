import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  batchLayoutOf,
  checkExportNames,
  checkInferenceYml,
  effectiveNormalize,
  MODELS,
  parseInferenceYml,
  preprocessOps,
} from '@roche/inference';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeDocLayoutOnnx } from './support/onnx-builder.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const FIX = path.join(ROOT, 'test/fixtures/inference-yml');
const yml = (name: string) => fs.readFileSync(path.join(FIX, `${name}.yml`), 'utf8');

describe('inference.yml checks of model_repo/fetch_models.sh', () => {
  it.each([
    ['PP-DocLayout-L', 'fixed', 640],
    ['PP-DocLayout_plus-L', 'fixed', 800],
    ['PP-DocLayout-M', 'nms', 640],
    ['PP-DocLayout-S', 'nms', 480],
  ] as const)('%s agrees with Roche’s model table; batch layout %s decided from arch', (model, layout, size) => {
    const r = checkInferenceYml(yml(model), model);
    expect(r.problems).toEqual([]);
    expect([r.layout, r.size]).toEqual([layout, size]);
    expect(r.mean).toEqual([...MODELS[model]!.mean]);
  });

  it('finds Preprocess ops by type:, which the exporter writes last (a first-key lookup found none)', () => {
    const doc = parseInferenceYml(yml('PP-DocLayout-L')) as { Preprocess: Array<Record<string, unknown>> };
    expect(doc.Preprocess.map((op) => Object.keys(op)[0])).not.toContain('Resize');
    expect([...preprocessOps(doc).keys()]).toEqual(['Resize', 'NormalizeImage', 'Permute']);
  });

  it('fails the deliberately wrong file, naming each disagreement', () => {
    const r = checkInferenceYml(yml('PP-DocLayout-S-wrong'), 'PP-DocLayout-S');
    expect(r.problems.join('\n')).toMatch(/target_size \[640,640\] != \[480, 480\]/);
    expect(r.problems.join('\n')).toMatch(/effective mean \[0,0,0\]/);
    expect(r.problems.join('\n')).toMatch(/effective std \[1,1,1\]/);
    // And a right file checked against the wrong model name.
    expect(checkInferenceYml(yml('PP-DocLayout-M'), 'PP-DocLayout-L').problems.join('\n')).toMatch(/model_name is PP-DocLayout-M/);
  });

  it('norm_type none still applies the yml mean/std, as PaddleX build_normalize does', () => {
    expect(effectiveNormalize({ norm_type: 'none', mean: [0.5, 0.5, 0.5], std: [0.2, 0.2, 0.2] })).toMatchObject({
      mean: [0.5, 0.5, 0.5],
      std: [0.2, 0.2, 0.2],
    });
    expect(effectiveNormalize({ is_scale: true })).toMatchObject({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expect(effectiveNormalize({ norm_type: 'other', mean: [0.5, 0.5, 0.5] })).toMatchObject({ mean: [0, 0, 0], std: [1, 1, 1] });
    const bent = yml('PP-DocLayout-L').replace('  - 1.0\n  - 1.0\n  - 1.0', '  - 0.5\n  - 0.5\n  - 0.5');
    expect(checkInferenceYml(bent, 'PP-DocLayout-L').problems.join('\n')).toMatch(/effective std \[0.5,0.5,0.5\]/);
  });

  it('takes the batch layout from arch only; an unknown arch stops the script', () => {
    expect([batchLayoutOf('DETR'), batchLayoutOf('GFL'), batchLayoutOf('PicoDet'), batchLayoutOf('Mask')]).toEqual([
      'fixed',
      'nms',
      'nms',
      undefined,
    ]);
    expect(checkInferenceYml(yml('PP-DocLayout-M').replace('arch: GFL', 'arch: CascadeRCNN'), 'PP-DocLayout-M').problems.join()).toMatch(
      /arch "CascadeRCNN"/,
    );
  });

  it('checks the export’s input and output names', () => {
    expect(checkExportNames(['image', 'im_shape', 'scale_factor'], ['fetch_name_0', 'fetch_name_1'], MODELS['PP-DocLayout-L']!)).toEqual(
      [],
    );
    expect(checkExportNames(['image', 'scale_factor'], ['fetch_name_0', 'fetch_name_1'], MODELS['PP-DocLayout-L']!).join()).toMatch(
      /lack im_shape/,
    );
    expect(checkExportNames(['image', 'scale_factor'], ['boxes', 'num'], MODELS['PP-DocLayout-S']!).join()).toMatch(
      /outputs are \[boxes, num\]/,
    );
  });
});

describe('model_repo/check-export.ts (the command fetch_models.sh runs)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roche-check-export-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'model_repo/check-export.ts'), ...args], { cwd: ROOT }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('prints the settings for a good export and fails with a clear message on a bad one', async () => {
    const good = path.join(dir, 'good.onnx');
    const renamed = path.join(dir, 'renamed.onnx');
    fs.writeFileSync(good, fakeDocLayoutOnnx(640, [[2, 0.9, 1, 1, 5, 5]]));
    fs.writeFileSync(renamed, fakeDocLayoutOnnx(640, [[2, 0.9, 1, 1, 5, 5]], ['boxes', 'num_boxes']));
    const ok = await cli(path.join(FIX, 'PP-DocLayout-L.yml'), 'PP-DocLayout-L', good);
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('LAYOUT=fixed SIZE=640 MEAN=0,0,0 STD=1,1,1 BOXES=fetch_name_0 COUNTS=fetch_name_1 IM_SHAPE=1');
    const names = await cli(path.join(FIX, 'PP-DocLayout-L.yml'), 'PP-DocLayout-L', renamed);
    expect(names.code).toBe(1);
    expect(names.stderr).toMatch(/ONNX outputs are \[boxes, num_boxes\], expected \[fetch_name_0, fetch_name_1\]/);
    const wrong = await cli(path.join(FIX, 'PP-DocLayout-S-wrong.yml'), 'PP-DocLayout-S');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/target_size/);
  });
});
