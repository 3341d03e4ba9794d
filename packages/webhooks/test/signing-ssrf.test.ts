import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/delivery.js';
import { parseRetryAfter } from '../src/send.js';
import { generateSecret, isValidSecret, signedHeaders } from '../src/signing.js';
import { AllowList, DestinationRefused, isBlockedAddress, resolveDestination } from '../src/ssrf.js';

describe('Standard Webhooks signing, checked by the official verifier', () => {
  it('produces headers that standardwebhooks verifies', () => {
    const secret = generateSecret();
    expect(isValidSecret(secret)).toBe(true);
    const body = JSON.stringify({ type: 'job.succeeded', data: { id: 'job_1' } });
    const headers = signedHeaders([secret], 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with every secret during rotation: old and new secrets both verify, a stranger does not', () => {
    const [next, prev] = [generateSecret(), generateSecret()];
    const body = '{"a":1}';
    const headers = signedHeaders([next, prev], 'msg_2', Math.floor(Date.now() / 1000), body);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(next).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(prev).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(next).verify('{"a":2}', headers)).toThrow();
  });
});

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
  ])('blocks %s', (a) => expect(isBlockedAddress(a)).toBe(true));
  it.each(['8.8.8.8', '93.184.216.34', '2606:4700::1111'])('lets public %s through', (a) => expect(isBlockedAddress(a)).toBe(false));

  // Every way IPv6 can carry an internal IPv4 address, in the forms a URL parser or resolver produces.
  it.each([
    ['IPv4-compatible dotted', '::127.0.0.1'],
    ['IPv4-compatible hex (what URL makes of [::127.0.0.1])', '::7f00:1'],
    ['IPv4-compatible public (the whole ::/96 is deprecated)', '::8.8.8.8'],
    ['IPv4-mapped hex', '::ffff:7f00:1'],
    ['IPv4-mapped expanded', '0:0:0:0:0:ffff:7f00:1'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254'],
    ['SIIT translated', '::ffff:0:10.0.0.1'],
    ['NAT64 well-known', '64:ff9b::7f00:1'],
    ['NAT64 well-known public', '64:ff9b::8.8.8.8'],
    ['NAT64 local-use', '64:ff9b:1::a00:1'],
    ['6to4 of loopback', '2002:7f00:1::1'],
    ['6to4 of private', '2002:c0a8:101::1'],
    ['6to4 of metadata', '2002:a9fe:a9fe::'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['unspecified', '::'],
    ['link-local with zone', 'fe80::1%eth0'],
    ['site-local', 'fec0::1'],
  ])('blocks %s: %s', (_what, a) => expect(isBlockedAddress(a)).toBe(true));
  it.each(['2002:808:808::1', '::ffff:8.8.8.8', '2a00:1450:4001:81c::200e'])('lets public IPv6 form %s through', (a) =>
    expect(isBlockedAddress(a)).toBe(false),
  );
  it.each(['http://[::127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[64:ff9b::127.0.0.1]/', 'http://[2002:7f00:1::]/'])(
    'refuses the URL %s',
    async (url) => expect(resolveDestination(url, new AllowList([]))).rejects.toBeInstanceOf(DestinationRefused),
  );

  it('refuses internal destinations after real DNS resolution (localhost), unless allowed', async () => {
    const none = new AllowList([]);
    await expect(resolveDestination('http://localhost:9/hook', none)).rejects.toBeInstanceOf(DestinationRefused);
    await expect(resolveDestination('http://169.254.169.254/latest/meta-data', none)).rejects.toThrow(/internal address/);
    await expect(resolveDestination('http://[::ffff:127.0.0.1]:80/', none)).rejects.toBeInstanceOf(DestinationRefused);
    await expect(resolveDestination('ftp://example.com/', none)).rejects.toThrow(/only http and https/);
    await expect(resolveDestination('http://user:pw@example.com/', none)).rejects.toThrow(/credentials/);
    const ok = await resolveDestination('http://127.0.0.1:9/hook', new AllowList(['127.0.0.1/32']));
    expect(ok.address).toBe('127.0.0.1');
    await expect(resolveDestination('http://127.0.0.2:9/hook', new AllowList(['127.0.0.1/32']))).rejects.toBeInstanceOf(DestinationRefused);
    const byName = await resolveDestination('http://localhost:9/hook', new AllowList(['localhost']));
    expect(['127.0.0.1', '::1']).toContain(byName.address);
  });
});

describe('retry schedule', () => {
  const settings = { scheduleMs: [1000, 10_000, 100_000], jitter: 0.2 };
  it('follows the schedule within the jitter band and stays on the last step', () => {
    expect(backoffDelay(settings, 1, undefined, () => 0.5)).toBe(1000);
    expect(backoffDelay(settings, 2, undefined, () => 0)).toBe(8000);
    expect(backoffDelay(settings, 2, undefined, () => 1)).toBe(12_000);
    expect(backoffDelay(settings, 9, undefined, () => 0.5)).toBe(100_000);
  });
  it('honours Retry-After when it asks for more time than the schedule', () => {
    expect(backoffDelay(settings, 1, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(settings, 3, 30_000, () => 0.5)).toBe(100_000);
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(55_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
