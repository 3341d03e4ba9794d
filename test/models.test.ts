import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DocumentResult, JobView } from '@roche/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';
import { startKserveServer } from './support/kserve-server.js';
import { startTestService, type TestService } from './support/service.js';

/** A pipeline_config.yaml with two models on the KServe test server; `lThreshold` is layout-l's threshold. */
const pipeline = (lThreshold: number) => `pipeline_name: formula_recognition
SubModules:
  LayoutDetection:
    module_name: layout_detection
    model_name: PP-DocLayout-L
    threshold: 0.5
    layout_nms: true
    layout_unclip_ratio: 1.0
    layout_merge_bboxes_mode: large
Models:
  - name: layout-l
    engine: triton
    triton_model: pp_doclayout
    triton_wire: fp32
    description: quality
    LayoutDetection:
      threshold: ${lThreshold}
  - name: layout-u8
    engine: triton
    triton_model: pp_doclayout_u8
    triton_wire: uint8
`;

describe('several models at once, and pipeline_config.yaml changed while the service runs', () => {
  let kserve: Awaited<ReturnType<typeof startKserveServer>>;
  let t: TestService;
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roche-models-'));
    file = path.join(dir, 'pipeline_config.yaml');
    await fs.writeFile(file, pipeline(0.5));
    kserve = await startKserveServer();
    t = await startTestService({
      ROCHE_ENGINE: 'triton',
      ROCHE_TRITON_URL: kserve.url,
      ROCHE_PIPELINE_CONFIG: file,
      ROCHE_PIPELINE_CONFIG_POLL_MS: '200',
      ROCHE_PDF_DPI: '72',
    });
  });
  afterAll(async () => {
    await t?.stop();
    await kserve?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const submit = async (options: object) => {
    const f = new FormData();
    f.set('file', new Blob([new Uint8Array(makeTextPdf(1))]), 'd.pdf');
    f.set('options', JSON.stringify(options));
    const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const run = async (options: object): Promise<DocumentResult> => {
    const r = await submit(options);
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const job = JobView.parse(r.body);
    expect((await t.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
    return t.client.result(job.id);
  };

  it('GET /v1/models lists both, the default first, with labels and their own settings', async () => {
    const { data } = (await (await fetch(`${t.svc.api!.url}/v1/models`)).json()) as {
      data: Array<{ name: string; default: boolean; labels: string[]; settings?: { threshold: number }; serverModel?: string }>;
    };
    expect(data.map((m) => [m.name, m.default, m.serverModel])).toEqual([
      ['layout-l', true, 'pp_doclayout'],
      ['layout-u8', false, 'pp_doclayout_u8'],
    ]);
    expect(data[0]!.labels).toContain('paragraph_title');
    expect(data.map((m) => m.settings?.threshold)).toEqual([0.5, 0.5]);
  });

  it('a job picks its model; an unknown model is refused at submit naming the ones there are', async () => {
    const refused = await submit({ model: 'nope' });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('layout-l, layout-u8');
    const before = kserve.requests.length;
    const [l, u8, byDefault] = await Promise.all([run({ model: 'layout-l' }), run({ model: 'layout-u8' }), run({})]);
    expect([l.model, u8.model, byDefault.model]).toEqual(['layout-l', 'layout-u8', 'layout-l']);
    const served = kserve.requests.slice(before).map((r) => r.model);
    expect(served).toContain('pp_doclayout');
    expect(served).toContain('pp_doclayout_u8');
    // Each model has its own engine and micro-batcher: no call mixes the two.
    expect(kserve.requests.slice(before).every((r) => ['pp_doclayout', 'pp_doclayout_u8'].includes(r.model))).toBe(true);
    expect(l.configVersions).toHaveLength(1);
  });

  it('a changed threshold takes effect without a restart; a bad file is refused and the last good one stays', async () => {
    const before = await run({ model: 'layout-l' });
    expect(before.pages[0]!.regions.map((r) => r.label).sort()).toEqual(['table', 'text']);
    // The synthetic model scores text 0.9 and table 0.8: at 0.85 only the text is kept (PaddleX: score > threshold).
    await fs.writeFile(file, pipeline(0.85));
    const deadline = Date.now() + 10_000;
    let after = before;
    while (Date.now() < deadline) {
      after = await run({ model: 'layout-l' });
      if (after.configVersions?.[0] !== before.configVersions?.[0]) break;
    }
    expect(after.configVersions?.[0]).not.toBe(before.configVersions?.[0]);
    expect(after.pages[0]!.regions.map((r) => r.label)).toEqual(['text']);
    // The other model kept its own settings.
    expect((await run({ model: 'layout-u8' })).pages[0]!.regions.map((r) => r.label).sort()).toEqual(['table', 'text']);

    await fs.writeFile(file, 'pipeline_name: x\nSubModules:\n  LayoutDetection:\n    model_name: PP-DocLayout-XXL\n');
    await new Promise((r) => setTimeout(r, 1000));
    const still = await run({ model: 'layout-l' });
    expect(still.configVersions).toEqual(after.configVersions);
    expect(still.pages[0]!.regions.map((r) => r.label)).toEqual(['text']);
    expect(((await (await fetch(`${t.svc.api!.url}/v1/models`)).json()) as { data: unknown[] }).data).toHaveLength(2);
  });
});
