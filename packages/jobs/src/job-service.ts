import type { Readable } from 'node:stream';
import {
  DEFAULT_TENANT,
  DocumentResult,
  hasResult,
  isOutage,
  JOB_ID_PATTERN,
  objectKeys,
  RocheError,
  TERMINAL_STATES,
  toRocheError,
  type Config,
  type JobRecord,
  type JobState,
} from '@roche/core';
import { CONTENT_TYPES } from '@roche/documents';
import { logger, metrics } from '@roche/telemetry';
import { asRedisOutage, type DocumentQueue, type JobStore } from '@roche/queue';
import type { ObjectStore } from '@roche/storage';
import type { WebhookNotifier } from '@roche/webhooks';
import type { Admission } from './admission.js';
import type { IntakePool } from './intake-pool.js';
import { assembleResult } from './assemble.js';
import { documentType, newJobRecord, selectPages, type SubmitInput } from './intake.js';

export type TerminalHook = (record: JobRecord) => Promise<void>;

export interface JobServiceDeps {
  config: Pick<Config, 'limits' | 'retentionHours'>;
  store: ObjectStore;
  jobs: JobStore;
  queue: DocumentQueue;
  /** Queues the job's webhooks when it ends. */
  notifier?: Pick<WebhookNotifier, 'notify'>;
  /**
   * Checks a job's options against the deployment (model known, overrides accepted by its engine;
   * throws `validation_failed`) and completes them (the default model named). Runs before anything is stored.
   */
  checkOptions?: (options: NonNullable<SubmitInput['options']>) => NonNullable<SubmitInput['options']>;
  /** Further work when a job ends (drop-folder export). Errors are logged, never fatal. */
  onTerminal?: TerminalHook[];
  /** Admission control (backlog and daily quotas); absent = unbounded. */
  admission?: Admission;
  /** Opens documents at submit off the event loop; without it they are opened in-process. */
  intake?: IntakePool;
}

/** How long a record lives before its job is confirmed queued: an interrupted submit leaves nothing behind. */
export const PROVISIONAL_RECORD_MS = 15 * 60_000;

/**
 * The job lifecycle, once: submit, read, cancel, delete, settle, expire and what happens when a
 * job ends. Apps (HTTP, queue consumers, drop folder, CLI) are adapters over this class; only it
 * changes a job's state or removes its data.
 */
export class JobService {
  constructor(readonly deps: JobServiceDeps) {}

  /**
   * Stores the document, records the job and enqueues it, in that order, so a job is never
   * queued without its input. If a later step fails the earlier ones are undone and the caller
   * gets a 503: nothing is half-accepted.
   */
  async submit(input: SubmitInput): Promise<JobRecord> {
    const { store, jobs, queue, config } = this.deps;
    const { bytes, staged } = input;
    if (!bytes === !staged) throw new Error('submit needs exactly one of bytes and staged');
    const type = documentType(bytes ?? staged!.head);
    if (this.deps.checkOptions) input = { ...input, options: this.deps.checkOptions(input.options ?? {}) };
    if (input.id) {
      const existing = await jobs.get(input.id);
      if (existing) return existing;
    }
    // PDFium parses synchronously (WebAssembly), so PDFs and staged (large) uploads go to the intake
    // threads; an image in memory is measured by sharp on libuv's threads, already off the event loop,
    // and the hop to a thread would cost more than the work (measured on the submit path).
    const intake = bytes && type !== 'pdf' ? undefined : this.deps.intake;
    const pages = intake
      ? await intake.selectPages(bytes ? { bytes } : { file: staged!.path, size: staged!.size }, type, input.options)
      : await selectPages(config.limits, bytes ?? { file: staged!.path }, type, input.options);
    const record = newJobRecord(input, type, pages);
    const admission = this.deps.admission;
    if (admission) {
      try {
        await admission.admit(record.id, record.tenant ?? DEFAULT_TENANT, pages.length);
      } catch (e) {
        if (e instanceof RocheError) throw e;
        throw new RocheError('queue_unavailable', `could not admit the job: ${(e as Error).message}`, { cause: e });
      }
    }
    try {
      if (staged) await store.putFile(record.input.key, staged.path, { contentType: CONTENT_TYPES[type] });
      else await store.put(record.input.key, bytes!, { contentType: CONTENT_TYPES[type] });
    } catch (e) {
      await admission?.release(record.id).catch(() => {});
      throw new RocheError('storage_unavailable', `could not store the document: ${toRocheError(e).message}`, { cause: e });
    }
    try {
      // Provisional until queued: if this process or Redis dies before `confirm`, the record expires.
      await jobs.create(record, PROVISIONAL_RECORD_MS);
      await queue.enqueueDocument(record.id, pages);
      await jobs.confirm(record.id);
    } catch (e) {
      await Promise.allSettled([
        jobs.delete(record.id),
        store.delete(record.input.key),
        queue.removePending(record.id),
        admission?.release(record.id),
      ]);
      throw new RocheError('queue_unavailable', `could not queue the job: ${(e as Error).message}`, { cause: e });
    }
    metrics.jobsSubmitted.inc();
    return record;
  }

  /** A job of `tenant`; another tenant's job is as unknown as a missing one. */
  async get(id: string, tenant = DEFAULT_TENANT): Promise<JobRecord> {
    const rec = JOB_ID_PATTERN.test(id) ? await this.deps.jobs.get(id) : null;
    if (!rec || (rec.tenant ?? DEFAULT_TENANT) !== tenant) throw new RocheError('not_found', `job ${id} not found`);
    return rec;
  }

  /** A tenant's most recent jobs, newest first. */
  async list(tenant = DEFAULT_TENANT, limit = 50): Promise<JobRecord[]> {
    return this.deps.jobs.list(tenant, Math.min(200, Math.max(1, limit)));
  }

  /** The stored `result.json` of a job that has one. */
  async resultBytes(rec: JobRecord): Promise<Buffer> {
    return this.deps.store.get(this.resultKey(rec));
  }

  /** The stored result.json as a stream: a result of thousands of pages is served without being held whole. */
  async resultStream(rec: JobRecord): Promise<Readable> {
    return this.deps.store.stream(this.resultKey(rec));
  }

  private resultKey(rec: JobRecord): string {
    if (!hasResult(rec)) {
      throw new RocheError(
        'result_not_ready',
        `job ${rec.id} is ${rec.state}; a result exists once it has succeeded or partially succeeded`,
        { details: { state: rec.state } },
      );
    }
    return rec.resultKey ?? objectKeys.result(rec.id);
  }

  async result(rec: JobRecord): Promise<DocumentResult> {
    return DocumentResult.parse(JSON.parse((await this.resultBytes(rec)).toString('utf8')));
  }

  /** Cancels a running job: pending pages are dropped; active ones notice and skip. */
  async cancel(id: string, tenant?: string): Promise<{ record: JobRecord; pagesRemoved: number }> {
    const rec = await this.get(id, tenant);
    if (TERMINAL_STATES.has(rec.state)) {
      throw new RocheError('conflict', `job ${rec.id} already ended ${rec.state}`, { details: { state: rec.state } });
    }
    // Pending pages go before the terminal hooks run: every moment they stay, workers pick them up (to skip them).
    let pagesRemoved = 0;
    // The cancel stands once made: steps that meet an outage stay pending for the job's next settle
    // (its assemble job), and the caller is told it was canceled, not 503.
    const ended = await this.end(
      rec.id,
      { state: 'canceled' },
      async () => {
        pagesRemoved = await this.deps.queue.removePending(rec.id);
      },
      (e) => logger.warn({ jobId: rec.id, err: (e as Error).message }, 'steps after the cancel wait for the next settle'),
    );
    if (!ended) {
      const now = await this.get(rec.id, tenant);
      throw new RocheError('conflict', `job ${rec.id} already ended ${now.state}`, { details: { state: now.state } });
    }
    return { record: await this.get(rec.id, tenant), pagesRemoved };
  }

  /** Deletes a job's record, objects and logs now, canceling it first when it still runs. */
  async delete(id: string, tenant?: string): Promise<{ id: string; objects: number }> {
    const rec = await this.get(id, tenant);
    if (!TERMINAL_STATES.has(rec.state)) {
      await this.deps.jobs.transition(rec.id, ['queued', 'running'], { state: 'canceled', finishedAt: new Date().toISOString() });
      await this.deps.queue.removePending(rec.id);
    }
    await this.deps.admission?.release(rec.id);
    return { id: rec.id, objects: await this.remove(rec.id) };
  }

  /** Retention: the same removal as `delete`, for a job whose time is up. */
  async expire(id: string): Promise<void> {
    await this.deps.admission?.release(id);
    await this.remove(id);
  }

  /**
   * Runs when every page of a job has ended: writes `result.json` and settles the job. Returns
   * the state it ended in, or `skipped` when it had already ended (canceled, or settled by an
   * earlier run of this step).
   */
  async settle(id: string, lastAttempt = false): Promise<JobState | 'skipped'> {
    const rec = await this.deps.jobs.get(id);
    if (!rec) return 'skipped';
    if (TERMINAL_STATES.has(rec.state)) {
      // Ended by a run that did not get through the steps after (killed, Redis failing): finish them.
      if (rec.endSteps === 'pending') await this.afterEnd(id);
      return 'skipped';
    }
    let assembled;
    try {
      assembled = await assembleResult(this.deps.store, rec);
    } catch (e) {
      // Outages wait for the store; anything else ends the job on the last attempt rather than
      // leaving it running for ever (no webhook, no retention, its pages still counted in flight).
      if (isOutage(e) || !lastAttempt) throw e;
      const message = `the result could not be assembled: ${(e as Error).message.slice(0, 200)}`;
      return (await this.end(id, { state: 'failed', error: { code: 'internal', message } })) ? 'failed' : 'skipped';
    }
    const { state, resultKey, error } = assembled;
    return (await this.end(id, { state, resultKey, ...(error ? { error } : {}) })) ? state : 'skipped';
  }

  /** Marks a queued job running when its first page starts. */
  async markRunning(rec: JobRecord, engine: string): Promise<void> {
    if (rec.state !== 'queued') return;
    await this.deps.jobs.transition(rec.id, ['queued'], { state: 'running', startedAt: new Date().toISOString(), engine });
  }

  /** Counts a page as done or failed, once however often it ran. */
  async countPage(id: string, page: number, outcome: 'done' | 'failed'): Promise<void> {
    await this.deps.jobs.markPage(id, page, outcome);
  }

  /**
   * Ends a job still queued or running: the one place a job reaches a terminal state. The
   * transition is atomic, so a cancel and a finishing worker cannot both win; the winner
   * schedules retention and runs the terminal hooks.
   */
  private async end(
    id: string,
    patch: Pick<JobRecord, 'resultKey' | 'error'> & { state: JobState },
    rightAfter?: () => Promise<void>,
    /** Where a failure of the steps after the end goes, when not to the caller. */
    stepsFailed?: (e: unknown) => void,
  ): Promise<boolean> {
    const ended = { ...patch, finishedAt: new Date().toISOString(), endSteps: 'pending' as const };
    const changed = await this.deps.jobs.transition(id, ['queued', 'running'], ended);
    if (!changed) return false;
    metrics.jobsEnded.inc({ state: patch.state });
    await rightAfter?.();
    if (stepsFailed) await this.afterEnd(id).catch(stepsFailed);
    else await this.afterEnd(id);
    return true;
  }

  /**
   * The steps after a job's end, then the mark that they are done (`endSteps`). Each may run twice, as
   * a settle that finds the mark still `pending` runs them again: the admission release and the
   * expiry are idempotent, webhook deliveries keep their ids, the export rewrites the same objects.
   */
  private async afterEnd(id: string): Promise<void> {
    await this.deps.admission?.release(id);
    await this.deps.queue.scheduleExpiry(id, this.deps.config.retentionHours * 3600_000);
    const rec = await this.deps.jobs.readBack(id);
    if (!rec) return;
    await this.announce(rec);
    await this.deps.jobs.endStepsDone(id);
  }

  /** Runs the terminal hooks; one that meets an outage is thrown (after the others ran), so the steps stay pending. */
  private async announce(rec: JobRecord): Promise<void> {
    const hooks: TerminalHook[] = [
      ...(this.deps.notifier ? [async (r: JobRecord) => void (await this.deps.notifier!.notify(r))] : []),
      ...(this.deps.onTerminal ?? []),
    ];
    let outage: unknown;
    for (const hook of hooks) {
      try {
        await hook(rec);
      } catch (e) {
        const translated = asRedisOutage(e);
        if (isOutage(translated)) outage ??= translated;
        logger.error({ jobId: rec.id, err: (e as Error).message }, 'terminal hook failed');
      }
    }
    if (outage) throw outage;
  }

  private async remove(id: string): Promise<number> {
    const rec = await this.deps.jobs.get(id);
    const objects = await this.deps.store.deletePrefix(objectKeys.jobPrefix(id));
    await this.deps.jobs.delete(id, rec?.tenant ?? DEFAULT_TENANT);
    return objects;
  }
}
