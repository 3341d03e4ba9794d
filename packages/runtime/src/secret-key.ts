import fs from 'node:fs/promises';
import path from 'node:path';
import { SecretBox } from '@roche/core';

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
