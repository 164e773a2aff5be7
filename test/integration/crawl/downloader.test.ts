import { randomBytes } from "node:crypto";
import diagnosticsChannel from "node:diagnostics_channel";
import dns, { type LookupAddress } from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Downloader, type DownloaderConfig, type DownloaderOptions, parseRetryAfter } from "../../../services/crawl/downloader";
import { PermanentError, TransientError } from "../../../services/crawl/errors";
import { isAddressAllowed } from "../../../services/crawl/ssrf-guard";

/**
 * The downloader against real sockets: fixture servers on loopback addresses this file picks, and a "canary"
 * server that must never be reached when private networks are refused.
 */

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

interface Fixture {
	host: string;
	port: number;
	origin: string;
	url(path: string): string;
	/** Every request seen, in arrival order. */
	requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
	paths(): string[];
	route(path: string, handler: Handler): void;
	reset(): void;
	close(): Promise<void>;
}

const pendingTimers = new Set<NodeJS.Timeout>();
function later(ms: number, action: () => void): void {
	const timer = setTimeout(() => {
		pendingTimers.delete(timer);
		action();
	}, ms);
	pendingTimers.add(timer);
}

async function startFixture(host = "127.0.0.1", port = 0): Promise<Fixture> {
	const routes = new Map<string, Handler>();
	const requests: Fixture["requests"] = [];
	const server = http.createServer((request, response) => {
		const path = (request.url ?? "/").split("?")[0];
		requests.push({ path: request.url ?? "/", headers: request.headers });
		const handler = routes.get(path);
		if (handler) return handler(request, response);
		response.writeHead(404, { "content-type": "text/plain" }).end("no such fixture");
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(port, host, () => resolve());
	});
	const actualPort = (server.address() as AddressInfo).port;
	const origin = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
	return {
		host,
		port: actualPort,
		origin,
		url: (path) => `${origin}${path}`,
		requests,
		paths: () => requests.map((entry) => entry.path),
		route: (path, handler) => routes.set(path, handler),
		reset: () => {
			routes.clear();
			requests.length = 0;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const IMAGE = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);
const serveImage: Handler = (_request, response) => {
	response.writeHead(200, { "content-type": "image/png", "content-length": IMAGE.length, "x-fixture": "image" }).end(IMAGE);
};

const USER_AGENT = "PixCrawler/0.1 (+https://github.com/pixcrawler/pixcrawler; integration tests)";
const baseConfig: DownloaderConfig = {
	allowPrivateNetworks: true,
	userAgent: USER_AGENT,
	connectTimeoutMs: 2000,
	headersTimeoutMs: 2000,
	totalTimeoutMs: 5000,
	maxImageBytes: 1024 * 1024,
	concurrency: 8,
	perHostConcurrency: 4,
	respectRobots: true,
};

const downloaders: Downloader[] = [];
function makeDownloader(overrides: Partial<DownloaderConfig> = {}, options: DownloaderOptions = {}): Downloader {
	const downloader = new Downloader({ ...baseConfig, ...overrides }, options);
	downloaders.push(downloader);
	return downloader;
}

/** Resolves the given test names, and every other name through the system resolver. */
function namesResolvingTo(names: Record<string, string | string[]>) {
	const calls: string[] = [];
	const lookup = async (hostname: string): Promise<LookupAddress[]> => {
		calls.push(hostname);
		const answer = names[hostname];
		if (answer === undefined) return dns.promises.lookup(hostname, { all: true });
		return (Array.isArray(answer) ? answer : [answer]).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
	};
	return { lookup, calls };
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error("expected the request to fail, but it succeeded");
}

async function expectPermanent(promise: Promise<unknown>, reason: string): Promise<PermanentError> {
	const error = await failureOf(promise);
	expect(error).toBeInstanceOf(PermanentError);
	expect((error as PermanentError).reason).toBe(reason);
	return error as PermanentError;
}

async function expectTransient(promise: Promise<unknown>, reason: string): Promise<TransientError> {
	const error = await failureOf(promise);
	expect(error).toBeInstanceOf(TransientError);
	expect((error as TransientError).reason).toBe(reason);
	return error as TransientError;
}

let site: Fixture;
let other: Fixture;

beforeAll(async () => {
	site = await startFixture();
	other = await startFixture();
});

afterEach(async () => {
	await Promise.all(downloaders.splice(0).map((downloader) => downloader.close()));
	for (const timer of pendingTimers) clearTimeout(timer);
	pendingTimers.clear();
	site.reset();
	other.reset();
});

afterAll(async () => {
	await Promise.all([site.close(), other.close()]);
});

describe("downloading", () => {
	it("downloads an image with the honest User-Agent and returns its bytes, type, headers and final URL", async () => {
		site.route("/cat.png", serveImage);
		const result = await makeDownloader().download(site.url("/cat.png"));
		expect(result.body.equals(IMAGE)).toBe(true);
		expect(result).toMatchObject({ url: site.url("/cat.png"), status: 200, contentType: "image/png" });
		expect(result.headers["x-fixture"]).toBe("image");
		expect(result.headers["content-length"]).toBe(String(IMAGE.length));
		const imageRequest = site.requests.find((entry) => entry.path === "/cat.png");
		expect(imageRequest?.headers["user-agent"]).toBe(USER_AGENT);
		expect(imageRequest?.headers.accept).toContain("image/");
	});

	it("refuses a body whose Content-Length exceeds the limit", async () => {
		site.route("/huge.png", (_request, response) => {
			response.writeHead(200, { "content-type": "image/png", "content-length": 5000 });
			response.end(Buffer.alloc(5000));
		});
		await expectPermanent(makeDownloader({ maxImageBytes: 4000 }).download(site.url("/huge.png")), "too_large");
		await expectPermanent(makeDownloader().download(site.url("/huge.png"), { maxBytes: 4999 }), "too_large");
		const fits = await makeDownloader({ maxImageBytes: 4000 }).download(site.url("/huge.png"), { maxBytes: 5000 });
		expect(fits.body).toHaveLength(5000);
	});

	it("counts bytes while streaming a chunked body without length and stops reading past the limit", async () => {
		let sent = 0;
		let finished: (value: boolean) => void = () => {};
		const responseClosed = new Promise<boolean>((resolve) => {
			finished = resolve;
		});
		site.route("/endless.png", (_request, response) => {
			response.writeHead(200, { "content-type": "image/png" });
			response.on("close", () => finished(response.writableFinished));
			const pump = () => {
				if (response.destroyed) return;
				response.write(Buffer.alloc(1000));
				sent += 1000;
				if (sent < 1_000_000) later(2, pump);
				else response.end();
			};
			pump();
		});
		await expectPermanent(makeDownloader({ maxImageBytes: 10_000 }).download(site.url("/endless.png")), "too_large");
		expect(await responseClosed).toBe(false);
		expect(sent).toBeLessThan(1_000_000);
	});

	it("accepts a chunked body that stays within the limit", async () => {
		site.route("/chunked.png", (_request, response) => {
			response.writeHead(200, { "content-type": "image/png" });
			response.write(IMAGE.subarray(0, 1000));
			later(10, () => response.end(IMAGE.subarray(1000)));
		});
		const result = await makeDownloader().download(site.url("/chunked.png"));
		expect(result.headers["transfer-encoding"]).toBe("chunked");
		expect(result.body.equals(IMAGE)).toBe(true);
	});
});

describe("redirects", () => {
	beforeEach(() => {
		for (let step = 1; step <= 7; step++) {
			site.route(`/hop/${step}`, (_request, response) => {
				response.writeHead(step % 2 === 0 ? 301 : 302, { location: `/hop/${step - 1}` }).end("moved");
			});
		}
		site.route("/hop/0", serveImage);
	});

	it("follows up to five redirects, re-checking each target, and reports the final URL", async () => {
		const result = await makeDownloader().download(site.url("/hop/5"));
		expect(result.url).toBe(site.url("/hop/0"));
		expect(result.body.equals(IMAGE)).toBe(true);
		expect(site.paths().filter((path) => path.startsWith("/hop/"))).toEqual(["/hop/5", "/hop/4", "/hop/3", "/hop/2", "/hop/1", "/hop/0"]);
	});

	it("refuses a sixth redirect without requesting its target", async () => {
		await expectPermanent(makeDownloader().download(site.url("/hop/6")), "too_many_redirects");
		expect(site.paths()).not.toContain("/hop/0");
		await expectPermanent(makeDownloader().getText(site.url("/hop/7")), "too_many_redirects");
	});

	it("follows a redirect to another origin and asks that origin's robots.txt", async () => {
		other.route("/final.png", serveImage);
		site.route("/elsewhere", (_request, response) => response.writeHead(307, { location: other.url("/final.png") }).end());
		const result = await makeDownloader().download(site.url("/elsewhere"));
		expect(result.url).toBe(other.url("/final.png"));
		expect(other.paths()).toEqual(["/robots.txt", "/final.png"]);
	});

	it("refuses redirects to other schemes, to URLs carrying credentials and to invalid URLs", async () => {
		site.route("/to-file", (_request, response) => response.writeHead(302, { location: "file:///etc/passwd" }).end());
		site.route("/to-creds", (_request, response) =>
			response.writeHead(302, { location: `http://user:pass@127.0.0.1:${other.port}/` }).end(),
		);
		await expectPermanent(makeDownloader().download(site.url("/to-file")), "bad_url");
		await expectPermanent(makeDownloader().download(site.url("/to-creds")), "bad_url");
		site.route("/to-garbage", (_request, response) => response.writeHead(302, { location: "http://[::1" }).end());
		await expectPermanent(makeDownloader().download(site.url("/to-garbage")), "bad_url");
		expect(other.requests).toHaveLength(0);
	});
});

describe("failures", () => {
	it("gives up on headers that do not come within headersTimeoutMs, as a transient timeout", async () => {
		site.route("/slow-headers.png", (_request, response) => later(3000, () => serveImage(_request, response)));
		const started = Date.now();
		await expectTransient(
			makeDownloader({ headersTimeoutMs: 200, respectRobots: false }).download(site.url("/slow-headers.png")),
			"timeout",
		);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it("gives up on a body that trickles past totalTimeoutMs, as a transient timeout", async () => {
		site.route("/slow-body.png", (_request, response) => {
			response.writeHead(200, { "content-type": "image/png", "content-length": 100_000 });
			const drip = () => {
				if (response.destroyed) return;
				response.write(Buffer.alloc(10));
				later(50, drip);
			};
			drip();
		});
		const started = Date.now();
		const error = await expectTransient(makeDownloader({ totalTimeoutMs: 400 }).download(site.url("/slow-body.png")), "timeout");
		expect(error.message).toMatch(/^timeout/);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it("times out a connection that cannot be opened within connectTimeoutMs (here: DNS that never answers)", async () => {
		const lookup = () => new Promise<LookupAddress[]>(() => {});
		const started = Date.now();
		await expectTransient(makeDownloader({ connectTimeoutMs: 200 }, { lookup }).download("http://stuck.test/x.png"), "timeout");
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it("treats 404 and 410 as permanent not_found and other 4xx as permanent http_error", async () => {
		site.route("/gone.png", (_request, response) => response.writeHead(410).end());
		site.route("/forbidden.png", (_request, response) => response.writeHead(403).end("no"));
		await expectPermanent(makeDownloader().download(site.url("/missing.png")), "not_found");
		await expectPermanent(makeDownloader().download(site.url("/gone.png")), "not_found");
		await expectPermanent(makeDownloader().download(site.url("/forbidden.png")), "http_error");
	});

	it("treats 503 and 429 as transient and passes on the host's Retry-After in milliseconds", async () => {
		site.route("/unavailable.png", (_request, response) => response.writeHead(503, { "retry-after": "120" }).end("later"));
		const retryAt = new Date(Date.now() + 90_000).toUTCString();
		site.route("/busy.png", (_request, response) => response.writeHead(429, { "retry-after": retryAt }).end());
		site.route("/broken.png", (_request, response) => response.writeHead(500).end());
		const unavailable = await expectTransient(makeDownloader().download(site.url("/unavailable.png")), "http_error");
		expect(unavailable.retryAfterMs).toBe(120_000);
		const busy = await expectTransient(makeDownloader().download(site.url("/busy.png")), "http_error");
		expect(busy.retryAfterMs).toBeGreaterThan(80_000);
		expect(busy.retryAfterMs).toBeLessThanOrEqual(90_000);
		const broken = await expectTransient(makeDownloader().download(site.url("/broken.png")), "http_error");
		expect(broken.retryAfterMs).toBeUndefined();
	});

	it("treats a connection reset as transient", async () => {
		site.route("/reset.png", (request) => request.socket.destroy());
		await expectTransient(makeDownloader({ respectRobots: false }).download(site.url("/reset.png")), "network_error");
	});

	it("treats a connection refused as transient", async () => {
		const closed = await startFixture();
		const url = closed.url("/x.png");
		await closed.close();
		await expectTransient(makeDownloader({ respectRobots: false }).download(url), "network_error");
	});

	it("treats a host with no address as permanent host_not_found", async () => {
		const { lookup } = namesResolvingTo({ "nowhere.test": [] });
		await expectPermanent(makeDownloader({}, { lookup }).download("http://nowhere.test/x.png"), "host_not_found");
	});

	it("refuses URLs it must not fetch before any request", async () => {
		const downloader = makeDownloader();
		await expectPermanent(downloader.download("ftp://example.com/a.png"), "bad_url");
		await expectPermanent(downloader.download(`http://user:pw@127.0.0.1:${site.port}/a.png`), "bad_url");
		await expectPermanent(downloader.getText("javascript:alert(1)"), "bad_url");
		expect(site.requests).toHaveLength(0);
	});
});

describe("parseRetryAfter", () => {
	it("reads delay-seconds and HTTP dates, and ignores what it cannot read", () => {
		const now = Date.parse("2025-01-01T00:00:00Z");
		expect(parseRetryAfter("0", now)).toBe(0);
		expect(parseRetryAfter(" 30 ", now)).toBe(30_000);
		expect(parseRetryAfter("Wed, 01 Jan 2025 00:02:00 GMT", now)).toBe(120_000);
		expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
		expect(parseRetryAfter("-5", now)).toBeUndefined();
		expect(parseRetryAfter("1.5", now)).toBeUndefined();
		expect(parseRetryAfter("soon", now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});
});

describe("robots.txt and X-Robots-Tag", () => {
	it("refuses a path robots.txt disallows for PixCrawler without requesting it", async () => {
		site.route("/robots.txt", (_request, response) =>
			response
				.writeHead(200, { "content-type": "text/plain" })
				.end("User-agent: *\nAllow: /\n\nUser-agent: PixCrawler\nDisallow: /private/\n"),
		);
		site.route("/private/cat.png", serveImage);
		site.route("/public/cat.png", serveImage);
		const downloader = makeDownloader();
		await expectPermanent(downloader.download(site.url("/private/cat.png")), "robots_disallowed");
		await downloader.download(site.url("/public/cat.png"));
		expect(site.paths()).toEqual(["/robots.txt", "/public/cat.png"]);
	});

	it("fetches robots.txt once per origin, even for concurrent downloads", async () => {
		site.route("/robots.txt", (_request, response) => later(100, () => response.writeHead(200).end("User-agent: *\nDisallow: /no/\n")));
		site.route("/a.png", serveImage);
		site.route("/b.png", serveImage);
		const downloader = makeDownloader();
		await Promise.all([
			downloader.download(site.url("/a.png")),
			downloader.download(site.url("/b.png")),
			downloader.download(site.url("/a.png")),
		]);
		await downloader.download(site.url("/b.png"));
		expect(site.paths().filter((path) => path === "/robots.txt")).toHaveLength(1);
	});

	it("allows everything when robots.txt is missing (4xx) or failing (5xx)", async () => {
		other.route("/robots.txt", (_request, response) => response.writeHead(503).end());
		site.route("/a.png", serveImage);
		other.route("/a.png", serveImage);
		const downloader = makeDownloader();
		await downloader.download(site.url("/a.png"));
		await downloader.download(other.url("/a.png"));
		expect(site.paths()).toEqual(["/robots.txt", "/a.png"]);
		expect(other.paths()).toEqual(["/robots.txt", "/a.png"]);
	});

	it("reads the first 512 KiB of a huge robots.txt and ignores the rest", async () => {
		const padding = "# padding to push the next rule past the limit\n".repeat(12_000);
		site.route("/robots.txt", (_request, response) =>
			response.writeHead(200, { "content-type": "text/plain" }).end(`User-agent: *\nDisallow: /early/\n${padding}Disallow: /late/\n`),
		);
		site.route("/late/cat.png", serveImage);
		const downloader = makeDownloader();
		await expectPermanent(downloader.download(site.url("/early/cat.png")), "robots_disallowed");
		expect((await downloader.download(site.url("/late/cat.png"))).body.equals(IMAGE)).toBe(true);
	});

	it("refuses an image marked X-Robots-Tag noai or noimageai, with or without a user-agent prefix", async () => {
		site.route("/noai.png", (_request, response) => response.writeHead(200, { "x-robots-tag": "googlebot: NoAI" }).end(IMAGE));
		site.route("/noimageai.png", (_request, response) => response.writeHead(200, { "x-robots-tag": "noindex, noimageai" }).end(IMAGE));
		site.route("/indexable.png", (_request, response) => response.writeHead(200, { "x-robots-tag": "noindex" }).end(IMAGE));
		const downloader = makeDownloader();
		await expectPermanent(downloader.download(site.url("/noai.png")), "noai");
		await expectPermanent(downloader.download(site.url("/noimageai.png")), "noai");
		expect((await downloader.download(site.url("/indexable.png"))).body.equals(IMAGE)).toBe(true);
	});

	it("asks neither robots.txt nor X-Robots-Tag when respectRobots is off", async () => {
		site.route("/robots.txt", (_request, response) => response.writeHead(200).end("User-agent: *\nDisallow: /\n"));
		site.route("/noai.png", (_request, response) => response.writeHead(200, { "x-robots-tag": "noai" }).end(IMAGE));
		const result = await makeDownloader({ respectRobots: false }).download(site.url("/noai.png"));
		expect(result.body.equals(IMAGE)).toBe(true);
		expect(site.paths()).toEqual(["/noai.png"]);
	});

	it("does not apply robots.txt to getText (search APIs are addressed as API clients)", async () => {
		site.route("/robots.txt", (_request, response) => response.writeHead(200).end("User-agent: *\nDisallow: /\n"));
		site.route("/api", (_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
		const answer = await makeDownloader().getText(site.url("/api"));
		expect(JSON.parse(answer.body)).toEqual({ ok: true });
		expect(site.paths()).toEqual(["/api"]);
	});
});

describe("concurrency", () => {
	function trackInFlight(fixture: Fixture, path: string, delayMs: number) {
		const stats = { current: 0, max: 0, served: 0 };
		fixture.route(path, (request, response) => {
			stats.current++;
			stats.max = Math.max(stats.max, stats.current);
			later(delayMs, () => {
				stats.current--;
				stats.served++;
				serveImage(request, response);
			});
		});
		return stats;
	}

	it("never has more requests in flight to one host than perHostConcurrency", async () => {
		const stats = trackInFlight(site, "/slow.png", 60);
		const downloader = makeDownloader({ perHostConcurrency: 2, concurrency: 10, respectRobots: false });
		await Promise.all(Array.from({ length: 8 }, () => downloader.download(site.url("/slow.png"))));
		expect(stats.served).toBe(8);
		expect(stats.max).toBe(2);
	});

	it("never has more downloads in flight than the global concurrency, across hosts", async () => {
		const stats = trackInFlight(site, "/slow.png", 60);
		const { lookup } = namesResolvingTo({ "a.test": "127.0.0.1", "b.test": "127.0.0.1", "c.test": "127.0.0.1" });
		const downloader = makeDownloader({ perHostConcurrency: 3, concurrency: 3, respectRobots: false }, { lookup });
		const urls = ["a.test", "b.test", "c.test"].flatMap((host) => Array.from({ length: 4 }, () => `http://${host}:${site.port}/slow.png`));
		await Promise.all(urls.map((url) => downloader.download(url)));
		expect(stats.served).toBe(12);
		expect(stats.max).toBe(3);
	});

	it("stops a download when its signal aborts, and does not send requests already aborted", async () => {
		site.route("/hang.png", (_request, response) => response.writeHead(200, { "content-type": "image/png" }).write("partial"));
		const downloader = makeDownloader({ respectRobots: false });
		const controller = new AbortController();
		later(100, () => controller.abort());
		const error = await failureOf(downloader.download(site.url("/hang.png"), { signal: controller.signal }));
		expect(error.name).toBe("AbortError");
		expect(error).not.toBeInstanceOf(PermanentError);

		const before = site.requests.length;
		const aborted = await failureOf(downloader.download(site.url("/hang.png"), { signal: AbortSignal.abort() }));
		expect(aborted.name).toBe("AbortError");
		expect(site.requests).toHaveLength(before);
	});

	it("lets a download waiting for a host slot leave the queue when its signal aborts", async () => {
		const stats = trackInFlight(site, "/slow.png", 300);
		const downloader = makeDownloader({ perHostConcurrency: 1, respectRobots: false });
		const first = downloader.download(site.url("/slow.png"));
		const controller = new AbortController();
		const queued = downloader.download(site.url("/slow.png"), { signal: controller.signal });
		later(50, () => controller.abort());
		expect((await failureOf(queued)).name).toBe("AbortError");
		await first;
		expect(stats.served).toBe(1);
		expect(site.paths()).toEqual(["/slow.png"]);
	});

	it("lets a download waiting for a global slot leave the queue when its signal aborts", async () => {
		const stats = trackInFlight(site, "/slow.png", 300);
		const downloader = makeDownloader({ concurrency: 1, respectRobots: false });
		const first = downloader.download(site.url("/slow.png"));
		const controller = new AbortController();
		const queued = downloader.download(`${site.origin}/slow.png`, { signal: controller.signal });
		later(50, () => controller.abort());
		expect((await failureOf(queued)).name).toBe("AbortError");
		await first;
		expect(stats.served).toBe(1);
	});
});

describe("getText", () => {
	it("returns status, headers and text of any answer, 4xx and 5xx included", async () => {
		site.route("/search", (_request, response) =>
			response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<p>ÿes</p>"),
		);
		site.route("/limited", (_request, response) => response.writeHead(429, { "retry-after": "5" }).end("slow down"));
		site.route("/broken", (_request, response) => response.writeHead(500).end("oops"));
		const downloader = makeDownloader();
		expect(await downloader.getText(site.url("/search"))).toMatchObject({ status: 200, body: "<p>ÿes</p>" });
		expect(await downloader.getText(site.url("/limited"))).toMatchObject({
			status: 429,
			body: "slow down",
			headers: { "retry-after": "5" },
		});
		expect(await downloader.getText(site.url("/broken"))).toMatchObject({ status: 500, body: "oops" });
		expect(await downloader.getText(site.url("/absent"))).toMatchObject({ status: 404 });
	});

	it("decodes the declared charset, and UTF-8 when the charset is unknown", async () => {
		site.route("/latin1", (_request, response) =>
			response.writeHead(200, { "content-type": "text/plain; charset=ISO-8859-1" }).end(Buffer.from("café", "latin1")),
		);
		site.route("/unknown-charset", (_request, response) =>
			response.writeHead(200, { "content-type": "text/plain; charset=x-no-such-charset" }).end("naïve"),
		);
		const downloader = makeDownloader();
		expect((await downloader.getText(site.url("/latin1"))).body).toBe("café");
		expect((await downloader.getText(site.url("/unknown-charset"))).body).toBe("naïve");
	});

	it("sends the caller's headers, but its own User-Agent, and drops them on a redirect to another origin", async () => {
		site.route("/api", (_request, response) => response.writeHead(302, { location: other.url("/landing") }).end());
		other.route("/landing", (_request, response) => response.writeHead(200).end("here"));
		const answer = await makeDownloader().getText(site.url("/api"), {
			headers: { Authorization: "Bearer secret", Accept: "application/json", "User-Agent": "Mozilla/5.0 pretend" },
		});
		expect(answer.body).toBe("here");
		const first = site.requests[0].headers;
		expect(first.authorization).toBe("Bearer secret");
		expect(first.accept).toBe("application/json");
		expect(first["user-agent"]).toBe(USER_AGENT);
		const second = other.requests[0].headers;
		expect(second.authorization).toBeUndefined();
		expect(second["user-agent"]).toBe(USER_AGENT);
	});

	it("refuses bodies over 5 MiB", async () => {
		site.route("/huge", (_request, response) => {
			response.writeHead(200, { "content-type": "text/plain" });
			for (let chunk = 0; chunk < 6; chunk++) response.write(Buffer.alloc(1024 * 1024, 0x61));
			response.end();
		});
		await expectPermanent(makeDownloader().getText(site.url("/huge")), "too_large");
	});

	it("throws TransientError for network failures and timeouts", async () => {
		site.route("/reset", (request) => request.socket.destroy());
		site.route("/stall", () => {});
		await expectTransient(makeDownloader().getText(site.url("/reset")), "network_error");
		await expectTransient(makeDownloader({ headersTimeoutMs: 150 }).getText(site.url("/stall")), "timeout");
	});
});

describe("SSRF guard with private networks refused", () => {
	/** Linux routes all of 127/8 to the loopback interface, so a fixture on 127.0.0.2 can play a public host. */
	const PUBLIC_ADDRESS = "127.0.0.2";
	const treatFixtureAsPublic = (address: string) => address === PUBLIC_ADDRESS || isAddressAllowed(address, false);
	let canary: Fixture;
	let canaryV6: Fixture | null;
	let publicSite: Fixture;
	const canaryHits = () => canary.requests.length + (canaryV6?.requests.length ?? 0);
	const v6Port = () => canaryV6?.port ?? canary.port;

	beforeAll(async () => {
		canary = await startFixture("127.0.0.1");
		canaryV6 = await startFixture("::1").catch(() => null);
		// Same port as the canary, so a name that rebinds from one address to the other keeps its URL.
		publicSite = await startFixture(PUBLIC_ADDRESS, canary.port);
	});

	beforeEach(() => {
		for (const fixture of [canary, canaryV6, publicSite]) {
			fixture?.reset();
			fixture?.route("/secret", (_request, response) => response.writeHead(200).end("internal data"));
		}
	});

	afterAll(async () => {
		await Promise.all([canary.close(), canaryV6?.close(), publicSite.close()]);
	});

	it("reaches the canary when private networks are allowed (so a zero count below means refused)", async () => {
		const answer = await makeDownloader({ allowPrivateNetworks: true }).getText(canary.url("/secret"));
		expect(answer.body).toBe("internal data");
		expect(canaryHits()).toBe(1);
	});

	it.each([
		["127.0.0.1", () => `http://127.0.0.1:${canary.port}/secret`],
		["[::1]", () => `http://[::1]:${v6Port()}/secret`],
		["0.0.0.0", () => `http://0.0.0.0:${canary.port}/secret`],
		["[::ffff:127.0.0.1]", () => `http://[::ffff:127.0.0.1]:${canary.port}/secret`],
		["2130706433 (127.0.0.1 as a number)", () => `http://2130706433:${canary.port}/secret`],
		["0x7f.1 (127.0.0.1 in hex)", () => `http://0x7f.1:${canary.port}/secret`],
	])("refuses the literal address %s for download and getText", async (_name, url) => {
		const downloader = makeDownloader({ allowPrivateNetworks: false });
		await expectPermanent(downloader.download(url()), "blocked_address");
		await expectPermanent(downloader.getText(url()), "blocked_address");
		expect(canaryHits()).toBe(0);
	});

	it("refuses localhost as resolved by the system resolver", async () => {
		const downloader = makeDownloader({ allowPrivateNetworks: false });
		await expectPermanent(downloader.download(`http://localhost:${canary.port}/secret`), "blocked_address");
		await expectPermanent(downloader.getText(`http://localhost:${canary.port}/secret`), "blocked_address");
		expect(canaryHits()).toBe(0);
	});

	it.each([
		["127.0.0.1", "127.0.0.1"],
		["IPv4-mapped ::ffff:127.0.0.1", "::ffff:127.0.0.1"],
		["several private addresses", ["10.0.0.1", "127.0.0.1", "::1"]],
	])("refuses a custom host name resolving to %s", async (_name, answer) => {
		const { lookup, calls } = namesResolvingTo({ "canary.test": answer });
		const downloader = makeDownloader({ allowPrivateNetworks: false }, { lookup });
		await expectPermanent(downloader.download(`http://canary.test:${canary.port}/secret`), "blocked_address");
		await expectPermanent(downloader.getText(`http://canary.test:${canary.port}/secret`), "blocked_address");
		expect(calls).toContain("canary.test");
		expect(canaryHits()).toBe(0);
	});

	it("connects only to the allowed addresses of a name that also has private ones", async () => {
		publicSite.route("/cat.png", serveImage);
		const { lookup } = namesResolvingTo({ "mixed.test": ["127.0.0.1", PUBLIC_ADDRESS] });
		const downloader = makeDownloader({ allowPrivateNetworks: false }, { lookup, isAddressAllowed: treatFixtureAsPublic });
		const result = await downloader.download(`http://mixed.test:${canary.port}/cat.png`);
		expect(result.body.equals(IMAGE)).toBe(true);
		expect(publicSite.paths()).toEqual(["/robots.txt", "/cat.png"]);
		expect(canaryHits()).toBe(0);
	});

	it.each([
		["a literal loopback address", () => `http://127.0.0.1:${canary.port}/secret`],
		["localhost", () => `http://localhost:${canary.port}/secret`],
		["a name resolving to loopback", () => `http://canary.test:${canary.port}/secret`],
		["IPv6 loopback", () => `http://[::1]:${v6Port()}/secret`],
		["the metadata address", () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/"],
	])("refuses a redirect from an allowed host to %s", async (_name, target) => {
		publicSite.route("/go", (_request, response) => response.writeHead(302, { location: target() }).end());
		const { lookup } = namesResolvingTo({ "public.test": PUBLIC_ADDRESS, "canary.test": "127.0.0.1" });
		const downloader = makeDownloader({ allowPrivateNetworks: false }, { lookup, isAddressAllowed: treatFixtureAsPublic });
		await expectPermanent(downloader.download(`http://public.test:${publicSite.port}/go`), "blocked_address");
		await expectPermanent(downloader.getText(`http://public.test:${publicSite.port}/go`), "blocked_address");
		expect(publicSite.paths()).toEqual(["/robots.txt", "/go", "/go"]);
		expect(canaryHits()).toBe(0);
	});

	it("re-checks a robots.txt redirect: one pointing at the canary is not followed, and the image is still fetched", async () => {
		publicSite.route("/robots.txt", (_request, response) =>
			response.writeHead(301, { location: `http://canary.test:${canary.port}/secret` }).end(),
		);
		publicSite.route("/cat.png", serveImage);
		const { lookup } = namesResolvingTo({ "public.test": PUBLIC_ADDRESS, "canary.test": "127.0.0.1" });
		const downloader = makeDownloader({ allowPrivateNetworks: false }, { lookup, isAddressAllowed: treatFixtureAsPublic });
		const result = await downloader.download(`http://public.test:${publicSite.port}/cat.png`);
		expect(result.body.equals(IMAGE)).toBe(true);
		expect(publicSite.paths()).toEqual(["/robots.txt", "/cat.png"]);
		expect(canaryHits()).toBe(0);
	});

	it("refuses DNS rebinding: a name answering a public address first and loopback next is checked on each connection", async () => {
		// The first connection (robots.txt) goes to the public address and is closed by the server, so the image
		// request needs a new connection, for which the name now answers 127.0.0.1 — same URL, same port.
		publicSite.route("/robots.txt", (_request, response) =>
			response.writeHead(200, { connection: "close" }).end("User-agent: *\nAllow: /\n"),
		);
		let answers = 0;
		const lookup = async (): Promise<LookupAddress[]> => [{ address: answers++ === 0 ? PUBLIC_ADDRESS : "127.0.0.1", family: 4 }];
		const downloader = makeDownloader({ allowPrivateNetworks: false }, { lookup, isAddressAllowed: treatFixtureAsPublic });
		await expectPermanent(downloader.download(`http://rebind.test:${canary.port}/secret`), "blocked_address");
		expect(answers).toBe(2);
		expect(publicSite.paths()).toEqual(["/robots.txt"]);
		expect(canaryHits()).toBe(0);
	});

	it("refuses the metadata address without any connection attempt, even when private networks are allowed", async () => {
		let connections = 0;
		const count = () => {
			connections++;
		};
		diagnosticsChannel.subscribe("undici:client:beforeConnect", count);
		diagnosticsChannel.subscribe("net.client.socket", count);
		try {
			for (const allowPrivateNetworks of [false, true]) {
				const { lookup, calls } = namesResolvingTo({});
				const downloader = makeDownloader({ allowPrivateNetworks }, { lookup });
				await expectPermanent(downloader.download("http://169.254.169.254/latest/meta-data/"), "blocked_address");
				await expectPermanent(downloader.getText("http://[fd00:ec2::254]/latest/meta-data/"), "blocked_address");
				await expectPermanent(downloader.getText("http://[::ffff:169.254.169.254]/latest/api/token"), "blocked_address");
				expect(calls).toEqual([]);
			}
			expect(connections).toBe(0);
		} finally {
			diagnosticsChannel.unsubscribe("undici:client:beforeConnect", count);
			diagnosticsChannel.unsubscribe("net.client.socket", count);
		}
	});
});
