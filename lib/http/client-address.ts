import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";
import proxyAddr from "proxy-addr";

export type TrustProxy = false | number | string[];

/**
 * The address rate limits and logs attribute a request to. X-Forwarded-For is read only as far as the
 * configured proxies are trusted, so a client cannot pick its own address by sending the header.
 */
export function clientAddressResolver(trust: TrustProxy): (req: IncomingMessage) => string {
	if (trust === false) return (req) => req.socket.remoteAddress ?? "unknown";
	const trusted = typeof trust === "number" ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
	return (req) => proxyAddr(req, trusted);
}

/**
 * Whom an anonymous request is counted against: the IPv4 address, or the /64 network of an IPv6
 * address — one IPv6 subscriber usually holds a whole /64 and could rotate through it.
 */
export function rateLimitSubject(address: string): string {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	if (mapped) return mapped[1];
	if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
	return address;
}

function expandIPv6(address: string): string[] {
	const [head, tail] = address.split("%")[0].split("::");
	const left = head ? head.split(":") : [];
	const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
	const missing = tail === undefined ? 0 : 8 - left.length - right.length;
	return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
}

/**
 * Whether a request reached the platform over HTTPS, as a proxy trusted as far as X-Forwarded-For is
 * (the peer itself must be trusted) says in X-Forwarded-Proto; the gateway itself speaks plain HTTP. A
 * client talking to the gateway directly cannot claim HTTPS by sending the header.
 */
export function httpsRequestResolver(trust: TrustProxy): (req: IncomingMessage) => boolean {
	if (trust === false) return () => false;
	const trusted = typeof trust === "number" ? (_address: string, hop: number) => hop < trust : proxyAddr.compile(trust);
	return (req) => {
		const peer = req.socket.remoteAddress;
		if (!peer || !trusted(peer, 0)) return false;
		const header = req.headers["x-forwarded-proto"];
		// the first proxy's view, as Express reads it: the scheme the client used
		const scheme = (Array.isArray(header) ? header[0] : header)?.split(",")[0].trim().toLowerCase();
		return scheme === "https";
	};
}
