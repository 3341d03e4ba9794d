import fs from 'node:fs/promises';
import path from 'node:path';
import { COMMON_LABEL_COLOURS, commonLabel } from '@roche/core';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_PAGE, startTestService, type TestService } from './support/service.js';

/**
 * The viewer in a real browser: Debian's chromium driven by playwright-core (scripts/setup-test.sh
 * installs it), against the real service with the embedded analyzer.
 */
/** Runs in the page: moves a range input as a user's drag would. */
function setRange(el: unknown, v: number): number {
  const input = el as { value: string; dispatchEvent(e: Event): boolean };
  input.value = String(v);
  input.dispatchEvent(new Event('input'));
  return Number(input.value); // the range snaps to its step
}

const OUT = path.resolve(import.meta.dirname, '../.data/test-output');
let t: TestService;
let browser: Browser;

beforeAll(async () => {
  t = await startTestService();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

it('uploads a page, follows its progress, draws its regions, and the score slider hides low-score boxes', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // A file name is data, never markup (the page keeps the API key in localStorage).
  const evil = '<img src=x onerror="document.title=\'XSS\'">.png';
  const f = new FormData();
  f.set('file', new Blob([new Uint8Array(await fs.readFile(FIXTURE_PAGE))]), evil);
  expect((await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f })).status).toBe(202);
  await page.goto(`${t.svc.api!.url}/ui`);
  await page.waitForSelector('#jobs tr[data-job]');
  expect(await page.locator('#jobs').innerText()).toContain('<img src=x onerror=');
  expect(await page.locator('#jobs img').count()).toBe(0);
  expect(await page.title()).not.toBe('XSS');
  // The embedded analyzer has no score threshold to override (the API would refuse one): the field is off.
  await page.waitForSelector('#model option', { state: 'attached' });
  expect(await page.locator('#threshold').isDisabled()).toBe(true);
  await page.setInputFiles('#file', FIXTURE_PAGE);
  await page.click('#submit');
  await page.waitForSelector('#panelA g[data-region]', { timeout: 120_000 });

  const regions = page.locator('#panelA g[data-region]');
  const visible = page.locator('#panelA g[data-region]:not(.hidden)');
  const total = await regions.count();
  expect(total).toBeGreaterThan(10);
  expect(await visible.count()).toBe(total);
  // The preview image under the boxes loaded.
  expect(await page.locator('#panelA .stage img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(850);
  // Boxes sit where the result says: the first region's rectangle has the result's coordinates.
  const job = (await (await fetch(`${t.svc.api!.url}/v1/jobs?limit=1`)).json()) as { data: Array<{ id: string }> };
  const result = await t.client.result(job.data[0]!.id);
  const first = result.pages[0]!.regions[0]!;
  const rect = page.locator('#panelA g[data-region="0"] rect');
  expect(Number(await rect.getAttribute('x'))).toBeCloseTo(first.box[0], 1);
  // Every box is drawn in its common label's colour, the same one the overlay PNGs use (one table, in core).
  for (const [i, r] of result.pages[0]!.regions.entries()) {
    const stroke = await page.locator(`#panelA g[data-region="${r.order}"] rect`).getAttribute('stroke');
    expect(stroke, `region ${i} (${r.label})`).toBe(COMMON_LABEL_COLOURS[commonLabel(r.label)]);
  }
  expect(await page.locator('#jobs tr').count()).toBeGreaterThanOrEqual(1);

  const scores = result.pages[0]!.regions.map((r) => r.score).sort((a, b) => a - b);
  const cut = scores[Math.floor(scores.length / 2)]!;
  const applied = await page.locator('#score').evaluate(setRange, cut);
  const shown = await visible.count();
  expect(shown).toBe(scores.filter((s) => s >= applied).length);
  expect(shown).toBeLessThan(total);

  // Unticking a label in the legend hides its boxes too.
  await page.locator('#score').evaluate(setRange, 0);
  await page.locator('#legend input[data-label="text"]').uncheck();
  expect(await visible.count()).toBe(result.pages[0]!.regions.filter((r) => r.label !== 'text').length);
  await page.locator('#legend input[data-label="text"]').check();

  await fs.mkdir(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'viewer.png'), fullPage: false });
  await page.close();
}, 180_000);
