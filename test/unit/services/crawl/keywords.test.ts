import {
	DEFAULT_MAX_KEYWORDS,
	expandKeywords,
	type FetchLike,
	PREDEFINED_VARIATIONS,
	predefinedKeywords,
} from "../../../../services/crawl/keywords";

const CONFIG = { keywordsLlmUrl: "https://llm.test/v1/", keywordsLlmModel: "tiny-model", keywordsLlmApiKey: "sk-test" };

interface Call {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: Record<string, unknown>;
}

/** A fetch that answers a chat completion whose message content is `content` (or the given status/body). */
function fakeFetch(answer: { content?: string; status?: number; body?: string } | Error): { fetch: FetchLike; calls: Call[] } {
	const calls: Call[] = [];
	const fetch: FetchLike = async (url, init) => {
		calls.push({ url, method: init.method, headers: init.headers, body: JSON.parse(init.body) });
		if (answer instanceof Error) throw answer;
		const status = answer.status ?? 200;
		const body =
			answer.body ??
			JSON.stringify({
				id: "chatcmpl-1",
				object: "chat.completion",
				choices: [{ index: 0, message: { role: "assistant", content: answer.content }, finish_reason: "stop" }],
			});
		return { ok: status >= 200 && status < 300, status, text: async () => body };
	};
	return { fetch, calls };
}

describe("keyword expansion", () => {
	it("keeps the keyword alone with none", async () => {
		expect(await expandKeywords("  tabby   cat ", "none")).toEqual({ keywords: ["tabby cat"], source: "none" });
	});

	it("applies the documented predefined variations in order, keyword first", async () => {
		const expansion = await expandKeywords("tabby cat", "predefined");
		expect(expansion.source).toBe("predefined");
		expect(expansion.keywords).toEqual(
			PREDEFINED_VARIATIONS.slice(0, DEFAULT_MAX_KEYWORDS).map((variation) => variation.replace("{kw}", "tabby cat")),
		);
		expect(expansion.keywords.slice(0, 4)).toEqual(["tabby cat", "tabby cat photo", "tabby cat high resolution", "close-up tabby cat"]);
	});

	it("is deterministic, capped and free of duplicates", () => {
		expect(predefinedKeywords("cat", 3)).toEqual(["cat", "cat photo", "cat high resolution"]);
		expect(predefinedKeywords("cat")).toEqual(predefinedKeywords("cat"));
		const keywords = predefinedKeywords("cat", 100);
		expect(new Set(keywords.map((keyword) => keyword.toLowerCase())).size).toBe(keywords.length);
		expect(predefinedKeywords("   ")).toEqual([]);
	});

	it("asks an OpenAI-compatible chat endpoint with the configured model and key", async () => {
		const { fetch, calls } = fakeFetch({ content: '["tabby kitten", "orange tabby", "Tabby Cat", "tabby cat on sofa"]' });
		const expansion = await expandKeywords("tabby cat", "llm", { config: CONFIG, fetch, max: 4 });
		expect(expansion).toEqual({ keywords: ["tabby cat", "tabby kitten", "orange tabby", "tabby cat on sofa"], source: "llm" });
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe("https://llm.test/v1/chat/completions");
		expect(calls[0].method).toBe("POST");
		expect(calls[0].headers.Authorization).toBe("Bearer sk-test");
		expect(calls[0].headers["Content-Type"]).toBe("application/json");
		expect(calls[0].body.model).toBe("tiny-model");
		expect(JSON.stringify(calls[0].body.messages)).toContain("tabby cat");
	});

	it("sends no Authorization header without a key", async () => {
		const { fetch, calls } = fakeFetch({ content: '["a cat"]' });
		await expandKeywords("cat", "llm", { config: { ...CONFIG, keywordsLlmApiKey: undefined }, fetch });
		expect(calls[0].headers.Authorization).toBeUndefined();
	});

	it("reads an array wrapped in prose or a code fence, keeping strings only", async () => {
		const { fetch } = fakeFetch({ content: 'Sure! Here you go:\n```json\n["siamese cat", 7, null, "  ", "cat portrait"]\n```' });
		const expansion = await expandKeywords("cat", "llm", { config: CONFIG, fetch });
		expect(expansion.keywords).toEqual(["cat", "siamese cat", "cat portrait"]);
	});

	it.each([
		["no endpoint configured", { config: { ...CONFIG, keywordsLlmUrl: undefined } }, { content: "[]" }, /no endpoint/],
		["an HTTP error", {}, { status: 500, body: "oops" }, /HTTP 500/],
		["a network error", {}, new Error("connect ECONNREFUSED"), /ECONNREFUSED/],
		["an answer that is not JSON", {}, { status: 200, body: "<html>" }, /./],
		["a message without an array", {}, { content: "I cannot help with that." }, /no JSON array/],
		["an object instead of an array", {}, { content: '{"keywords": "cat"}' }, /./],
		["an empty array", {}, { content: "[]" }, /no usable keyword/],
	] as const)("falls back to the predefined list on %s, and says so", async (_name, extra, answer, why) => {
		const { fetch } = fakeFetch(answer as Error);
		const expansion = await expandKeywords("cat", "llm", { config: CONFIG, fetch, ...extra });
		expect(expansion.source).toBe("predefined");
		expect(expansion.keywords).toEqual(predefinedKeywords("cat"));
		expect(expansion.fallback).toMatch(why);
	});

	it("falls back when the endpoint does not answer in time", async () => {
		const fetch: FetchLike = (_url, init) =>
			new Promise((_resolve, reject) => init.signal?.addEventListener("abort", () => reject(new Error("aborted by timeout"))));
		const expansion = await expandKeywords("cat", "llm", { config: CONFIG, fetch, timeoutMs: 20 });
		expect(expansion.source).toBe("predefined");
		expect(expansion.fallback).toMatch(/aborted/);
	});

	it("caps and deduplicates the model's suggestions", async () => {
		const many = JSON.stringify(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? "CAT" : `cat ${index}`)));
		const { fetch } = fakeFetch({ content: many });
		const expansion = await expandKeywords("cat", "llm", { config: CONFIG, fetch, max: 5 });
		expect(expansion.keywords).toEqual(["cat", "cat 1", "cat 3", "cat 5", "cat 7"]);
		const long = fakeFetch({ content: JSON.stringify(["x".repeat(201), "short"]) });
		expect((await expandKeywords("cat", "llm", { config: CONFIG, fetch: long.fetch })).keywords).toEqual(["cat", "short"]);
	});
});
