import * as cheerio from "cheerio";
import { PermanentError, type RejectReason, TransientError } from "../errors";
import type { SearchCursor, SourceResponse } from "./source";

/** The configured base URL of a source; a source whose URL was set empty cannot search. */
export function requireBaseUrl(source: string, base: string | undefined): string {
	if (!base) throw new PermanentError("bad_url", `the ${source} source has no base URL configured`);
	return base.replace(/\/+$/, "");
}

/** `${base}${path}?query`, skipping undefined parameters; the base may carry a path prefix. */
export function endpoint(base: string, path: string, params: Record<string, string | number | undefined>): string {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, String(value));
	const text = query.toString();
	return `${base}${path}${text ? `?${text}` : ""}`;
}

/** A response header by name, whatever case the HTTP client kept. */
export function header(response: SourceResponse, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(response.headers ?? {})) if (key.toLowerCase() === wanted) return value;
	return undefined;
}

/** Retry-After as milliseconds: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

/** A retryable failure of a source, with the host's Retry-After when the response carried one. */
export function transient(source: string, why: string, response?: SourceResponse, reason: RejectReason = "source_blocked"): TransientError {
	const retry = response ? retryAfterMs(header(response, "retry-after")) : undefined;
	return new TransientError(`${source}: ${why}`, retry, reason);
}

/**
 * The status rules every source shares. Search engines block with 403 and throttle with 429, and a
 * 5xx is the server's passing trouble: all are retried later (with the host's Retry-After). A 404 or
 * another 4xx means the request itself cannot work.
 */
export function checkStatus(source: string, response: SourceResponse): void {
	const { status } = response;
	if (status >= 200 && status < 300) return;
	if (status === 403 || status === 429) {
		throw transient(source, `HTTP ${status} (${status === 429 ? "rate limited" : "blocked"})`, response);
	}
	if (status === 408 || status >= 500) throw transient(source, `HTTP ${status}`, response, "http_error");
	if (status === 404) throw new PermanentError("not_found", `${source}: HTTP 404 for the search endpoint`);
	throw new PermanentError("http_error", `${source}: HTTP ${status}`);
}

/** JSON of a JSON API; anything else (a proxy's or a block page's HTML) is worth another try later. */
export function parseJson(source: string, body: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		throw new TransientError(`${source}: the answer is not JSON (${JSON.stringify(body.slice(0, 80))})`, undefined, "http_error");
	}
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Bing's hit-highlighting marks: private-use U+E000 opens, U+E001 closes. */
const HIGHLIGHT_MARKS = /[\uE000\uE001]/g;

/** Text shown to people: highlight marks removed, whitespace collapsed; undefined when nothing is left. */
export function cleanText(value: unknown): string | undefined {
	if (typeof value !== "string") return undefined;
	const text = value.replace(HIGHLIGHT_MARKS, "").replace(/\s+/g, " ").trim();
	return text === "" ? undefined : text;
}

/** The text of an HTML fragment (tags dropped, entities decoded), cleaned. */
export function stripHtml(value: unknown): string | undefined {
	if (typeof value !== "string") return undefined;
	if (!/[<&]/.test(value)) return cleanText(value);
	return cleanText(cheerio.load(value, null, false).text());
}

/** A positive whole number from a number or numeric text. */
export function positiveInt(value: unknown): number | undefined {
	const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
	return typeof number === "number" && Number.isInteger(number) && number > 0 ? number : undefined;
}

/**
 * An absolute http(s) URL or undefined. Protocol-relative URLs (Wikimedia's `//upload…`) get https;
 * an `&amp;` left over from a second round of HTML escaping is undone.
 */
export function httpUrl(value: unknown): string | undefined {
	if (typeof value !== "string") return undefined;
	let text = value.trim().replace(/&amp;/g, "&");
	if (text.startsWith("//")) text = `https:${text}`;
	try {
		const parsed = new URL(text);
		return parsed.protocol === "http:" || parsed.protocol === "https:" ? text : undefined;
	} catch {
		return undefined;
	}
}

/** A numeric cursor (an offset or a page number) or the first page's value. */
export function numberCursor(cursor: SearchCursor, first: number): number {
	const value = typeof cursor === "string" && cursor.trim() !== "" ? Number(cursor) : cursor;
	return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : first;
}

export function clamp(value: number, min: number, max: number): number {
	if (!Number.isFinite(value)) return min;
	return Math.min(max, Math.max(min, Math.floor(value)));
}
