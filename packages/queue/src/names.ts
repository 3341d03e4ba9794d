import { z } from 'zod';

export const QUEUES = {
  /** Document-level jobs: `assemble` (parent of the page jobs) and `expire` (retention). */
  documents: 'documents',
  /** One job per page; pages of all documents share it so workers batch across documents. */
  pages: 'pages',
} as const;

export const AssemblePayload = z.object({ jobId: z.string() });
export type AssemblePayload = z.infer<typeof AssemblePayload>;

export const PagePayload = z.object({
  jobId: z.string(),
  /** 1-based page number in the source document. */
  page: z.number().int().positive(),
});
export type PagePayload = z.infer<typeof PagePayload>;

export const ExpirePayload = z.object({ jobId: z.string() });

/** BullMQ job ids (they may not contain ':'). */
export const bullIds = {
  assemble: (jobId: string) => `${jobId}-assemble`,
  page: (jobId: string, page: number) => `${jobId}-p${page}`,
  expire: (jobId: string) => `${jobId}-expire`,
};
