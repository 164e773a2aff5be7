import { checkStatus, clamp, cleanText, endpoint, httpUrl, isRecord, numberCursor, parseJson, positiveInt, requireBaseUrl } from "./common";
import { normaliseLicense, openverseLicenseCodes } from "./licenses";
import type { SearchPage, SearchResult, SourceFactory } from "./source";

/** Largest `page_size` Openverse grants anonymous clients. */
export const OPENVERSE_MAX_PAGE_SIZE = 20;

/**
 * Openverse through `GET /v1/images/?q=…&license=…&page=…&page_size=…`. The dataset's licence filter
 * is applied by the server (our names mapped to Openverse codes) and checked again on each result.
 */
export const openverseSource: SourceFactory = (config) => ({
	name: "openverse",
	async search(request, http) {
		const base = requireBaseUrl("openverse", config.openverseUrl);
		const page = Math.max(1, numberCursor(request.cursor, 1));
		const codes = openverseLicenseCodes(request.licenses);
		// Only licences Openverse cannot have were asked for (`unknown`): nothing there can match.
		if (request.licenses.length > 0 && codes.length === 0) return { results: [], next: null };
		const url = endpoint(base, "/v1/images/", {
			q: request.keyword,
			license: codes.length > 0 ? codes.join(",") : undefined,
			page,
			page_size: clamp(request.pageSize, 1, OPENVERSE_MAX_PAGE_SIZE),
		});
		const response = await http.getText(url, { headers: { Accept: "application/json" }, signal: request.signal });
		// Anonymous clients are refused deep pages (400/401 past a few hundred results): that is the end.
		if ((response.status === 400 || response.status === 401) && page > 1) return { results: [], next: null };
		checkStatus("openverse", response);
		return parseOpenverseJson(parseJson("openverse", response.body), page, request.licenses);
	},
});

export function parseOpenverseJson(json: unknown, page: number, licenses: readonly string[] = []): SearchPage {
	const items = isRecord(json) && Array.isArray(json.results) ? json.results : [];
	const wanted = new Set(licenses);
	const results: SearchResult[] = [];
	for (const item of items) {
		if (!isRecord(item)) continue;
		const imageUrl = httpUrl(item.url);
		if (!imageUrl) continue;
		const license = normaliseLicense(typeof item.license === "string" ? item.license : undefined);
		if (wanted.size > 0 && !wanted.has(license)) continue;
		const result: SearchResult = { imageUrl, license };
		const pageUrl = httpUrl(item.foreign_landing_url);
		const thumbnailUrl = httpUrl(item.thumbnail);
		const title = cleanText(item.title);
		const author = cleanText(item.creator);
		const width = positiveInt(item.width);
		const height = positiveInt(item.height);
		if (pageUrl) result.pageUrl = pageUrl;
		if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
		if (title) result.title = title;
		if (author) result.author = author;
		if (width && height) Object.assign(result, { width, height });
		results.push(result);
	}
	if (items.length === 0) return { results, next: null };
	const pageCount = isRecord(json) ? positiveInt(json.page_count) : undefined;
	return { results, next: pageCount !== undefined && page >= pageCount ? null : page + 1 };
}
