import { Worker } from 'bullmq';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createRedis } from '../src/connection.js';
import { DocumentQueue, FAIR_ROUND_PAGES } from '../src/document-queue.js';
import { QUEUES } from '../src/names.js';

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

it("takes every document's first 8 pages before any document's next 8: a long document does not hold the queue, a short one runs in one piece", async () => {
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
  for (let job; (job = await worker.getNextJob('test-token'));) order.push(job.id!);
  expect(order).toEqual([
    ...['long-p1+2', 'long-p3+2', 'long-p5+2', 'long-p7+2'],
    ...['short-p1+2', 'short-p3', 'one-p1'],
    ...['long-p9+2', 'long-p11+2', 'long-p13+2', 'long-p15+2'],
    ...['long-p17+2', 'long-p19+2'],
  ]);
});
