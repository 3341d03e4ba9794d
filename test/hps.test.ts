import fs from 'node:fs';
import { decodeImage } from '@roche/documents';
import { PaddlexHpsEngine, TritonClient } from '@roche/inference';
import { Region, type RgbImage } from '@roche/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKserveServer } from './support/kserve-server.js';
import { FIXTURE_PAGE, startTestService } from './support/service.js';

type Server = Awaited<ReturnType<typeof startKserveServer>>;

/**
 * The `paddlex-hps` engine over real gRPC against the test server's PaddleX pipelines, whose requests
 * and replies follow PaddleX's serving schemas (test/support/hps-pipelines.ts).
 */
describe('PaddleX HPS engine (JSON in a BYTES tensor)', () => {
  let server: Server;
  let page: RgbImage;
  const engines: PaddlexHpsEngine[] = [];
  const open = async (model: string, opts: { timeoutMs?: number; maxInFlight?: number } = {}) => {
    const e = await PaddlexHpsEngine.create(
      new TritonClient({ url: server.url, timeoutMs: opts.timeoutMs ?? 30_000, retryDeadline: false }),
      model,
      0,
      { maxInFlight: opts.maxInFlight },
    );
    engines.push(e);
    return e;
  };
  beforeAll(async () => {
    server = await startKserveServer();
    page = await decodeImage(fs.readFileSync(FIXTURE_PAGE), { maxPagePixels: 1e8 });
  });
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    await server?.close();
  });

  it('layout-parsing: sends the page as a base64 PNG with document preprocessing off, maps layout_det_res to regions', async () => {
    const engine = await open('layout-parsing');
    const [r] = await engine.analyze([page], { overrides: { layoutThreshold: 0.5, layoutUnclipRatio: [1, 1.05] } });
    expect(r!.regions.length).toBeGreaterThan(10);
    expect(r!.regions.every((x) => x.label === 'text' && x.box[2] <= page.width && x.latex === undefined)).toBe(true);
    expect(server.requests.at(-1)).toMatchObject({ model: 'layout-parsing', batch: 1 });
    const body = server.hpsBodies.at(-1)!;
    expect(body).toMatchObject({
      fileType: 1,
      visualize: false,
      useDocOrientationClassify: false,
      useDocUnwarping: false,
      layoutThreshold: 0.5,
      layoutUnclipRatio: [1, 1.05],
    });
    const sent = await sharp(Buffer.from(body.file as string, 'base64')).metadata();
    expect([sent.format, sent.width, sent.height]).toEqual(['png', page.width, page.height]);
  });

  it('layout-parsing: refuses per-class maps it would ignore or reject, before calling the server', async () => {
    const engine = await open('layout-parsing');
    const before = server.hpsBodies.length;
    await expect(engine.analyze([page], { overrides: { layoutThreshold: { '2': 0.3 } } })).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringMatching(/layoutThreshold/),
    });
    await expect(engine.analyze([page], { overrides: { layoutMergeBboxesMode: { '2': 'small' } } })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(server.hpsBodies.length).toBe(before);
  });

  it('formula-recognition: formula regions carry LaTeX and the formula id from formula_res_list', async () => {
    const engine = await open('formula-recognition');
    const [r] = await engine.analyze([page]);
    expect(server.hpsBodies.at(-1)).toMatchObject({ useLayoutDetection: true, useDocOrientationClassify: false, useDocUnwarping: false });
    const formulas = r!.regions.filter((x) => x.label === 'formula');
    expect(formulas).toHaveLength(1);
    expect(formulas[0]).toMatchObject({ latex: 'x_{1}^{2}+\\frac{a}{b}', formulaId: 1 });
    expect(r!.regions.filter((x) => x.latex !== undefined)).toHaveLength(1);
    // The result schema admits the new fields.
    expect(Region.parse(formulas[0])).toEqual(formulas[0]);
  });

  it('object-detection: sends image + threshold (per-class map allowed), reads detectedObjects, refuses layout options', async () => {
    const engine = await open('object-detection');
    const [r] = await engine.analyze([page], { overrides: { layoutThreshold: { '2': 0.6 } } });
    const body = server.hpsBodies.at(-1)!;
    expect(Object.keys(body).sort()).toEqual(['image', 'threshold', 'visualize']);
    expect(body.threshold).toEqual({ '2': 0.6 });
    expect(r!.regions.length).toBeGreaterThan(10);
    await expect(engine.analyze([page], { overrides: { layoutNms: true } })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a model name whose protocol Roche does not know, at start', async () => {
    await expect(PaddlexHpsEngine.create(new TritonClient({ url: server.url }), 'table-recognition')).rejects.toThrow(
      /not a PaddleX serving pipeline Roche speaks/,
    );
  });

  it('retries a pipeline 500 once; a page that fails twice fails for good with the server message', async () => {
    const engine = await open('layout-parsing');
    server.injectHps(500);
    const [ok] = await engine.analyze([page]);
    expect(ok!.regions.length).toBeGreaterThan(10);
    const before = server.hpsBodies.length;
    server.injectHps(500, 500);
    await expect(engine.analyze([page])).rejects.toMatchObject({
      code: 'inference_failed',
      retryable: false,
      message: expect.stringMatching(/injected pipeline failure 500.*failed twice/),
    });
    expect(server.hpsBodies.length - before).toBe(2);
    server.injectHps(422);
    await expect(engine.analyze([page])).rejects.toMatchObject({ code: 'inference_failed', retryable: false });
  });

  it('does not retry DEADLINE_EXCEEDED', async () => {
    const engine = await open('layout-parsing', { timeoutMs: 300 });
    server.inject('stall', 'stall');
    await expect(engine.analyze([page])).rejects.toMatchObject({
      code: 'inference_failed',
      message: expect.stringMatching(/DEADLINE_EXCEEDED/),
    });
    // With a retry the second stall would have been used up; it is still queued, so the next call meets it.
    await expect(engine.analyze([page])).rejects.toMatchObject({ message: expect.stringMatching(/DEADLINE_EXCEEDED/) });
    server.release();
  });

  it('bounds calls in flight to the server', async () => {
    const engine = await open('layout-parsing', { maxInFlight: 1 });
    const small: RgbImage = { data: page.data.subarray(0, page.width * 300 * 3), width: page.width, height: 300 };
    server.hps.maxInFlight = 0;
    server.hps.delayMs = 50;
    try {
      await engine.analyze([small, small, small, small]);
    } finally {
      server.hps.delayMs = 0;
    }
    expect(server.hps.maxInFlight).toBe(1);
    const two = await open('layout-parsing', { maxInFlight: 2 });
    server.hps.maxInFlight = 0;
    server.hps.delayMs = 50;
    try {
      await two.analyze([small, small, small, small]);
    } finally {
      server.hps.delayMs = 0;
    }
    expect(server.hps.maxInFlight).toBe(2);
  });
});

describe('submit against a paddlex-hps deployment', () => {
  it('refuses at submit, with 400 and nothing stored, the overrides the pipeline would ignore or reject', async () => {
    const server = await startKserveServer();
    const t = await startTestService({ ROCHE_ENGINE: 'paddlex-hps', ROCHE_HPS_URL: server.url, ROCHE_HPS_MODEL: 'layout-parsing' });
    try {
      const submit = async (overrides: object) => {
        const f = new FormData();
        f.set('file', new Blob([new Uint8Array(fs.readFileSync(FIXTURE_PAGE))]), 'page.png');
        f.set('options', JSON.stringify({ overrides }));
        const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
        return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string }; id?: string } };
      };
      const refused = await submit({ layoutThreshold: { '2': 0.4 } });
      expect(refused.status).toBe(400);
      expect(refused.body.error?.code).toBe('validation_failed');
      expect(await t.svc.infra.queue.pages.count()).toBe(0);
      const accepted = await submit({ layoutThreshold: 0.4 });
      expect(accepted.status).toBe(202);
      expect((await t.client.waitForTerminal(accepted.body.id!, 60_000)).state).toBe('succeeded');
    } finally {
      await t.stop();
      await server.close();
    }
  });
});
