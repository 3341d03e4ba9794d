import fs from 'node:fs/promises';
import path from 'node:path';
import { RocheClient as TypedClient, type ClientOptions, type JobOptions, type JobView } from '@roche/client';

/** The typed API client (`@roche/client`) with what the CLI adds: files from disk, a tenant as a plain string. */
export class RocheClient extends TypedClient {
  constructor(baseUrl: string, opts: string | ClientOptions = {}) {
    super(baseUrl, typeof opts === 'string' ? { tenant: opts } : opts);
  }

  async submitFile(file: string, metadata?: Record<string, unknown>, options?: JobOptions): Promise<JobView> {
    return this.submit(new Uint8Array(await fs.readFile(file)), {
      filename: path.basename(file),
      ...(metadata ? { metadata } : {}),
      ...(options ? { options } : {}),
    });
  }
}
