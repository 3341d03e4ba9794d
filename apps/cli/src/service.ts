import { startApi, type RunningApi } from '@roche/api';
import { ApiKeyStore, Authenticator, JwtVerifier, RateLimiter, TrackedCache, type ApiKeyRecord } from '@roche/auth';
import { assertReady, authRequired, isLoopbackHost, setThreadNice, type Config } from '@roche/core';
import { checkJobOptions, ModelRegistry } from '@roche/engines';
import { Admission, Idempotency, IntakePool, JobService, type TerminalHook } from '@roche/jobs';
import { createRedis, JobEvents } from '@roche/queue';
import { openInfra, type Infra } from '@roche/runtime';
import { createS3Client } from '@roche/storage';
import { startMetricsServer } from '@roche/telemetry';
import { DropClaims, DropWatcher, exportDropResult, parseDropFolders } from '@roche/watcher';
import { createDeliveryWorker } from '@roche/webhooks';
import { createWorkers, type RocheWorkers } from '@roche/worker';

export interface RunningService {
  infra: Infra;
  jobs: JobService;
  api?: RunningApi;
  worker?: RocheWorkers;
  /** The deployment's models; with engines when this process runs a worker. */
  models: ModelRegistry;
  events?: JobEvents;
  watcher?: DropWatcher;
  stop(): Promise<void>;
}

/**
 * Starts the API, a worker, or both in this process on shared infrastructure. Scaling out means
 * running more processes with `--worker-only` (or `--api-only`) against the same Redis and store.
 */
export async function startService(
  config: Config,
  parts: { api: boolean; worker: boolean; watch?: boolean },
  log: (m: string) => void,
): Promise<RunningService> {
  const folders = parseDropFolders(config.dropFolders);
  if (folders.length && !config.s3)
    throw new Error('ROCHE_DROP_FOLDERS needs S3 settings (S3_ENDPOINT / credentials) to reach the buckets');
  // Before any pool starts a thread: they take the value when they start one.
  setThreadNice(config.threadNice);
  const infra = await openInfra(config, log);
  let models: ModelRegistry;
  try {
    models = await ModelRegistry.open(config, { withEngines: parts.worker, intraOpNumThreads: config.worker.ortIntraOpThreads });
  } catch (e) {
    await infra.close();
    throw e;
  }
  models.watch(config.pipelineConfigPollMs);
  const s3 = folders.length && config.s3 ? createS3Client(config.s3) : undefined;
  // What happens when a job ends, whichever process ends it: webhooks (in the service) and drop-folder export.
  const onTerminal: TerminalHook[] = s3 ? [(rec) => exportDropResult(s3, infra.store, folders, rec).then(() => {})] : [];
  // Documents are opened at submit (API, drop folder) in threads, never on the event loop.
  const intake =
    parts.api || parts.watch ? new IntakePool(config.limits, config.http.intakeThreads, config.http.intakeTimeoutMs) : undefined;
  const jobs = new JobService({
    config,
    store: infra.store,
    jobs: infra.jobs,
    queue: infra.queue,
    notifier: infra.webhooks.notifier,
    checkOptions: (o) => {
      const m = models.model(o.model);
      checkJobOptions(m, o);
      return { ...o, model: m.name };
    },
    onTerminal,
    admission: new Admission(infra.redis, infra.keys, config.admission),
    intake,
  });
  let metricsServer: { close(): Promise<void> } | undefined;
  let keyCache: TrackedCache<ApiKeyRecord> | undefined;
  const svc: RunningService = {
    infra,
    jobs,
    models,
    async stop() {
      await svc.watcher?.stop();
      // No new requests or pages from here; what is in flight gets the grace period, API and worker alike.
      await Promise.all([svc.api?.close(config.worker.shutdownGraceMs), svc.worker?.close(config.worker.shutdownGraceMs)]);
      await metricsServer?.close();
      await svc.events?.close();
      await models.close();
      await intake?.close();
      await keyCache?.close();
      await infra.close();
      s3?.destroy();
    },
  };
  try {
    await infra.store.ping();
    if (parts.worker) {
      // BullMQ does not close a connection it was given; this one is closed after the workers.
      const connection = createRedis(infra.redisUrl);
      const workers = createWorkers(jobs, models, { connection, prefix: config.queuePrefix, config });
      const deliveries = createDeliveryWorker(
        { jobs: infra.jobs, endpoints: infra.webhooks.endpoints, log: infra.webhooks.log, settings: infra.webhooks.settings },
        connection,
        config.queuePrefix,
      );
      svc.worker = {
        ...workers,
        async close(graceMs?: number) {
          await workers.close(graceMs);
          await deliveries.close();
          await connection.quit().catch(() => connection.disconnect());
        },
      };
      log(`worker ready: models ${models.names().join(', ')} (config ${models.version}), concurrency ${config.worker.concurrency}`);
    }
    if (s3 && (parts.watch ?? parts.api)) {
      svc.watcher = new DropWatcher(
        { s3, claims: new DropClaims(infra.redis, infra.keys), jobs, folders, mac: (d) => infra.box.mac(d), log },
        config.dropPollMs,
      );
      svc.watcher.start();
      log(`watching ${folders.length} drop folder(s): ${folders.map((f) => `s3://${f.bucket}/${f.inputPrefix}`).join(', ')}`);
    }
    // Every model as readiness sees it: its engine here, or its model on the inference server.
    const engineReady = () => models.ready();
    if (!parts.api && config.worker.metricsPort > 0) {
      // On the API's address (ROCHE_HOST: loopback by default, 0.0.0.0 in the images for Prometheus).
      const m = await startMetricsServer(
        config.worker.metricsPort,
        () => assertReady({ redis: () => infra.boundedRedis.ping(), store: () => infra.store.ping(), engine: engineReady }),
        config.host,
      );
      metricsServer = m;
      log(`metrics on :${m.port}/metrics`);
    }
    if (parts.api) {
      svc.events = new JobEvents(infra.redis, infra.jobs);
      const required = authRequired(config);
      const jwt = config.auth.jwt ? new JwtVerifier(config.auth.jwt) : undefined;
      // Every request presents a key: its record is read from memory until Redis announces a change to it.
      keyCache = await TrackedCache.start<ApiKeyRecord>(infra.redis, infra.keys.apiKeyPrefix(), { log });
      // The admin routes revoke through the same store, so this replica forgets a revoked key at once.
      const apiKeys = new ApiKeyStore(infra.redis, infra.keys, keyCache, infra.boundedRedis);
      svc.api = await startApi(
        {
          config,
          auth: {
            authenticator: new Authenticator(required, apiKeys, jwt),
            keys: apiKeys,
          },
          // A count that timed out and still runs later over-counts a one-second window once: harmless.
          rateLimiter: new RateLimiter(infra.boundedRedis, infra.keys, {
            read: config.rateLimits.readPerSec,
            write: config.rateLimits.writePerSec,
          }),
          ownStore: config.storage.driver === 's3' ? { bucket: config.storage.bucket, prefix: config.storage.prefix } : { prefix: '' },
          service: jobs,
          store: infra.store,
          events: svc.events,
          idempotency: new Idempotency(infra.redis, infra.keys),
          webhooks: { ...infra.webhooks, secretGraceSeconds: config.webhooks.secretGraceHours * 3600 },
          ...(svc.watcher ? { dropEvents: (body: unknown) => svc.watcher!.handleEvent(body) } : {}),
          readS3: infra.readS3,
          pingRedis: async () => void (await infra.boundedRedis.ping()),
          engineReady,
          models,
          queues: [infra.queue.documents, infra.queue.pages, infra.webhooks.queue.queue],
        },
        { host: config.host, port: config.port, log },
      );
      log(`api listening on ${svc.api.url} (reference at ${svc.api.url}/docs)`);
      log(authStartupLine(config));
    }
  } catch (e) {
    await svc.stop().catch(() => {});
    throw e;
  }
  return svc;
}

/** Stops the service on SIGINT/SIGTERM; a second signal exits at once. */
export function stopOnSignals(svc: RunningService, log: (m: string) => void): void {
  let stopping = false;
  const handler = (sig: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log(`${sig}: shutting down`);
    svc.stop().then(
      () => process.exit(0),
      (e) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** What the API says about authentication at start: on, off on loopback, or off where others can reach it. */
export function authStartupLine(config: Pick<Config, 'host' | 'auth'>): string {
  if (authRequired(config))
    return `authentication on: API keys${config.auth.jwt ? ' or JWTs' : ''} required (create one with \`roche keys create\`)`;
  if (isLoopbackHost(config.host))
    return `authentication OFF: listening on loopback ${config.host} only, every caller acts as any tenant (ROCHE_AUTH=on to require keys)`;
  return `WARNING: authentication OFF (ROCHE_AUTH=off) while listening on ${config.host}: anyone who reaches this address acts as any tenant`;
}
