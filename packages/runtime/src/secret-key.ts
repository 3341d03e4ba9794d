import fs from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, SecretBox, type RedisKeys } from '@roche/core';
import type { Redis } from 'ioredis';

/**
 * The keys that seal secrets at rest: `ROCHE_SECRET_KEYS` when set (required when several
 * machines share Redis), else one generated at first start and kept in the data folder (0600).
 */
export async function openSecretBox(secretKeys: string[], dataDir: string, log: (m: string) => void): Promise<SecretBox> {
  if (secretKeys.length) return new SecretBox(secretKeys);
  const file = path.join(dataDir, 'secret.key');
  try {
    return new SecretBox([(await fs.readFile(file, 'utf8')).trim()]);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const key = SecretBox.generateKey();
  try {
    await fs.writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    log(`generated a secret-encryption key in ${file}; set ROCHE_SECRET_KEYS when several machines share Redis`);
    return new SecretBox([key]);
  } catch (e) {
    // Another process of this data folder wrote it first: use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return new SecretBox([(await fs.readFile(file, 'utf8')).trim()]);
    throw e;
  }
}

const CANARY = 'roche secret canary';

/**
 * Refuses to start a process whose keys cannot open what the others sharing this Redis seal: an API
 * and a worker with different data folders and no ROCHE_SECRET_KEYS each generate a key of their own,
 * and every job with a webhook then failed in the worker ("sealed with unknown key"), silently, for
 * good. The first process seals a canary; each later one opens it, and re-seals it when its first
 * key is newer (a rotation: new key first, old key kept, see README, "API keys"), so dropping the old
 * key later fails here, at start, in any process still holding only the old one.
 */
export async function checkSecretCanary(redis: Redis, keys: RedisKeys, box: SecretBox): Promise<void> {
  const key = keys.secretCanary();
  if ((await redis.set(key, box.seal(CANARY), 'NX')) === 'OK') return;
  const stored = (await redis.get(key)) ?? '';
  let opened: string | undefined;
  try {
    opened = box.open(stored);
  } catch {
    // below
  }
  if (opened !== CANARY)
    throw new ConfigError(
      'this process cannot open secrets sealed by the other Roche processes sharing this Redis (webhook secrets): ' +
        'give every API, worker and watcher the same ROCHE_SECRET_KEYS (or one data folder, where the generated key is kept)',
    );
  if (!box.isCurrent(stored)) await redis.set(key, box.seal(CANARY));
}
