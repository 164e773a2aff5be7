import sharp from "sharp";
import { loadConfig } from "../../../lib/config";
import { TransientError } from "../../../services/crawl/errors";
import { perceptualHash } from "../../../services/crawl/phash";
import { sourceFor } from "../../../services/crawl/sources";
import type { SearchRequest, SearchResult, SourceHttp } from "../../../services/crawl/sources/source";
import { DEFAULT_OPTIONS } from "../../../services/dataset/definition";
import { ENGINES, type FixtureWeb, startFixtureWeb } from "../../support/fixture-web";

/** The simplest SourceHttp: global fetch, no redirects followed. */
const http: SourceHttp = {
	async getText(url, options) {
		const response = await fetch(url, { headers: options?.headers, signal: options?.signal, redirect: "manual" });
		return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
	},
};

const HUGE_BYTES = 3 * 1024 * 1024;
const { dedupThreshold: DEDUP_THRESHOLD } = DEFAULT_OPTIONS;

const distance = (a: bigint, b: bigint) => [...(a ^ b).toString(2)].filter((bit) => bit === "1").length;

describe("the fixture web", () => {
	let web: FixtureWeb;
	let config: ReturnType<typeof loadConfig>["crawl"];

	beforeAll(async () => {
		web = await startFixtureWeb({ counts: { "many cats": 130, nothing: 0 }, hugeBytes: HUGE_BYTES });
		config = loadConfig({ ...process.env, ...web.env() }).crawl;
	});
	afterAll(() => web?.stop());
	afterEach(() => web.setBehaviour("all", "normal"));

	/** Every page of a source for a keyword, and how many pages it took. */
	async function searchAll(name: string, keyword: string, extra: Partial<SearchRequest> = {}) {
		const source = sourceFor(name, config);
		const results: SearchResult[] = [];
		let cursor: SearchRequest["cursor"] = null;
		let pages = 0;
		do {
			const page = await source.search({ keyword, cursor, pageSize: 25, licenses: [], ...extra }, http);
			results.push(...page.results);
			cursor = page.next;
			pages++;
		} while (cursor !== null && pages < 20);
		return { results, pages, finished: cursor === null };
	}

	describe("as search engines, through every source", () => {
		it("points every configured source URL at its own prefix", () => {
			expect(config.bingUrl).toBe(`${web.url}/bing`);
			expect(config.openverseUrl).toBe(`${web.url}/openverse`);
			expect(web.sourceUrls()).toEqual({
				bingUrl: `${web.url}/bing`,
				duckduckgoUrl: `${web.url}/duckduckgo`,
				googleUrl: `${web.url}/google`,
				baiduUrl: `${web.url}/baidu`,
				wikimediaUrl: `${web.url}/wikimedia`,
				openverseUrl: `${web.url}/openverse`,
			});
		});

		it("Bing: the whole catalogue in rank order, paged by offset (35 + 25, then an empty page)", async () => {
			web.clearRequests();
			const { results, finished } = await searchAll("bing", "tabby cat");
			const catalogue = web.catalogue("tabby cat");
			expect(results.map((result) => result.imageUrl)).toEqual(catalogue.map((entry) => entry.imageUrl));
			expect(results[0]).toEqual({
				imageUrl: catalogue[0].imageUrl,
				pageUrl: catalogue[0].pageUrl,
				thumbnailUrl: catalogue[0].thumbnailUrl,
				title: catalogue[0].title,
				width: catalogue[0].width,
				height: catalogue[0].height,
			});
			expect(finished).toBe(true);
			expect(web.requests("/bing/images/async").map((request) => request.query.first)).toEqual(["1", "36", "61"]);
		});

		it("DuckDuckGo: one token page, then i.js pages until an empty one", async () => {
			web.clearRequests();
			const { results, finished } = await searchAll("duckduckgo", "many cats");
			expect(results.map((result) => result.imageUrl)).toEqual(web.catalogue("many cats").map((entry) => entry.imageUrl));
			expect(finished).toBe(true);
			expect(web.requests("/duckduckgo/i.js").map((request) => request.query.s ?? "0")).toEqual(["0", "100", "200"]);
			expect(web.requests("/duckduckgo").filter((request) => !request.path.endsWith("i.js"))).toHaveLength(1);
		});

		it("Google: thumbnails and source pages of the basic page, 20 a page, following Next", async () => {
			const { results, pages, finished } = await searchAll("google", "tabby cat");
			const catalogue = web.catalogue("tabby cat");
			expect(results.map((result) => result.imageUrl)).toEqual(catalogue.map((entry) => entry.thumbnailUrl));
			expect(results.map((result) => result.pageUrl)).toEqual(catalogue.map((entry) => entry.pageUrl));
			expect(pages).toBe(3);
			expect(finished).toBe(true);
		});

		it("Baidu: replaceUrl images, 30 a page, stopping at listNum", async () => {
			const { results, pages } = await searchAll("baidu", "tabby cat");
			expect(results.map((result) => result.imageUrl)).toEqual(web.catalogue("tabby cat").map((entry) => entry.imageUrl));
			expect(pages).toBe(2);
		});

		it("Wikimedia: licences and authors, paged by gsroffset", async () => {
			const { results, pages } = await searchAll("wikimedia", "tabby cat");
			const catalogue = web.catalogue("tabby cat");
			expect(pages).toBe(3);
			expect(results.map(({ imageUrl, license, author }) => ({ imageUrl, license, author }))).toEqual(
				catalogue.map(({ imageUrl, license, author }) => ({ imageUrl, license, author })),
			);
		});

		it("Openverse: the licence filter applied by the server, paged by number", async () => {
			web.clearRequests();
			const { results, pages } = await searchAll("openverse", "tabby cat", { licenses: ["cc-by", "cc0"] });
			const wanted = web.catalogue("tabby cat").filter((entry) => entry.license === "cc-by" || entry.license === "cc0");
			expect(results.map((result) => result.imageUrl)).toEqual(wanted.map((entry) => entry.imageUrl));
			expect(new Set(results.map((result) => result.license))).toEqual(new Set(["cc-by", "cc0"]));
			expect(pages).toBe(1);
			expect(web.requests("/openverse/v1/images/")[0].query.license).toBe("by,cc0");
			const all = await searchAll("openverse", "tabby cat");
			expect(all.results).toHaveLength(60);
			expect(all.pages).toBe(3);
		});

		it("urls: the category's list", async () => {
			const urls = web.catalogue("tabby cat").map((entry) => entry.imageUrl);
			const { results } = await searchAll("urls", "ignored", { urls });
			expect(results.map((result) => result.imageUrl)).toEqual(urls);
		});

		it("answers no results for a keyword it has nothing for, and every source stops", async () => {
			for (const engine of ENGINES) {
				const { results, pages, finished } = await searchAll(engine, "nothing");
				expect({ engine, results, pages, finished }).toEqual({ engine, results: [], pages: 1, finished: true });
			}
		});

		it.each(ENGINES)("%s: a blocked or rate-limited engine is a TransientError, an empty one a last page", async (engine) => {
			const source = sourceFor(engine, config);
			const ask = () => source.search({ keyword: "tabby cat", cursor: null, pageSize: 25, licenses: [] }, http);
			web.setBehaviour(engine, "blocked");
			await expect(ask()).rejects.toBeInstanceOf(TransientError);
			web.setBehaviour(engine, "rate-limited");
			const limited = await ask().catch((error: unknown) => error);
			expect(limited).toBeInstanceOf(TransientError);
			expect((limited as TransientError).retryAfterMs).toBe(1000);
			web.setBehaviour(engine, "error");
			await expect(ask()).rejects.toBeInstanceOf(TransientError);
			web.setBehaviour(engine, "empty");
			expect(await ask()).toEqual({ results: [], next: null });
		});
	});

	describe("as image hosts", () => {
		const get = (path: string, init?: RequestInit) => fetch(`${web.url}${path}`, init);
		const bytes = async (response: Response) => Buffer.from(await response.arrayBuffer());

		it("serves each catalogue image in the format its extension names, at the size the engines report", async () => {
			const catalogue = web.catalogue("tabby cat");
			for (const entry of catalogue.slice(0, 4)) {
				const response = await get(new URL(entry.imageUrl).pathname);
				expect(response.status).toBe(200);
				const body = await bytes(response);
				const meta = await sharp(body).metadata();
				expect(`image/${meta.format}`).toBe(response.headers.get("content-type"));
				expect({ width: meta.width, height: meta.height }).toEqual({ width: entry.width, height: entry.height });
				expect(body.equals(await web.imageBytes(new URL(entry.imageUrl).pathname))).toBe(true);
			}
			const formats = new Set(catalogue.filter((entry) => entry.kind === "unique").map((entry) => entry.imageUrl.split(".").pop()));
			expect(formats).toEqual(new Set(["jpg", "png", "webp"]));
		});

		// Measured with the crawler's DCT hash: near copies 0–6 bits from their original, distinct pictures 14 or more apart.
		it("serves exact copies with identical bytes, near copies within the dedup threshold, and distinct pictures otherwise", async () => {
			const catalogue = web.catalogue("tabby cat").filter((entry) => entry.kind !== "bad");
			const hashes = new Map<number, bigint>();
			const bodies = new Map<number, Buffer>();
			for (const entry of catalogue) {
				const body = await bytes(await get(new URL(entry.imageUrl).pathname));
				bodies.set(entry.index, body);
				hashes.set(entry.index, await perceptualHash(body));
			}
			const copies = catalogue.filter((entry) => entry.kind === "duplicate");
			const nearCopies = catalogue.filter((entry) => entry.kind === "near-duplicate");
			expect(copies.length).toBeGreaterThanOrEqual(5);
			expect(nearCopies.length).toBeGreaterThanOrEqual(5);
			for (const copy of copies) expect(bodies.get(copy.index)?.equals(bodies.get(copy.duplicateOf as number) as Buffer)).toBe(true);
			for (const near of nearCopies) {
				const original = web.catalogue("tabby cat")[near.duplicateOf as number];
				expect(bodies.get(near.index)?.equals(bodies.get(original.index) as Buffer)).toBe(false);
				expect(near.width).toBeLessThan(original.width);
				expect(distance(hashes.get(near.index) as bigint, hashes.get(original.index) as bigint)).toBeLessThanOrEqual(DEDUP_THRESHOLD);
			}
			const unique = catalogue.filter((entry) => entry.kind === "unique");
			for (const [position, a] of unique.entries()) {
				for (const b of unique.slice(position + 1)) {
					expect(distance(hashes.get(a.index) as bigint, hashes.get(b.index) as bigint)).toBeGreaterThan(DEDUP_THRESHOLD);
				}
			}
		});

		it("lists bad results that fail in known ways: refused, 404, not an image", async () => {
			const bad = web.catalogue("tabby cat").filter((entry) => entry.kind === "bad");
			expect(bad.map((entry) => entry.index)).toEqual([9, 19, 29, 39, 49, 59]);
			await expect(fetch(bad[0].imageUrl)).rejects.toThrow();
			expect((await fetch(bad[1].imageUrl)).status).toBe(404);
			const html = await fetch(bad[2].imageUrl);
			expect(html.headers.get("content-type")).toMatch(/^text\/html/);
		});

		it("serves thumbnails and the pages showing the images", async () => {
			const [entry] = web.catalogue("tabby cat");
			const thumb = await sharp(await bytes(await get(new URL(entry.thumbnailUrl).pathname))).metadata();
			expect({ format: thumb.format, width: thumb.width }).toEqual({ format: "jpeg", width: 200 });
			const page = await (await get(new URL(entry.pageUrl).pathname)).text();
			expect(page).toContain(new URL(entry.imageUrl).pathname);
		});

		it("/slow/ delays the headers, or the second half of the body", async () => {
			let started = Date.now();
			const late = await get("/slow/headers/300/a.jpg");
			expect(Date.now() - started).toBeGreaterThanOrEqual(280);
			expect((await sharp(await bytes(late)).metadata()).format).toBe("jpeg");
			started = Date.now();
			const slowBody = await get("/slow/body/300/b.png");
			expect(Date.now() - started).toBeLessThan(280);
			const body = await bytes(slowBody);
			expect(Date.now() - started).toBeGreaterThanOrEqual(280);
			expect(body.equals(await web.imageBytes("/slow/body/300/b.png"))).toBe(true);
		});

		it("/fail-twice/ answers 503 twice per id, /rate-limited/ 429 with Retry-After twice, then the image", async () => {
			expect((await get("/fail-twice/one")).status).toBe(503);
			expect((await get("/fail-twice/two")).status).toBe(503);
			expect((await get("/fail-twice/one")).status).toBe(503);
			const third = await get("/fail-twice/one");
			expect(third.status).toBe(200);
			expect(third.headers.get("content-type")).toBe("image/jpeg");
			const limited = await get("/rate-limited/one");
			expect(limited.status).toBe(429);
			expect(limited.headers.get("retry-after")).toBe("1");
			expect((await get("/rate-limited/one")).status).toBe(429);
			expect((await get("/rate-limited/one")).status).toBe(200);
		});

		it("/redirect/<n>/ takes n hops to the resource named after it", async () => {
			const first = await get("/redirect/3/img/tabby%20cat/1.png", { redirect: "manual" });
			expect(first.status).toBe(302);
			expect(first.headers.get("location")).toBe("/redirect/2/img/tabby cat/1.png");
			web.clearRequests();
			const followed = await get("/redirect/3/img/tabby%20cat/1.png");
			expect(followed.status).toBe(200);
			expect((await bytes(followed)).equals(await web.imageBytes("/img/tabby%20cat/1.png"))).toBe(true);
			expect(web.requests("/redirect/")).toHaveLength(4);
			const anywhere = await get(`/redirect-to?location=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`, {
				redirect: "manual",
			});
			expect(anywhere.headers.get("location")).toBe("http://169.254.169.254/latest/meta-data/");
		});

		it("/huge/ streams more than it should, with or without a declared length", async () => {
			const streamed = await get("/huge/big.jpg");
			expect(streamed.headers.get("content-length")).toBeNull();
			expect(streamed.headers.get("content-type")).toBe("image/jpeg");
			const body = await bytes(streamed);
			expect(body.length).toBe(HUGE_BYTES);
			expect(body.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff]))).toBe(true);
			const declared = await get("/huge/declared/big.jpg");
			expect(declared.headers.get("content-length")).toBe(String(HUGE_BYTES));
			await declared.body?.cancel();
		});

		it("serves the other awkward answers: HTML, SVG, a truncated JPEG, a tiny and a blank image", async () => {
			const html = await get("/not-image/x");
			expect(html.headers.get("content-type")).toMatch(/^text\/html/);
			const lying = await get("/not-image/x?as=image/jpeg");
			expect(lying.headers.get("content-type")).toBe("image/jpeg");
			expect(await lying.text()).toMatch(/^<!DOCTYPE html>/);
			const svg = await get("/svg/x");
			expect(svg.headers.get("content-type")).toBe("image/svg+xml");
			expect(await svg.text()).toContain("<svg");
			const truncated = await get("/truncated/x.jpg");
			const cut = await bytes(truncated);
			expect(Number(truncated.headers.get("content-length"))).toBe(cut.length);
			expect(cut.subarray(0, 2).equals(Buffer.from([0xff, 0xd8]))).toBe(true);
			expect(cut.subarray(-2).equals(Buffer.from([0xff, 0xd9]))).toBe(false);
			await expect(sharp(cut).raw().toBuffer()).rejects.toThrow();
			const tiny = await sharp(await bytes(await get("/tiny/x.png"))).metadata();
			expect({ width: tiny.width, height: tiny.height, format: tiny.format }).toEqual({ width: 16, height: 16, format: "png" });
			const blank = await sharp(await bytes(await get("/blank/x"))).stats();
			expect(Math.max(...blank.channels.map((channel) => channel.stdev))).toBeLessThan(2);
			expect((await get("/missing/anything")).status).toBe(404);
		});

		it("disallows /robots-blocked/ by a path rule in robots.txt, and marks /noai/ and /noimageai/", async () => {
			const robots = await (await get("/robots.txt")).text();
			expect(robots).toMatch(/^User-agent: \*$/m);
			expect(robots).toMatch(/^Disallow: \/robots-blocked\/$/m);
			expect((await get("/robots-blocked/x.jpg")).status).toBe(200);
			expect((await get("/noai/x.jpg")).headers.get("x-robots-tag")).toBe("noai");
			expect((await get("/noimageai/x.jpg")).headers.get("x-robots-tag")).toBe("noimageai");
		});

		it("logs requests with their query and headers", async () => {
			web.clearRequests();
			await get("/img/tabby%20cat/0.jpg?probe=1", { headers: { "user-agent": "PixCrawler-test" } });
			const [logged] = web.requests("/img/");
			expect(logged).toMatchObject({ method: "GET", path: "/img/tabby%20cat/0.jpg", query: { probe: "1" } });
			expect(logged.headers["user-agent"]).toBe("PixCrawler-test");
			expect(web.requests("/bing")).toEqual([]);
		});
	});
});
