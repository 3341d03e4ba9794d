import { GetObjectCommand, GetObjectTaggingCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '@roche/storage';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type RunningService } from '../apps/cli/src/service.js';
import { dropJobId } from '../apps/watcher/src/watcher.js';
import { startS3, type TestS3 } from './support/s3.js';
import { startTestService, type TestService } from './support/service.js';

async function keys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    out.push(...(r.Contents ?? []).map((o) => o.Key!));
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return out.sort();
}

async function until(pred: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A small real page: white with a few dark text-like bars. */
const page = (i: number) =>
  sharp({ create: { width: 320, height: 200, channels: 3, background: '#fff' } })
    .composite(
      [0, 1, 2].map((k) => ({
        input: { create: { width: 200 - ((i * 13 + k * 29) % 80), height: 8, channels: 3 as const, background: '#111' } },
        left: 30,
        top: 40 + k * 20,
      })),
    )
    .png()
    .toBuffer();

describe('S3 drop folder', () => {
  let s3srv: TestS3;
  let s3: S3Client;
  let t: TestService;
  let env: Record<string, string>;
  beforeAll(async () => {
    s3srv = await startS3(['drops']);
    s3 = createS3Client(s3srv.settings);
    env = {
      S3_ENDPOINT: s3srv.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: s3srv.settings.accessKeyId,
      S3_SECRET_ACCESS_KEY: s3srv.settings.secretAccessKey,
      ROCHE_DROP_POLL_MS: '200',
      ROCHE_WORKER_CONCURRENCY: '4',
      ROCHE_MAX_UPLOAD_BYTES: String(256 * 1024),
      ROCHE_DROP_FOLDERS: JSON.stringify([
        { bucket: 'drops', inputPrefix: 'in/', outputPrefix: 'out/', afterProcess: 'move', options: { overlays: true } },
        { bucket: 'drops', inputPrefix: 'tagged-in/', outputPrefix: 'tagged-out/', errorPrefix: 'tagged-errors/', afterProcess: 'tag' },
      ]),
    };
    t = await startTestService(env);
  });
  afterAll(async () => {
    await t?.stop();
    s3?.destroy();
    await s3srv?.close();
  });

  it('50 dropped files become 50 jobs and 50 results, with no duplicates, while a second watcher replica restarts', async () => {
    let replica: RunningService | undefined = await startService(t.config, { api: false, worker: false, watch: true }, () => {});
    const names = Array.from({ length: 50 }, (_, i) => `in/${i % 3 === 0 ? 'batch/' : ''}doc-${i}.png`);
    for (const [i, key] of names.entries()) {
      await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: key, Body: await page(i) }));
      if (i === 20) {
        await replica?.stop(); // a replica goes away mid-stream…
        replica = undefined;
      }
      if (i === 30) replica = await startService(t.config, { api: false, worker: false, watch: true }, () => {}); // …and comes back
    }
    try {
      await until(
        async () => (await keys(s3, 'drops', 'out/')).filter((k) => k.endsWith('.layout.json')).length >= 50,
        120_000,
        '50 results',
      );
      await until(async () => (await keys(s3, 'drops', 'in/')).length === 0, 30_000, 'inputs moved');
    } finally {
      await replica?.stop();
    }
    const outputs = await keys(s3, 'drops', 'out/');
    const layouts = outputs.filter((k) => k.endsWith('.layout.json'));
    expect(layouts).toEqual(names.map((n) => `out/${n.slice(3)}.layout.json`).sort());
    expect(outputs.filter((k) => k.endsWith('.page-1.png'))).toHaveLength(50);
    expect(await keys(s3, 'drops', 'processed/')).toEqual(names.map((n) => `processed/${n.slice(3)}`).sort());
    // Exactly 50 job records exist in this test's namespace: no object became two jobs.
    const jobKeys = (await t.svc.infra.redis.keys(`${t.config.queuePrefix}:job:*`)).filter((k) => /:job:job_[0-9a-z]+$/.test(k));
    expect(jobKeys).toHaveLength(50);
    const one = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: 'drops', Key: layouts[0]! }))).Body!.transformToString());
    expect(one.pages[0].width).toBe(320);
  }, 180_000);

  it('afterProcess "tag" leaves the input in place, tags it, and still processes it once', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'tagged-in/a.png', Body: await page(7) }));
    await until(async () => (await keys(s3, 'drops', 'tagged-out/')).includes('tagged-out/a.png.layout.json'), 30_000, 'tagged result');
    // The export writes the result, then the overlays, then the tags: wait for the last step.
    const tagsOf = () => s3.send(new GetObjectTaggingCommand({ Bucket: 'drops', Key: 'tagged-in/a.png' }));
    await until(async () => ((await tagsOf()).TagSet ?? []).length > 0, 30_000, 'tags on the input');
    const tags = await tagsOf();
    expect(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value]))).toMatchObject({
      'roche-status': 'succeeded',
      'roche-job': expect.stringMatching(/^job_/),
    });
    await new Promise((r) => setTimeout(r, 800)); // several more polls see the object again
    const jobKeys = (await t.svc.infra.redis.keys(`${t.config.queuePrefix}:job:*`)).filter((k) => /:job:job_[0-9a-z]+$/.test(k));
    const forIt = [];
    for (const k of jobKeys) if ((await t.svc.infra.redis.hget(k, 'input'))?.includes('tagged-in/a.png')) forIt.push(k);
    expect(forIt).toHaveLength(1);
  });

  it('a file that is not a document lands in errors/ with the reason and creates no job', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'in/notes.txt', Body: 'just text' }));
    await until(async () => (await keys(s3, 'drops', 'errors/')).includes('errors/notes.txt.error.json'), 20_000, 'error file');
    const reason = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: 'drops', Key: 'errors/notes.txt.error.json' }))).Body!.transformToString(),
    );
    expect(reason).toMatchObject({ code: 'unsupported_media_type', key: 'in/notes.txt' });
  });

  it('an object over the upload limit lands in errors/ without being read whole', async () => {
    // A PNG signature and 300 KiB of zeros: over this service's 256 KiB limit (it used to be read and processed).
    const big = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(300 * 1024)]);
    await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'in/big.png', Body: big }));
    await until(async () => (await keys(s3, 'drops', 'errors/')).includes('errors/big.png.error.json'), 20_000, 'error file');
    const reason = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: 'drops', Key: 'errors/big.png.error.json' }))).Body!.transformToString(),
    );
    expect(reason).toMatchObject({ code: 'payload_too_large', key: 'in/big.png' });
  });

  it("events are checked: a malformed one is a 400, one whose ETag is not the object's creates nothing", async () => {
    const post = (body: unknown) =>
      fetch(`${t.svc.api!.url}/v1/drop-folder/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const record = (key: unknown, eTag = '"0123"') => ({
      eventName: 's3:ObjectCreated:Put',
      s3: { bucket: { name: 'drops' }, object: { key, eTag } },
    });
    // These answered 500 (URI malformed, null record, key not a string).
    for (const bad of [{ Records: [record('in/%E0%A4%A')] }, { Records: [null] }, { Records: [record({ a: 1 })] }]) {
      const res = await post(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    // Events naming versions that are not the object's (a stale or forged notification) made one job each.
    const put = await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'in/dup.png', Body: await page(7) }));
    const res = await post({ Records: [record('in/dup.png', '"fake1"'), record('in/dup.png', '"fake2"')] });
    expect(((await res.json()) as { created: number }).created).toBe(0);
    const id = dropJobId('drops', 'in/dup.png', put.ETag!.replace(/"/g, ''), (d) => t.svc.infra.box.mac(d));
    // The poller, not the events, creates this job, so it may not exist yet: wait for its result first.
    await until(async () => (await keys(s3, 'drops', 'out/')).includes('out/dup.png.layout.json'), 60_000, 'dup result');
    expect((await t.client.waitForTerminal(id, 60_000)).state).toBe('succeeded');
    const all = (await (await fetch(`${t.svc.api!.url}/v1/jobs?limit=200`)).json()) as { data: Array<{ input: { filename?: string } }> };
    expect(all.data.filter((j) => j.input.filename === 'dup.png')).toHaveLength(1);
    expect(await keys(s3, 'drops', 'errors/')).not.toContain('errors/dup.png.error.json');
  });

  it('an S3 event notification creates the job at once, and the poller does not create it again', async () => {
    const body = await page(99);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'drops', Key: 'in/event doc.png', Body: body }));
    const event = {
      Records: [
        { eventName: 's3:ObjectCreated:Put', s3: { bucket: { name: 'drops' }, object: { key: 'in/event+doc.png', eTag: put.ETag } } },
      ],
    };
    const res = await fetch(`${t.svc.api!.url}/v1/drop-folder/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    const { created } = (await res.json()) as { created: number };
    const id = dropJobId('drops', 'in/event doc.png', put.ETag!.replace(/"/g, ''), (d) => t.svc.infra.box.mac(d));
    // Either the event or a poll that raced it created the job; exactly one exists.
    expect(created).toBeLessThanOrEqual(1);
    // When a poll won the race it may still be creating the job: its result comes first, then its status.
    await until(async () => (await keys(s3, 'drops', 'out/')).includes('out/event doc.png.layout.json'), 60_000, 'event result');
    const done = await t.client.waitForTerminal(id, 60_000);
    expect(done.state).toBe('succeeded');
    const again = await fetch(`${t.svc.api!.url}/v1/drop-folder/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    expect(((await again.json()) as { created: number }).created).toBe(0);
  });
});
