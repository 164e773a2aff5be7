import { PermanentError } from "../../../../services/crawl/errors";
import {
	type AddressClass,
	classifyAddress,
	isAddressAllowed,
	isBlockedAddress,
	literalAddress,
	parseCrawlUrl,
	parseIPv6,
} from "../../../../services/crawl/ssrf-guard";

const cases: Array<[string, AddressClass]> = [
	// loopback
	["127.0.0.1", "loopback"],
	["127.255.255.254", "loopback"],
	["::1", "loopback"],
	["0:0:0:0:0:0:0:1", "loopback"],
	// private
	["10.0.0.1", "private"],
	["10.255.255.255", "private"],
	["172.16.0.1", "private"],
	["172.31.255.255", "private"],
	["192.168.0.1", "private"],
	["192.168.255.255", "private"],
	["fec0::1", "private"],
	// link-local
	["169.254.0.1", "link_local"],
	["169.254.170.2", "link_local"],
	["fe80::1", "link_local"],
	["febf:ffff::1", "link_local"],
	["fe80::1%eth0", "link_local"],
	// carrier-grade NAT
	["100.64.0.1", "cgnat"],
	["100.127.255.255", "cgnat"],
	// unique local
	["fc00::1", "unique_local"],
	["fd12:3456:789a::1", "unique_local"],
	// cloud metadata
	["169.254.169.254", "metadata"],
	["fd00:ec2::254", "metadata"],
	["100.100.100.200", "metadata"],
	// unspecified
	["0.0.0.0", "unspecified"],
	["0.1.2.3", "unspecified"],
	["::", "unspecified"],
	// multicast, broadcast, reserved
	["224.0.0.1", "multicast"],
	["239.255.255.250", "multicast"],
	["ff02::1", "multicast"],
	["ff05::1:3", "multicast"],
	["255.255.255.255", "broadcast"],
	["240.0.0.1", "reserved"],
	["250.1.2.3", "reserved"],
	["192.0.0.8", "reserved"],
	["198.18.0.1", "reserved"],
	["198.19.255.255", "reserved"],
	["::7f00:1", "reserved"],
	["100::1", "reserved"],
	["4000::1", "reserved"],
	// documentation
	["192.0.2.1", "documentation"],
	["198.51.100.7", "documentation"],
	["203.0.113.9", "documentation"],
	["2001:db8::1", "documentation"],
	// public
	["8.8.8.8", "public"],
	["1.1.1.1", "public"],
	["93.184.215.14", "public"],
	["172.15.255.255", "public"],
	["172.32.0.0", "public"],
	["100.63.255.255", "public"],
	["100.128.0.0", "public"],
	["169.253.255.255", "public"],
	["192.167.255.255", "public"],
	["223.255.255.255", "public"],
	["2606:4700:4700::1111", "public"],
	["2001:4860:4860::8888", "public"],
	["2a00:1450:4007:80e::200e", "public"],
];

describe("classifyAddress", () => {
	it.each(cases)("classifies %s as %s", (address, expected) => {
		expect(classifyAddress(address)).toBe(expected);
		expect(isBlockedAddress(address)).toBe(expected !== "public");
	});

	it.each<[string, AddressClass]>([
		["::ffff:127.0.0.1", "loopback"],
		["::ffff:7f00:1", "loopback"],
		["0:0:0:0:0:ffff:7f00:0001", "loopback"],
		["::ffff:10.1.2.3", "private"],
		["::ffff:169.254.169.254", "metadata"],
		["::ffff:a9fe:a9fe", "metadata"],
		["::ffff:0.0.0.0", "unspecified"],
		["::ffff:192.168.1.1", "private"],
		["::ffff:8.8.8.8", "public"],
	])("judges the IPv4-mapped address %s by its IPv4 address (%s)", (address, expected) => {
		expect(classifyAddress(address)).toBe(expected);
	});

	it("judges NAT64 and 6to4 addresses by the IPv4 address they carry", () => {
		expect(classifyAddress("64:ff9b::7f00:1")).toBe("loopback");
		expect(classifyAddress("64:ff9b::a9fe:a9fe")).toBe("metadata");
		expect(classifyAddress("64:ff9b::808:808")).toBe("public");
		expect(classifyAddress("64:ff9b:1::1")).toBe("private");
		expect(classifyAddress("2002:c0a8:0101::1")).toBe("private");
		expect(classifyAddress("2002:0808:0808::1")).toBe("public");
	});

	it("accepts bracketed IPv6 and treats anything that is not an address as blocked", () => {
		expect(classifyAddress("[::1]")).toBe("loopback");
		for (const text of ["", "localhost", "example.com", "127.1", "256.0.0.1", "1.2.3", "::g", "127.000.000.001"]) {
			expect(classifyAddress(text)).toBe("invalid");
			expect(isBlockedAddress(text)).toBe(true);
		}
	});
});

describe("parseIPv6", () => {
	it("expands compressed forms and embedded IPv4 into eight groups", () => {
		expect(parseIPv6("::")).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
		expect(parseIPv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
		expect(parseIPv6("fe80::1:2")).toEqual([0xfe80, 0, 0, 0, 0, 0, 1, 2]);
		expect(parseIPv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
		expect(parseIPv6("::ffff:127.0.0.1")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
		expect(parseIPv6("::1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0, 0x102, 0x304]);
		expect(parseIPv6("1:2:3:4:5:6:1.2.3.4")).toEqual([1, 2, 3, 4, 5, 6, 0x102, 0x304]);
		expect(parseIPv6("1::")).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
		expect(parseIPv6("127.0.0.1")).toBeNull();
		expect(parseIPv6("1:2")).toBeNull();
	});
});

describe("isAddressAllowed", () => {
	it("allows only public addresses by default", () => {
		expect(isAddressAllowed("8.8.8.8", false)).toBe(true);
		expect(isAddressAllowed("2606:4700:4700::1111", false)).toBe(true);
		for (const address of ["127.0.0.1", "::1", "10.0.0.1", "fd00::1", "100.64.0.1", "0.0.0.0", "::ffff:127.0.0.1"]) {
			expect(isAddressAllowed(address, false)).toBe(false);
		}
	});

	it("lets private networks through when asked, but never cloud metadata endpoints or garbage", () => {
		for (const address of ["127.0.0.1", "::1", "10.0.0.1", "192.168.1.1", "fe80::1", "fd12::1", "100.64.0.1"]) {
			expect(isAddressAllowed(address, true)).toBe(true);
		}
		for (const address of ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200", "not-an-ip"]) {
			expect(isAddressAllowed(address, true)).toBe(false);
		}
	});
});

describe("parseCrawlUrl", () => {
	const refused = (input: string) => {
		try {
			parseCrawlUrl(input);
		} catch (error) {
			return error;
		}
		throw new Error(`${input} was accepted`);
	};

	it("accepts http and https URLs with a host, dropping the fragment", () => {
		expect(parseCrawlUrl("https://example.com/a.jpg#top").href).toBe("https://example.com/a.jpg");
		expect(parseCrawlUrl("http://example.com:8080/a?b=c").href).toBe("http://example.com:8080/a?b=c");
		expect(parseCrawlUrl(new URL("HTTPS://EXAMPLE.com/x")).hostname).toBe("example.com");
	});

	it.each([
		"file:///etc/passwd",
		"ftp://example.com/a.jpg",
		"data:image/png;base64,AAAA",
		"gopher://example.com/",
		"javascript:alert(1)",
		"http://user:secret@example.com/a.jpg",
		"http://user@example.com/a.jpg",
		"https://:pass@example.com/",
		"not a url",
		"/relative/path.jpg",
		"http://",
	])("refuses %s as bad_url", (input) => {
		const error = refused(input);
		expect(error).toBeInstanceOf(PermanentError);
		expect(error).toMatchObject({ reason: "bad_url" });
	});

	it("normalises numeric host spellings so the address check sees the real address", () => {
		for (const input of ["http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/"]) {
			const url = parseCrawlUrl(input);
			expect(literalAddress(url)).toBe("127.0.0.1");
			expect(isBlockedAddress(literalAddress(url) as string)).toBe(true);
		}
	});
});

describe("literalAddress", () => {
	it("returns the IP a URL names literally, without brackets, and null for names", () => {
		expect(literalAddress(new URL("http://169.254.169.254/latest"))).toBe("169.254.169.254");
		expect(literalAddress(new URL("http://[::1]:8080/"))).toBe("::1");
		expect(literalAddress(new URL("http://[::ffff:127.0.0.1]/"))).toBe("::ffff:7f00:1");
		expect(literalAddress(new URL("http://example.com/"))).toBeNull();
		expect(literalAddress(new URL("http://localhost/"))).toBeNull();
	});
});
