import { z } from 'zod';
import { ErrorBody } from './errors.js';
import { DocumentType, JobOptions, JobState, JobWebhookInput } from './job.js';
import { DocumentResult } from './layout.js';

/** JSON body of `POST /v1/jobs` when the document is already in S3 or at an http(s) URL. */
export const SubmitJsonBody = z.object({
  source: z
    .string()
    .max(2048)
    .regex(/^(s3:\/\/[^/]+\/.+|https?:\/\/.+)$/, 'must be an s3://bucket/key reference or an http(s):// URL')
    .describe('`s3://bucket/key` (from a bucket the operator allows) or `https://…` (fetched through the SSRF guard)'),
  metadata: z.record(z.string(), z.unknown()).optional(),
  options: JobOptions.optional(),
  webhook: JobWebhookInput.optional(),
  clientRef: z.string().max(200).optional(),
});
export type SubmitJsonBody = z.infer<typeof SubmitJsonBody>;

export const JobLinks = z.object({
  self: z.string(),
  result: z.string(),
  events: z.string(),
  cancel: z.string(),
  /** Direct (presigned) URL of the result when the store is S3 and the job succeeded. */
  resultDirect: z.string().optional(),
});

/** What `GET /v1/jobs/{id}` answers. */
export const JobView = z.object({
  id: z.string(),
  state: JobState,
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  input: z.object({
    type: DocumentType,
    size: z.number(),
    sha256: z.string(),
    filename: z.string().optional(),
    source: z.string().optional(),
  }),
  engine: z.string().optional(),
  pagesTotal: z.number().optional(),
  pagesDone: z.number().optional(),
  pagesFailed: z.number().optional(),
  error: ErrorBody.shape.error.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  options: JobOptions.optional(),
  clientRef: z.string().optional(),
  webhook: JobWebhookInput.omit({ secret: true }).optional(),
  /** Only in the answer to the submit that created the job, and only when Roche generated it. */
  webhookSecret: z.string().optional(),
  links: JobLinks,
  /** Present with `?include=result` once the job succeeded. */
  result: DocumentResult.optional(),
});
export type JobView = z.infer<typeof JobView>;
