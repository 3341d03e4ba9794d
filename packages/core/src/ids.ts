import { randomFillSync } from 'node:crypto';

/** Random bits in a job id: ids are the only thing between a caller and another caller's job when auth is off. */
export const JOB_ID_RANDOM_BYTES = 12;

/**
 * Random bytes for ids, drawn from the same CSPRNG in blocks: a `randomBytes` call per id cost more in
 * its own overhead than in randomness (as Node's `randomUUID` does, it keeps a cache).
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomHex(n: number): string {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const hex = pool.toString('hex', poolAt, poolAt + n);
  pool.fill(0, poolAt, poolAt + n); // bytes already in ids are not kept (the next ~340 ids' bytes are, in this process's heap)
  poolAt += n;
  return hex;
}

/** Job ids: time-ordered prefix for readable listings, 96 random bits so ids cannot be guessed. */
export function newJobId(now = Date.now()): string {
  return `job_${now.toString(36).padStart(9, '0')}${randomHex(JOB_ID_RANDOM_BYTES)}`;
}

export const JOB_ID_PATTERN = /^job_[0-9a-z]{9}[0-9a-f]{24}$/;
