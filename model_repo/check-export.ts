/**
 * Checks a downloaded PP-DocLayout export before model_repo/fetch_models.sh installs it:
 *
 *   npx tsx model_repo/check-export.ts <inference.yml> <model name> [<model.onnx>]
 *
 * On success prints shell assignments for the script (LAYOUT=fixed|nms, SIZE, MEAN, STD, BOXES,
 * COUNTS, IM_SHAPE); on any disagreement with Roche's model table, or output names other than the
 * ones Roche asks Triton for, prints every problem and exits 1. The rules live in
 * packages/inference/src/paddlex/inference-yml.ts (tested on fixture files in test/fixtures/inference-yml).
 */
import fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { checkExportNames, checkInferenceYml } from '../packages/inference/src/paddlex/inference-yml.js';
import { MODELS } from '../packages/inference/src/paddlex/models.js';

async function main(argv: string[]): Promise<number> {
  const [yml, model, onnx] = argv;
  if (!yml || !model) {
    process.stderr.write('usage: check-export.ts <inference.yml> <model name> [<model.onnx>]\n');
    return 2;
  }
  const r = checkInferenceYml(fs.readFileSync(yml, 'utf8'), model);
  const problems = [...r.problems];
  let inputs: readonly string[] = MODELS[model]?.inputs ?? [];
  if (onnx && MODELS[model]) {
    const session = await ort.InferenceSession.create(onnx, { executionProviders: ['cpu'] });
    inputs = session.inputNames;
    problems.push(...checkExportNames(session.inputNames, session.outputNames, MODELS[model]!));
    await session.release();
  }
  if (problems.length) {
    process.stderr.write(`${model}: ${yml} and the export disagree with Roche:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(
    `LAYOUT=${r.layout} SIZE=${r.size} MEAN=${r.mean.join(',')} STD=${r.std.join(',')} ` +
      `BOXES=fetch_name_0 COUNTS=fetch_name_1 IM_SHAPE=${inputs.includes('im_shape') ? 1 : 0}\n`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
