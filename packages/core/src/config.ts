import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { TritonWire } from './pipeline-config.js';

const bool = z
  .union([z.boolean(), z.string()])
  .transform((v) => (typeof v === 'boolean' ? v : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase())));
const int = (def: number) => z.coerce.number().int().positive().default(def);

/**
 * Everything Roche reads from the environment, validated in one place. With no variables at all
 * Roche runs embedded: local data folder, private redis-server, filesystem object store.
 */
export const EnvSchema = z.object({
  ROCHE_DATA_DIR: z.string().default('.data'),
  ROCHE_HOST: z.string().default('127.0.0.1'),
  ROCHE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  REDIS_URL: z.string().url().optional(),
  ROCHE_QUEUE_PREFIX: z.string().default('roche'),
  S3_BUCKET: z.string().optional(),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: bool.default(false),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_PREFIX: z.string().default(''),
  /** How long an S3 request may go without a byte from the server before it is retried (then an outage). */
  S3_REQUEST_TIMEOUT_MS: int(60_000),
  ROCHE_MAX_UPLOAD_BYTES: int(200 * 1024 * 1024),
  /** Largest decoded page (width × height) a worker will accept; guards against decompression bombs. */
  ROCHE_MAX_PAGE_PIXELS: int(100_000_000),
  ROCHE_ENGINE: z.string().default('embedded'),
  ROCHE_WORKER_CONCURRENCY: int(2),
  ROCHE_JOB_ATTEMPTS: int(3),
  /** Pages per queue job. Default: 4 with the Triton engine (pages cost a GPU a few ms, a queue job ~1 ms of Redis work), else 1 (spreads a document's pages over more workers). */
  ROCHE_PAGES_PER_QUEUE_JOB: z.coerce.number().int().min(1).max(64).optional(),
  ROCHE_ORT_INTRA_OP_THREADS: z.coerce.number().int().min(0).default(0),
  ROCHE_PIPELINE_CONFIG: z.string().default('pipeline_config.yaml'),
  /** How often running processes look for a changed pipeline_config.yaml (live configuration). */
  ROCHE_PIPELINE_CONFIG_POLL_MS: z.coerce.number().int().min(100).default(2000),
  ROCHE_MAX_PAGES: int(2000),
  ROCHE_PDF_DPI: int(144),
  /** Results and uploads are deleted this many hours after a job ends. */
  ROCHE_RETENTION_HOURS: z.coerce.number().positive().default(168),
  /** Opened documents a worker keeps for pages still to render (bounds memory). */
  ROCHE_WORKER_DOCUMENT_CACHE: int(4),
  /** Threads rendering PDF pages off a worker's event loop; 0 = on it. Default: cores, at most 4. */
  ROCHE_RENDER_THREADS: z.coerce.number().int().min(0).optional(),
  /** A PDF page still rendering after this long is stopped and fails as too complex (render threads only). */
  ROCHE_RENDER_TIMEOUT_MS: int(30_000),
  /**
   * Most WebAssembly heap one PDFium instance (one per render or intake thread) may grow to; a page
   * or document needing more fails as too complex instead of taking the process's memory.
   */
  ROCHE_PDFIUM_HEAP_MB: z.coerce.number().int().min(64).max(2048).default(1024),
  /** Threads analysing pages for the embedded analyzer off a worker's event loop; 0 = on it. Default: cores, at most 4 and at most the worker concurrency. */
  ROCHE_ANALYSIS_THREADS: z.coerce.number().int().min(0).optional(),
  /**
   * Nice value of the background threads that analyse pages (embedded engine) and open documents at
   * submit (Linux, per thread): the event loops (requests, lock renewals) go first on a shared machine.
   * 0 turns it off.
   */
  ROCHE_THREAD_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** The analysis of one page still running after this long is stopped and the page fails (analysis threads only). */
  ROCHE_ANALYSIS_TIMEOUT_MS: int(60_000),
  /** How long a worker may go silent before its active jobs are handed to another worker (crash recovery). */
  ROCHE_WORKER_LOCK_MS: int(8_000),
  /** On SIGTERM: how long requests and pages in flight may take to finish before they are dropped (pages go back to the queue). */
  ROCHE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  /** Port of `/metrics`, `/healthz` and `/readyz` on processes without the API (worker-only, watcher); 0 = none. */
  ROCHE_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** CIDRs and host names webhooks may reach although internal (e.g. `127.0.0.1/32,hooks.internal`). */
  ROCHE_WEBHOOK_ALLOW: z.string().default(''),
  /** Delays between webhook attempts in ms, comma-separated; empty = Standard Webhooks' schedule (5 s … 10 h). */
  ROCHE_WEBHOOK_SCHEDULE: z
    .string()
    .regex(/^(\d+(,\d+)*)?$/, 'comma-separated milliseconds')
    .default(''),
  ROCHE_WEBHOOK_TIMEOUT_MS: int(10_000),
  ROCHE_WEBHOOK_SECRET_GRACE_HOURS: z.coerce.number().nonnegative().default(24),
  /** JSON array of drop folders (see docs/drop-folder.md). */
  ROCHE_DROP_FOLDERS: z.string().default(''),
  ROCHE_DROP_POLL_MS: int(5_000),
  /** Triton gRPC endpoint (host:port) for ROCHE_ENGINE=triton. */
  ROCHE_TRITON_URL: z.string().default('127.0.0.1:8001'),
  /** `pp_doclayout_u8`: model_repo/'s ensemble that normalizes UINT8 pixels next to the GPU (`pp_doclayout` takes FP32). */
  ROCHE_TRITON_MODEL: z.string().default('pp_doclayout_u8'),
  /** How pages become tensors: `pp-doclayout` (production) or `text-det` (the PP-OCRv4 stand-in). */
  ROCHE_TRITON_ADAPTER: z.enum(['pp-doclayout', 'text-det']).default('pp-doclayout'),
  /**
   * `auto` (default): what the served model's image input declares — BYTES: pages at their own size
   * (`native`, the repository resizes and normalizes), UINT8: resized pixels (the repository
   * normalizes: 4× fewer bytes than FP32), else normalized FP32. `native` / `uint8` / `fp32` force
   * one (a mismatch with the model stops the worker at start).
   */
  ROCHE_TRITON_WIRE: z.enum(['auto', ...TritonWire.options]).default('auto'),
  ROCHE_TRITON_TIMEOUT_MS: int(30_000),
  /** How long a worker waits at start for Triton and the model to become ready before giving up. */
  ROCHE_TRITON_STARTUP_WAIT_MS: z.coerce.number().int().min(0).default(120_000),
  /** Threads resizing pages for the Triton engine off the event loop; 0 = on it. Default: cores, at most 4. */
  ROCHE_PREPROCESS_THREADS: z.coerce.number().int().min(0).optional(),
  /** Pages per Triton request at most; unset: 8, or the model's limit when that is lower. */
  ROCHE_BATCH_MAX: z.coerce.number().int().positive().optional(),
  ROCHE_BATCH_DELAY_MS: z.coerce.number().int().min(0).default(5),
  ROCHE_BATCH_MAX_IN_FLIGHT: int(32),
  /** PP-DocLayout ONNX file for ROCHE_ENGINE=onnx. */
  ROCHE_ONNX_MODEL: z.string().optional(),
  /** ORT inter-op threads for ROCHE_ENGINE=onnx (intra-op threads: ROCHE_ORT_INTRA_OP_THREADS, shared with the other in-process engines). */
  ROCHE_ONNX_INTER_OP_THREADS: z.coerce.number().int().min(0).default(0),
  /** PaddleX high-performance-serving endpoint (host:port) and model for ROCHE_ENGINE=paddlex-hps. */
  ROCHE_HPS_URL: z.string().default('127.0.0.1:8001'),
  ROCHE_HPS_MODEL: z.string().default('layout-parsing'),
  /** A whole PaddleX pipeline runs per call (decode, layout, formulas): a longer deadline than one model's. */
  ROCHE_HPS_TIMEOUT_MS: int(120_000),
  /** Calls in flight to the HPS server per worker; its stock model runs max_batch_size 1 on one instance. */
  ROCHE_HPS_MAX_IN_FLIGHT: int(2),
  /** `auto`: keys required unless the API listens on loopback only; `on`/`off` force it. */
  ROCHE_AUTH: z.enum(['auto', 'on', 'off']).default('auto'),
  /** Optional JWT bearer verification for deployments behind an identity provider (the audience is then required). */
  ROCHE_JWT_JWKS_URL: z.string().url().optional(),
  ROCHE_JWT_AUDIENCE: z.string().optional(),
  ROCHE_JWT_ISSUER: z.string().optional(),
  ROCHE_JWT_TENANT_CLAIM: z.string().default('tenant'),
  /** Encryption keys for secrets at rest (webhook secrets): comma-separated base64 32-byte keys, newest first. */
  ROCHE_SECRET_KEYS: z.string().default(''),
  /** Requests per second per tenant: writes (submit, cancel, delete, webhook changes) and reads have separate budgets. */
  ROCHE_RATE_WRITE_PER_SEC: z.coerce.number().int().min(0).default(100),
  ROCHE_RATE_READ_PER_SEC: z.coerce.number().int().min(0).default(1000),
  /** Admission control: pages of unfinished jobs per tenant and in total; 0 = unlimited. */
  ROCHE_TENANT_MAX_PAGES_IN_FLIGHT: z.coerce.number().int().min(0).default(20_000),
  ROCHE_MAX_PAGES_IN_FLIGHT: z.coerce.number().int().min(0).default(500_000),
  /** Documents a tenant may submit per UTC day; 0 = unlimited. */
  ROCHE_TENANT_DOCS_PER_DAY: z.coerce.number().int().min(0).default(0),
  /** Origins allowed by CORS (comma-separated, `*` for any); empty = no CORS headers. */
  ROCHE_CORS_ORIGINS: z.string().default(''),
  /** Longest a request may take (uploads included); long-polls and event streams end on their own. */
  ROCHE_REQUEST_TIMEOUT_MS: int(300_000),
  /** Threads that open documents at submit (off the event loop); large documents use one at a time. */
  ROCHE_INTAKE_THREADS: int(2),
  /** Longest that opening a document and counting its pages may take at submit; longer ones are refused (422). */
  ROCHE_INTAKE_TIMEOUT_MS: int(60_000),
  /** Event streams and long-polls a tenant may hold open at once on one API process; 0 = unlimited. */
  ROCHE_MAX_STREAMS_PER_TENANT: z.coerce.number().int().min(0).default(64),
  /** Where `s3://` sources may be read from: comma-separated `bucket` or `bucket/prefix/`; empty = none. */
  ROCHE_S3_SOURCES: z.string().default(''),
  /** Size and time limits of `https://` sources. */
  ROCHE_URL_SOURCE_TIMEOUT_MS: int(30_000),
  /**
   * Longest a status read, a key lookup, a rate-limit count or a readiness ping waits for Redis (one
   * that hangs rather than refuses): then it counts as down. Writes are not timed out (see infra.ts).
   */
  ROCHE_REDIS_READ_TIMEOUT_MS: int(3_000),
});

export const Config = z.object({
  dataDir: z.string(),
  host: z.string(),
  port: z.number().int(),
  redisUrl: z.string().optional(),
  redisReadTimeoutMs: z.number().int().positive(),
  queuePrefix: z.string(),
  storage: z.discriminatedUnion('driver', [
    z.object({ driver: z.literal('fs'), root: z.string() }),
    z.object({
      driver: z.literal('s3'),
      bucket: z.string(),
      prefix: z.string(),
      endpoint: z.string().optional(),
      region: z.string(),
      forcePathStyle: z.boolean(),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      requestTimeoutMs: z.number().int().positive(),
    }),
  ]),
  /** Credentials for reading `s3://` references, present whenever any S3 setting is. */
  s3: z
    .object({
      endpoint: z.string().optional(),
      region: z.string(),
      forcePathStyle: z.boolean(),
      accessKeyId: z.string().optional(),
      secretAccessKey: z.string().optional(),
      requestTimeoutMs: z.number().int().positive(),
    })
    .optional(),
  limits: z.object({
    maxUploadBytes: z.number().int(),
    maxPagePixels: z.number().int(),
    maxPages: z.number().int(),
    dpi: z.number().int(),
  }),
  retentionHours: z.number().positive(),
  engine: z.string(),
  /** Nice value of Roche's bulk-work threads (see setThreadNice). */
  threadNice: z.number().int().min(0).max(19),
  worker: z.object({
    concurrency: z.number().int(),
    attempts: z.number().int(),
    pagesPerQueueJob: z.number().int().min(1),
    ortIntraOpThreads: z.number().int(),
    documentCache: z.number().int(),
    renderThreads: z.number().int().min(0),
    renderTimeoutMs: z.number().int().positive(),
    analysisThreads: z.number().int().min(0),
    analysisTimeoutMs: z.number().int().positive(),
    lockMs: z.number().int(),
    metricsPort: z.number().int(),
    shutdownGraceMs: z.number().int(),
  }),
  pipelineConfigPath: z.string(),
  pipelineConfigPollMs: z.number().int(),
  webhooks: z.object({
    allow: z.array(z.string()),
    scheduleMs: z.array(z.number()).optional(),
    timeoutMs: z.number(),
    secretGraceHours: z.number(),
  }),
  dropFolders: z.string(),
  dropPollMs: z.number(),
  inference: z.object({
    tritonUrl: z.string(),
    tritonModel: z.string(),
    tritonAdapter: z.enum(['pp-doclayout', 'text-det']),
    wire: z.enum(['auto', ...TritonWire.options]),
    timeoutMs: z.number(),
    startupWaitMs: z.number(),
    preprocessThreads: z.number().int().min(0),
    /** Set explicitly (ROCHE_BATCH_MAX): more than the model takes is refused at start. Unset: DEFAULT_BATCH_MAX fitted to the model. */
    batchMax: z.number().optional(),
    batchDelayMs: z.number(),
    maxInFlight: z.number(),
    onnxModel: z.string().optional(),
    onnxInterOpThreads: z.number(),
    hpsUrl: z.string(),
    hpsModel: z.string(),
    hpsTimeoutMs: z.number(),
    hpsMaxInFlight: z.number(),
  }),
  auth: z.object({
    mode: z.enum(['auto', 'on', 'off']),
    jwt: z.object({ jwksUrl: z.string(), audience: z.string(), issuer: z.string().optional(), tenantClaim: z.string() }).optional(),
  }),
  secretKeys: z.array(z.string()),
  rateLimits: z.object({ writePerSec: z.number().int(), readPerSec: z.number().int() }),
  admission: z.object({ tenantPagesInFlight: z.number().int(), pagesInFlight: z.number().int(), tenantDocsPerDay: z.number().int() }),
  http: z.object({
    corsOrigins: z.array(z.string()),
    requestTimeoutMs: z.number().int(),
    intakeThreads: z.number().int(),
    intakeTimeoutMs: z.number().int().positive(),
    maxStreamsPerTenant: z.number().int(),
  }),
  sources: z.object({ s3: z.array(z.string()), urlTimeoutMs: z.number().int() }),
});
export type Config = z.infer<typeof Config>;

const list = (v: string) =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Whether an address only this machine can reach (auth may be off there). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Auth is on when forced, or in `auto` whenever the API listens beyond loopback. */
export function authRequired(config: Pick<Config, 'auth' | 'host'>): boolean {
  return config.auth.mode === 'on' || (config.auth.mode === 'auto' && !isLoopbackHost(config.host));
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * ROCHE_PDFIUM_HEAP_MB in bytes, read where PDFium loads (any thread; threads share the process's
 * environment). loadConfig has already refused a bad value at start-up.
 */
export function pdfiumHeapLimitBytes(env: Record<string, string | undefined> = process.env): number {
  return EnvSchema.shape.ROCHE_PDFIUM_HEAP_MB.parse(env.ROCHE_PDFIUM_HEAP_MB || undefined) * 2 ** 20;
}

/** Reads config from an env-like record. Throws a ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.ROCHE_JWT_JWKS_URL && !e.ROCHE_JWT_AUDIENCE)
    // Without it, any token of that identity provider would do, whatever application it was issued for.
    throw new ConfigError(
      'invalid configuration:\n  ROCHE_JWT_AUDIENCE: required with ROCHE_JWT_JWKS_URL (the audience tokens for Roche carry)',
    );
  const dataDir = path.resolve(e.ROCHE_DATA_DIR);
  const anyS3 = Boolean(e.S3_BUCKET || e.S3_ENDPOINT || e.S3_ACCESS_KEY_ID);
  const s3 = anyS3
    ? {
        endpoint: e.S3_ENDPOINT,
        region: e.S3_REGION,
        forcePathStyle: e.S3_FORCE_PATH_STYLE,
        accessKeyId: e.S3_ACCESS_KEY_ID,
        secretAccessKey: e.S3_SECRET_ACCESS_KEY,
        requestTimeoutMs: e.S3_REQUEST_TIMEOUT_MS,
      }
    : undefined;
  return Config.parse({
    dataDir,
    host: e.ROCHE_HOST,
    port: e.ROCHE_PORT,
    redisUrl: e.REDIS_URL,
    redisReadTimeoutMs: e.ROCHE_REDIS_READ_TIMEOUT_MS,
    queuePrefix: e.ROCHE_QUEUE_PREFIX,
    storage:
      e.S3_BUCKET && s3
        ? { driver: 's3', bucket: e.S3_BUCKET, prefix: e.S3_PREFIX, ...s3 }
        : { driver: 'fs', root: path.join(dataDir, 'objects') },
    s3,
    limits: {
      maxUploadBytes: e.ROCHE_MAX_UPLOAD_BYTES,
      maxPagePixels: e.ROCHE_MAX_PAGE_PIXELS,
      maxPages: e.ROCHE_MAX_PAGES,
      dpi: e.ROCHE_PDF_DPI,
    },
    retentionHours: e.ROCHE_RETENTION_HOURS,
    engine: e.ROCHE_ENGINE,
    threadNice: e.ROCHE_THREAD_NICE,
    worker: {
      concurrency: e.ROCHE_WORKER_CONCURRENCY,
      attempts: e.ROCHE_JOB_ATTEMPTS,
      pagesPerQueueJob: e.ROCHE_PAGES_PER_QUEUE_JOB ?? (e.ROCHE_ENGINE === 'triton' ? 4 : 1),
      ortIntraOpThreads: e.ROCHE_ORT_INTRA_OP_THREADS,
      documentCache: e.ROCHE_WORKER_DOCUMENT_CACHE,
      renderThreads: e.ROCHE_RENDER_THREADS ?? Math.min(4, os.availableParallelism()),
      renderTimeoutMs: e.ROCHE_RENDER_TIMEOUT_MS,
      // A page is analysed per job slot at most, and each thread costs ~150 MB (its own modules and models).
      analysisThreads: e.ROCHE_ANALYSIS_THREADS ?? Math.min(4, os.availableParallelism(), e.ROCHE_WORKER_CONCURRENCY),
      analysisTimeoutMs: e.ROCHE_ANALYSIS_TIMEOUT_MS,
      lockMs: e.ROCHE_WORKER_LOCK_MS,
      metricsPort: e.ROCHE_METRICS_PORT,
      shutdownGraceMs: e.ROCHE_SHUTDOWN_GRACE_MS,
    },
    pipelineConfigPath: e.ROCHE_PIPELINE_CONFIG,
    pipelineConfigPollMs: e.ROCHE_PIPELINE_CONFIG_POLL_MS,
    webhooks: {
      allow: e.ROCHE_WEBHOOK_ALLOW.split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      scheduleMs: e.ROCHE_WEBHOOK_SCHEDULE ? e.ROCHE_WEBHOOK_SCHEDULE.split(',').map(Number) : undefined,
      timeoutMs: e.ROCHE_WEBHOOK_TIMEOUT_MS,
      secretGraceHours: e.ROCHE_WEBHOOK_SECRET_GRACE_HOURS,
    },
    dropFolders: e.ROCHE_DROP_FOLDERS,
    dropPollMs: e.ROCHE_DROP_POLL_MS,
    inference: {
      tritonUrl: e.ROCHE_TRITON_URL,
      tritonModel: e.ROCHE_TRITON_MODEL,
      tritonAdapter: e.ROCHE_TRITON_ADAPTER,
      wire: e.ROCHE_TRITON_WIRE,
      timeoutMs: e.ROCHE_TRITON_TIMEOUT_MS,
      startupWaitMs: e.ROCHE_TRITON_STARTUP_WAIT_MS,
      preprocessThreads: e.ROCHE_PREPROCESS_THREADS ?? Math.min(4, os.availableParallelism()),
      batchMax: e.ROCHE_BATCH_MAX,
      batchDelayMs: e.ROCHE_BATCH_DELAY_MS,
      maxInFlight: e.ROCHE_BATCH_MAX_IN_FLIGHT,
      onnxModel: e.ROCHE_ONNX_MODEL,
      onnxInterOpThreads: e.ROCHE_ONNX_INTER_OP_THREADS,
      hpsUrl: e.ROCHE_HPS_URL,
      hpsModel: e.ROCHE_HPS_MODEL,
      hpsTimeoutMs: e.ROCHE_HPS_TIMEOUT_MS,
      hpsMaxInFlight: e.ROCHE_HPS_MAX_IN_FLIGHT,
    },
    auth: {
      mode: e.ROCHE_AUTH,
      jwt: e.ROCHE_JWT_JWKS_URL
        ? {
            jwksUrl: e.ROCHE_JWT_JWKS_URL,
            audience: e.ROCHE_JWT_AUDIENCE!,
            issuer: e.ROCHE_JWT_ISSUER,
            tenantClaim: e.ROCHE_JWT_TENANT_CLAIM,
          }
        : undefined,
    },
    secretKeys: list(e.ROCHE_SECRET_KEYS),
    rateLimits: { writePerSec: e.ROCHE_RATE_WRITE_PER_SEC, readPerSec: e.ROCHE_RATE_READ_PER_SEC },
    admission: {
      tenantPagesInFlight: e.ROCHE_TENANT_MAX_PAGES_IN_FLIGHT,
      pagesInFlight: e.ROCHE_MAX_PAGES_IN_FLIGHT,
      tenantDocsPerDay: e.ROCHE_TENANT_DOCS_PER_DAY,
    },
    http: {
      corsOrigins: list(e.ROCHE_CORS_ORIGINS),
      requestTimeoutMs: e.ROCHE_REQUEST_TIMEOUT_MS,
      intakeThreads: e.ROCHE_INTAKE_THREADS,
      intakeTimeoutMs: e.ROCHE_INTAKE_TIMEOUT_MS,
      maxStreamsPerTenant: e.ROCHE_MAX_STREAMS_PER_TENANT,
    },
    sources: { s3: list(e.ROCHE_S3_SOURCES), urlTimeoutMs: e.ROCHE_URL_SOURCE_TIMEOUT_MS },
  });
}
