import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/** Longest textual IP address: a full IPv6 address with an embedded IPv4 tail (45 characters). */
const MAX_ADDRESS_LENGTH = 45;

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) as `192.0.2.1`, so one client has one address. */
function unmapped(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : address;
}

/** The address as Mosaic records it, or null when it is not a plain IP address of sane length. */
export function validAddress(address: string | undefined): string | null {
  if (address === undefined || address.length > MAX_ADDRESS_LENGTH || isIP(address) === 0) return null;
  return unmapped(address);
}

/** `TRUST_PROXY` as read: trust every hop, a hop count, or the listed addresses and CIDR ranges. */
export type TrustProxySetting = boolean | number | string[];

/**
 * Which hops of `X-Forwarded-For` to believe, as Fastify's `trustProxy` function
 * `(address, hop) => boolean`: hop 0 is the connection's peer, hop 1 the last address the
 * nearest proxy appended, and so on. Fastify itself treats a hop count as "trust nobody" (it
 * cannot check the peer), so Mosaic passes this function instead of the raw setting.
 */
export function proxyTrust(setting: TrustProxySetting): false | ((address: string, hop: number) => boolean) {
  if (setting === false || setting === 0) return false;
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  const proxies = proxyList(setting);
  return (address) => {
    const valid = validAddress(address);
    return valid !== null && proxies.check(valid, isIP(valid) === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The listed proxies (addresses or CIDR ranges) as a BlockList; throws on an entry that is neither. */
export function proxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 4 ? 32 : 128;
    const badPrefix = prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxBits);
    if (family === 0 || extra !== undefined || badPrefix) {
      throw new Error(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/**
 * The client's address: the farthest hop of `X-Forwarded-For` that `TRUST_PROXY` lets Fastify
 * believe, as long as every hop up to it is a valid IP address; a forged or garbled entry
 * (not an IP, or thousands of characters) stops the walk at the nearest valid hop, which is
 * the connection's own address when the first one is bad.
 */
export function clientAddress(request: FastifyRequest): string {
  const socketAddress = validAddress(request.socket.remoteAddress) ?? 'unknown';
  // With trustProxy, `ips` is [peer, nearest hop, …, farthest trusted hop]; without, undefined.
  const chain = request.ips;
  if (!chain) return socketAddress;
  let address = socketAddress;
  for (let hop = 1; hop < chain.length; hop++) {
    const next = validAddress(chain[hop]);
    if (next === null) break;
    address = next;
  }
  return address;
}

/** The eight 16-bit groups of a valid IPv6 address. */
function ipv6Groups(address: string): number[] {
  let text = address.split('%')[0]!.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) becomes two groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * The key per-address limits count under: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber's or one host's network: anyone holding a /64 has 2^64 addresses to
 * rotate through, so keying by the full address would let one client escape every limit).
 */
export function addressKey(address: string): string {
  const valid = validAddress(address);
  if (valid === null || isIP(valid) === 4) return valid ?? address;
  const groups = ipv6Groups(valid);
  return `${groups.slice(0, 4).map((group) => group.toString(16)).join(':')}::/64`;
}
