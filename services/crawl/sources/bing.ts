import * as cheerio from "cheerio";
import { checkStatus, cleanText, endpoint, httpUrl, isRecord, numberCursor, positiveInt, requireBaseUrl } from "./common";
import type { SearchPage, SearchResult, SourceFactory } from "./source";

/** Results Bing's async endpoint answers per request (SOURCES.md: `count=35`). */
export const BING_PAGE_SIZE = 35;

/**
 * Bing image search through `GET /images/async?q=…&first=<offset>&count=35&mkt=en-US`, an HTML fragment
 * of `a.iusc` anchors whose `m` attribute is the result as JSON. Paging is by result offset (`first`,
 * 1-based), never by page number: paging by number is how a known peer repeats results.
 */
export const bingSource: SourceFactory = (config) => ({
	name: "bing",
	async search(request, http) {
		const base = requireBaseUrl("bing", config.bingUrl);
		const first = Math.max(1, numberCursor(request.cursor, 1));
		const url = endpoint(base, "/images/async", { q: request.keyword, first, count: BING_PAGE_SIZE, mkt: "en-US" });
		const response = await http.getText(url, { headers: { Accept: "text/html" }, signal: request.signal });
		checkStatus("bing", response);
		return parseBingAsync(response.body, first);
	},
});

export function parseBingAsync(html: string, first: number): SearchPage {
	const $ = cheerio.load(html);
	const anchors = $("a.iusc").toArray();
	const results: SearchResult[] = [];
	const seen = new Set<string>();
	for (const anchor of anchors) {
		const meta = readMeta($(anchor).attr("m"));
		const imageUrl = httpUrl(meta?.murl);
		if (!meta || !imageUrl || seen.has(imageUrl)) continue;
		seen.add(imageUrl);
		const size =
			sizeFromDetailLink($(anchor).attr("href")) ??
			sizeFromInfo($(anchor).closest(".imgpt, li").find(".img_info span.nowrap").first().text());
		const result: SearchResult = { imageUrl };
		const pageUrl = httpUrl(meta.purl);
		const thumbnailUrl = httpUrl(meta.turl);
		const title = cleanText(meta.t) ?? cleanText(meta.desc);
		if (pageUrl) result.pageUrl = pageUrl;
		if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
		if (title) result.title = title;
		if (size) Object.assign(result, size);
		results.push(result);
	}
	if (anchors.length === 0) return { results, next: null };
	return { results, next: nextFirst($("[data-nexturl]").first().attr("data-nexturl"), first, anchors.length) };
}

/** The `m` attribute, already unescaped once by the HTML parser, is the result as JSON. */
function readMeta(text: string | undefined): Record<string, unknown> | undefined {
	if (!text) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}

function sizeFromDetailLink(href: string | undefined): { width: number; height: number } | undefined {
	if (!href) return undefined;
	const width = positiveInt(/[?&]expw=(\d+)/.exec(href)?.[1]);
	const height = positiveInt(/[?&]exph=(\d+)/.exec(href)?.[1]);
	return width && height ? { width, height } : undefined;
}

/** "700 × 444 · jpeg" (the page writes `700&#215;444`). */
function sizeFromInfo(text: string): { width: number; height: number } | undefined {
	const match = /(\d+)\s*[×x]\s*(\d+)/.exec(text);
	if (!match) return undefined;
	const width = positiveInt(match[1]);
	const height = positiveInt(match[2]);
	return width && height ? { width, height } : undefined;
}

/** The offset the page's own next link names, or the one after this page's anchors when it names none (or goes back). */
function nextFirst(nextUrl: string | undefined, first: number, anchors: number): number {
	const named = nextUrl ? positiveInt(/[?&]first=(\d+)/.exec(nextUrl)?.[1]) : undefined;
	return named !== undefined && named > first ? named : first + anchors;
}
