import { PermanentError, TransientError } from "../../../../../services/crawl/errors";
import { OPENVERSE_MAX_PAGE_SIZE, openverseSource } from "../../../../../services/crawl/sources/openverse";
import { openverseBlocked, openverseJson } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/** Literal answer in the shape SOURCES.md records (fields trimmed to those it names, plus a few more). */
const LITERAL = JSON.stringify({
	result_count: 240,
	page_count: 12,
	page_size: 20,
	page: 1,
	results: [
		{
			id: "4bc43a04-ef46-4544-a0c1-63c63f56e276",
			title: "Tabby Cat",
			foreign_landing_url: "https://www.flickr.com/photos/12345678@N00/2847938432",
			url: "https://live.staticflickr.com/3001/2847938432_b1a3e1c1f8_b.jpg",
			creator: "Jane Doe",
			creator_url: "https://www.flickr.com/photos/12345678@N00",
			license: "by-nc",
			license_version: "2.0",
			license_url: "https://creativecommons.org/licenses/by-nc/2.0/",
			provider: "flickr",
			source: "flickr",
			tags: [{ name: "cat" }, { name: "tabby" }],
			attribution: '"Tabby Cat" by Jane Doe is licensed under CC BY-NC 2.0.',
			mature: false,
			height: 683,
			width: 1024,
			thumbnail: "https://api.openverse.org/v1/images/4bc43a04-ef46-4544-a0c1-63c63f56e276/thumb/",
		},
		{
			id: "0aff3595-8168-440b-83ff-7a80b65dea42",
			title: null,
			foreign_landing_url: "https://commons.wikimedia.org/w/index.php?curid=1234",
			url: "https://upload.wikimedia.org/wikipedia/commons/1/12/Cat.jpg",
			creator: null,
			license: "pdm",
			license_version: "1.0",
			tags: [],
			mature: false,
		},
		{ id: "x", url: "", license: "by" },
	],
});

describe("the Openverse source", () => {
	const source = openverseSource(testConfig());

	it("asks /v1/images/ under the base URL's prefix, page 1 first, at most 20 a page", async () => {
		const http = fakeHttp([{ body: openverseJson(SAMPLE_RESULTS, 1, 3) }]);
		await source.search(searchRequest("tabby cat", null, { pageSize: 100 }), http);
		expect(http.urls[0].startsWith("https://openverse.test/prefix/v1/images/?")).toBe(true);
		expect(queryOf(http.urls[0])).toEqual({ q: "tabby cat", page: "1", page_size: String(OPENVERSE_MAX_PAGE_SIZE) });
	});

	it("filters licences on the server in Openverse's codes", async () => {
		const http = fakeHttp([{ body: openverseJson(SAMPLE_RESULTS, 1, 3) }]);
		await source.search(searchRequest("cats", null, { licenses: ["cc-by-sa", "public-domain", "cc0", "cc-by-nc-nd", "unknown"] }), http);
		expect(queryOf(http.urls[0]).license).toBe("by-sa,pdm,cc0,by-nc-nd");
	});

	it("asks nothing when only licences Openverse cannot have are wanted", async () => {
		const http = fakeHttp([]);
		expect(await source.search(searchRequest("cats", null, { licenses: ["unknown"] }), http)).toEqual({ results: [], next: null });
		expect(http.urls).toEqual([]);
	});

	it("reads results with licences in our names, creators and sizes", async () => {
		const page = await source.search(searchRequest("cats"), fakeHttp([{ body: openverseJson(SAMPLE_RESULTS, 1, 3) }]));
		expect(page.results).toEqual(
			SAMPLE_RESULTS.map((result) => ({
				imageUrl: result.imageUrl,
				pageUrl: result.pageUrl,
				thumbnailUrl: result.thumbnailUrl ?? expect.stringMatching(/\/thumb\/$/),
				title: result.title,
				width: result.width,
				height: result.height,
				license: result.license,
				author: result.author ?? "unknown",
			})),
		);
		expect(page.next).toBe(2);
	});

	it("reads the literal shape SOURCES.md records", async () => {
		const page = await source.search(searchRequest("tabby"), fakeHttp([{ body: LITERAL }]));
		expect(page.results).toEqual([
			{
				imageUrl: "https://live.staticflickr.com/3001/2847938432_b1a3e1c1f8_b.jpg",
				pageUrl: "https://www.flickr.com/photos/12345678@N00/2847938432",
				thumbnailUrl: "https://api.openverse.org/v1/images/4bc43a04-ef46-4544-a0c1-63c63f56e276/thumb/",
				title: "Tabby Cat",
				width: 1024,
				height: 683,
				license: "cc-by-nc",
				author: "Jane Doe",
			},
			{
				imageUrl: "https://upload.wikimedia.org/wikipedia/commons/1/12/Cat.jpg",
				pageUrl: "https://commons.wikimedia.org/w/index.php?curid=1234",
				license: "public-domain",
			},
		]);
		expect(page.next).toBe(2);
	});

	it("drops results outside the wanted licences even if the server sent them", async () => {
		const page = await source.search(searchRequest("tabby", null, { licenses: ["public-domain"] }), fakeHttp([{ body: LITERAL }]));
		expect(page.results.map((result) => result.license)).toEqual(["public-domain"]);
	});

	it("pages by number and stops at the last page, on an empty page and at a refused deep page", async () => {
		const http = fakeHttp([{ body: openverseJson(SAMPLE_RESULTS, 3, 3) }]);
		const last = await source.search(searchRequest("cats", 3), http);
		expect(queryOf(http.urls[0]).page).toBe("3");
		expect(last.next).toBeNull();
		expect(await source.search(searchRequest("cats", 4), fakeHttp([{ body: openverseJson([], 4, 3) }]))).toEqual({
			results: [],
			next: null,
		});
		const deep = fakeHttp([{ status: 401, body: '{"detail":"Authentication credentials were not provided."}' }]);
		expect(await source.search(searchRequest("cats", 13), deep)).toEqual({ results: [], next: null });
		await expect(source.search(searchRequest("cats"), fakeHttp([{ status: 400, body: "{}" }]))).rejects.toBeInstanceOf(PermanentError);
	});

	it("is throttled with HTTP 429 and Retry-After", async () => {
		const error = await source.search(searchRequest("cats"), fakeHttp([openverseBlocked()])).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TransientError);
		expect((error as TransientError).retryAfterMs).toBe(12_000);
	});
});
