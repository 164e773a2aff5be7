import * as cheerio from "cheerio";
import { checkStatus, cleanText, endpoint, httpUrl, numberCursor, positiveInt, requireBaseUrl, transient } from "./common";
import type { SearchPage, SearchResult, SourceFactory } from "./source";

/**
 * Google images through the basic no-JS page `GET /search?tbm=isch&q=…` (about 20 `td.e3goi` cells).
 * That page names the source page (`/url?…&url=…`) and a gstatic thumbnail but no original image
 * and no dimensions: the thumbnail is the result's image, kept only if it passes the size rules
 * (or a later step follows the source page). A further page is fetched only when the page itself
 * links one (`start=`). The "unusual traffic" page (`form#captcha-form`) means blocked.
 */
export const googleSource: SourceFactory = (config) => ({
	name: "google",
	async search(request, http) {
		const base = requireBaseUrl("google", config.googleUrl);
		const start = numberCursor(request.cursor, 0);
		const url = endpoint(base, "/search", { tbm: "isch", q: request.keyword, start: start > 0 ? start : undefined });
		const response = await http.getText(url, { headers: { Accept: "text/html" }, signal: request.signal });
		if (isCaptchaPage(response.body)) throw transient("google", "unusual-traffic (captcha) page: blocked", response);
		checkStatus("google", response);
		return parseGoogleBasic(response.body, start, base);
	},
});

export function isCaptchaPage(html: string): boolean {
	return /<form[^>]+id=["']?captcha-form/i.test(html);
}

export function parseGoogleBasic(html: string, start: number, base = "https://www.google.com"): SearchPage {
	const $ = cheerio.load(html);
	const cells = $("td.e3goi").toArray();
	const results: SearchResult[] = [];
	for (const cell of cells) {
		const image = $(cell).find("img").first();
		const thumbnailUrl = httpUrl(image.attr("src")) ?? httpUrl(image.attr("data-src"));
		if (!thumbnailUrl) continue;
		const result: SearchResult = { imageUrl: thumbnailUrl, thumbnailUrl };
		const pageUrl = $(cell)
			.find("a[href]")
			.toArray()
			.map((link) => targetOf($(link).attr("href"), base))
			.find((target) => target !== undefined);
		if (pageUrl) result.pageUrl = pageUrl;
		// The cell's text spans: the title first, the source's domain last.
		const texts = $(cell)
			.find("span")
			.toArray()
			.filter((span) => $(span).children("span").length === 0)
			.map((span) => cleanText($(span).text()))
			.filter((text): text is string => text !== undefined);
		if (texts.length > 0) result.title = texts[0];
		results.push(result);
	}
	if (cells.length === 0) return { results, next: null };
	return { results, next: nextStart($, start) };
}

/** The source page a `/url?…&url=<page>` (or older `/url?q=<page>`) redirect link points at. */
function targetOf(href: string | undefined, base: string): string | undefined {
	if (!href) return undefined;
	try {
		const link = new URL(href, base);
		if (!link.pathname.endsWith("/url")) return undefined;
		return httpUrl(link.searchParams.get("url") ?? undefined) ?? httpUrl(link.searchParams.get("q") ?? undefined);
	} catch {
		return undefined;
	}
}

function nextStart($: cheerio.CheerioAPI, start: number): number | null {
	let next: number | null = null;
	for (const link of $("a[href]").toArray()) {
		const href = $(link).attr("href") ?? "";
		if (!/[?&]tbm=isch/.test(href)) continue;
		const offset = positiveInt(/[?&]start=(\d+)/.exec(href)?.[1]);
		if (offset !== undefined && offset > start && (next === null || offset < next)) next = offset;
	}
	return next;
}
