import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { BullMQOtel } from 'bullmq-otel';

let provider: NodeTracerProvider | null = null;
let bull: BullMQOtel | undefined;

/**
 * Turns tracing on for this process: spans go to `OTEL_EXPORTER_OTLP_ENDPOINT` (OTLP over HTTP) or
 * to the exporter given (tests). Without either, tracing stays off and costs nothing. The W3C
 * context travels inside BullMQ job data, so one trace runs from the HTTP request through the
 * queue to the worker, the Triton call and the webhook.
 */
export function startTracing(opts: { exporter?: SpanExporter; serviceName?: string } = {}): { shutdown(): Promise<void> } | null {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!opts.exporter && !endpoint) return null;
  if (provider) return { shutdown: stopTracing };
  const processor = opts.exporter ? new SimpleSpanProcessor(opts.exporter) : new BatchSpanProcessor(new OTLPTraceExporter());
  provider = new NodeTracerProvider({ spanProcessors: [processor] });
  provider.register();
  bull = new BullMQOtel(opts.serviceName ?? 'roche');
  return { shutdown: stopTracing };
}

async function stopTracing(): Promise<void> {
  const p = provider;
  provider = null;
  bull = undefined;
  if (!p) return;
  await p.shutdown();
  trace.disable();
  context.disable();
}

/** Whether this process exports spans (startTracing found an exporter). */
export const tracingOn = (): boolean => provider !== null;

/** The BullMQ `telemetry` option while tracing is on (queues, flow producers and workers take it). */
export function bullTelemetry(): { telemetry: BullMQOtel } | Record<string, never> {
  return bull ? { telemetry: bull } : {};
}

export const tracer = () => trace.getTracer('roche');

/** Runs `fn` in a child span of the active one; the span records a thrown error and always ends. */
export async function inSpan<T>(name: string, attributes: Record<string, string | number>, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
