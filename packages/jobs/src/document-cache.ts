import type { DocumentType } from '@roche/core';
import type { DocumentLimits, OpenedDocument } from '@roche/documents';

interface Entry {
  doc: Promise<OpenedDocument>;
  users: number;
  lastUsed: number;
  /** Dropped from the cache after a retryable failure: closed once its last user is done. */
  stale?: boolean;
}

/**
 * Opened documents by job id, so the pages of one document handled by this worker parse the
 * file once instead of once per page. At most `capacity` idle documents stay open (LRU); a
 * document in use is never closed under its user.
 */
export class DocumentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly capacity: number,
    private readonly open: (jobId: string) => Promise<{ bytes: Buffer; type: DocumentType; limits: DocumentLimits }>,
    private readonly openDocument: (bytes: Buffer, type: DocumentType, limits: DocumentLimits) => Promise<OpenedDocument>,
  ) {}

  async use<T>(jobId: string, fn: (doc: OpenedDocument) => Promise<T>): Promise<T> {
    let e = this.entries.get(jobId);
    if (!e) {
      const doc = this.open(jobId).then(({ bytes, type, limits }) => this.openDocument(bytes, type, limits));
      e = { doc, users: 0, lastUsed: Date.now() };
      this.entries.set(jobId, e);
      doc.catch(() => this.entries.get(jobId) === e && this.entries.delete(jobId));
    }
    e.users++;
    try {
      return await fn(await e.doc);
    } catch (err) {
      // A failure worth retrying may lie in the opened document itself (PDFium restarted under it):
      // the retry opens the document afresh.
      if ((err as { retryable?: boolean }).retryable && this.entries.get(jobId) === e) {
        this.entries.delete(jobId);
        e.stale = true;
      }
      throw err;
    } finally {
      e.users--;
      e.lastUsed = Date.now();
      if (e.stale && !e.users)
        e.doc.then(
          (d) => d.close(),
          () => {},
        );
      this.evict();
    }
  }

  /** Closes a document whose job ended (or was canceled) once nobody uses it. */
  forget(jobId: string): void {
    const e = this.entries.get(jobId);
    if (e && !e.users) {
      this.entries.delete(jobId);
      e.doc.then(
        (d) => d.close(),
        () => {},
      );
    }
  }

  private evict(): void {
    const idle = [...this.entries].filter(([, e]) => !e.users).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    let excess = this.entries.size - this.capacity;
    for (const [id, e] of idle) {
      if (excess <= 0) break;
      this.entries.delete(id);
      e.doc.then(
        (d) => d.close(),
        () => {},
      );
      excess--;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    for (const [id, e] of this.entries) {
      this.entries.delete(id);
      e.doc.then(
        (d) => d.close(),
        () => {},
      );
    }
  }
}
