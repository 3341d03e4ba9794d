import fs from 'node:fs';
import path from 'node:path';
import { parsePipelineConfig, PpDocLayoutAdapter } from '@roche/inference';
import { describe, expect, it } from 'vitest';

/**
 * model_repo/ cannot be loaded by a Triton here, so its wiring is checked as text: every ensemble
 * step names a model of the repository and maps only tensors that model declares, every tensor a
 * step reads is an ensemble input or an earlier step's output, and what Roche's PP-DocLayout adapter
 * sends on each wire is what the ensemble for that wire declares.
 */
const REPO = path.resolve(import.meta.dirname, '../model_repo');

interface Io {
  name: string;
  dtype: string;
}
interface ModelConfig {
  name: string;
  inputs: Io[];
  outputs: Io[];
  steps: Array<{ model: string; inputs: Record<string, string>; outputs: Record<string, string> }>;
}

/** The parts of a config.pbtxt this test needs (the repository's own one-line-per-tensor layout). */
function readConfig(dir: string): ModelConfig {
  const text = fs.readFileSync(path.join(REPO, dir, 'config.pbtxt'), 'utf8').replace(/#.*$/gm, '');
  const block = (key: string) => {
    const start = new RegExp(`^${key} \\[`, 'm').exec(text);
    if (!start) return [];
    // To the matching bracket (dims: [ ... ] nest inside).
    let depth = 0;
    let end = start.index;
    for (let i = start.index; i < text.length; i++) {
      if (text[i] === '[') depth++;
      else if (text[i] === ']' && --depth === 0) {
        end = i;
        break;
      }
    }
    return [...text.slice(start.index, end).matchAll(/name: "(\w+)"\s+data_type: TYPE_(\w+)/g)].map((x) => ({ name: x[1]!, dtype: x[2]! }));
  };
  // Each step starts at `{ model_name:` and runs to the next one.
  const steps = text
    .split(/\{ model_name: /)
    .slice(1)
    .map((chunk) => ({
      model: /^"(\w+)"/.exec(chunk)![1]!,
      inputs: Object.fromEntries([...chunk.matchAll(/input_map \{ key: "(\w+)" value: "(\w+)" \}/g)].map((x) => [x[1]!, x[2]!])),
      outputs: Object.fromEntries([...chunk.matchAll(/output_map \{ key: "(\w+)" value: "(\w+)" \}/g)].map((x) => [x[1]!, x[2]!])),
    }));
  return { name: /^name: "(\w+)"/m.exec(text)![1]!, inputs: block('input'), outputs: block('output'), steps };
}

const models = fs.readdirSync(REPO).filter((d) => fs.existsSync(path.join(REPO, d, 'config.pbtxt')));
const configs = Object.fromEntries(models.map((d) => [d, readConfig(d)]));
const ensembles = models.filter((d) => configs[d]!.steps.length > 0);

describe('model_repo wiring', () => {
  it('has the three ways to send pages, each a model named after its folder', () => {
    expect(ensembles.sort()).toEqual(['pp_doclayout_native', 'pp_doclayout_u8']);
    for (const d of models) expect(configs[d]!.name).toBe(d);
  });

  it.each(ensembles)('%s: every step maps tensors its model declares, from the ensemble or an earlier step', (name) => {
    const e = configs[name]!;
    const available = new Set(e.inputs.map((i) => i.name));
    for (const step of e.steps) {
      const m = configs[step.model];
      expect(m, `step model ${step.model}`).toBeDefined();
      for (const [key, value] of Object.entries(step.inputs)) {
        expect(
          m!.inputs.map((i) => i.name),
          `${step.model} input ${key}`,
        ).toContain(key);
        expect([...available], `${name}: ${value} is not produced before ${step.model}`).toContain(value);
      }
      // Every input of the step's model is fed.
      expect(Object.keys(step.inputs).sort()).toEqual(m!.inputs.map((i) => i.name).sort());
      for (const [key, value] of Object.entries(step.outputs)) {
        expect(
          m!.outputs.map((o) => o.name),
          `${step.model} output ${key}`,
        ).toContain(key);
        available.add(value);
      }
    }
    for (const o of e.outputs) expect([...available], `ensemble output ${o.name}`).toContain(o.name);
  });

  it.each([
    ['pp_doclayout', 'fp32'],
    ['pp_doclayout_u8', 'uint8'],
    ['pp_doclayout_native', 'native'],
  ] as const)('%s declares what the PP-DocLayout adapter sends on the %s wire', (model, wire) => {
    const cfg = parsePipelineConfig(fs.readFileSync(path.resolve(REPO, '../pipeline_config.yaml'), 'utf8')).SubModules.LayoutDetection;
    const adapter = PpDocLayoutAdapter.forModel(model, cfg, wire);
    // Triton's TYPE_STRING is BYTES on the KServe wire.
    const kserve = (io: Io[]) => Object.fromEntries(io.map((i) => [i.name, i.dtype === 'STRING' ? 'BYTES' : i.dtype]));
    expect(kserve(configs[model]!.inputs)).toEqual(adapter.contract.inputs);
    expect(kserve(configs[model]!.outputs)).toEqual(adapter.contract.outputs);
  });
});
