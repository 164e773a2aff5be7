import { TransientError } from "../../../../../services/crawl/errors";
import { BAIDU_PAGE_SIZE, baiduSource, decodeBaiduUrl, encodeBaiduUrl } from "../../../../../services/crawl/sources/baidu";
import { baiduBlocked, baiduJson } from "../../../../support/source-fixtures";
import { fakeHttp, queryOf, SAMPLE_RESULTS, searchRequest, testConfig } from "./helpers";

/** Literal `acjson` answer in the shape SOURCES.md records, trailing empty object included. */
const LITERAL = JSON.stringify({
	queryEnc: "%E7%8C%AB",
	queryExt: "猫",
	listNum: 1935,
	displayNum: 1935,
	gsm: "1e",
	bdFmtDispNum: "约1,935",
	bdSearchTime: "",
	isNeedAsyncRequest: 0,
	bdIsClustered: "1",
	data: [
		{
			adType: "0",
			thumbURL: "https://img1.baidu.com/it/u=1234,5678&fm=253&fmt=auto&app=138&f=JPEG?w=500&h=333",
			middleURL: "https://img1.baidu.com/it/u=1234,5678&fm=253&fmt=auto&app=138&f=JPEG?w=500&h=333",
			hoverURL: "https://img1.baidu.com/it/u=1234,5678&fm=253&fmt=auto&app=138&f=JPEG?w=500&h=333",
			objURL: "ippr_z2C$qAzdH3FAzdH3Fooo_z&e3Bv54",
			fromURL: "ippr_z2C$qAzdH3FAzdH3Fooo_z&e3Bv54",
			replaceUrl: [
				{
					ObjURL: "http://pic.example.cn/2019/cat.jpg",
					ObjUrl: "http://pic.example.cn/2019/cat.jpg",
					FromURL: "http://www.example.cn/cats/1.html",
					FromUrl: "http://www.example.cn/cats/1.html",
				},
			],
			width: 1000,
			height: 666,
			type: "jpg",
			fromPageTitle: "可爱的<strong>猫</strong>咪",
			fromPageTitleEnc: "可爱的猫咪",
		},
		{
			thumbURL: "https://img2.baidu.com/it/u=99,88&fm=253",
			objURL: "ippr_z2C$qAzdH3FAzdH3Fooo_z&e3Bv54",
			fromURL: "",
			width: "640",
			height: "480",
			type: "png",
			fromPageTitle: "<strong>猫</strong>",
		},
		{},
	],
});

describe("the Baidu source", () => {
	const source = baiduSource(testConfig());

	it("asks acjson under the base URL's prefix, by result offset", async () => {
		const http = fakeHttp([{ body: baiduJson(SAMPLE_RESULTS, { listNum: 100 }) }]);
		const page = await source.search(searchRequest("tabby cat", 30), http);
		expect(http.urls[0].startsWith("https://baidu.test/prefix/search/acjson?")).toBe(true);
		expect(queryOf(http.urls[0])).toMatchObject({ tn: "resultjson_com", word: "tabby cat", pn: "30", rn: String(BAIDU_PAGE_SIZE) });
		expect(page.next).toBe(30 + BAIDU_PAGE_SIZE);
	});

	it("uses replaceUrl for the image and page, and skips the trailing empty object", async () => {
		const page = await source.search(searchRequest("cats"), fakeHttp([{ body: baiduJson(SAMPLE_RESULTS, { listNum: 100 }) }]));
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
	});

	it("reads the literal shape SOURCES.md records, decoding objURL when replaceUrl is missing", async () => {
		const page = await source.search(searchRequest("猫"), fakeHttp([{ body: LITERAL }]));
		expect(page.results).toEqual([
			{
				imageUrl: "http://pic.example.cn/2019/cat.jpg",
				pageUrl: "http://www.example.cn/cats/1.html",
				thumbnailUrl: "https://img1.baidu.com/it/u=1234,5678&fm=253&fmt=auto&app=138&f=JPEG?w=500&h=333",
				title: "可爱的猫咪",
				width: 1000,
				height: 666,
			},
			{ imageUrl: "http://www.com", thumbnailUrl: "https://img2.baidu.com/it/u=99,88&fm=253", title: "猫", width: 640, height: 480 },
		]);
		expect(page.next).toBe(BAIDU_PAGE_SIZE);
	});

	it("stops at the end of the list and on a page holding only the empty object", async () => {
		const last = await source.search(searchRequest("cats", 90), fakeHttp([{ body: baiduJson(SAMPLE_RESULTS, { listNum: 100 }) }]));
		expect(last.next).toBeNull();
		const empty = await source.search(searchRequest("cats", 120), fakeHttp([{ body: baiduJson([]) }]));
		expect(empty).toEqual({ results: [], next: null });
	});

	it("reads answers with the \\' escapes Baidu has sent", async () => {
		const body = `{"listNum":5,"data":[{"replaceUrl":[{"ObjURL":"http://a.example/x.jpg","FromURL":"http://a.example/"}],"fromPageTitleEnc":"Tom\\'s cat","width":300,"height":200},{}]}`;
		const page = await source.search(searchRequest("cats"), fakeHttp([{ body }]));
		expect(page.results[0]).toMatchObject({ imageUrl: "http://a.example/x.jpg", title: "Tom's cat" });
	});

	it("treats antiFlag as blocked", async () => {
		const error = await source.search(searchRequest("cats"), fakeHttp([baiduBlocked()])).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(TransientError);
		expect((error as Error).message).toMatch(/Forbid spider access/);
		await expect(
			source.search(searchRequest("cats"), fakeHttp([{ body: '{"antiFlag":1,"message":"Forbid spider access"}' }])),
		).rejects.toBeInstanceOf(TransientError);
	});

	it("treats a body that is not JSON as a passing failure", async () => {
		await expect(source.search(searchRequest("cats"), fakeHttp([{ body: "<html>busy</html>" }]))).rejects.toBeInstanceOf(TransientError);
	});

	it("decodes the ippr_z2C$ obfuscation and encodes it back", () => {
		expect(decodeBaiduUrl("ippr_z2C$qAzdH3FAzdH3Fooo_z&e3Bv54")).toBe("http://www.com");
		expect(decodeBaiduUrl("https://plain.example/")).toBe("https://plain.example/");
		expect(decodeBaiduUrl("")).toBeUndefined();
		const url = "http://127.0.0.1:8080/img/tabby%20cat/17.webp?x=1&y=2";
		expect(decodeBaiduUrl(encodeBaiduUrl(url))).toBe(url);
		expect(encodeBaiduUrl("http://www.com")).toBe("ippr_z2C$qAzdH3FAzdH3Fooo_z&e3Bv54");
	});
});
