import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyStore, Scope, type ApiKeyView } from '@roche/auth';
import { ConfigError, loadConfig, RedisKeys } from '@roche/core';
import { createRedis, embeddedRedisUrl } from '@roche/queue';

export const KEYS_USAGE = `  roche keys create --tenant T --scopes jobs:write,jobs:read [--name N] [--if-none FILE]
  roche keys list [--tenant T]
  roche keys revoke KEY_ID                   API keys (in Redis: REDIS_URL, else the private Redis of a running
                                             \`roche serve\` with this ROCHE_DATA_DIR; or over HTTP: --api URL with ROCHE_API_KEY)`;

/** Where keys are managed: straight in Redis (bootstrap, operators) or through the admin routes. */
interface KeyAdmin {
  create(input: { tenant: string; scopes: Scope[]; name?: string }): Promise<ApiKeyView & { key: string }>;
  list(tenant?: string): Promise<ApiKeyView[]>;
  revoke(id: string): Promise<ApiKeyView>;
  count(): Promise<number>;
  close(): Promise<void>;
}

async function overRedis(): Promise<KeyAdmin> {
  const config = loadConfig();
  // Without REDIS_URL, the private Redis a `roche serve` of this data folder runs.
  const embeddedDir = path.resolve(config.dataDir, 'redis');
  const url = config.redisUrl ?? (await embeddedRedisUrl(embeddedDir));
  if (!url)
    throw new ConfigError(
      `roche keys needs REDIS_URL, a running \`roche serve\` with the data folder ${config.dataDir} (ROCHE_DATA_DIR), or --api URL and ROCHE_API_KEY with an admin key`,
    );
  const redis = createRedis(url, { maxRetriesPerRequest: 2 });
  if (!config.redisUrl) {
    // An announcement left by a Redis that died uncleanly may name a port another Redis took since:
    // only the one that keeps its data in this folder will do.
    const dir = await redis.config('GET', 'dir').then(
      (r) => (r as string[])[1],
      () => undefined,
    );
    if (dir !== embeddedDir) {
      redis.disconnect();
      throw new ConfigError(
        `no \`roche serve\` is running with the data folder ${config.dataDir} (its Redis is gone; ${url} is not it): start one, or set REDIS_URL`,
      );
    }
  }
  const store = new ApiKeyStore(redis, new RedisKeys(config.queuePrefix));
  return {
    create: async (input) => {
      const { key, record } = await store.create(input);
      return { ...record, key };
    },
    list: (tenant) => store.list(tenant),
    revoke: (id) => store.revoke(id),
    count: () => store.count(),
    close: async () => void (await redis.quit()),
  };
}

function overHttp(base: string, adminKey: string): KeyAdmin {
  const call = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(new URL(p, base), {
      ...init,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...init.headers },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${p}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    create: (input) => call('/v1/admin/keys', { method: 'POST', body: JSON.stringify(input) }),
    list: async (tenant) =>
      (await call<{ data: ApiKeyView[] }>(`/v1/admin/keys${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`)).data,
    revoke: (id) => call(`/v1/admin/keys/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    count: async () => (await call<{ data: ApiKeyView[] }>('/v1/admin/keys')).data.length,
    close: async () => {},
  };
}

/** `roche keys …`. The new key is printed once (stdout) and never stored in clear. */
export async function keysCommand(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      name: { type: 'string' },
      'if-none': { type: 'string' },
      api: { type: 'string' },
    },
  });
  const [sub, arg] = positionals;
  if (!sub || !['create', 'list', 'revoke'].includes(sub)) {
    console.log(KEYS_USAGE);
    return sub ? 2 : 0;
  }
  const adminKey = process.env.ROCHE_API_KEY;
  const admin =
    values.api || (adminKey && !process.env.REDIS_URL)
      ? overHttp(values.api ?? 'http://127.0.0.1:8080', adminKey ?? '')
      : await overRedis();
  try {
    switch (sub) {
      case 'create': {
        if (!values.tenant || !values.scopes) throw new ConfigError('keys create needs --tenant and --scopes');
        const scopes = values.scopes.split(',').map((s) => Scope.parse(s.trim()));
        const file = values['if-none'];
        // Compose bootstrap: only the first start creates the admin key, and writes it where only the operator reads it.
        if (file && (await admin.count()) > 0) {
          console.error(`[roche] keys exist already; not creating another (first admin key was written to ${file})`);
          return 0;
        }
        const created = await admin.create({ tenant: values.tenant, scopes, ...(values.name ? { name: values.name } : {}) });
        if (file) {
          await fs.writeFile(file, `${created.key}\n`, { mode: 0o600 });
          console.error(
            `[roche] created admin key ${created.id} for tenant ${created.tenant}; read it with: cat ${file}` +
              ` (compose: docker compose run --rm --entrypoint cat keys-init ${file})`,
          );
        } else {
          console.log(JSON.stringify(created, null, 2));
          console.error('[roche] the key above is shown once; store it now');
        }
        return 0;
      }
      case 'list':
        console.log(JSON.stringify(await admin.list(values.tenant), null, 2));
        return 0;
      case 'revoke':
        if (!arg) throw new ConfigError('keys revoke needs a key id (see roche keys list)');
        console.log(JSON.stringify(await admin.revoke(arg), null, 2));
        return 0;
      default:
        console.log(KEYS_USAGE);
        return sub ? 2 : 0;
    }
  } finally {
    await admin.close();
  }
}
