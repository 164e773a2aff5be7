import { TransientError } from "../../../../../services/crawl/errors";
import { duckduckgoSource, extractVqd } from "../../../../../services/crawl/sources/duckduckgo";
import { duckduckgoBlocked, duckduckgoJson, duckduckgoNext, duckduckgoTokenPage, duckduckgoVqd } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/** Literal `i.js` answer in the shape SOURCES.md records (newer fields on the first result only). */
const LITERAL_JSON = JSON.stringify({
	ads: null,
	next: "i.js?q=tabby&o=json&p=1&s=100&u=bing&f=,,,,,&l=us-en&vqd=4-2738492019384756",
	query: "tabby",
	queryEncoded: "tabby",
	response_type: "images",
	results: [
		{
			height: 444,
			image: "https://cdn.example.org/img/tabby.jpg",
			image_token: "f1e2d3c4b5a6",
			source: "Bing",
			thumbnail: "https://tse2.mm.bing.net/th?id=OIP.nJ3bD2GC&pid=Api",
			thumbnail_token: "a6b5c4d3e2f1",
			title: "Tabby cat on a sofa",
			url: "https://www.example.org/cats/tabby",
			width: 700,
			discovery_date: "2025-01-12T08:41:02.0000000",
			encoding_format: "jpeg",
		},
		{
			height: "900",
			image: "http://img.example.net/7.png",
			source: "Bing",
			thumbnail: "",
			title: "  Seven\n kittens ",
			url: "",
			width: "1600",
		},
		{ image: "", title: "no image" },
		{ image: "data:image/png;base64,AAAA", title: "inline" },
	],
	vqd: { tabby: "4-2738492019384756" },
});

const LITERAL_EMPTY = JSON.stringify({
	ads: null,
	next: "i.js?q=tabby&o=json&p=1&s=200&u=bing&f=,,,,,&l=us-en&vqd=4-2738492019384756",
	query: "tabby",
	queryEncoded: "tabby",
	response_type: "images",
	results: [],
	vqd: { tabby: "4-2738492019384756" },
});

describe("the DuckDuckGo source", () => {
	const source = duckduckgoSource(testConfig());
	const vqd = duckduckgoVqd("tabby cat");

	it("fetches the token page, then i.js with the token, both under the base URL's prefix", async () => {
		const next = duckduckgoNext("tabby cat", vqd, 100);
		const http = fakeHttp([
			{ body: duckduckgoTokenPage(vqd, "double", "tabby cat") },
			{ body: duckduckgoJson(SAMPLE_RESULTS, next, { query: "tabby cat", vqd }) },
		]);
		const page = await source.search(searchRequest("tabby cat"), http);
		expect(http.urls[0].startsWith("https://duckduckgo.test/prefix/?")).toBe(true);
		expect(queryOf(http.urls[0]).q).toBe("tabby cat");
		expect(http.urls[1].startsWith("https://duckduckgo.test/prefix/i.js?")).toBe(true);
		expect(queryOf(http.urls[1])).toMatchObject({ o: "json", q: "tabby cat", l: "us-en", vqd, p: "1" });
		expect(page.results).toEqual(
			SAMPLE_RESULTS.map((result) => ({
				imageUrl: result.imageUrl,
				pageUrl: result.pageUrl,
				thumbnailUrl: result.thumbnailUrl ?? result.imageUrl,
				title: result.title,
				width: result.width,
				height: result.height,
			})),
		);
		expect(page.next).toEqual({ vqd, next });
	});

	it("follows the answer's next path with the same token, skipping the token page", async () => {
		const cursor = { vqd, next: duckduckgoNext("tabby cat", vqd, 100) };
		const http = fakeHttp([
			{ body: duckduckgoJson(SAMPLE_RESULTS.slice(0, 1), duckduckgoNext("tabby cat", vqd, 200), { query: "tabby cat" }) },
		]);
		const page = await source.search(searchRequest("tabby cat", cursor), http);
		expect(http.urls).toHaveLength(1);
		expect(http.urls[0].startsWith("https://duckduckgo.test/prefix/i.js?")).toBe(true);
		expect(queryOf(http.urls[0])).toMatchObject({ s: "100", vqd });
		expect(page.next).toEqual({ vqd, next: duckduckgoNext("tabby cat", vqd, 200) });
	});

	it("keeps a next path on the configured host and adds the token when the path lacks it", async () => {
		const http = fakeHttp([{ body: LITERAL_EMPTY }]);
		await source.search(searchRequest("tabby", { vqd: "4-9", next: "https://elsewhere.example/i.js?q=tabby&s=100" }), http);
		expect(http.urls[0]).toBe("https://duckduckgo.test/prefix/i.js?q=tabby&s=100&vqd=4-9");
	});

	it("reads the literal shape SOURCES.md records, tolerating missing and odd fields", async () => {
		const http = fakeHttp([{ body: '<script>vqd="4-2738492019384756";</script>' }, { body: LITERAL_JSON }]);
		const page = await source.search(searchRequest("tabby"), http);
		expect(page.results).toEqual([
			{
				imageUrl: "https://cdn.example.org/img/tabby.jpg",
				pageUrl: "https://www.example.org/cats/tabby",
				thumbnailUrl: "https://tse2.mm.bing.net/th?id=OIP.nJ3bD2GC&pid=Api",
				title: "Tabby cat on a sofa",
				width: 700,
				height: 444,
			},
			{ imageUrl: "http://img.example.net/7.png", title: "Seven kittens", width: 1600, height: 900 },
		]);
		expect(page.next).toEqual({
			vqd: "4-2738492019384756",
			next: "i.js?q=tabby&o=json&p=1&s=100&u=bing&f=,,,,,&l=us-en&vqd=4-2738492019384756",
		});
	});

	it("stops on an empty page even though it still names a next one", async () => {
		const page = await source.search(
			searchRequest("tabby", { vqd: "4-2738492019384756", next: "i.js?q=tabby&s=100" }),
			fakeHttp([{ body: LITERAL_EMPTY }]),
		);
		expect(page).toEqual({ results: [], next: null });
	});

	it("stops when a page with results names no next page", async () => {
		const page = await source.search(
			searchRequest("tabby", { vqd, next: "i.js?q=tabby&s=100" }),
			fakeHttp([{ body: duckduckgoJson(SAMPLE_RESULTS, null) }]),
		);
		expect(page.results).toHaveLength(3);
		expect(page.next).toBeNull();
	});

	it.each([
		["double quotes", "double", "4-31415926535897932384"],
		["single quotes (older pages)", "single", "3-27182818284590452353"],
		["a &vqd=…& URL", "url", "4-16180339887498948482"],
	] as const)("finds the token written in %s", (_name, style, token) => {
		expect(extractVqd(duckduckgoTokenPage(token, style))).toBe(token);
	});

	it("reads the token from literal page snippets", () => {
		expect(extractVqd(`<script>vqd="4-123456789012345678901234567890";</script>`)).toBe("4-123456789012345678901234567890");
		expect(extractVqd(`nrji('/t.js?q=cats', vqd='3-98765');`)).toBe("3-98765");
		expect(extractVqd(`DDG.deep.initialize('/d.js?q=cats&l=us-en&vqd=4-5551212&p_ent=&ex=-1');`)).toBe("4-5551212");
		expect(extractVqd("<html><body>no token</body></html>")).toBeUndefined();
	});

	it.each([
		["the token page", [duckduckgoBlocked("page")]],
		["i.js with 403", [{ body: duckduckgoTokenPage("4-1") }, duckduckgoBlocked("json")]],
		["i.js with 418", [{ body: duckduckgoTokenPage("4-1") }, duckduckgoBlocked("teapot")]],
	])("treats an anomaly answer from %s as blocked (retry later), not as no results", async (_name, answers) => {
		const error = await source.search(searchRequest("tabby"), fakeHttp(answers)).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TransientError);
		expect((error as TransientError).message).toMatch(/anomaly/);
	});

	it("treats a token page without a token as a passing failure", async () => {
		await expect(source.search(searchRequest("tabby"), fakeHttp([{ body: "<html></html>" }]))).rejects.toBeInstanceOf(TransientError);
	});

	it("treats a body that is not JSON as a passing failure", async () => {
		const http = fakeHttp([{ body: duckduckgoTokenPage("4-1") }, { body: "<html>oops</html>" }]);
		await expect(source.search(searchRequest("tabby"), http)).rejects.toBeInstanceOf(TransientError);
	});
});
