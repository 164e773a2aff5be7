import { PermanentError, TransientError } from "../../../../../services/crawl/errors";
import { WIKIMEDIA_THUMB_WIDTH, wikimediaSource } from "../../../../../services/crawl/sources/wikimedia";
import { wikimediaBlocked, wikimediaJson } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/** Literal API answer in the shape SOURCES.md records: pages keyed by id, out of rank order. */
const LITERAL = JSON.stringify({
	batchcomplete: "",
	continue: { gsroffset: 20, continue: "gsroffset||" },
	query: {
		searchinfo: { totalhits: 48213 },
		pages: {
			"10337301": {
				pageid: 10337301,
				ns: 6,
				title: "File:Cat poster 1.jpg",
				index: 2,
				imagerepository: "local",
				imageinfo: [
					{
						thumburl: "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a5/Cat_poster_1.jpg/1024px-Cat_poster_1.jpg",
						thumbwidth: 1024,
						thumbheight: 768,
						url: "https://upload.wikimedia.org/wikipedia/commons/a/a5/Cat_poster_1.jpg",
						descriptionurl: "https://commons.wikimedia.org/wiki/File:Cat_poster_1.jpg",
						descriptionshorturl: "https://commons.wikimedia.org/w/index.php?curid=10337301",
						width: 2816,
						height: 2112,
						size: 1854367,
						mime: "image/jpeg",
						extmetadata: {
							Artist: {
								value: '<a href="//commons.wikimedia.org/wiki/User:Alvesgaspar" title="User:Alvesgaspar">Alvesgaspar</a> &amp; friends',
								source: "commons-desc-page",
							},
							LicenseShortName: { value: "CC BY-SA 3.0", source: "commons-desc-page", hidden: "" },
							LicenseUrl: { value: "https://creativecommons.org/licenses/by-sa/3.0", source: "commons-desc-page", hidden: "" },
							UsageTerms: { value: "Creative Commons Attribution-Share Alike 3.0", source: "commons-desc-page", hidden: "" },
						},
					},
				],
			},
			"4181291": {
				pageid: 4181291,
				ns: 6,
				title: "File:Felis catus-cat on snow.jpg",
				index: 1,
				imageinfo: [
					{
						url: "https://upload.wikimedia.org/wikipedia/commons/b/b6/Felis_catus-cat_on_snow.jpg",
						descriptionurl: "https://commons.wikimedia.org/wiki/File:Felis_catus-cat_on_snow.jpg",
						width: 1600,
						height: 1067,
						size: 402315,
						mime: "image/jpeg",
						extmetadata: {
							Artist: { value: '<span class="fn">Von.grzanka</span>', source: "commons-desc-page" },
							LicenseShortName: { value: "Public domain", source: "commons-desc-page", hidden: "" },
						},
					},
				],
			},
			"55512": {
				pageid: 55512,
				ns: 6,
				title: "File:Cat silhouette.svg",
				index: 3,
				imageinfo: [
					{
						thumburl: "https://upload.wikimedia.org/wikipedia/commons/thumb/1/1b/Cat_silhouette.svg/1024px-Cat_silhouette.svg.png",
						thumbwidth: 1024,
						thumbheight: 1110,
						url: "https://upload.wikimedia.org/wikipedia/commons/1/1b/Cat_silhouette.svg",
						descriptionurl: "https://commons.wikimedia.org/wiki/File:Cat_silhouette.svg",
						width: 512,
						height: 555,
						mime: "image/svg+xml",
						extmetadata: { LicenseShortName: { value: "CC0", source: "commons-desc-page" } },
					},
				],
			},
			"99001": {
				pageid: 99001,
				ns: 6,
				title: "File:Cats of the world.pdf",
				index: 4,
				imageinfo: [{ url: "https://upload.wikimedia.org/wikipedia/commons/c/c0/Cats_of_the_world.pdf", mime: "application/pdf" }],
			},
			"99002": { pageid: 99002, ns: 6, title: "File:Missing info.jpg", index: 5 },
		},
	},
});

const LITERAL_EMPTY = JSON.stringify({
	batchcomplete: "",
	query: { searchinfo: { totalhits: 0, suggestion: "cat", suggestionsnippet: "cat" } },
});

describe("the Wikimedia Commons source", () => {
	const source = wikimediaSource(testConfig());

	it("searches the File namespace through api.php under the base URL's prefix", async () => {
		const http = fakeHttp([{ body: wikimediaJson(SAMPLE_RESULTS, 3) }]);
		await source.search(searchRequest("tabby cat", null, { pageSize: 3 }), http);
		expect(http.urls[0].startsWith("https://wikimedia.test/prefix/w/api.php?")).toBe(true);
		expect(queryOf(http.urls[0])).toEqual({
			action: "query",
			format: "json",
			generator: "search",
			gsrnamespace: "6",
			gsrsearch: "tabby cat",
			gsrlimit: "3",
			prop: "imageinfo",
			iiprop: "url|size|mime|extmetadata",
			iiurlwidth: String(WIKIMEDIA_THUMB_WIDTH),
		});
	});

	it("reads results in rank order with licence and author (HTML stripped)", async () => {
		const page = await source.search(searchRequest("cats"), fakeHttp([{ body: wikimediaJson(SAMPLE_RESULTS, 3) }]));
		expect(page.results).toEqual(
			SAMPLE_RESULTS.map((result) => ({
				imageUrl: result.imageUrl,
				pageUrl: result.pageUrl,
				thumbnailUrl: result.thumbnailUrl ?? result.imageUrl,
				title: result.title,
				width: result.width,
				height: result.height,
				license: result.license,
				author: result.author ?? "Unknown author",
			})),
		);
		expect(page.next).toBe(3);
	});

	it("reads the literal shape SOURCES.md records: rank order, renderings for SVG, no PDFs", async () => {
		const page = await source.search(searchRequest("cat", 10), fakeHttp([{ body: LITERAL }]));
		expect(page.results).toEqual([
			{
				imageUrl: "https://upload.wikimedia.org/wikipedia/commons/b/b6/Felis_catus-cat_on_snow.jpg",
				pageUrl: "https://commons.wikimedia.org/wiki/File:Felis_catus-cat_on_snow.jpg",
				title: "Felis catus-cat on snow",
				width: 1600,
				height: 1067,
				license: "public-domain",
				author: "Von.grzanka",
			},
			{
				imageUrl: "https://upload.wikimedia.org/wikipedia/commons/a/a5/Cat_poster_1.jpg",
				pageUrl: "https://commons.wikimedia.org/wiki/File:Cat_poster_1.jpg",
				thumbnailUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a5/Cat_poster_1.jpg/1024px-Cat_poster_1.jpg",
				title: "Cat poster 1",
				width: 2816,
				height: 2112,
				license: "cc-by-sa",
				author: "Alvesgaspar & friends",
			},
			{
				imageUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/1/1b/Cat_silhouette.svg/1024px-Cat_silhouette.svg.png",
				pageUrl: "https://commons.wikimedia.org/wiki/File:Cat_silhouette.svg",
				thumbnailUrl: "https://upload.wikimedia.org/wikipedia/commons/thumb/1/1b/Cat_silhouette.svg/1024px-Cat_silhouette.svg.png",
				title: "Cat silhouette",
				width: 1024,
				height: 1110,
				license: "cc0",
			},
		]);
		expect(page.next).toBe(20);
	});

	it("asks the next page at the cursor's gsroffset and stops where there is no continue", async () => {
		const http = fakeHttp([{ body: wikimediaJson(SAMPLE_RESULTS, null, { offset: 20 }) }]);
		const page = await source.search(searchRequest("cats", 20), http);
		expect(queryOf(http.urls[0]).gsroffset).toBe("20");
		expect(page.next).toBeNull();
	});

	it("stops on an empty search that carries only a suggestion", async () => {
		expect(await source.search(searchRequest("catz"), fakeHttp([{ body: LITERAL_EMPTY }]))).toEqual({ results: [], next: null });
		expect(await source.search(searchRequest("catz"), fakeHttp([{ body: wikimediaJson([], null) }]))).toEqual({ results: [], next: null });
	});

	it("retries throttling (HTTP 429 or the API's ratelimited error) and gives up on other API errors", async () => {
		const throttled = await source.search(searchRequest("cats"), fakeHttp([wikimediaBlocked()])).catch((caught: unknown) => caught);
		expect(throttled).toBeInstanceOf(TransientError);
		expect((throttled as TransientError).retryAfterMs).toBe(5000);
		await expect(source.search(searchRequest("cats"), fakeHttp([{ ...wikimediaBlocked(), status: 200 }]))).rejects.toBeInstanceOf(
			TransientError,
		);
		const bad = JSON.stringify({ error: { code: "badvalue", info: 'Unrecognized value for parameter "prop"' } });
		await expect(source.search(searchRequest("cats"), fakeHttp([{ body: bad }]))).rejects.toBeInstanceOf(PermanentError);
	});
});
