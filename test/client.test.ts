import fs from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RocheApiError, verifyWebhook } from '@roche/client';
import { generateClientSchema, SCHEMA_FILE } from '../scripts/gen-client.js';
import { RocheClient } from '../apps/cli/src/client.js';
import { makeTextPdf } from './support/documents.js';
import { startTestService, type TestService } from './support/service.js';

describe('typed client (@roche/client)', () => {
  it('is generated from the OpenAPI document the API serves: regenerating gives the committed file (run `npm run gen:client`)', async () => {
    expect(await generateClientSchema()).toBe(fs.readFileSync(SCHEMA_FILE, 'utf8'));
  });

  describe('against a running service', () => {
    let t: TestService;
    beforeAll(async () => {
      t = await startTestService({ ROCHE_PDF_DPI: '72' });
    });
    afterAll(async () => t?.stop());

    it('submits, follows progress over SSE, waits, reads the result and its files', async () => {
      const client = new RocheClient(t.svc.api!.url);
      const job = await client.submit(new Uint8Array(makeTextPdf(2)), { filename: 'two.pdf', options: { previews: true } });
      expect(job.state).toBe('queued');
      const seen: string[] = [];
      for await (const v of client.events(job.id)) seen.push(`${v.state}:${v.pagesDone ?? 0}`);
      expect(seen.at(-1)).toBe('succeeded:2');
      const done = await client.waitForTerminal(job.id, 10_000);
      expect(done.pagesDone).toBe(2);
      const result = await client.result(job.id);
      expect(result.pages.map((p) => p.page)).toEqual([1, 2]);
      const preview = await client.file(result.pages[0]!.preview!);
      expect(preview.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff])); // JPEG
      expect((await client.list(5)).map((j) => j.id)).toContain(job.id);
      expect((await client.models()).map((m) => m.name)).toEqual(['embedded']);
    });

    it('turns API errors into RocheApiError with the stable code', async () => {
      const client = new RocheClient(t.svc.api!.url);
      const err = await client.status('job_00000000000000000000000000').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RocheApiError);
      expect(err).toMatchObject({ status: 404, code: 'not_found' });
      const bad = await client.submit(new TextEncoder().encode('not a document')).catch((e: unknown) => e);
      expect(bad).toMatchObject({ status: 415, code: 'unsupported_media_type' });
    });
  });

  it('verifies webhook signatures and refuses forged ones', () => {
    const secret = 'whsec_' + Buffer.alloc(32, 3).toString('base64');
    const body = JSON.stringify({ type: 'job.succeeded', timestamp: new Date().toISOString(), data: { id: 'job_x', state: 'succeeded' } });
    const id = 'msg_1';
    const ts = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(ts.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(id, ts, body),
    };
    expect(verifyWebhook(secret, body, headers).data.id).toBe('job_x');
    expect(() => verifyWebhook(secret, body.replace('succeeded', 'failed'), headers)).toThrow();
  });
});
