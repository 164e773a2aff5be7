import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import net from "node:net";
import { PermanentError } from "./errors";

/**
 * What an address is, as far as the crawler cares: anything but `public` is refused unless private networks
 * are allowed (and `metadata` is refused even then). URLs found on the web are attacker-controlled, so an
 * image link to 169.254.169.254 or to a name that resolves to 10.0.0.5 must never reach the host.
 */
export type AddressClass =
	| "public"
	| "loopback"
	| "private"
	| "link_local"
	| "cgnat"
	| "unique_local"
	| "metadata"
	| "unspecified"
	| "multicast"
	| "broadcast"
	| "documentation"
	| "reserved"
	| "invalid";

type Range4 = readonly [network: string, prefix: number, kind: AddressClass];

/** Checked in order: the metadata host sits inside link-local, so it comes first. */
const IPV4_RANGES: readonly Range4[] = [
	["169.254.169.254", 32, "metadata"], // AWS, GCP, Azure, OpenStack, DigitalOcean instance metadata
	["100.100.100.200", 32, "metadata"], // Alibaba Cloud instance metadata (inside CGNAT)
	["0.0.0.0", 8, "unspecified"], // "this network"; connecting to 0.0.0.0 reaches the local host on Linux
	["10.0.0.0", 8, "private"],
	["100.64.0.0", 10, "cgnat"],
	["127.0.0.0", 8, "loopback"],
	["169.254.0.0", 16, "link_local"],
	["172.16.0.0", 12, "private"],
	["192.0.0.0", 24, "reserved"], // IETF protocol assignments
	["192.0.2.0", 24, "documentation"],
	["192.88.99.0", 24, "reserved"], // deprecated 6to4 relay anycast
	["192.168.0.0", 16, "private"],
	["198.18.0.0", 15, "reserved"], // benchmarking
	["198.51.100.0", 24, "documentation"],
	["203.0.113.0", 24, "documentation"],
	["224.0.0.0", 4, "multicast"],
	["255.255.255.255", 32, "broadcast"],
	["240.0.0.0", 4, "reserved"],
];

function ipv4ToNumber(address: string): number {
	return address.split(".").reduce((value, part) => value * 256 + Number(part), 0);
}

const IPV4_TABLE = IPV4_RANGES.map(([network, prefix, kind]) => {
	const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
	return { base: (ipv4ToNumber(network) & mask) >>> 0, mask, kind };
});

function classifyIPv4Number(value: number): AddressClass {
	for (const range of IPV4_TABLE) {
		if ((value & range.mask) >>> 0 === range.base) return range.kind;
	}
	return "public";
}

/** Eight 16-bit groups; `null` when the text is not an IPv6 address. Zone ids (`%eth0`) are ignored. */
export function parseIPv6(text: string): number[] | null {
	const address = text.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
	if (!net.isIPv6(address)) return null;
	let body = address;
	const tail: number[] = [];
	const dotted = body.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
	if (dotted) {
		const v4 = ipv4ToNumber(dotted[2]);
		tail.push(v4 >>> 16, v4 & 0xffff);
		body = dotted[1].endsWith("::") ? dotted[1] : dotted[1].slice(0, -1);
	}
	const [head, rest] = body.includes("::") ? body.split("::") : [body, undefined];
	const parse = (part: string | undefined) => (part ? part.split(":").map((group) => Number.parseInt(group, 16)) : []);
	const left = parse(head);
	const right = [...parse(rest), ...tail];
	if (rest === undefined) return [...left, ...tail];
	return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function classifyIPv6Groups(groups: number[]): AddressClass {
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const embeddedV4 = ((g6 << 16) | g7) >>> 0;
	const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
	if (zeroUpTo(8)) return "unspecified";
	if (zeroUpTo(7) && g7 === 1) return "loopback";
	// ::ffff:a.b.c.d reaches the IPv4 host a.b.c.d on dual-stack sockets: judge the IPv4 address.
	if (zeroUpTo(5) && g5 === 0xffff) return classifyIPv4Number(embeddedV4);
	// Deprecated IPv4-compatible addresses (::a.b.c.d) and the rest of ::/96.
	if (zeroUpTo(6)) return "reserved";
	// NAT64 well-known prefix 64:ff9b::/96 translates to the embedded IPv4 address.
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyIPv4Number(embeddedV4);
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return "private"; // 64:ff9b:1::/48, local-use NAT64
	if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return "reserved"; // 100::/64 discard-only
	if (g0 === 0x2001 && g1 === 0xdb8) return "documentation";
	// 6to4 (2002::/16) carries an IPv4 address in its second and third groups.
	if (g0 === 0x2002) return classifyIPv4Number(((g1 << 16) | g2) >>> 0);
	// AWS instance metadata over IPv6, fd00:ec2::254 (inside unique-local, so checked first).
	if (g0 === 0xfd00 && g1 === 0xec2 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0 && g6 === 0 && g7 === 0x254) return "metadata";
	if ((g0 & 0xfe00) === 0xfc00) return "unique_local"; // fc00::/7
	if ((g0 & 0xffc0) === 0xfe80) return "link_local"; // fe80::/10
	if ((g0 & 0xffc0) === 0xfec0) return "private"; // fec0::/10, deprecated site-local
	if ((g0 & 0xff00) === 0xff00) return "multicast"; // ff00::/8
	// Only 2000::/3 is allocated for global unicast; everything else is reserved by IANA.
	if ((g0 & 0xe000) !== 0x2000) return "reserved";
	return "public";
}

/** Classifies an IPv4 or IPv6 address (brackets and zone ids tolerated); `invalid` when it is neither. */
export function classifyAddress(address: string): AddressClass {
	if (net.isIPv4(address)) return classifyIPv4Number(ipv4ToNumber(address));
	const groups = parseIPv6(address);
	return groups ? classifyIPv6Groups(groups) : "invalid";
}

/** True for every address the crawler must not reach by default. Invalid input is blocked, never waved through. */
export function isBlockedAddress(address: string): boolean {
	return classifyAddress(address) !== "public";
}

/**
 * The rule the downloader applies at connect time. Private networks may be allowed for tests and local demos,
 * but cloud metadata endpoints stay refused: no demo needs them and they hold credentials.
 */
export function isAddressAllowed(address: string, allowPrivateNetworks: boolean): boolean {
	const kind = classifyAddress(address);
	if (kind === "public") return true;
	if (kind === "metadata" || kind === "invalid") return false;
	return allowPrivateNetworks;
}

/** The IP address a URL names literally (brackets removed), or null when its host is a name. */
export function literalAddress(url: URL): string | null {
	const host = url.hostname.replace(/^\[|\]$/g, "");
	return net.isIP(host) ? host : null;
}

/**
 * Parses a URL the crawler was asked to fetch and refuses what it must never fetch: other schemes (file:, ftp:,
 * data:, gopher:), credentials in the URL (they would be sent to whoever the link points at) and missing hosts.
 * Numeric host spellings (`0x7f.1`, `2130706433`) are normalised by the WHATWG parser, so the address check
 * sees `127.0.0.1`.
 */
export function parseCrawlUrl(input: string | URL): URL {
	let url: URL;
	try {
		url = new URL(String(input));
	} catch {
		throw new PermanentError("bad_url", `not a valid URL: ${String(input).slice(0, 200)}`);
	}
	if (url.protocol !== "http:" && url.protocol !== "https:") {
		throw new PermanentError("bad_url", `scheme ${url.protocol} is not allowed (http and https only)`);
	}
	if (url.username !== "" || url.password !== "") {
		throw new PermanentError("bad_url", "URLs carrying credentials are not fetched");
	}
	if (url.hostname === "" || url.hostname === "[]") {
		throw new PermanentError("bad_url", "the URL has no host");
	}
	url.hash = "";
	return url;
}

/** Resolves a host name to every address it has (the shape of `dns.promises.lookup(name, { all: true })`). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: ResolveHost = (hostname) => dns.promises.lookup(hostname, { all: true });

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The connect-time guard, as the `lookup` of a connector: resolves, drops the addresses that may not be
 * reached, refuses (with `refuse`'s error) when none is left. Checking the address actually connected to
 * means DNS rebinding cannot slip through.
 */
export function guardedLookup(
	resolveHost: ResolveHost,
	allowAddress: (address: string) => boolean,
	refuse: (hostname: string, addresses: string[]) => Error,
) {
	return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
		resolveHost(hostname).then(
			(addresses) => {
				const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
				const candidates = family === 4 || family === 6 ? addresses.filter((entry) => entry.family === family) : addresses;
				const allowed = candidates.filter((entry) => allowAddress(entry.address));
				if (allowed.length === 0) {
					const error =
						candidates.length === 0
							? Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" })
							: refuse(
									hostname,
									candidates.map((entry) => entry.address),
								);
					callback(error, options.all ? [] : "");
					return;
				}
				if (options.all) callback(null, allowed);
				else callback(null, allowed[0].address, allowed[0].family);
			},
			(error: NodeJS.ErrnoException) => callback(error, options.all ? [] : ""),
		);
	};
}
