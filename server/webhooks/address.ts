import dns from 'node:dns';
import net from 'node:net';
import { UnprocessableError } from '../http/errors';

/**
 * Where a webhook may point. A webhook makes this server send requests to an address an owner
 * typed, so it must not become a way to reach what sits beside the server (its own ports, the
 * office network, a cloud's metadata service): only https://, and only public addresses, checked
 * on the address the name resolves to when each delivery is sent (a name may change what it
 * points at after it was saved). WEBHOOKS_ALLOW_PRIVATE=true lifts both, for development and tests.
 */

const blocked = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
  ['100::', 64], // discard
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** Loopback, private, link-local or otherwise not a public internet address (IPv4 inside IPv6 too). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // ::ffff:10.0.0.1 and ::ffff:a00:1 reach the IPv4 address inside.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return blocked.check(mapped[1] as string, 'ipv4');
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (mappedHex) {
    const high = parseInt(mappedHex[1] as string, 16);
    const low = parseInt(mappedHex[2] as string, 16);
    return blocked.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return blocked.check(address, 'ipv6');
}

/** The URL's host as a name or an address (without IPv6's brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks a webhook URL as typed, before it is saved: a URL, https:// (or http:// when private
 * addresses are allowed), no user name or password in it, and a host that resolves, to public
 * addresses only. Every refusal is a 422 naming the field.
 */
export async function checkWebhookUrl(input: string, allowPrivate: boolean, field = 'url'): Promise<string> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new UnprocessableError('webhook-url-invalid', `${field}: is not a web address (it starts with https://)`, field);
  }
  if (!(url.protocol === 'https:' || (allowPrivate && url.protocol === 'http:'))) {
    throw new UnprocessableError('webhook-url-invalid', `${field}: must start with https://`, field);
  }
  if (url.username || url.password) {
    throw new UnprocessableError('webhook-url-invalid', `${field}: must not hold a user name or password (use the secret)`, field);
  }
  if (input.trim().length > 2000) throw new UnprocessableError('webhook-url-invalid', `${field}: is over 2,000 characters`, field);
  if (!allowPrivate) {
    let addresses: string[];
    try {
      addresses = await resolve(hostOf(url));
    } catch {
      throw new UnprocessableError('webhook-url-unresolved', `${field}: the name ${url.hostname} does not resolve to an address`, field);
    }
    const inside = addresses.find(isPrivateAddress);
    if (inside) {
      throw new UnprocessableError(
        'webhook-url-private',
        `${field}: ${url.hostname} is a private, loopback or link-local address (${inside}); webhooks go to public https:// addresses`,
        field,
      );
    }
  }
  return url.toString();
}

async function resolve(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}

/** A refusal at send time: the name now resolves to an address a webhook may not reach. */
export class PrivateAddressError extends Error {}

/**
 * A `lookup` for http.request that resolves the name and refuses private addresses: the check
 * is made on the very address the connection then opens, so a name cannot pass the check and
 * then point elsewhere (DNS rebinding).
 */
export const publicLookup: net.LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    const list = addresses as dns.LookupAddress[];
    const inside = list.find((entry) => isPrivateAddress(entry.address));
    if (inside || list.length === 0) {
      return callback(new PrivateAddressError(`${hostname} resolves to ${inside?.address ?? 'nothing'}, a private address`), '', 4);
    }
    if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    const first = list[0] as dns.LookupAddress;
    callback(null, first.address, first.family);
  });
};
