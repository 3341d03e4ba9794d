import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '@roche/telemetry';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeTextPdf } from './support/documents.js';
import { startKserveServer } from './support/kserve-server.js';
import { startTestService, type TestService } from './support/service.js';
import { startReceiver } from './support/webhook-receiver.js';

const exporter = new InMemorySpanExporter();
let tracing: ReturnType<typeof startTracing>;
let kserve: Awaited<ReturnType<typeof startKserveServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let t: TestService;

beforeAll(async () => {
  // Before the service exists: its queues and workers take the tracing hooks when they are made.
  tracing = startTracing({ exporter, serviceName: 'roche-test' });
  kserve = await startKserveServer();
  receiver = await startReceiver();
  t = await startTestService({
    ROCHE_ENGINE: 'triton',
    ROCHE_TRITON_URL: kserve.url,
    ROCHE_TRITON_MODEL: 'pp_doclayout',
    ROCHE_PDF_DPI: '72',
    ROCHE_WEBHOOK_ALLOW: '127.0.0.1/32',
  });
});
afterAll(async () => {
  await t?.stop();
  await kserve?.close();
  await receiver?.close();
  await tracing?.shutdown();
});

it('one trace runs from the HTTP request through the queue to the worker, the Triton call and the webhook', async () => {
  expect(tracing).not.toBeNull();
  const f = new FormData();
  f.set('file', new Blob([new Uint8Array(makeTextPdf(2))]), 'd.pdf');
  f.set('webhook', JSON.stringify({ url: receiver.url() }));
  const res = await fetch(`${t.svc.api!.url}/v1/jobs`, { method: 'POST', body: f });
  expect(res.status).toBe(202);
  const job = (await res.json()) as { id: string };
  expect((await t.client.waitForTerminal(job.id, 60_000)).state).toBe('succeeded');
  await receiver.waitFor((r) => r.some((x) => x.body.includes(job.id)), 30_000);
  // The delivery span ends after the receiver answered.
  let spans: ReadableSpan[] = [];
  for (let i = 0; i < 50; i++) {
    spans = exporter.getFinishedSpans();
    if (spans.some((s) => s.name === 'webhook.deliver')) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  const http = spans.find((s) => s.attributes['http.route'] === '/v1/jobs' && s.attributes['http.request.method'] === 'POST');
  expect(http, spans.map((s) => s.name).join(', ')).toBeDefined();
  const traceId = http!.spanContext().traceId;
  const inTrace = spans.filter((s) => s.spanContext().traceId === traceId);
  const names = inTrace.map((s) => s.name);
  expect(names.filter((n) => n === 'triton.infer')).toHaveLength(2); // one per page
  expect(names.some((n) => n.startsWith('process') && n.includes('pages'))).toBe(true); // the worker's page jobs
  expect(names).toContain('webhook.deliver');
  // Every span of the trace but the request's own hangs from a parent that is in the trace.
  const ids = new Set(inTrace.map((s) => s.spanContext().spanId));
  const orphans = inTrace.filter((s) => s !== http && !ids.has(s.parentSpanContext?.spanId ?? ''));
  expect(orphans.map((s) => s.name)).toEqual([]);
});
