import { TransientError } from "../../../../../services/crawl/errors";
import { googleSource, isCaptchaPage } from "../../../../../services/crawl/sources/google";
import { googleBasicHtml, googleBlocked, googleCaptchaHtml } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/** Literal cells of the basic no-JS page, in the shape SOURCES.md records. */
const LITERAL = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><title>tabby - Google Search</title></head><body>
<div><table class="GpQGbf"><tr>
<td class="e3goi"><div class="svla5d"><div><div class="lIMUZd"><div><table class="TxbwNb"><tr><td>
<a href="/url?esrc=s&amp;q=&amp;rct=j&amp;sa=U&amp;url=https://www.example.org/cats/tabby%3Fpage%3D2&amp;ved=2ahUKEwjx&amp;usg=AOvVaw0abc"><div class="kCmkOe"><img class="DS1iW" alt="" src="https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcTx&amp;s"/></div></a>
</td></tr><tr><td><a href="/url?esrc=s&amp;q=&amp;rct=j&amp;sa=U&amp;url=https://www.example.org/cats/tabby%3Fpage%3D2&amp;ved=2ahUKEwjy&amp;usg=AOvVaw0def"><div class="Nr4Jbd"><span class="qXLe6d x3G5ab"><span class="fYyStc">Tabby cat on a sofa</span></span><span class="qXLe6d F9iS2e"><span class="fYyStc">www.example.org</span></span></div></a></td></tr></table></div></div></div></div></div></td>
<td class="e3goi"><div><a href="/url?q=https://blog.example.net/7&amp;sa=U"><img class="DS1iW" alt="" src="https://encrypted-tbn1.gstatic.com/images?q=tbn:ANd9GcQ7&amp;s"/></a><span>Seven kittens</span></div></td>
<td class="e3goi"><div><a href="/search?q=tabby"><img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="/></a></div></td>
</tr></table></div>
<table class="uZgmoc"><tbody><td><a class="frGj1b" href="/search?q=tabby&amp;tbm=isch&amp;ei=abc&amp;start=20&amp;sa=N">Next&nbsp;&gt;</a></td></tbody></table>
</body></html>`;

describe("the Google source", () => {
	const source = googleSource(testConfig());

	it("asks the basic image page under the base URL's prefix", async () => {
		const http = fakeHttp([{ body: googleBasicHtml(SAMPLE_RESULTS) }]);
		await source.search(searchRequest("tabby cat"), http);
		expect(http.urls[0].startsWith("https://google.test/prefix/search?")).toBe(true);
		expect(queryOf(http.urls[0])).toEqual({ tbm: "isch", q: "tabby cat" });
	});

	it("keeps the thumbnail as the image and the source page behind the /url redirect", async () => {
		const page = await source.search(searchRequest("cats"), fakeHttp([{ body: googleBasicHtml(SAMPLE_RESULTS) }]));
		expect(page.results).toEqual(
			SAMPLE_RESULTS.map((result) => ({
				imageUrl: result.thumbnailUrl ?? result.imageUrl,
				thumbnailUrl: result.thumbnailUrl ?? result.imageUrl,
				pageUrl: result.pageUrl,
				title: result.title,
			})),
		);
		expect(page.next).toBeNull();
	});

	it("reads the literal shape SOURCES.md records", async () => {
		const page = await source.search(searchRequest("tabby"), fakeHttp([{ body: LITERAL }]));
		expect(page.results).toEqual([
			{
				imageUrl: "https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcTx&s",
				thumbnailUrl: "https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcTx&s",
				pageUrl: "https://www.example.org/cats/tabby?page=2",
				title: "Tabby cat on a sofa",
			},
			{
				imageUrl: "https://encrypted-tbn1.gstatic.com/images?q=tbn:ANd9GcQ7&s",
				thumbnailUrl: "https://encrypted-tbn1.gstatic.com/images?q=tbn:ANd9GcQ7&s",
				pageUrl: "https://blog.example.net/7",
				title: "Seven kittens",
			},
		]);
		expect(page.next).toBe(20);
	});

	it("follows the page's own Next link by its start offset", async () => {
		const http = fakeHttp([{ body: googleBasicHtml(SAMPLE_RESULTS, { nextStart: 40 }) }]);
		const page = await source.search(searchRequest("cats", 20), http);
		expect(queryOf(http.urls[0]).start).toBe("20");
		expect(page.next).toBe(40);
	});

	it("stops on an empty page", async () => {
		const page = await source.search(searchRequest("cats", 20), fakeHttp([{ body: googleBasicHtml([], { nextStart: 40 }) }]));
		expect(page).toEqual({ results: [], next: null });
	});

	it("treats the unusual-traffic page as blocked, with HTTP 429 or 200", async () => {
		await expect(source.search(searchRequest("cats"), fakeHttp([googleBlocked()]))).rejects.toBeInstanceOf(TransientError);
		const error = await source.search(searchRequest("cats"), fakeHttp([{ body: googleCaptchaHtml() }])).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TransientError);
		expect((error as Error).message).toMatch(/captcha/);
	});

	it("recognises the captcha form, literal and rendered", () => {
		expect(isCaptchaPage(googleCaptchaHtml())).toBe(true);
		expect(isCaptchaPage('<html><body><form id="captcha-form" action="index" method="post"></form></body></html>')).toBe(true);
		expect(isCaptchaPage(LITERAL)).toBe(false);
	});
});
