import { lookup } from 'node:dns/promises';
import net from 'node:net';

/** Addresses a webhook must never reach unless allowed: loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved. */
const BLOCKED_V4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
const BLOCKED_V6 = [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['2001:db8::', 32],
] as const;

const blocked = new net.BlockList();
for (const [a, p] of BLOCKED_V4) blocked.addSubnet(a, p, 'ipv4');
for (const [a, p] of BLOCKED_V6) blocked.addSubnet(a, p, 'ipv6');

export class DestinationRefused extends Error {
  override name = 'DestinationRefused';
}

/** An allow-list of CIDRs (`127.0.0.1/32`, `10.0.0.0/8`, `::1/128`) and exact host names. */
export class AllowList {
  private readonly nets = new net.BlockList();
  private readonly hosts = new Set<string>();

  constructor(entries: string[]) {
    for (const raw of entries.map((e) => e.trim()).filter(Boolean)) {
      const [addr, bits] = raw.split('/');
      const family = net.isIP(addr ?? '');
      if (family) this.nets.addSubnet(addr!, bits ? Number(bits) : family === 4 ? 32 : 128, family === 4 ? 'ipv4' : 'ipv6');
      else this.hosts.add(raw.toLowerCase());
    }
  }

  allowsHost(host: string): boolean {
    return this.hosts.has(host.toLowerCase());
  }

  allowsAddress(address: string): boolean {
    const family = net.isIP(address);
    return family !== 0 && this.nets.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

function embeddedV4(address: string): string | null {
  // IPv4-mapped (::ffff:a.b.c.d) and its hex form would otherwise slip past the IPv4 ranges.
  const m = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = parseInt(m[2]!, 16);
  const lo = parseInt(m[3]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

export function isBlockedAddress(address: string): boolean {
  const v4 = embeddedV4(address);
  if (v4) return blocked.check(v4, 'ipv4');
  const family = net.isIP(address);
  if (!family) return true;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export interface ResolvedDestination {
  url: URL;
  /** The address the request must go to (pinned, so DNS cannot change between check and connect). */
  address: string;
  family: 4 | 6;
}

/**
 * Resolves a webhook URL and refuses it when any address it resolves to is internal, unless the
 * allow-list names the host or the address. Every resolved address is checked, because a client
 * may connect to any of them.
 */
export async function resolveDestination(raw: string, allow: AllowList, resolve = lookup): Promise<ResolvedDestination> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DestinationRefused(`not a URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DestinationRefused(`only http and https destinations are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new DestinationRefused('credentials in the URL are not allowed');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) }];
  else {
    try {
      addresses = await resolve(host, { all: true, verbatim: true });
    } catch (e) {
      throw new DestinationRefused(`cannot resolve ${host}: ${(e as Error).message}`);
    }
  }
  if (!addresses.length) throw new DestinationRefused(`${host} has no addresses`);
  const hostAllowed = allow.allowsHost(host);
  for (const a of addresses) {
    if (isBlockedAddress(a.address) && !hostAllowed && !allow.allowsAddress(a.address)) {
      throw new DestinationRefused(`${host} resolves to ${a.address}, an internal address; allow it with ROCHE_WEBHOOK_ALLOW if intended`);
    }
  }
  const first = addresses[0]!;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}
