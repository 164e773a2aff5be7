import type { IncomingMessage } from "node:http";
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
