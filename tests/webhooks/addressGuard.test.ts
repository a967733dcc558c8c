import { expect } from "chai";
import {
  AddressNotAllowedError,
  checkedAddress,
  HostNotResolvedError,
  isPublicAddress,
  type Resolver,
} from "../../webhooks/addressGuard";

describe("webhooks/addressGuard: isPublicAddress", () => {
  const table: Array<[string, boolean, string]> = [
    ["93.184.215.14", true, "a public IPv4 address"],
    ["8.8.8.8", true, "another"],
    ["127.0.0.1", false, "loopback"],
    ["127.255.255.254", false, "the rest of 127/8"],
    ["10.1.2.3", false, "private 10/8"],
    ["172.16.0.1", false, "private 172.16/12"],
    ["172.31.255.255", false, "its top"],
    ["172.32.0.1", true, "just past it"],
    ["192.168.1.1", false, "private 192.168/16"],
    ["169.254.169.254", false, "link-local: the instance metadata service"],
    ["100.64.0.1", false, "CGNAT"],
    ["100.127.255.255", false, "its top"],
    ["100.128.0.1", true, "just past it"],
    ["0.0.0.0", false, "this network"],
    ["224.0.0.251", false, "multicast"],
    ["255.255.255.255", false, "broadcast"],
    ["198.18.0.1", false, "benchmarking"],
    ["2130706433", false, "127.0.0.1 in decimal"],
    ["0177.0.0.1", false, "127.0.0.1 in octal"],
    ["0x7f.1", false, "127.0.0.1 in hexadecimal, shortened"],
    ["017700000001", false, "127.0.0.1 as one octal number"],
    ["3232235777", false, "192.168.1.1 in decimal"],
    ["1572395042", true, "93.184.215.34 in decimal"],
    ["2606:4700:4700::1111", true, "a public IPv6 address"],
    ["[2606:4700:4700::1111]", true, "bracketed, as a URL has it"],
    ["::1", false, "IPv6 loopback"],
    ["[::1]", false, "bracketed"],
    ["::", false, "unspecified"],
    ["fd00:ec2::254", false, "unique local: the metadata service's IPv6 address"],
    ["fc00::1", false, "unique local"],
    ["fe80::1", false, "link-local"],
    ["ff02::1", false, "multicast"],
    ["::ffff:127.0.0.1", false, "IPv4-mapped loopback"],
    ["::ffff:7f00:1", false, "IPv4-mapped loopback in hex"],
    ["[::ffff:169.254.169.254]", false, "IPv4-mapped metadata service"],
    ["::ffff:8.8.8.8", true, "IPv4-mapped public"],
    ["64:ff9b::7f00:1", false, "NAT64 of loopback"],
    ["2002:7f00:1::", false, "6to4 of loopback"],
    ["2001:db8::1", false, "documentation"],
    ["example.com", false, "a host name is not an address"],
    ["", false, "nothing"],
  ];
  for (const [address, expected, what] of table) {
    it(`${JSON.stringify(address)} (${what}): ${expected ? "public" : "refused"}`, () => {
      expect(isPublicAddress(address)).to.equal(expected);
    });
  }
});

describe("webhooks/addressGuard: checkedAddress with a stub resolver", () => {
  const resolverOf =
    (answers: Record<string, string[]>): Resolver =>
    async (hostname) => {
      const addresses = answers[hostname];
      if (addresses === undefined) throw new Error("ENOTFOUND");
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    };
  const resolve = resolverOf({
    "hooks.example.com": ["93.184.215.14", "2606:4700:4700::1111"],
    "rebinding.example.com": ["93.184.215.14", "127.0.0.1"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:10.0.0.1"],
    "empty.example.com": [],
  });

  it("gives the first address of a name whose every address is public", async () => {
    expect(await checkedAddress("hooks.example.com", resolve, false)).to.deep.equal({
      address: "93.184.215.14",
      family: 4,
    });
  });

  for (const host of ["rebinding.example.com", "metadata.example.com", "mapped.example.com"]) {
    it(`refuses ${host}: one of its addresses is not public`, async () => {
      const error = await checkedAddress(host, resolve, false).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(AddressNotAllowedError);
    });
  }

  it("checks a literal without resolving it, in any form", async () => {
    const never: Resolver = async () => expect.fail("resolved a literal");
    for (const literal of ["127.0.0.1", "2130706433", "[::1]", "0x7f.1"]) {
      const error = await checkedAddress(literal, never, false).catch((e: unknown) => e);
      expect(error, literal).to.be.instanceOf(AddressNotAllowedError);
    }
    expect(await checkedAddress("[2606:4700:4700::1111]", never, false)).to.deep.equal({
      address: "2606:4700:4700::1111",
      family: 6,
    });
  });

  it("allows private addresses only when told to (npm start's WEBHOOK_ALLOW_PRIVATE_NETWORKS)", async () => {
    expect(await checkedAddress("metadata.example.com", resolve, true)).to.deep.equal({
      address: "169.254.169.254",
      family: 4,
    });
  });

  it("reports a name that does not resolve, or resolves to nothing", async () => {
    for (const host of ["nowhere.example.com", "empty.example.com"]) {
      expect(await checkedAddress(host, resolve, false).catch((e: unknown) => e), host).to.be.instanceOf(
        HostNotResolvedError,
      );
    }
  });
});
