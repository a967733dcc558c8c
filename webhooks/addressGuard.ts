import { BlockList, isIP } from "node:net";

/**
 * The addresses a webhook may never be sent to: every special-purpose block of IANA's IPv4 and
 * IPv6 registries that is not globally reachable (RFC 6890 and its updates), so that a callback
 * URL cannot reach the sender's own network, the instance metadata service (169.254.169.254,
 * fd00:ec2::254) or anything else inside. Node's BlockList matches IPv4-mapped IPv6 addresses
 * (::ffff:a.b.c.d, ::ffff:7f00:1) against the IPv4 rules. Transition prefixes that embed an IPv4
 * address (NAT64, 6to4, Teredo) are refused whole: a webhook receiver has a native address.
 */
const NOT_PUBLIC: ReadonlyArray<readonly [string, number, "ipv4" | "ipv6"]> = [
  ["0.0.0.0", 8, "ipv4"], // "this network"
  ["10.0.0.0", 8, "ipv4"], // private
  ["100.64.0.0", 10, "ipv4"], // CGNAT (shared address space)
  ["127.0.0.0", 8, "ipv4"], // loopback
  ["169.254.0.0", 16, "ipv4"], // link-local (the metadata service)
  ["172.16.0.0", 12, "ipv4"], // private
  ["192.0.0.0", 24, "ipv4"], // IETF protocol assignments
  ["192.0.2.0", 24, "ipv4"], // documentation
  ["192.88.99.0", 24, "ipv4"], // 6to4 relay anycast
  ["192.168.0.0", 16, "ipv4"], // private
  ["198.18.0.0", 15, "ipv4"], // benchmarking
  ["198.51.100.0", 24, "ipv4"], // documentation
  ["203.0.113.0", 24, "ipv4"], // documentation
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["240.0.0.0", 4, "ipv4"], // reserved, and 255.255.255.255 broadcast
  ["::", 128, "ipv6"], // unspecified
  ["::1", 128, "ipv6"], // loopback
  ["::", 96, "ipv6"], // IPv4-compatible (deprecated)
  ["64:ff9b::", 96, "ipv6"], // NAT64
  ["64:ff9b:1::", 48, "ipv6"], // local-use NAT64
  ["100::", 64, "ipv6"], // discard-only
  ["2001::", 23, "ipv6"], // IETF protocol assignments (Teredo included)
  ["2001:db8::", 32, "ipv6"], // documentation
  ["2002::", 16, "ipv6"], // 6to4
  ["3fff::", 20, "ipv6"], // documentation
  ["5f00::", 16, "ipv6"], // segment routing SIDs
  ["fc00::", 7, "ipv6"], // unique local (fd00:ec2::254, the metadata service's IPv6 address)
  ["fe80::", 10, "ipv6"], // link-local
  ["fec0::", 10, "ipv6"], // site-local (deprecated)
  ["ff00::", 8, "ipv6"], // multicast
];

const notPublic = new BlockList();
for (const [network, prefix, family] of NOT_PUBLIC) notPublic.addSubnet(network, prefix, family);

/**
 * An IP address in a form a URL may carry, as the WHATWG URL parser (and so fetch, and the
 * callback URL check) reads it: decimal (2130706433), octal (0177.0.0.1), hexadecimal (0x7f.1) and
 * shortened IPv4 forms become dotted quads; IPv6 may come bracketed. Undefined for a host name.
 */
export function canonicalAddress(host: string): string | undefined {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (isIP(bare) === 6) return bare.toLowerCase();
  const parsed = URL.parse(`http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}/`)?.hostname;
  if (parsed === undefined) return undefined;
  const unbracketed = parsed.startsWith("[") ? parsed.slice(1, -1) : parsed;
  return isIP(unbracketed) === 0 ? undefined : unbracketed;
}

/** Whether an address (in any form canonicalAddress reads) is a public unicast one a webhook may go to. */
export function isPublicAddress(address: string): boolean {
  const canonical = canonicalAddress(address);
  if (canonical === undefined) return false;
  return !notPublic.check(canonical, isIP(canonical) === 4 ? "ipv4" : "ipv6");
}

/** An address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (dns.promises.lookup with all: true, in production). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The host may not be sent to: it is, or resolves to, an address that is not public. */
export class AddressNotAllowedError extends Error {
  override name = "AddressNotAllowedError";
  constructor(
    readonly hostname: string,
    readonly address: string,
  ) {
    super(
      `${hostname} ${address === hostname ? "is" : `resolves to ${address}, which is`} not a public address; webhooks go only to public addresses`,
    );
  }
}

/** The host did not resolve. */
export class HostNotResolvedError extends Error {
  override name = "HostNotResolvedError";
  constructor(
    readonly hostname: string,
    cause: unknown,
  ) {
    super(`${hostname} did not resolve: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * The one address a delivery connects to for `hostname`: the literal itself, or the first the
 * resolver gives. Every address the name resolves to must be public (unless private networks
 * are allowed, as `npm start` allows them), so that no answer of a rebinding DNS server can lead
 * the connection inside; the caller then connects to exactly this address.
 */
export async function checkedAddress(
  hostname: string,
  resolve: Resolver,
  allowPrivateNetworks: boolean,
): Promise<ResolvedAddress> {
  const literal = canonicalAddress(hostname);
  let addresses: ResolvedAddress[];
  if (literal !== undefined) {
    addresses = [{ address: literal, family: isIP(literal) === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await resolve(hostname);
    } catch (error) {
      throw new HostNotResolvedError(hostname, error);
    }
    if (addresses.length === 0) throw new HostNotResolvedError(hostname, new Error("no address"));
  }
  if (!allowPrivateNetworks) {
    const inside = addresses.find(({ address }) => !isPublicAddress(address));
    if (inside !== undefined) throw new AddressNotAllowedError(hostname, inside.address);
  }
  return addresses[0] as ResolvedAddress;
}
