import { z } from 'zod';
import { ErrorBody } from './errors.js';
import { LayoutOverrides } from './pipeline-config.js';

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'partial', 'canceled']);
export type JobState = z.infer<typeof JobState>;
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'partial', 'canceled']);

/** Jobs submitted without a tenant belong to this one. */
export const DEFAULT_TENANT = 'default';

/** A job has a `result.json` once it succeeded or partly succeeded. */
export const hasResult = (rec: { state: JobState }): boolean => rec.state === 'succeeded' || rec.state === 'partial';

export const DocumentType = z.enum(['png', 'jpeg', 'webp', 'tiff', 'pdf']);
export type DocumentType = z.infer<typeof DocumentType>;

export const JobInput = z.object({
  /** Object-store key of the stored original. */
  key: z.string(),
  type: DocumentType,
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  filename: z.string().optional(),
  /** Where it came from when not uploaded (`s3://bucket/key`). */
  source: z.string().optional(),
});
export type JobInput = z.infer<typeof JobInput>;

/** Per-job processing options, given at submit. */
export const JobOptions = z
  .object({
    /** Page selection like `1-3,5,9-` (1-based); all pages when absent. */
    pages: z.string().max(1000).optional(),
    /** Rasterization resolution for PDF pages. */
    dpi: z.number().int().min(36).max(600).optional(),
    /** Store each rendered page as a JPEG preview (what the viewer draws regions on; default false). */
    previews: z.boolean().optional(),
    /**
     * Draw each page's regions on it and store the PNG (default false: ~250 KB and ~15 ms of worker
     * CPU per page, more than the analysis costs on a GPU; the result's boxes and the viewer serve most uses).
     */
    overlays: z.boolean().optional(),
    /** Store crops of these region labels (common labels `figure`, `table`, `formula` or the model's own labels; others are refused at submit). */
    crops: z.array(z.string().min(1).max(40)).max(30).optional(),
    /** Post-processing overrides as in PaddleX serving (layoutThreshold, layoutNms, layoutUnclipRatio, layoutMergeBboxesMode), checked per engine at submit (`checkOverrides`). */
    overrides: LayoutOverrides.optional(),
    /** Which of the deployment's models analyzes the pages (`GET /v1/models`); the default model when absent. Unknown names are refused at submit. */
    model: z.string().max(64).optional(),
  })
  .strict();
export type JobOptions = z.infer<typeof JobOptions>;

export const JOB_EVENTS = ['job.succeeded', 'job.failed', 'job.canceled', 'job.partial'] as const;

/** A webhook given with one job. Without `secret`, Roche makes one and shows it once in the submit answer. */
export const JobWebhookInput = z
  .object({
    url: z.string().url().max(2000),
    events: z.array(z.enum(JOB_EVENTS)).min(1).optional(),
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]{32,}$/, 'must be whsec_ followed by base64')
      .optional(),
  })
  .strict();
export type JobWebhookInput = z.infer<typeof JobWebhookInput>;

/** The job record kept in Redis: the source of truth for status. */
export const JobRecord = z.object({
  id: z.string(),
  state: JobState,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  input: JobInput,
  engine: z.string().optional(),
  resultKey: z.string().optional(),
  pagesTotal: z.number().int().nonnegative().optional(),
  pagesDone: z.number().int().nonnegative().optional(),
  pagesFailed: z.number().int().nonnegative().optional(),
  error: ErrorBody.shape.error.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  options: JobOptions.optional(),
  tenant: z.string().optional(),
  /** Caller's own reference, echoed in status and webhooks. */
  clientRef: z.string().max(200).optional(),
  webhook: JobWebhookInput.required({ secret: true }).optional(),
  /** 1-based page numbers selected for processing. */
  pages: z.array(z.number().int().positive()).optional(),
  /**
   * The steps after a job's end (admission release, expiry, webhooks, drop-folder export): `pending`
   * from the end itself until they are done, so that a worker killed or a Redis failing between the
   * two leaves a mark the next settle of the job acts on (every step can run twice). Internal.
   */
  endSteps: z.enum(['pending', 'done']).optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;
