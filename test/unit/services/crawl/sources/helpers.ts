import { type Config, loadConfig } from "../../../../../lib/config";
import type { SearchCursor, SearchRequest, SourceHttp, SourceResponse } from "../../../../../services/crawl/sources/source";
import type { FixtureResult } from "../../../../support/source-fixtures";

/** Every source's base URL under https://<engine>.test/prefix: a path prefix the sources must keep. */
export function testConfig(overrides: Record<string, string> = {}): Config["crawl"] {
	return loadConfig({
		...process.env,
		CRAWL_SOURCE_BING_URL: "https://bing.test/prefix",
		CRAWL_SOURCE_DUCKDUCKGO_URL: "https://duckduckgo.test/prefix/",
		CRAWL_SOURCE_GOOGLE_URL: "https://google.test/prefix",
		CRAWL_SOURCE_BAIDU_URL: "https://baidu.test/prefix",
		CRAWL_SOURCE_WIKIMEDIA_URL: "https://wikimedia.test/prefix",
		CRAWL_SOURCE_OPENVERSE_URL: "https://openverse.test/prefix",
		...overrides,
	}).crawl;
}

export interface FakeHttp extends SourceHttp {
	/** URLs requested, in order. */
	urls: string[];
	headers: Record<string, string>[];
}

type Answer = Partial<SourceResponse> & { body: string };

/** A SourceHttp with no network: each request gets the next answer (or the answer a function gives for its URL). */
export function fakeHttp(answers: Answer[] | ((url: URL) => Answer)): FakeHttp {
	const queue = Array.isArray(answers) ? [...answers] : undefined;
	const fake: FakeHttp = {
		urls: [],
		headers: [],
		async getText(url, options) {
			fake.urls.push(url);
			fake.headers.push(options?.headers ?? {});
			const answer = queue ? queue.shift() : (answers as (url: URL) => Answer)(new URL(url));
			if (!answer) throw new Error(`unexpected request ${url}`);
			return { status: answer.status ?? 200, headers: answer.headers ?? {}, body: answer.body };
		},
	};
	return fake;
}

/** The query of a requested URL as an object. */
export const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

export function searchRequest(keyword: string, cursor: SearchCursor = null, extra: Partial<SearchRequest> = {}): SearchRequest {
	return { keyword, cursor, pageSize: 50, licenses: [], ...extra };
}

/** Results with the awkward bits: `&` in URLs, markup characters in a title, several licences. */
export const SAMPLE_RESULTS: FixtureResult[] = [
	{
		imageUrl: "https://cdn.example.org/cats/tabby.jpg?w=700&h=444",
		pageUrl: "https://www.example.org/cats/tabby?ref=a&b=c",
		thumbnailUrl: "https://thumbs.example.org/t/1.jpg?s=1&q=2",
		title: "Tabby cat on a sofa",
		width: 700,
		height: 444,
		license: "cc-by-sa",
		author: "Jane Doe",
	},
	{
		imageUrl: "https://cdn.example.org/cats/black.png",
		pageUrl: "https://www.example.org/cats/black",
		title: 'Black cat <in> "snow" & ice',
		width: 1024,
		height: 768,
		license: "public-domain",
		author: "John Smith",
	},
	{
		imageUrl: "https://cdn.example.org/cats/kitten.webp",
		pageUrl: "https://www.example.org/kittens",
		title: "Kitten",
		width: 640,
		height: 480,
		license: "cc0",
	},
];
