import { randomBytes } from 'node:crypto';

/** Job ids: time-ordered prefix for readable listings, random suffix for uniqueness. */
export function newJobId(now = Date.now()): string {
  return `job_${now.toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

export const JOB_ID_PATTERN = /^job_[0-9a-z]{9}[0-9a-f]{16}$/;
