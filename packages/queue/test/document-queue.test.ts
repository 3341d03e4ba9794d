import { Worker } from 'bullmq';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createRedis } from '../src/connection.js';
import { DocumentQueue, FAIR_ROUND_PAGES, releaseTurn, waitingSince } from '../src/document-queue.js';
import { PagePayload, QUEUES } from '../src/names.js';

let queue: DocumentQueue;
let worker: Worker;
const prefix = `dq${Date.now()}`;

beforeAll(() => {
  queue = new DocumentQueue(inject('redisUrl'), prefix, 3, 2);
  // No processor: jobs are taken by hand, in the order any worker would get them.
  worker = new Worker(QUEUES.pages, null, { connection: createRedis(inject('redisUrl'), { maxRetriesPerRequest: null }), prefix });
});
afterAll(async () => {
  await worker.close();
  await queue.close();
});

/** The next page job a worker would get, started as the worker starts one: it lets its document's next round into line. */
async function take(): Promise<string | undefined> {
  const job = await worker.getNextJob('test-token');
  if (!job) return undefined;
  const { next } = PagePayload.parse(job.data);
  if (next) await releaseTurn(worker, next);
  return job.id!;
}

it("takes every waiting document's first 8 pages before any document's next 8: a long document does not hold the queue, a short one runs in one piece", async () => {
  expect(FAIR_ROUND_PAGES).toBe(8);
  await queue.enqueueDocument(
    'long',
    Array.from({ length: 20 }, (_, i) => i + 1),
  );
  await queue.enqueueDocument('short', [1, 2, 3]);
  await queue.enqueueDocument('one', [1]);
  // First rounds wait in the list KEDA's trigger counts; later rounds in BullMQ's prioritized set.
  const redis = createRedis(inject('redisUrl'));
  try {
    expect(await redis.llen(`${prefix}:${QUEUES.pages}:wait`)).toBe(7);
    expect(await redis.zcard(`${prefix}:${QUEUES.pages}:prioritized`)).toBe(6);
  } finally {
    await redis.quit();
  }
  const order: string[] = [];
  for (let id; (id = await take());) order.push(id);
  expect(order).toEqual([
    ...['long-p1+2', 'long-p3+2', 'long-p5+2', 'long-p7+2'],
    ...['short-p1+2', 'short-p3', 'one-p1'],
    ...['long-p9+2', 'long-p11+2', 'long-p13+2', 'long-p15+2'],
    ...['long-p17+2', 'long-p19+2'],
  ]);
});

it('lets a long document move on, a round at a time, however many new documents arrive', async () => {
  await queue.enqueueDocument(
    'big',
    Array.from({ length: 40 }, (_, i) => i + 1),
  );
  // Each group of the first round names the group one round (4 groups of 2 pages) after it.
  const first = await queue.pages.getJob('big-p1+2');
  expect(PagePayload.parse(first!.data).next).toBe('big-p9+2');
  expect((await queue.pages.getJob('big-p39+2'))!.data.next).toBeUndefined();
  // A new two-page document arrives every time a worker takes a job: the wait list never empties.
  const order: string[] = [];
  for (let k = 0; k < 100; k++) {
    const id = await take();
    if (!id) break;
    order.push(id);
    await queue.enqueueDocument(`new${k}`, [1, 2]);
    if (id === 'big-p39+2') break;
  }
  const big = order.filter((id) => id.startsWith('big-'));
  // Every group of the big document ran, in order, interleaved with the new documents (which wait
  // behind at most the big document's one round in line).
  expect(big).toEqual(Array.from({ length: 20 }, (_, i) => `big-p${2 * i + 1}+2`));
  expect(order.length).toBeLessThan(60);
  // The first new document, added after the first take, waits behind the big one's round in line (4
  // groups, one of them let in by that take).
  expect(order.indexOf('new0-p1+2')).toBe(5);
  // Drain what is left so the queue is empty for the next test.
  while (await take());
});

it("counts a later round's wait from its release, not from its document's submission", async () => {
  await queue.enqueueDocument(
    'aged',
    Array.from({ length: 10 }, (_, i) => i + 1),
  );
  const later = await queue.pages.getJob('aged-p9+2');
  expect([later!.priority, waitingSince(later!)]).toEqual([1, later!.timestamp]);
  await new Promise((r) => setTimeout(r, 20));
  const released = Date.now();
  await releaseTurn(queue.pages, 'aged-p9+2');
  const inLine = await queue.pages.getJob('aged-p9+2');
  expect([inLine!.priority, await inLine!.getState()]).toEqual([0, 'waiting']);
  expect(waitingSince(inLine!)).toBeGreaterThanOrEqual(released);
  expect(inLine!.timestamp).toBeLessThan(released);
  // The stamp leaves the payload as workers read it.
  expect(PagePayload.parse(inLine!.data)).toEqual({ jobId: 'aged', pages: [9, 10] });
  // A second release (the starting job's, again when it ends) finds it in line and changes nothing.
  await releaseTurn(queue.pages, 'aged-p9+2');
  expect((await queue.pages.getJob('aged-p9+2'))!.data.releasedAt).toBe(inLine!.data.releasedAt);
  while (await take());
});
