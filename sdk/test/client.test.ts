import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
	AuthenticationError,
	ConflictError,
	type FetchLike,
	NetworkError,
	NotFoundError,
	PermissionError,
	PixCrawler,
	PixCrawlerError,
	RateLimitError,
	ServerError,
	TimeoutError,
	ValidationError,
} from "../src";

interface Call {
	url: string;
	init: RequestInit;
}

type Reply = Response | Error | ((call: Call) => Response | Promise<Response>);

/** A fetch that answers from a script, one reply per call, and records every call. */
function fakeFetch(...replies: Reply[]) {
	const calls: Call[] = [];
	const fetch: FetchLike = async (url, init) => {
		const call = { url, init };
		calls.push(call);
		const reply = replies.shift();
		if (reply === undefined) throw new Error(`unexpected request ${init.method} ${url}`);
		if (reply instanceof Error) throw reply;
		return typeof reply === "function" ? reply(call) : reply;
	};
	return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
	new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

const problem = (status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
	new Response(
		JSON.stringify({
			type: "https://pixcrawler.dev/problems/x",
			title: "Problem",
			status,
			detail: `failed with ${status}`,
			requestId: `req-${status}`,
			...extra,
		}),
		{
			status,
			headers: { "Content-Type": "application/problem+json", "X-Request-ID": `hdr-${status}`, ...headers },
		},
	);

const client = (fetch: FetchLike, options: Record<string, unknown> = {}) =>
	new PixCrawler({ token: "pxc_test", baseUrl: "http://api.test", fetch, retryBaseMs: 1, ...options });

describe("the transport", () => {
	it("sends the token, JSON bodies and query strings to /api/v1", async () => {
		const { fetch, calls } = fakeFetch(json({ id: "d1" }, 201), json({ items: [], total: 0, page: 2, pageSize: 5 }));
		const sdk = client(fetch);
		await sdk.datasets.create({ name: "pets", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] });
		await sdk.datasets.list({ page: 2, pageSize: 5, status: "ready", name: undefined });
		expect(calls[0].url).toBe("http://api.test/api/v1/datasets");
		expect(calls[0].init.method).toBe("POST");
		expect(calls[0].init.headers).toMatchObject({ Authorization: "Bearer pxc_test", "Content-Type": "application/json" });
		expect(JSON.parse(String(calls[0].init.body))).toMatchObject({ name: "pets" });
		expect(calls[1].url).toBe("http://api.test/api/v1/datasets?page=2&pageSize=5&status=ready");
		expect(sdk.baseUrl).toBe("http://api.test/api/v1");
	});

	it("reads the token and base URL from the environment", async () => {
		const saved = { token: process.env.PIXCRAWLER_API_TOKEN, base: process.env.PIXCRAWLER_BASE_URL };
		process.env.PIXCRAWLER_API_TOKEN = "pxc_env";
		process.env.PIXCRAWLER_BASE_URL = "http://env.test:8080/api/v1/";
		try {
			const { fetch, calls } = fakeFetch(json({ id: "u1" }));
			await new PixCrawler({ fetch }).me();
			expect(calls[0].url).toBe("http://env.test:8080/api/v1/auth/me");
			expect(calls[0].init.headers).toMatchObject({ Authorization: "Bearer pxc_env" });
		} finally {
			for (const [key, value] of [
				["PIXCRAWLER_API_TOKEN", saved.token],
				["PIXCRAWLER_BASE_URL", saved.base],
			] as const) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
	});

	it("refuses to send anything without a token", async () => {
		const saved = process.env.PIXCRAWLER_API_TOKEN;
		delete process.env.PIXCRAWLER_API_TOKEN;
		try {
			const { fetch, calls } = fakeFetch(json({}));
			const sdk = new PixCrawler({ fetch });
			await expect(sdk.me()).rejects.toThrow(AuthenticationError);
			await expect(sdk.me()).rejects.toThrow(/PIXCRAWLER_API_TOKEN/);
			expect(calls).toHaveLength(0);
		} finally {
			if (saved !== undefined) process.env.PIXCRAWLER_API_TOKEN = saved;
		}
	});

	it.each([
		[400, PixCrawlerError],
		[401, AuthenticationError],
		[403, PermissionError],
		[404, NotFoundError],
		[409, ConflictError],
		[413, PixCrawlerError],
		[422, ValidationError],
		[429, RateLimitError],
		[500, ServerError],
		[502, ServerError],
		[503, ServerError],
		[504, ServerError],
	])("maps a %i problem to %p with its details", async (status, type) => {
		const { fetch } = fakeFetch(problem(status));
		const error = await client(fetch, { maxRetries: 0 })
			.datasets.get("d1")
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(type);
		expect(error).toBeInstanceOf(PixCrawlerError);
		expect(error).toMatchObject({ status, requestId: `req-${status}`, message: `failed with ${status}` });
		expect((error as PixCrawlerError).problem).toMatchObject({ status, title: "Problem" });
	});

	it("gives a validation error's fields", async () => {
		const errors = [
			{ field: "name", message: "The 'name' field is required." },
			{ field: "categories", message: "too few" },
		];
		const { fetch } = fakeFetch(problem(422, { errors }));
		const error = (await client(fetch)
			.datasets.create({ name: "", categories: [], sources: [] })
			.catch((caught: unknown) => caught)) as ValidationError;
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields).toEqual(errors);
	});

	it("gives a rate-limit error's Retry-After in seconds", async () => {
		const { fetch } = fakeFetch(problem(429, { retryAfter: 99 }, { "Retry-After": "7" }));
		const error = (await client(fetch, { maxRetries: 0 })
			.me()
			.catch((caught: unknown) => caught)) as RateLimitError;
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.retryAfter).toBe(7);
	});

	it("takes the request id from the header when the body has none", async () => {
		const { fetch } = fakeFetch(new Response("gateway exploded", { status: 500, headers: { "X-Request-ID": "abc-123" } }));
		const error = (await client(fetch)
			.jobs.cancel("j1")
			.catch((caught: unknown) => caught)) as ServerError;
		expect(error).toBeInstanceOf(ServerError);
		expect(error.requestId).toBe("abc-123");
		expect(error.message).toBe("gateway exploded");
	});

	it("retries a 503 after the Retry-After the server asked for, then succeeds", async () => {
		const times: number[] = [];
		const stamp = (reply: Response) => () => {
			times.push(Date.now());
			return reply;
		};
		const { fetch, calls } = fakeFetch(
			stamp(problem(503, {}, { "Retry-After": "0.2" })),
			stamp(problem(503, {}, { "Retry-After": "0.1" })),
			stamp(json({ id: "d1", name: "pets" })),
		);
		await expect(client(fetch).datasets.get("d1")).resolves.toMatchObject({ id: "d1" });
		expect(calls).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(190);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(90);
	});

	it("retries 429, 502 and 504 and network errors for idempotent requests, up to maxRetries", async () => {
		const { fetch, calls } = fakeFetch(problem(429), problem(502), new TypeError("fetch failed"), problem(504));
		const error = await client(fetch, { maxRetries: 3 })
			.tokens.revoke("t1")
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ServerError);
		expect((error as ServerError).status).toBe(504);
		expect(calls).toHaveLength(4);
		expect(calls.every((call) => call.init.method === "DELETE")).toBe(true);
	});

	it("gives up on network errors with a NetworkError", async () => {
		const { fetch, calls } = fakeFetch(new TypeError("fetch failed"), new TypeError("fetch failed"));
		await expect(client(fetch, { maxRetries: 1 }).me()).rejects.toThrow(NetworkError);
		expect(calls).toHaveLength(2);
	});

	it("does not retry other statuses", async () => {
		const { fetch, calls } = fakeFetch(problem(500));
		await expect(client(fetch).me()).rejects.toThrow(ServerError);
		expect(calls).toHaveLength(1);
	});

	it("never retries a POST", async () => {
		const { fetch, calls } = fakeFetch(problem(503, {}, { "Retry-After": "0" }), new TypeError("fetch failed"));
		await expect(client(fetch).datasets.build("d1")).rejects.toThrow(ServerError);
		expect(calls).toHaveLength(1);
		const network = fakeFetch(new TypeError("fetch failed"), json({}));
		await expect(client(network.fetch).exports.create("d1", { format: "csv" })).rejects.toThrow(NetworkError);
		expect(network.calls).toHaveLength(1);
	});

	it("gives up with a TimeoutError when the answer takes too long", async () => {
		const hang = (call: Call) =>
			new Promise<Response>((_resolve, reject) => {
				call.init.signal?.addEventListener("abort", () => reject(call.init.signal?.reason));
			});
		const { fetch, calls } = fakeFetch(hang);
		const started = Date.now();
		await expect(client(fetch, { timeoutMs: 50, maxRetries: 0 }).me()).rejects.toThrow(TimeoutError);
		expect(Date.now() - started).toBeLessThan(1000);
		expect(calls[0].init.signal?.aborted).toBe(true);
	});

	it("stops when the caller's signal aborts, with its reason, and does not retry", async () => {
		const controller = new AbortController();
		const hang = (call: Call) =>
			new Promise<Response>((_resolve, reject) => {
				call.init.signal?.addEventListener("abort", () => reject(call.init.signal?.reason));
				setTimeout(() => controller.abort(new Error("user stopped")), 20);
			});
		const { fetch, calls } = fakeFetch(hang, json({}));
		await expect(client(fetch).datasets.get("d1", { signal: controller.signal })).rejects.toThrow("user stopped");
		expect(calls).toHaveLength(1);
		// an already aborted signal stops the wait between retries too
		const retried = fakeFetch(problem(503, {}, { "Retry-After": "5" }));
		const aborted = new AbortController();
		setTimeout(() => aborted.abort(new Error("enough")), 30);
		await expect(client(retried.fetch).me({ signal: aborted.signal })).rejects.toThrow("enough");
	});
});

describe("pagination", () => {
	it("iterates over every page", async () => {
		const page = (n: number, ids: string[]) => json({ items: ids.map((id) => ({ id })), total: 5, page: n, pageSize: 2 });
		const { fetch, calls } = fakeFetch(page(1, ["a", "b"]), page(2, ["c", "d"]), page(3, ["e"]));
		const ids: string[] = [];
		for await (const image of client(fetch).images.iterate("d1", { pageSize: 2, label: "cat" })) ids.push(image.id);
		expect(ids).toEqual(["a", "b", "c", "d", "e"]);
		expect(calls.map((call) => new URL(call.url).searchParams.get("page"))).toEqual(["1", "2", "3"]);
		expect(calls.every((call) => call.url.includes("label=cat") && call.url.includes("pageSize=2"))).toBe(true);
	});

	it("stops on an empty page", async () => {
		const { fetch, calls } = fakeFetch(
			json({ items: [{ id: "a" }], total: 10, page: 1, pageSize: 1 }),
			json({ items: [], total: 10, page: 2, pageSize: 1 }),
		);
		const seen = [];
		for await (const dataset of client(fetch).datasets.iterate()) seen.push(dataset);
		expect(seen).toHaveLength(1);
		expect(calls).toHaveLength(2);
	});
});

describe("exports", () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-"));
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	const archive = Buffer.from("PK\u0003\u0004 a zip of many images ".repeat(2000));
	const digest = createHash("sha256").update(archive).digest("hex");
	const ready = (sha256 = digest) => json({ id: "e1", status: "ready", sha256, bytes: archive.length });
	const zip = (bytes: Buffer) => new Response(bytes, { status: 200, headers: { "Content-Type": "application/zip" } });

	it("downloads to the path once the SHA-256 matches", async () => {
		const { fetch, calls } = fakeFetch(ready(), zip(archive));
		const target = path.join(dir, "good.zip");
		await expect(client(fetch).exports.download("e1", target)).resolves.toEqual({ path: target, bytes: archive.length, sha256: digest });
		expect(fs.readFileSync(target).equals(archive)).toBe(true);
		expect(calls[1].url).toBe("http://api.test/api/v1/exports/e1/download");
		expect(fs.readdirSync(dir)).toEqual(["good.zip"]);
	});

	it("keeps nothing and throws when the bytes do not match", async () => {
		const tampered = Buffer.from(archive);
		tampered[100] ^= 0xff;
		const { fetch } = fakeFetch(ready(), zip(tampered));
		const target = path.join(dir, "bad.zip");
		const error = await client(fetch)
			.exports.download("e1", target)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(PixCrawlerError);
		expect((error as Error).message).toMatch(/corrupt/);
		expect(fs.existsSync(target)).toBe(false);
		expect(fs.readdirSync(dir).filter((name) => name.includes("bad.zip"))).toEqual([]);
	});

	it("refuses to download an export that is not ready", async () => {
		const { fetch, calls } = fakeFetch(json({ id: "e1", status: "running", sha256: null }));
		await expect(client(fetch).exports.download("e1", path.join(dir, "early.zip"))).rejects.toThrow(/not ready/);
		expect(calls).toHaveLength(1);
	});

	it("waits until an export is ready, reporting progress", async () => {
		const { fetch } = fakeFetch(
			json({ id: "e1", status: "queued", progress: { done: 0, total: 2 } }),
			json({ id: "e1", status: "running", progress: { done: 1, total: 2 } }),
			json({ id: "e1", status: "ready", progress: { done: 2, total: 2 }, sha256: digest }),
		);
		const seen: string[] = [];
		const done = await client(fetch).exports.waitUntilReady("e1", { intervalMs: 5, onProgress: (current) => seen.push(current.status) });
		expect(done.sha256).toBe(digest);
		expect(seen).toEqual(["queued", "running", "ready"]);
	});

	it("throws when the export fails or takes too long", async () => {
		const failed = fakeFetch(json({ id: "e1", status: "failed", error: "over quota" }));
		await expect(client(failed.fetch).exports.waitUntilReady("e1")).rejects.toThrow(/over quota/);
		const slow = fakeFetch(...Array.from({ length: 50 }, () => json({ id: "e1", status: "running" })));
		await expect(client(slow.fetch).exports.waitUntilReady("e1", { timeoutMs: 40, intervalMs: 10 })).rejects.toThrow(TimeoutError);
	});
});
