import type { Config } from "../../lib/config";

export type KeywordExpansionMode = "none" | "predefined" | "llm";

/**
 * The predefined variations, in order; `{kw}` is the keyword. The keyword itself always comes first.
 * Chosen to widen what photo search engines return (framing, quality, setting) without drifting
 * from the subject.
 */
export const PREDEFINED_VARIATIONS = [
	"{kw}",
	"{kw} photo",
	"{kw} high resolution",
	"close-up {kw}",
	"{kw} photography",
	"{kw} picture",
	"{kw} front view",
	"{kw} side view",
	"{kw} outdoors",
	"{kw} real life",
] as const;

/** Keywords one expansion yields by default (the keyword included). */
export const DEFAULT_MAX_KEYWORDS = 10;
/** Longest keyword kept; a dataset definition allows no longer ones. */
export const MAX_KEYWORD_LENGTH = 200;
const DEFAULT_LLM_TIMEOUT_MS = 15_000;

/** The part of `fetch` keyword expansion uses; global `fetch` fits, tests pass a fake. */
export type FetchLike = (
	url: string,
	init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export interface KeywordExpansionOptions {
	/** The endpoint settings (`keywordsLlmUrl`, `keywordsLlmModel`, `keywordsLlmApiKey`); needed for "llm". */
	config?: Pick<Config["crawl"], "keywordsLlmUrl" | "keywordsLlmModel" | "keywordsLlmApiKey">;
	/** Defaults to global fetch. */
	fetch?: FetchLike;
	/** Keywords returned at most, the keyword itself included (default 10). */
	max?: number;
	/** Time allowed for the endpoint's answer (default 15 s). */
	timeoutMs?: number;
	signal?: AbortSignal;
}

export interface KeywordExpansion {
	/** The keyword first, then its variations: trimmed, deduplicated (case-insensitive), capped. */
	keywords: string[];
	/** Where the variations came from. */
	source: KeywordExpansionMode;
	/** Set when "llm" was asked for but the predefined list was used instead, and why. */
	fallback?: string;
}

/**
 * Search keywords for one category keyword. "none" keeps the keyword alone, "predefined" applies
 * PREDEFINED_VARIATIONS, "llm" asks an OpenAI-compatible chat endpoint and falls back to the
 * predefined list on any failure (no endpoint, HTTP error, timeout, no JSON array of strings).
 */
export async function expandKeywords(
	keyword: string,
	mode: KeywordExpansionMode,
	options: KeywordExpansionOptions = {},
): Promise<KeywordExpansion> {
	const base = normalise(keyword);
	const max = Math.max(1, Math.floor(options.max ?? DEFAULT_MAX_KEYWORDS));
	if (base === "") return { keywords: [], source: mode };
	if (mode === "none") return { keywords: [base], source: "none" };
	if (mode === "predefined") return { keywords: predefinedKeywords(base, max), source: "predefined" };
	try {
		const suggested = await askModel(base, max, options);
		const keywords = capped([base, ...suggested], max);
		if (keywords.length < 2) throw new Error("the answer held no usable keyword");
		return { keywords, source: "llm" };
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		return { keywords: predefinedKeywords(base, max), source: "predefined", fallback: `keyword endpoint failed: ${why}` };
	}
}

export function predefinedKeywords(keyword: string, max = DEFAULT_MAX_KEYWORDS): string[] {
	const base = normalise(keyword);
	if (base === "") return [];
	return capped(
		PREDEFINED_VARIATIONS.map((variation) => variation.replace("{kw}", base)),
		max,
	);
}

async function askModel(keyword: string, max: number, options: KeywordExpansionOptions): Promise<string[]> {
	const config = options.config;
	if (!config?.keywordsLlmUrl) throw new Error("no endpoint is configured (CRAWL_KEYWORDS_LLM_URL)");
	const fetchImpl: FetchLike = options.fetch ?? (globalThis.fetch as unknown as FetchLike);
	const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
	if (config.keywordsLlmApiKey) headers.Authorization = `Bearer ${config.keywordsLlmApiKey}`;
	const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS);
	const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
	const body = JSON.stringify({
		model: config.keywordsLlmModel,
		temperature: 0,
		messages: [
			{
				role: "system",
				content:
					"You help build image datasets. Answer with a JSON array of strings only: short web image search queries " +
					"that find photos of the same subject (synonyms, views, settings, varieties). No commentary.",
			},
			{ role: "user", content: `Subject: ${JSON.stringify(keyword)}. Give up to ${max - 1} queries.` },
		],
	});
	const response = await fetchImpl(`${config.keywordsLlmUrl.replace(/\/+$/, "")}/chat/completions`, {
		method: "POST",
		headers,
		body,
		signal,
	});
	const text = await response.text();
	if (!response.ok) throw new Error(`HTTP ${response.status}`);
	return parseSuggestions(text);
}

/** The chat answer's content as a JSON array of strings, also when wrapped in prose or a code fence. */
export function parseSuggestions(responseBody: string): string[] {
	const content = (JSON.parse(responseBody) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
	if (typeof content !== "string") throw new Error("the answer has no message content");
	const start = content.indexOf("[");
	const end = content.lastIndexOf("]");
	if (start === -1 || end < start) throw new Error("the message holds no JSON array");
	const parsed: unknown = JSON.parse(content.slice(start, end + 1));
	if (!Array.isArray(parsed)) throw new Error("the message holds no JSON array");
	return parsed.filter((item): item is string => typeof item === "string");
}

function normalise(keyword: string): string {
	return keyword.replace(/\s+/g, " ").trim();
}

function capped(keywords: string[], max: number): string[] {
	const seen = new Set<string>();
	const kept: string[] = [];
	for (const keyword of keywords) {
		const text = normalise(keyword);
		const key = text.toLowerCase();
		if (text === "" || text.length > MAX_KEYWORD_LENGTH || seen.has(key)) continue;
		seen.add(key);
		kept.push(text);
		if (kept.length >= max) break;
	}
	return kept;
}
