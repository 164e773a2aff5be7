import { urlsSource } from "../../../../../services/crawl/sources/urls";
import { fakeHttp, searchRequest, testConfig } from "./helpers";

describe("the urls source", () => {
	const source = urlsSource(testConfig());
	const urls = [
		"https://a.example/1.jpg",
		" https://b.example/2.png ",
		"",
		"https://c.example/3.webp",
		"https://d.example/4.jpg",
		"https://e.example/5.jpg",
	];

	it("pages the category's list by offset without any request", async () => {
		const http = fakeHttp([]);
		const first = await source.search(searchRequest("ignored", null, { urls, pageSize: 2 }), http);
		expect(first).toEqual({ results: [{ imageUrl: "https://a.example/1.jpg" }, { imageUrl: "https://b.example/2.png" }], next: 2 });
		const second = await source.search(searchRequest("ignored", first.next, { urls, pageSize: 2 }), http);
		expect(second).toEqual({ results: [{ imageUrl: "https://c.example/3.webp" }, { imageUrl: "https://d.example/4.jpg" }], next: 4 });
		const last = await source.search(searchRequest("ignored", second.next, { urls, pageSize: 2 }), http);
		expect(last).toEqual({ results: [{ imageUrl: "https://e.example/5.jpg" }], next: null });
		expect(http.urls).toEqual([]);
	});

	it("has nothing for a category without URLs", async () => {
		expect(await source.search(searchRequest("cats"), fakeHttp([]))).toEqual({ results: [], next: null });
	});
});
