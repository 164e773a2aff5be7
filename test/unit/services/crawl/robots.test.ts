import { ALLOW_ALL, parseRobots, robotsTagForbidsAi, robotsUrlFor, userAgentToken } from "../../../../services/crawl/robots";

const ROBOTS_URL = "https://images.example/robots.txt";
const at = (path: string) => `https://images.example${path}`;
const policy = (text: string, token = "PixCrawler") => parseRobots(ROBOTS_URL, text, token);

describe("userAgentToken", () => {
	it("takes the product token of the User-Agent", () => {
		expect(userAgentToken("PixCrawler/0.1 (+https://github.com/pixcrawler/pixcrawler; dataset builder)")).toBe("PixCrawler");
		expect(userAgentToken("PixCrawler (+https://example.org)")).toBe("PixCrawler");
		expect(userAgentToken("  OtherBot/2 ")).toBe("OtherBot");
		expect(userAgentToken("")).toBe("*");
	});
});

describe("robotsUrlFor", () => {
	it("places robots.txt at the root of the URL's origin, port and scheme included", () => {
		expect(robotsUrlFor(new URL("https://images.example/a/b.jpg?x=1"))).toBe("https://images.example/robots.txt");
		expect(robotsUrlFor(new URL("http://127.0.0.1:8080/img.png"))).toBe("http://127.0.0.1:8080/robots.txt");
		expect(robotsUrlFor(new URL("http://[::1]:81/x"))).toBe("http://[::1]:81/robots.txt");
	});
});

describe("parseRobots", () => {
	it("allows everything when the file is empty or has no rules for anyone", () => {
		expect(policy("").isAllowed(at("/anything.jpg"))).toBe(true);
		expect(policy("# only a comment\nSitemap: https://images.example/sitemap.xml\n").isAllowed(at("/a"))).toBe(true);
		expect(ALLOW_ALL.isAllowed(at("/a"))).toBe(true);
	});

	it("applies the * group when no group names us", () => {
		const rules = policy("User-agent: *\nDisallow: /private/\n");
		expect(rules.isAllowed(at("/private/cat.jpg"))).toBe(false);
		expect(rules.isAllowed(at("/public/cat.jpg"))).toBe(true);
	});

	it("prefers the group naming our token (any casing) over *, and ignores groups for other crawlers", () => {
		const text = [
			"User-agent: *",
			"Disallow: /",
			"",
			"User-agent: pixcrawler",
			"Disallow: /raw/",
			"",
			"User-agent: OtherBot",
			"Disallow: /images/",
		].join("\n");
		const rules = policy(text);
		expect(rules.isAllowed(at("/images/cat.jpg"))).toBe(true);
		expect(rules.isAllowed(at("/raw/cat.jpg"))).toBe(false);
		expect(policy(text, "SomeoneElse").isAllowed(at("/images/cat.jpg"))).toBe(false);
	});

	it("treats an empty group for us as allowing everything even when * is disallowed", () => {
		const rules = policy("User-agent: *\nDisallow: /\n\nUser-agent: PixCrawler\nDisallow:\n");
		expect(rules.isAllowed(at("/anything.jpg"))).toBe(true);
	});

	it("shares rules between user-agent lines of one group and merges repeated groups", () => {
		const rules = policy("User-agent: a-bot\nUser-agent: PixCrawler\nDisallow: /one/\n\nUser-agent: PixCrawler\nDisallow: /two/\n");
		expect(rules.isAllowed(at("/one/x"))).toBe(false);
		expect(rules.isAllowed(at("/two/x"))).toBe(false);
		expect(rules.isAllowed(at("/three/x"))).toBe(true);
	});

	it("lets the longest matching rule win, and Allow win a tie", () => {
		const rules = policy("User-agent: *\nDisallow: /images/\nAllow: /images/public/\nDisallow: /images/public/raw\n");
		expect(rules.isAllowed(at("/images/secret.jpg"))).toBe(false);
		expect(rules.isAllowed(at("/images/public/cat.jpg"))).toBe(true);
		expect(rules.isAllowed(at("/images/public/raw.jpg"))).toBe(false);
		const tie = policy("User-agent: *\nDisallow: /same\nAllow: /same\n");
		expect(tie.isAllowed(at("/same/x"))).toBe(true);
	});

	it("supports * wildcards and the $ end anchor", () => {
		const rules = policy("User-agent: *\nDisallow: /*.gif$\nDisallow: /*/thumbs/\nAllow: /*.gif?keep\n");
		expect(rules.isAllowed(at("/a/b/c.gif"))).toBe(false);
		expect(rules.isAllowed(at("/a/b/c.gif.jpg"))).toBe(true);
		expect(rules.isAllowed(at("/gallery/thumbs/1.jpg"))).toBe(false);
		expect(rules.isAllowed(at("/thumbs/1.jpg"))).toBe(true);
		expect(rules.isAllowed(at("/c.gif?keep=1"))).toBe(true);
	});

	it("matches the query string and percent-encoded paths", () => {
		const rules = policy("User-agent: *\nDisallow: /search?q=\nDisallow: /caf%C3%A9/\n");
		expect(rules.isAllowed(at("/search?q=cats"))).toBe(false);
		expect(rules.isAllowed(at("/search"))).toBe(true);
		expect(rules.isAllowed(at("/café/x.jpg"))).toBe(false);
	});

	it("ignores comments, odd casing of directives, CRLF line ends and a byte order mark", () => {
		const rules = policy("\uFEFFuser-AGENT: * # everyone\r\nDISALLOW: /no # not here\r\n");
		expect(rules.isAllowed(at("/no/x"))).toBe(false);
		expect(rules.isAllowed(at("/yes/x"))).toBe(true);
	});

	it("does not govern URLs of another origin", () => {
		const rules = policy("User-agent: *\nDisallow: /\n");
		expect(rules.isAllowed("https://other.example/x")).toBe(true);
		expect(rules.isAllowed("http://images.example/x")).toBe(true);
		expect(rules.isAllowed(new URL(at("/x")))).toBe(false);
	});
});

describe("robotsTagForbidsAi", () => {
	it.each([
		"noai",
		"NoAI",
		"noimageai",
		"NOIMAGEAI",
		"noindex, noai",
		"noindex,noimageai",
		"googlebot: noai",
		"otherbot: noindex, noimageai",
		"PixCrawler:noai",
	])("refuses on %p", (value) => {
		expect(robotsTagForbidsAi(value)).toBe(true);
	});

	it.each(["noindex", "nofollow, noarchive", "unavailable_after: 25 Jun 2010 15:00:00 PST", "noaix", "nonoai", ""])(
		"does not refuse on %p",
		(value) => {
			expect(robotsTagForbidsAi(value)).toBe(false);
		},
	);

	it("reads every value of a repeated header and tolerates its absence", () => {
		expect(robotsTagForbidsAi(["noindex", "googlebot: noimageai"])).toBe(true);
		expect(robotsTagForbidsAi(["noindex", "nofollow"])).toBe(false);
		expect(robotsTagForbidsAi(undefined)).toBe(false);
		expect(robotsTagForbidsAi(null)).toBe(false);
	});
});
