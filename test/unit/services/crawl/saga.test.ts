import {
	type BuildDefinition,
	DOWNLOAD_BATCH,
	downloadTasks,
	firstRound,
	labelTargets,
	MAX_ROUNDS,
	nextRound,
	pickResults,
} from "../../../../services/crawl/saga";

const definition: BuildDefinition = {
	categories: [
		{ label: "cat", keywords: ["cat", "kitten"], urls: ["https://a.example/1.jpg"] },
		{ label: "dog", keywords: ["dog"], urls: [] },
	],
	sources: ["bing", "openverse", "urls"],
	options: { maxImagesPerKeyword: 10 },
};

describe("the crawl saga's decisions", () => {
	it("sets each label's target from its keywords and its own URLs", () => {
		expect(labelTargets(definition)).toEqual({ cat: 21, dog: 10 });
		expect(labelTargets({ ...definition, sources: ["urls"] })).toEqual({ cat: 1, dog: 0 });
	});

	it("plans one search per label, keyword variation and search source, and downloads the listed URLs", () => {
		const tasks = firstRound(definition, { cat: ["cat", "cat photo"], kitten: ["kitten"], dog: ["dog"] });
		const searches = tasks.filter((task) => task.type === "crawl.search");
		expect(searches).toHaveLength((2 + 1 + 1) * 2);
		expect(searches.map((task) => task.payload?.source)).toEqual(expect.arrayContaining(["bing", "openverse"]));
		// each search wants its share of the keyword's images, with room for failures
		const catSearch = searches.find((task) => task.payload?.keyword === "cat photo");
		expect(catSearch?.payload).toMatchObject({ label: "cat", cursor: null, round: 1, want: Math.ceil((10 * 1.5) / 4) });
		expect(tasks.filter((task) => task.type === "crawl.download").map((task) => task.payload?.items)).toEqual([
			[{ imageUrl: "https://a.example/1.jpg" }],
		]);
		expect(new Set(tasks.map((task) => task.key)).size).toBe(tasks.length);
	});

	it("keys downloads by their URLs, so the same results never queue twice", () => {
		const items = Array.from({ length: DOWNLOAD_BATCH * 2 + 1 }, (_, n) => ({ imageUrl: `https://img.example/${n}.jpg` }));
		const first = downloadTasks("cat", "cat", "bing", items);
		expect(first.map((task) => (task.payload as { items: unknown[] }).items.length)).toEqual([DOWNLOAD_BATCH, DOWNLOAD_BATCH, 1]);
		expect(downloadTasks("cat", "cat", "bing", items).map((task) => task.key)).toEqual(first.map((task) => task.key));
		expect(downloadTasks("dog", "cat", "bing", items)[0].key).not.toBe(first[0].key);
	});

	it("passes on at most the wanted results, once each, under the licence filter", () => {
		const results = [
			{ imageUrl: "https://i/1", license: "cc0" },
			{ imageUrl: "https://i/1", license: "cc0" },
			{ imageUrl: "https://i/2", license: "cc-by-nc" },
			{ imageUrl: "https://i/3" },
			{ imageUrl: "https://i/4", license: "cc-by" },
		];
		expect(pickResults(results, 10).map((item) => item.imageUrl)).toEqual(["https://i/1", "https://i/2", "https://i/3", "https://i/4"]);
		expect(pickResults(results, 2).map((item) => item.imageUrl)).toEqual(["https://i/1", "https://i/2"]);
		expect(pickResults(results, 10, ["cc0", "cc-by"]).map((item) => item.imageUrl)).toEqual(["https://i/1", "https://i/4"]);
		expect(pickResults(results, 10, ["unknown"]).map((item) => item.imageUrl)).toEqual(["https://i/3"]);
	});

	it("continues the short labels' searches that have another page, sharing the shortfall", () => {
		const search = (label: string, source: string, next: string | null) => ({
			payload: { label, keyword: label, source, cursor: null, want: 8, round: 1 },
			next,
		});
		const searches = [search("cat", "bing", "36"), search("cat", "openverse", null), search("dog", "bing", "36")];
		const more = nextRound(1, searches, { cat: 14, dog: 10 }, { cat: 20, dog: 10 });
		expect(more).toHaveLength(1);
		expect(more[0].payload).toMatchObject({ label: "cat", source: "bing", cursor: "36", want: 9, round: 2 });
		expect(more[0].key).toMatch(/^search:2:/);
		expect(nextRound(1, searches, { cat: 20, dog: 10 }, { cat: 20, dog: 10 })).toEqual([]);
		expect(nextRound(MAX_ROUNDS, searches, { cat: 0, dog: 0 }, { cat: 20, dog: 10 })).toEqual([]);
		expect(nextRound(1, [search("cat", "bing", null)], { cat: 0 }, { cat: 20 })).toEqual([]);
	});
});
