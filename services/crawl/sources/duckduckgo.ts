import { checkStatus, cleanText, endpoint, httpUrl, isRecord, parseJson, positiveInt, requireBaseUrl, transient } from "./common";
import type { SearchCursor, SearchPage, SearchResult, SourceFactory, SourceResponse } from "./source";

/** Where the next DuckDuckGo page is: the session token and the `next` path the last answer named. */
type DuckDuckGoCursor = { vqd: string; next: string };

/**
 * DuckDuckGo images: the HTML of `/?q=…` carries a `vqd` token, then `GET /i.js?o=json&q=…&vqd=…&p=1`
 * answers JSON whose `next` names the following page. Blocking is an "anomaly" answer with status
 * 403, 418 or 202: retried later, never taken for "no results".
 */
export const duckduckgoSource: SourceFactory = (config) => ({
	name: "duckduckgo",
	async search(request, http) {
		const base = requireBaseUrl("duckduckgo", config.duckduckgoUrl);
		const cursor = readCursor(request.cursor);
		let vqd = cursor?.vqd;
		if (!vqd) {
			const tokenPage = await http.getText(endpoint(base, "/", { q: request.keyword, iax: "images", ia: "images" }), {
				headers: { Accept: "text/html" },
				signal: request.signal,
			});
			failOnAnomaly(tokenPage);
			checkStatus("duckduckgo", tokenPage);
			vqd = extractVqd(tokenPage.body);
			if (!vqd) throw transient("duckduckgo", "the search page carries no vqd token (a changed or throttled page)", tokenPage);
		}
		const url = cursor
			? nextUrl(base, cursor.next, vqd)
			: endpoint(base, "/i.js", { o: "json", q: request.keyword, l: "us-en", vqd, p: "1" });
		const response = await http.getText(url, {
			headers: { Accept: "application/json, text/javascript, */*; q=0.01", Referer: `${base}/` },
			signal: request.signal,
		});
		failOnAnomaly(response);
		checkStatus("duckduckgo", response);
		return parseDuckDuckGoJson(parseJson("duckduckgo", response.body), vqd);
	},
});

/** The token in any of its known spellings: `vqd="4-…"`, older `vqd='3-…'`, and inside a `&vqd=…&` URL. */
export function extractVqd(html: string): string | undefined {
	const patterns = [/vqd\s*[=:]\s*"([\w-]+)"/, /vqd\s*[=:]\s*'([\w-]+)'/, /[?&]vqd=([\w-]+)/];
	for (const pattern of patterns) {
		const match = pattern.exec(html);
		if (match) return match[1];
	}
	return undefined;
}

export function parseDuckDuckGoJson(json: unknown, vqd: string): SearchPage {
	const items = isRecord(json) && Array.isArray(json.results) ? json.results : [];
	const results: SearchResult[] = [];
	for (const item of items) {
		if (!isRecord(item)) continue;
		const imageUrl = httpUrl(item.image);
		if (!imageUrl) continue;
		const result: SearchResult = { imageUrl };
		const pageUrl = httpUrl(item.url);
		const thumbnailUrl = httpUrl(item.thumbnail);
		const title = cleanText(item.title);
		const width = positiveInt(item.width);
		const height = positiveInt(item.height);
		if (pageUrl) result.pageUrl = pageUrl;
		if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
		if (title) result.title = title;
		if (width && height) Object.assign(result, { width, height });
		results.push(result);
	}
	// An empty page still carries a `next`: stop on the empty page, not on a missing `next`.
	if (items.length === 0 || !isRecord(json) || typeof json.next !== "string" || json.next === "") return { results, next: null };
	const next: DuckDuckGoCursor = { vqd, next: json.next };
	return { results, next };
}

function failOnAnomaly(response: SourceResponse): void {
	if (response.status === 403 || response.status === 418 || response.status === 202) {
		throw transient("duckduckgo", `anomaly answer (HTTP ${response.status}): blocked or rate limited`, response);
	}
}

function readCursor(cursor: SearchCursor): DuckDuckGoCursor | undefined {
	if (!isRecord(cursor) || typeof cursor.vqd !== "string" || typeof cursor.next !== "string") return undefined;
	if (cursor.vqd === "" || cursor.next === "") return undefined;
	return { vqd: cursor.vqd, next: cursor.next };
}

/** `next` is relative to the site root (`i.js?q=…&s=100…`); it stays on the configured host, with the token. */
function nextUrl(base: string, next: string, vqd: string): string {
	const relative = /^https?:\/\//i.test(next) ? pathOf(next) : next;
	const url = `${base}/${relative.replace(/^\/+/, "")}`;
	return /[?&]vqd=/.test(url) ? url : `${url}${url.includes("?") ? "&" : "?"}vqd=${encodeURIComponent(vqd)}`;
}

function pathOf(absolute: string): string {
	const parsed = new URL(absolute);
	return `${parsed.pathname}${parsed.search}`;
}
