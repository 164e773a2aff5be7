import {
	checkStatus,
	cleanText,
	endpoint,
	httpUrl,
	isRecord,
	numberCursor,
	positiveInt,
	requireBaseUrl,
	stripHtml,
	transient,
} from "./common";
import type { SearchPage, SearchResult, SourceFactory } from "./source";

/** Results per request (`rn`). */
export const BAIDU_PAGE_SIZE = 30;

/**
 * Baidu images through `GET /search/acjson?tn=resultjson_com&word=…&pn=<offset>&rn=30`. Items carry
 * obfuscated `objURL`/`fromURL` (`ippr_z2C$…`) and the plain `replaceUrl: [{ObjURL, FromURL}]`, which
 * is used; the last element of `data` is an empty object. `{"antiFlag":1,…}` means blocked.
 */
export const baiduSource: SourceFactory = (config) => ({
	name: "baidu",
	async search(request, http) {
		const base = requireBaseUrl("baidu", config.baiduUrl);
		const offset = numberCursor(request.cursor, 0);
		const url = endpoint(base, "/search/acjson", {
			tn: "resultjson_com",
			ipn: "rj",
			word: request.keyword,
			queryWord: request.keyword,
			ie: "utf-8",
			oe: "utf-8",
			pn: offset,
			rn: BAIDU_PAGE_SIZE,
		});
		const response = await http.getText(url, { headers: { Accept: "application/json, text/plain, */*" }, signal: request.signal });
		checkStatus("baidu", response);
		const json = parseBaiduBody(response.body);
		if (json === undefined) throw transient("baidu", "the answer is not JSON", response, "http_error");
		if (isRecord(json) && json.antiFlag !== undefined && Number(json.antiFlag) !== 0) {
			throw transient("baidu", `blocked (${String(json.message ?? "antiFlag")})`, response);
		}
		return parseBaiduJson(json, offset);
	},
});

/** Baidu's JSON has been seen with `\'` escapes, which JSON does not allow: read those too. */
export function parseBaiduBody(body: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		try {
			return JSON.parse(body.replace(/\\'/g, "'"));
		} catch {
			return undefined;
		}
	}
}

export function parseBaiduJson(json: unknown, offset: number): SearchPage {
	const data = isRecord(json) && Array.isArray(json.data) ? json.data : [];
	// The trailing empty object (and any other item without a single field) is not a result.
	const items = data.filter((item): item is Record<string, unknown> => isRecord(item) && Object.keys(item).length > 0);
	const results: SearchResult[] = [];
	for (const item of items) {
		const replaced = Array.isArray(item.replaceUrl) ? item.replaceUrl.find(isRecord) : undefined;
		const imageUrl = httpUrl(replaced?.ObjURL) ?? httpUrl(decodeBaiduUrl(item.objURL));
		if (!imageUrl) continue;
		const result: SearchResult = { imageUrl };
		const pageUrl = httpUrl(replaced?.FromURL) ?? httpUrl(decodeBaiduUrl(item.fromURL));
		const thumbnailUrl = httpUrl(item.thumbURL) ?? httpUrl(item.middleURL);
		// `fromPageTitleEnc` is the plain title; `fromPageTitle` marks the matched words up with <strong>.
		const title = cleanText(item.fromPageTitleEnc) ?? stripHtml(item.fromPageTitle);
		const width = positiveInt(item.width);
		const height = positiveInt(item.height);
		if (pageUrl) result.pageUrl = pageUrl;
		if (thumbnailUrl) result.thumbnailUrl = thumbnailUrl;
		if (title) result.title = title;
		if (width && height) Object.assign(result, { width, height });
		results.push(result);
	}
	if (items.length === 0) return { results, next: null };
	const next = offset + BAIDU_PAGE_SIZE;
	const total = isRecord(json) ? positiveInt(json.listNum) : undefined;
	return { results, next: total !== undefined && next >= total ? null : next };
}

/** Baidu's URL obfuscation: three multi-character tokens, then a letter-for-letter substitution. */
const TOKENS: [string, string][] = [
	["_z2C$q", ":"],
	["_z&e3B", "."],
	["AzdH3F", "/"],
];
const LETTERS: Record<string, string> = {
	w: "a",
	k: "b",
	v: "c",
	"1": "d",
	j: "e",
	u: "f",
	"2": "g",
	i: "h",
	t: "i",
	"3": "j",
	h: "k",
	s: "l",
	"4": "m",
	g: "n",
	"5": "o",
	r: "p",
	q: "q",
	"6": "r",
	f: "s",
	p: "t",
	"7": "u",
	e: "v",
	o: "w",
	"8": "1",
	d: "2",
	n: "3",
	"9": "4",
	c: "5",
	m: "6",
	"0": "7",
	b: "8",
	l: "9",
	a: "0",
};

/** Plain text for an obfuscated `ippr_z2C$…` URL; other text is returned as it is. */
export function decodeBaiduUrl(value: unknown): string | undefined {
	if (typeof value !== "string" || value === "") return undefined;
	if (!value.startsWith("ippr")) return value;
	let text = value;
	for (const [token, plain] of TOKENS) text = text.split(token).join(plain);
	return [...text].map((char) => LETTERS[char] ?? char).join("");
}

/** The inverse of decodeBaiduUrl, for fixtures rendering Baidu's answer shape. */
export function encodeBaiduUrl(url: string): string {
	const inverse = Object.fromEntries(Object.entries(LETTERS).map(([code, plain]) => [plain, code]));
	const letters = [...url].map((char) => (char === ":" || char === "." || char === "/" ? char : (inverse[char] ?? char))).join("");
	return letters.replace(/:/g, "_z2C$q").replace(/\./g, "_z&e3B").replace(/\//g, "AzdH3F");
}
