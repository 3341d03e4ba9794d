import { z } from 'zod';

export const QUEUES = {
  /** One BullMQ job per document. */
  documents: 'documents',
} as const;

export const DocumentJobPayload = z.object({ jobId: z.string() });
export type DocumentJobPayload = z.infer<typeof DocumentJobPayload>;
