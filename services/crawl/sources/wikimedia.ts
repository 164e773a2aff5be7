import { PermanentError } from "../errors";
import {
	checkStatus,
	clamp,
	cleanText,
	endpoint,
	httpUrl,
	isRecord,
	numberCursor,
	parseJson,
	positiveInt,
	requireBaseUrl,
	stripHtml,
	transient,
} from "./common";
import { normaliseLicense } from "./licenses";
import type { SearchPage, SearchResult, SourceFactory } from "./source";

/** Largest `gsrlimit` with `extmetadata` for anonymous clients. */
const MAX_PAGE_SIZE = 50;
/** Width of the rendering asked for files whose original is not a web raster format (SVG, TIFF, …). */
export const WIKIMEDIA_THUMB_WIDTH = 1024;
/** Originals in these formats are used as they are; other images through their rendering. */
const WEB_FORMATS = new Set(["image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"]);
/** API error codes that pass: throttling, replication lag, maintenance. */
const TRANSIENT_API_ERRORS = new Set(["ratelimited", "maxlag", "readonly", "internal_api_error_DBQueryError"]);

/**
 * Wikimedia Commons through the MediaWiki API: a full-text search of the File namespace as a
 * generator, with `imageinfo` (URL, size, MIME, licence metadata). Paging by `continue.gsroffset`.
 */
export const wikimediaSource: SourceFactory = (config) => ({
	name: "wikimedia",
	async search(request, http) {
		const base = requireBaseUrl("wikimedia", config.wikimediaUrl);
		const offset = numberCursor(request.cursor, 0);
		const url = endpoint(base, "/w/api.php", {
			action: "query",
			format: "json",
			generator: "search",
			gsrnamespace: 6,
			gsrsearch: request.keyword,
			gsrlimit: clamp(request.pageSize, 1, MAX_PAGE_SIZE),
			gsroffset: offset > 0 ? offset : undefined,
			prop: "imageinfo",
			iiprop: "url|size|mime|extmetadata",
			iiurlwidth: WIKIMEDIA_THUMB_WIDTH,
		});
		const response = await http.getText(url, { headers: { Accept: "application/json" }, signal: request.signal });
		checkStatus("wikimedia", response);
		const json = parseJson("wikimedia", response.body);
		if (isRecord(json) && isRecord(json.error)) {
			const code = String(json.error.code ?? "unknown");
			const info = String(json.error.info ?? "");
			if (TRANSIENT_API_ERRORS.has(code)) throw transient("wikimedia", `API error ${code}: ${info}`, response);
			throw new PermanentError("http_error", `wikimedia: API error ${code}: ${info}`);
		}
		return parseWikimediaJson(json);
	},
});

export function parseWikimediaJson(json: unknown): SearchPage {
	const query = isRecord(json) && isRecord(json.query) ? json.query : {};
	const pages = (isRecord(query.pages) ? Object.values(query.pages) : []).filter(isRecord);
	pages.sort((a, b) => (Number(a.index) || 0) - (Number(b.index) || 0));
	const results: SearchResult[] = [];
	for (const page of pages) {
		const result = resultOf(page);
		if (result) results.push(result);
	}
	// An empty search may carry only a suggestion: no pages, no continue.
	const next = isRecord(json) && isRecord(json.continue) ? numberOrNull(json.continue.gsroffset) : null;
	return { results, next: pages.length === 0 ? null : next };
}

function resultOf(page: Record<string, unknown>): SearchResult | undefined {
	const info = Array.isArray(page.imageinfo) ? page.imageinfo.find(isRecord) : undefined;
	if (!info) return undefined;
	const mime = typeof info.mime === "string" ? info.mime.toLowerCase() : "";
	// Search hits in the File namespace include PDFs, videos and sounds.
	if (mime !== "" && !mime.startsWith("image/")) return undefined;
	const original = mime === "" || WEB_FORMATS.has(mime);
	const imageUrl = original ? httpUrl(info.url) : httpUrl(info.thumburl);
	if (!imageUrl) return undefined;
	const result: SearchResult = { imageUrl };
	const pageUrl = httpUrl(info.descriptionurl);
	const thumbnailUrl = httpUrl(info.thumburl);
	const width = positiveInt(original ? info.width : info.thumbwidth);
	const height = positiveInt(original ? info.height : info.thumbheight);
	// "File:Felis catus-cat on snow.jpg" reads "Felis catus-cat on snow".
	const title = typeof page.title === "string" ? cleanText(page.title.replace(/^File:/i, "").replace(/\.[a-z0-9]{2,5}$/i, "")) : undefined;
	const meta = isRecord(info.extmetadata) ? info.extmetadata : {};
	const license = firstLicense(metaValue(meta, "LicenseShortName"), metaValue(meta, "LicenseUrl"), metaValue(meta, "UsageTerms"));
	const author = stripHtml(metaValue(meta, "Artist"));
	if (pageUrl) result.pageUrl = pageUrl;
	if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
	if (title) result.title = title;
	if (width && height) Object.assign(result, { width, height });
	result.license = license;
	if (author) result.author = author;
	return result;
}

/** `extmetadata` entries are `{value, source}`, the value HTML. */
function metaValue(meta: Record<string, unknown>, key: string): string | undefined {
	const entry = meta[key];
	return isRecord(entry) && typeof entry.value === "string" ? stripHtml(entry.value) : undefined;
}

function firstLicense(...candidates: (string | undefined)[]): string {
	for (const candidate of candidates) {
		const license = normaliseLicense(candidate);
		if (license !== "unknown") return license;
	}
	return "unknown";
}

function numberOrNull(value: unknown): number | null {
	const number = typeof value === "string" ? Number(value) : value;
	return typeof number === "number" && Number.isInteger(number) && number >= 0 ? number : null;
}
