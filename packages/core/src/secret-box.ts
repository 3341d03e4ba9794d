import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';

/**
 * Encrypts secrets kept at rest (webhook signing secrets) with AES-256-GCM. The first key
 * encrypts; every key decrypts, so a key can be rotated by putting the new one first and
 * dropping the old one once stored values are re-encrypted (see docs/security.md).
 */
export class SecretBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(keys: Array<string | Buffer>) {
    if (!keys.length) throw new Error('SecretBox needs at least one key');
    this.keys = keys.map((k) => {
      const key = typeof k === 'string' ? Buffer.from(k, 'base64') : k;
      if (key.length !== 32) throw new Error('secret keys must be 32 bytes (base64-encoded in ROCHE_SECRET_KEYS)');
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64');
  }

  seal(plain: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return `${PREFIX}${id}:${iv.toString('base64url')}:${c.getAuthTag().toString('base64url')}:${ct.toString('base64url')}`;
  }

  /** Opens a sealed value; a value stored before encryption was enabled passes through unchanged. */
  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    const [id, iv, tag, ct] = stored.slice(PREFIX.length).split(':');
    const k = this.keys.find((x) => x.id === id);
    if (!k || !iv || !tag || ct === undefined) throw new Error(`secret sealed with unknown key ${id}; add it to ROCHE_SECRET_KEYS`);
    const d = createDecipheriv('aes-256-gcm', k.key, Buffer.from(iv, 'base64url'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
  }

  /** A keyed hash (HMAC-SHA256, hex) for ids that must be stable across replicas yet unguessable from outside. */
  mac(data: string): string {
    return createHmac('sha256', this.keys[this.keys.length - 1]!.key)
      .update(data)
      .digest('hex');
  }

  /** Whether a stored value is sealed with the current (first) key; rotation re-seals the others. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.keys[0]!.id}:`);
  }
}
