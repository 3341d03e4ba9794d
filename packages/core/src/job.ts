import { z } from 'zod';
import { ErrorBody } from './errors.js';

export const JobState = z.enum(['queued', 'running', 'succeeded', 'failed', 'partial', 'canceled']);
export type JobState = z.infer<typeof JobState>;
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'partial', 'canceled']);

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
  attempts: z.number().int().nonnegative().optional(),
  error: ErrorBody.shape.error.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;
