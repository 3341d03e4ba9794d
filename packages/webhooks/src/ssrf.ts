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
  // IPv4-compatible (::a.b.c.d, deprecated) and with it :: and ::1.
  ['::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
  // NAT64, well-known and local-use prefixes: a gateway would forward to the embedded IPv4 address.
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  // Teredo: the client's IPv4 address is obfuscated inside; nothing legitimate sends webhooks there.
  ['2001::', 32],
  ['2001:db8::', 32],
  ['100::', 64],
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

/** The eight 16-bit groups of an IPv6 address in any textual form (`::`, trailing dotted IPv4, zone id); null if not IPv6. */
export function ipv6Groups(address: string): number[] | null {
  const a = address.replace(/%.*$/, '').toLowerCase();
  if (net.isIP(a) !== 6) return null;
  let text = a;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [b0, b1, b2, b3] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const part = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = part(head);
  const t = part(tail);
  return tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
}

const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/**
 * The IPv4 address an IPv6 address stands for, where a connection to it reaches that IPv4 host:
 * IPv4-mapped `::ffff:a.b.c.d` (how dual-stack sockets name IPv4 peers), SIIT `::ffff:0:a.b.c.d`,
 * and 6to4 `2002:AABB:CCDD::/48`. Other embedding forms (IPv4-compatible, NAT64, Teredo) are
 * refused outright by BLOCKED_V6.
 */
export function embeddedV4(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return null;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return v4(g[6]!, g[7]!);
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return null;
}

export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address.replace(/%.*$/, ''));
  if (!family) return true;
  if (family === 4) return blocked.check(address, 'ipv4');
  const inner = embeddedV4(address);
  if (inner && blocked.check(inner, 'ipv4')) return true;
  const g = ipv6Groups(address)!;
  const canonical = g.map((x) => x.toString(16)).join(':');
  return blocked.check(canonical, 'ipv6');
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
