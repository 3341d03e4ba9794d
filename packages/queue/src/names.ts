import { z } from 'zod';

export const QUEUES = {
  /** Document-level jobs: `assemble` (parent of the page jobs) and `expire` (retention). */
  documents: 'documents',
  /** One job per page; pages of all documents share it so workers batch across documents. */
  pages: 'pages',
} as const;

export const AssemblePayload = z.object({ jobId: z.string() });
export type AssemblePayload = z.infer<typeof AssemblePayload>;

/**
 * A page job: one or a few pages of one document (ROCHE_PAGES_PER_QUEUE_JOB), 1-based page numbers
 * in the source document. `{ jobId, page }` is the one-page form that versions before page groups
 * queued; it is still read, as a group of one. `next`: the BullMQ id of the page job of the same
 * document that joins the wait list when this one starts (`releaseTurn`, document-queue.ts).
 */
export const PagePayload = z.union([
  z.object({ jobId: z.string(), pages: z.array(z.number().int().positive()).min(1), next: z.string().optional() }),
  z
    .object({ jobId: z.string(), page: z.number().int().positive(), next: z.string().optional() })
    .transform(({ jobId, page, next }) => ({ jobId, pages: [page], next })),
]);
export type PagePayload = z.infer<typeof PagePayload>;

export const ExpirePayload = z.object({ jobId: z.string() });

/** BullMQ job ids (they may not contain ':'). */
export const bullIds = {
  assemble: (jobId: string) => `${jobId}-assemble`,
  /** A page job: its first page, and how many pages it holds when more than one (`pagesOf` reads it back). */
  pages: (jobId: string, pages: readonly number[]) => `${jobId}-p${pages[0]}${pages.length > 1 ? `+${pages.length}` : ''}`,
  expire: (jobId: string) => `${jobId}-expire`,
};

/** How many pages the page job with this BullMQ id (or Redis key ending in it) holds. */
export function pagesOf(bullId: string): number {
  const m = /-p\d+(?:\+(\d+))?$/.exec(bullId);
  return m ? Number(m[1] ?? 1) : 1;
}
