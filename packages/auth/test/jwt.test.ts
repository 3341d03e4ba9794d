import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@roche/queue';
import { JwtVerifier } from '../src/jwt.js';

describe('JWT verification while the identity provider fails', () => {
  let server: http.Server;
  let url: string;
  let answer: 'keys' | 503 = 'keys';
  let keys: JWK[] = [];
  let sign: (kid: string) => Promise<string>;
  let forge: (kid: string) => Promise<string>;
  beforeAll(async () => {
    const [own, other] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
    // A key the provider lists but that cannot be used (a broken point): selecting it is the token's doing.
    const broken = { ...(await exportJWK(own.publicKey)), kid: 'broken', alg: 'ES256', x: 'AAAA' };
    keys = [{ ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'ES256' }, broken];
    const token = (key: Parameters<SignJWT['sign']>[0]) => (kid: string) =>
      new SignJWT({ org: 'initech', scope: 'jobs:read' })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setAudience('roche')
        .setExpirationTime('5m')
        .sign(key);
    sign = token(own.privateKey);
    forge = token(other.privateKey);
    server = http.createServer((_req, res) =>
      answer === 'keys'
        ? res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }))
        : res.writeHead(answer).end(),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => server?.close());

  const verifier = (jwksUrl = url) => new JwtVerifier({ jwksUrl, audience: 'roche', tenantClaim: 'org', jwksCooldownMs: 0 });

  it('a provider never reached is an outage (auth_unavailable); once its keys are held, a token of an unknown kid is refused, not an outage', async () => {
    const nowhere = verifier(`http://127.0.0.1:${await freePort()}/jwks.json`);
    await expect(nowhere.verify(await sign('k1'))).rejects.toMatchObject({ code: 'auth_unavailable' });
    answer = 503;
    await expect(verifier().verify(await sign('k1'))).rejects.toMatchObject({ code: 'auth_unavailable' });

    answer = 'keys';
    const v = verifier();
    expect(await v.verify(await sign('k1'))).toMatchObject({ tenant: 'initech' });
    answer = 503;
    // Anyone can name a kid the set lacks: it makes jose fetch again, and that failing must not answer 503.
    expect(await v.verify(await forge('not-in-the-set'))).toBeNull();
    expect(await v.verify(await sign('k1'))).toMatchObject({ tenant: 'initech' }); // held keys still serve
    answer = 'keys';
    expect(await v.verify(await sign('broken'))).toBeNull(); // a key that cannot be used: 401, not 503
  });
});
