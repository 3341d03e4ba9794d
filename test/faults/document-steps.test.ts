import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTextPdf } from '../support/documents.js';
import { startRig, type Rig } from './rig.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The document steps (assemble, expire) meet an outage like page steps do: they wait for the
 * dependency instead of spending their three attempts (2 s and 4 s apart) and then staying undone
 * for good. Expiry is the step whose timing a test controls: retention here is 3 s.
 */
describe('document steps during an object-store outage', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ workers: 1, env: { ROCHE_RETENTION_HOURS: String(3 / 3600) } });
  }, 120_000);
  afterAll(async () => rig?.stop());

  it('a finished job that expires while the store is down is removed once it is back', async () => {
    const job = await rig.submit(makeTextPdf(1));
    const [done] = await rig.settle([job.id], 60_000);
    expect(done!.state).toBe('succeeded');
    await rig.stopS3();
    // Expiry is due 3 s after the end; three attempts would all have failed by now.
    await sleep(12_000);
    expect((await rig.client.status(job.id)).id).toBe(job.id); // nothing could be deleted yet
    await rig.startS3();
    const deadline = Date.now() + 40_000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      gone = await rig.client.status(job.id).then(
        () => false,
        (e: { status?: number }) => e.status === 404,
      );
      if (!gone) await sleep(250);
    }
    expect(gone).toBe(true);
  }, 120_000);
});
