import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_SAMPLES, startTestService, type TestService } from './support/service.js';

const dir = path.join(SHARED_SAMPLES, 'publaynet');
const have = fs.existsSync(path.join(dir, 'annotations_simple.json'));

type Ann = {
  images: Array<{ file: string; width: number; height: number; regions: Array<{ label: string; bbox: [number, number, number, number] }> }>;
};

/** Share of the ground-truth text area that predicted regions cover (pixel masks, so overlaps count once). */
function coveredShare(w: number, h: number, truth: number[][], pred: number[][]): number {
  const paint = (boxes: number[][]) => {
    const m = new Uint8Array(w * h);
    for (const [x1, y1, x2, y2] of boxes) {
      for (let y = Math.max(0, Math.floor(y1!)); y < Math.min(h, Math.ceil(y2!)); y++)
        m.fill(1, y * w + Math.max(0, Math.floor(x1!)), y * w + Math.min(w, Math.ceil(x2!)));
    }
    return m;
  };
  const t = paint(truth);
  const p = paint(pred);
  let inter = 0;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    total += t[i]!;
    inter += t[i]! & p[i]!;
  }
  return inter / total;
}

describe.skipIf(!have)('end to end on PubLayNet pages from ../shared/samples (skipped when that folder is absent)', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => t?.stop());

  it('covers most of the ground-truth text area and keeps every box inside the page', async () => {
    const ann = JSON.parse(fs.readFileSync(path.join(dir, 'annotations_simple.json'), 'utf8')) as Ann;
    const pages = ann.images.slice(0, 3);
    const jobs = await Promise.all(pages.map((p) => t.client.submitFile(path.join(dir, p.file))));
    for (const [i, job] of jobs.entries()) {
      const done = await t.client.waitForTerminal(job.id, 120_000);
      expect(done.state).toBe('succeeded');
      const page = (await t.client.result(job.id)).pages[0]!;
      const gt = pages[i]!;
      expect([page.width, page.height]).toEqual([gt.width, gt.height]);
      for (const r of page.regions) {
        expect(r.box[0]).toBeGreaterThanOrEqual(0);
        expect(r.box[2]).toBeLessThanOrEqual(gt.width);
        expect(r.box[3]).toBeLessThanOrEqual(gt.height);
      }
      const truth = gt.regions.filter((r) => r.label === 'text').map((r) => r.bbox);
      const share = coveredShare(
        gt.width,
        gt.height,
        truth,
        page.regions.map((r) => r.box),
      );
      expect(share, `${gt.file}: share of GT text area covered`).toBeGreaterThan(0.8);
    }
  });
});
