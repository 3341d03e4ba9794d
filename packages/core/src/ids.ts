import { randomBytes } from 'node:crypto';

/** Random bits in a job id: ids are the only thing between a caller and another caller's job when auth is off. */
export const JOB_ID_RANDOM_BYTES = 12;

/** Job ids: time-ordered prefix for readable listings, 96 random bits so ids cannot be guessed. */
export function newJobId(now = Date.now()): string {
  return `job_${now.toString(36).padStart(9, '0')}${randomBytes(JOB_ID_RANDOM_BYTES).toString('hex')}`;
}

export const JOB_ID_PATTERN = /^job_[0-9a-z]{9}[0-9a-f]{24}$/;
