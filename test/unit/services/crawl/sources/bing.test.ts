import { PermanentError, TransientError } from "../../../../../services/crawl/errors";
import { bingSource } from "../../../../../services/crawl/sources/bing";
import { bingAsyncHtml, bingBlocked } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/**
 * Literal sample in the shape SOURCES.md records: `a.iusc` with HTML-escaped JSON in `m` (murl/turl
 * carrying `&amp;`), U+E000/U+E001 highlight marks, size as `700&#215;444` and as expw/exph, and
 * `div.dgControl[data-nextUrl]`.
 */
const LITERAL = `<div class="dgControl" data-ffu="1"><ul class="dgControl_list">
<li data-idx="1"><div class="iuscp varh isv"><div class="imgpt">
<a class="iusc" style="height:183px;width:289px" m="{&quot;sid&quot;:&quot;&quot;,&quot;cturl&quot;:&quot;https://th.bing.com/th/id/R.9c9d?rik=nJ3b&amp;pid=ImgRaw&amp;r=0&quot;,&quot;cid&quot;:&quot;nJ3bD2GC&quot;,&quot;purl&quot;:&quot;https://www.example.org/cats/tabby&quot;,&quot;murl&quot;:&quot;https://cdn.example.org/img/tabby.jpg?w=700&amp;h=444&quot;,&quot;turl&quot;:&quot;https://tse2.mm.bing.net/th/id/OIP.nJ3bD2GC?w=289&amp;h=183&amp;pid=1.7&quot;,&quot;md5&quot;:&quot;9c9ddb0f6192c4a1b2d7f08ab31c43f1&quot;,&quot;shkey&quot;:&quot;3Ya0bJ4=&quot;,&quot;t&quot;:&quot;\uE000Tabby\uE001 cat on a sofa&quot;,&quot;mid&quot;:&quot;C2D81B0B4A1F5F0E&quot;,&quot;desc&quot;:&quot;A \uE000tabby\uE001 cat&quot;}" href="/images/search?view=detailV2&amp;ccid=nJ3bD2GC&amp;id=C2D81B0B4A1F5F0E&amp;exph=444&amp;expw=700&amp;q=tabby&amp;FORM=IRPRST&amp;selectedIndex=0"><div class="img_cont hoff"><img class="mimg" src="https://tse2.mm.bing.net/th/id/OIP.nJ3bD2GC?w=289&amp;h=183" alt="Tabby cat on a sofa"/></div></a>
<div class="img_info hon"><span class="nowrap">700&#215;444 · jpeg</span><div class="lnkw"><a href="https://www.example.org/cats/tabby">example.org</a></div></div></div></div></li>
<li data-idx="2"><div class="iuscp varh isv"><div class="imgpt">
<a class="iusc" m="{&quot;purl&quot;:&quot;https://blog.example.net/post/7&quot;,&quot;murl&quot;:&quot;http://img.example.net/7.png&quot;,&quot;turl&quot;:&quot;https://tse1.mm.bing.net/th?id=OIP.7&amp;pid=15.1&quot;,&quot;t&quot;:&quot;&quot;,&quot;desc&quot;:&quot;Seven \\ue000tabby\\ue001 kittens&quot;}" href="/images/search?view=detailV2&amp;q=tabby"></a>
<div class="img_info hon"><span class="nowrap">1600 × 900 · png</span></div></div></div></li>
<li data-idx="3"><div class="imgpt"><a class="iusc" m="{not json" href="#"></a></div></li>
<li data-idx="4"><div class="imgpt"><a class="iusc" m="{&quot;purl&quot;:&quot;https://x.example/&quot;}" href="#"></a></div></li>
</ul></div>
<div class="dgControl hover" data-nextUrl="/images/async?q=tabby&amp;first=36&amp;count=35&amp;cw=1177&amp;ch=826&amp;relp=35&amp;apc=0&amp;tsc=ImageHoverTitle&amp;datsrc=I&amp;layout=RowBased&amp;mmasync=1" data-row="5"></div>`;

describe("the Bing source", () => {
	const source = bingSource(testConfig());

	it("asks /images/async under the configured base URL (prefix kept) for the first 35 results", async () => {
		const http = fakeHttp([{ body: bingAsyncHtml(SAMPLE_RESULTS, 36, { keyword: "tabby cat" }) }]);
		await source.search(searchRequest("tabby cat"), http);
		expect(http.urls[0].startsWith("https://bing.test/prefix/images/async?")).toBe(true);
		expect(queryOf(http.urls[0])).toEqual({ q: "tabby cat", first: "1", count: "35", mkt: "en-US" });
	});

	it("reads every result of the fixture rendering: unescaped URLs, marks stripped, sizes", async () => {
		const http = fakeHttp([{ body: bingAsyncHtml(SAMPLE_RESULTS, 36, { keyword: "tabby cat" }) }]);
		const page = await source.search(searchRequest("tabby cat"), http);
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
		expect(page.next).toBe(36);
	});

	it("reads the literal shape SOURCES.md records", async () => {
		const page = await source.search(searchRequest("tabby"), fakeHttp([{ body: LITERAL }]));
		expect(page.results).toEqual([
			{
				imageUrl: "https://cdn.example.org/img/tabby.jpg?w=700&h=444",
				pageUrl: "https://www.example.org/cats/tabby",
				thumbnailUrl: "https://tse2.mm.bing.net/th/id/OIP.nJ3bD2GC?w=289&h=183&pid=1.7",
				title: "Tabby cat on a sofa",
				width: 700,
				height: 444,
			},
			{
				imageUrl: "http://img.example.net/7.png",
				pageUrl: "https://blog.example.net/post/7",
				thumbnailUrl: "https://tse1.mm.bing.net/th?id=OIP.7&pid=15.1",
				title: "Seven tabby kittens",
				width: 1600,
				height: 900,
			},
		]);
		// Paging by offset: the next page starts after the 35 results this one asked for.
		expect(page.next).toBe(36);
	});

	it("asks the next page at the cursor's result offset", async () => {
		const http = fakeHttp([{ body: bingAsyncHtml(SAMPLE_RESULTS, 71) }]);
		const page = await source.search(searchRequest("tabby", 36), http);
		expect(queryOf(http.urls[0]).first).toBe("36");
		expect(page.next).toBe(71);
	});

	it("pages on by the anchors it got when the page names no next offset, or one that goes back", async () => {
		const withoutNext = await source.search(searchRequest("tabby", 36), fakeHttp([{ body: bingAsyncHtml(SAMPLE_RESULTS, null) }]));
		expect(withoutNext.next).toBe(36 + SAMPLE_RESULTS.length);
		const goingBack = await source.search(searchRequest("tabby", 36), fakeHttp([{ body: bingAsyncHtml(SAMPLE_RESULTS, 1) }]));
		expect(goingBack.next).toBe(39);
	});

	it("stops on an empty page", async () => {
		const page = await source.search(searchRequest("tabby", 106), fakeHttp([{ body: bingAsyncHtml([], 141) }]));
		expect(page).toEqual({ results: [], next: null });
	});

	it("keeps each image once per page", async () => {
		const page = await source.search(
			searchRequest("tabby"),
			fakeHttp([{ body: bingAsyncHtml([SAMPLE_RESULTS[0], SAMPLE_RESULTS[0]], 36) }]),
		);
		expect(page.results).toHaveLength(1);
	});

	it("is rate limited with HTTP 429: a TransientError carrying Retry-After", async () => {
		const blocked = bingBlocked();
		const error = await source.search(searchRequest("tabby"), fakeHttp([blocked])).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TransientError);
		expect((error as TransientError).retryAfterMs).toBe(30_000);
		expect((error as TransientError).reason).toBe("source_blocked");
	});

	it("retries server errors and gives up on other client errors", async () => {
		await expect(source.search(searchRequest("tabby"), fakeHttp([{ status: 503, body: "" }]))).rejects.toBeInstanceOf(TransientError);
		await expect(source.search(searchRequest("tabby"), fakeHttp([{ status: 400, body: "" }]))).rejects.toBeInstanceOf(PermanentError);
	});

	it("cannot search without a base URL", async () => {
		const unconfigured = bingSource(testConfig({ CRAWL_SOURCE_BING_URL: "" }));
		await expect(unconfigured.search(searchRequest("tabby"), fakeHttp([]))).rejects.toMatchObject({ reason: "bad_url" });
	});
});
