import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every Prometheus metric Roche exports, in one registry per process. Packages record into these;
 * apps only serve `registry.metrics()` (`/metrics` on the API, `ROCHE_METRICS_PORT` on workers).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'roche_process_' });

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const metrics = {
  httpRequests: new Counter({
    name: 'roche_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  }),
  httpDuration: new Histogram({
    name: 'roche_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  jobsSubmitted: new Counter({ name: 'roche_jobs_submitted_total', help: 'Jobs accepted', registers: [registry] }),
  jobsEnded: new Counter({
    name: 'roche_jobs_ended_total',
    help: 'Jobs that reached a terminal state, by state',
    labelNames: ['state'] as const,
    registers: [registry],
  }),
  pages: new Counter({
    name: 'roche_pages_total',
    help: 'Pages processed, by outcome (done, failed, outage: sent back to wait for Triton or the store)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  pageStage: new Histogram({
    name: 'roche_page_stage_seconds',
    help: 'Time of one page in each stage: render (decode/rasterize), analyze (the layout engine), store (overlay, crops, page result)',
    labelNames: ['stage'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  queueJobs: new Gauge({
    name: 'roche_queue_jobs',
    help: 'BullMQ jobs per queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
  }),
  queueOldestWait: new Gauge({
    name: 'roche_queue_oldest_waiting_seconds',
    help: "How long the oldest job in the wait list per queue has been in it, read at scrape time (a long document's later rounds of pages count from when they joined the list, a round at a time)",
    labelNames: ['queue'] as const,
    registers: [registry],
  }),
  batchSize: new Histogram({
    name: 'roche_batch_pages',
    help: 'Pages per inference call (micro-batch size)',
    labelNames: ['model'] as const,
    buckets: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32],
    registers: [registry],
  }),
  batchFill: new Histogram({
    name: 'roche_batch_fill_ratio',
    help: 'Pages per inference call divided by the largest batch allowed',
    labelNames: ['model'] as const,
    buckets: [0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1],
    registers: [registry],
  }),
  tritonRpc: new Histogram({
    name: 'roche_triton_rpc_seconds',
    help: 'KServe v2 gRPC calls to Triton by method and outcome (ok or the gRPC status name)',
    labelNames: ['method', 'outcome'] as const,
    buckets: seconds,
    registers: [registry],
  }),
  webhookDeliveries: new Counter({
    name: 'roche_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  dropObjects: new Counter({
    name: 'roche_drop_folder_objects_total',
    help: 'Drop-folder objects seen and claimed (a job created by this replica)',
    labelNames: ['event'] as const,
    registers: [registry],
  }),
};

/** Runs `fn` and records its duration in `h` with `labels`. */
export async function timed<T, L extends string>(h: Histogram<L>, labels: Partial<Record<L, string>>, fn: () => Promise<T>): Promise<T> {
  const end = h.startTimer(labels);
  try {
    return await fn();
  } finally {
    end();
  }
}

type Collector = () => Promise<void>;
const collectors = new Set<Collector>();

/** Registers work to do at each scrape (e.g. reading queue depths); returns an unregister function. */
export function onScrape(fn: Collector): () => void {
  collectors.add(fn);
  return () => collectors.delete(fn);
}

/** The exposition text, after refreshing what is read at scrape time. A failing collector leaves its gauges as they were. */
export async function scrape(): Promise<string> {
  await Promise.allSettled([...collectors].map((c) => c()));
  return registry.metrics();
}

export const METRICS_CONTENT_TYPE = registry.contentType;
