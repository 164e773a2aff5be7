import type { IncomingMessage } from "node:http";
import { loadConfig } from "../../../../lib/config";
import { clientAddressResolver, rateLimitSubject } from "../../../../lib/http/client-address";

function request(remoteAddress: string | undefined, forwardedFor?: string): IncomingMessage {
	const headers: Record<string, string> = {};
	if (forwardedFor !== undefined) headers["x-forwarded-for"] = forwardedFor;
	return { headers, socket: { remoteAddress }, connection: { remoteAddress } } as unknown as IncomingMessage;
}

describe("clientAddressResolver(false)", () => {
	const resolve = clientAddressResolver(false);

	it("uses the socket address and ignores X-Forwarded-For", () => {
		expect(resolve(request("203.0.113.7", "1.2.3.4"))).toBe("203.0.113.7");
	});

	it("answers 'unknown' when the socket has no address (closed connection)", () => {
		expect(resolve(request(undefined))).toBe("unknown");
	});
});

describe("clientAddressResolver(number of hops)", () => {
	it("with 1 hop takes the last X-Forwarded-For entry, not one the client wrote", () => {
		const resolve = clientAddressResolver(1);
		// The client forged 6.6.6.6; the proxy appended the address it saw (198.51.100.9).
		expect(resolve(request("10.0.0.2", "6.6.6.6, 198.51.100.9"))).toBe("198.51.100.9");
	});

	it("with 2 hops takes the entry two proxies back", () => {
		expect(clientAddressResolver(2)(request("10.0.0.2", "6.6.6.6, 198.51.100.9, 10.0.0.3"))).toBe("198.51.100.9");
	});

	it("falls back to the socket address when there is no X-Forwarded-For", () => {
		expect(clientAddressResolver(1)(request("203.0.113.7"))).toBe("203.0.113.7");
	});

	it("stops at the first entry when there are fewer entries than hops", () => {
		expect(clientAddressResolver(5)(request("10.0.0.2", "198.51.100.9"))).toBe("198.51.100.9");
	});
});

describe("clientAddressResolver(list of proxies)", () => {
	it("trusts loopback proxies only", () => {
		const resolve = clientAddressResolver(["loopback"]);
		expect(resolve(request("127.0.0.1", "198.51.100.9"))).toBe("198.51.100.9");
		// A client connecting directly cannot pick its address with the header.
		expect(resolve(request("203.0.113.7", "1.2.3.4"))).toBe("203.0.113.7");
	});

	it("walks back through every trusted proxy to the first untrusted address", () => {
		const resolve = clientAddressResolver(["loopback", "10.0.0.0/8"]);
		expect(resolve(request("127.0.0.1", "6.6.6.6, 198.51.100.9, 10.1.2.3"))).toBe("198.51.100.9");
	});

	it("returns the left-most address when every hop is trusted", () => {
		expect(clientAddressResolver(["10.0.0.0/8"])(request("10.0.0.1", "10.0.0.5, 10.0.0.9"))).toBe("10.0.0.5");
	});

	it("accepts the values GATEWAY_TRUST_PROXY produces", () => {
		const trust = loadConfig({ GATEWAY_TRUST_PROXY: "loopback, 192.168.0.0/16" }).gateway.trustProxy;
		expect(clientAddressResolver(trust)(request("192.168.1.1", "198.51.100.9"))).toBe("198.51.100.9");
	});
});

describe("rateLimitSubject", () => {
	it("keeps IPv4 addresses, unwrapping IPv4-mapped IPv6", () => {
		expect(rateLimitSubject("203.0.113.7")).toBe("203.0.113.7");
		expect(rateLimitSubject("::ffff:203.0.113.7")).toBe("203.0.113.7");
	});

	it("counts every address of one IPv6 /64 as one subject", () => {
		const a = rateLimitSubject("2001:db8:85a3:12::1");
		const b = rateLimitSubject("2001:0db8:85a3:0012:ffff:ffff:ffff:fffe");
		expect(a).toBe("2001:db8:85a3:12::/64");
		expect(b).toBe(a);
		expect(rateLimitSubject("2001:db8:85a3:13::1")).not.toBe(a);
		expect(rateLimitSubject("::1")).toBe("0:0:0:0::/64");
	});
});
