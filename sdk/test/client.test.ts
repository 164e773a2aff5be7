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
	type PixCrawlerOptions,
	RateLimitError,
	ServerError,
	TimeoutError,
	ValidationError,
} from "../src";
import { binary, hangUp, json, type LocalApi, problem, stall, startLocalApi, tap, text } from "./support/local-api";

// Every test talks to its own scripted server over real HTTP, with the global fetch.
let api: LocalApi;
beforeEach(async () => {
	api = await startLocalApi();
});
afterEach(async () => {
	const unexpected = api.unexpected.map((request) => `${request.method} ${request.url}`);
	await api.close();
	expect(unexpected).toEqual([]);
});

/** A client of the local server; retries wait at most a few milliseconds unless the test says otherwise. */
const client = (options: PixCrawlerOptions = {}) =>
	new PixCrawler({ token: "pxc_test", baseUrl: api.url, retryBaseMs: 1, retryMaxMs: 1000, ...options });

/** Path and query of every request received so far. */
const urls = () => api.requests.map((request) => request.url);

function withEnv(vars: Record<string, string | undefined>, run: () => Promise<void>) {
	const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
	const apply = (values: Record<string, string | undefined>) => {
		for (const [key, value] of Object.entries(values)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	};
	apply(vars);
	return run().finally(() => apply(saved));
}

describe("the transport", () => {
	it("sends the token, JSON bodies and query strings to /api/v1", async () => {
		api.reply(json({ id: "d1" }, 201), json({ items: [], total: 0, page: 2, pageSize: 5 }));
		const sdk = client();
		await expect(
			sdk.datasets.create({ name: "pets", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] }),
		).resolves.toEqual({ id: "d1" });
		await sdk.datasets.list({ page: 2, pageSize: 5, status: "ready", name: undefined });
		const [create, list] = api.requests;
		expect(create).toMatchObject({ method: "POST", url: "/api/v1/datasets" });
		expect(create.headers).toMatchObject({
			authorization: "Bearer pxc_test",
			"content-type": "application/json",
			accept: "application/json",
		});
		expect(JSON.parse(create.body)).toEqual({ name: "pets", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] });
		expect(list).toMatchObject({ method: "GET", url: "/api/v1/datasets?page=2&pageSize=5&status=ready", body: "" });
		expect(list.headers["content-type"]).toBeUndefined();
		expect(sdk.baseUrl).toBe(`${api.url}/api/v1`);
	});

	it("adds /api/v1 to a base URL once, after any path prefix", async () => {
		api.reply(json({ id: "u1" }), json({ id: "u1" }));
		await client({ baseUrl: `${api.url}/pix/` }).me();
		const rooted = client({ baseUrl: `${api.url}/api/v1//` });
		await rooted.me();
		expect(urls()).toEqual(["/pix/api/v1/auth/me", "/api/v1/auth/me"]);
		expect(rooted.baseUrl).toBe(`${api.url}/api/v1`);
	});

	it("escapes ids in paths", async () => {
		api.reply(json({ id: "a/b c" }));
		await client().datasets.get("a/b c");
		expect(urls()).toEqual(["/api/v1/datasets/a%2Fb%20c"]);
	});

	it("answers undefined for 204 No Content", async () => {
		api.reply((_request, res) => {
			res.writeHead(204).end();
		});
		await expect(client().datasets.delete("d1")).resolves.toBeUndefined();
		expect(api.requests[0]).toMatchObject({ method: "DELETE", url: "/api/v1/datasets/d1" });
	});

	it("reads the token and base URL from the environment", () =>
		withEnv({ PIXCRAWLER_API_TOKEN: "pxc_env", PIXCRAWLER_BASE_URL: `${api.url}/api/v1/` }, async () => {
			api.reply(json({ id: "u1" }));
			const sdk = new PixCrawler();
			await expect(sdk.me()).resolves.toEqual({ id: "u1" });
			expect(sdk.baseUrl).toBe(`${api.url}/api/v1`);
			expect(api.requests[0].url).toBe("/api/v1/auth/me");
			expect(api.requests[0].headers.authorization).toBe("Bearer pxc_env");
		}));

	it("prefers the options to the environment", () =>
		withEnv({ PIXCRAWLER_API_TOKEN: "pxc_env", PIXCRAWLER_BASE_URL: "http://127.0.0.1:1" }, async () => {
			api.reply(json({ id: "u1" }));
			await new PixCrawler({ token: "pxc_option", baseUrl: api.url }).me();
			expect(api.requests[0].headers.authorization).toBe("Bearer pxc_option");
		}));

	it("refuses to send anything without a token", () =>
		withEnv({ PIXCRAWLER_API_TOKEN: undefined }, async () => {
			const sdk = new PixCrawler({ baseUrl: api.url });
			await expect(sdk.me()).rejects.toThrow(AuthenticationError);
			await expect(sdk.me()).rejects.toThrow(/PIXCRAWLER_API_TOKEN/);
			expect(api.requests).toHaveLength(0);
		}));

	it("uses the fetch it is given", async () => {
		let calls = 0;
		const counting: FetchLike = (input, init) => {
			calls++;
			return fetch(input, init);
		};
		api.reply(json({ id: "u1" }), json({ id: "d1" }));
		const sdk = client({ fetch: counting });
		await sdk.me();
		await sdk.datasets.get("d1");
		expect(calls).toBe(2);
		expect(urls()).toEqual(["/api/v1/auth/me", "/api/v1/datasets/d1"]);
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
		api.reply(problem(status));
		const error = await client({ maxRetries: 0 })
			.datasets.get("d1")
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(type);
		expect(error).toBeInstanceOf(PixCrawlerError);
		expect(error).toMatchObject({ status, requestId: `req-${status}`, message: `failed with ${status}` });
		expect((error as PixCrawlerError).problem).toMatchObject({ status, type: `https://pixcrawler.dev/problems/http-${status}` });
		expect((error as PixCrawlerError).fields).toEqual([]);
		expect(api.requests).toHaveLength(1);
	});

	it("gives a validation error's fields", async () => {
		const errors = [
			{ field: "name", message: "The 'name' field is required." },
			{ field: "categories", message: "too few" },
		];
		api.reply(problem(422, { errors }));
		const error = (await client()
			.datasets.create({ name: "", categories: [], sources: [] })
			.catch((caught: unknown) => caught)) as ValidationError;
		expect(error).toBeInstanceOf(ValidationError);
		expect(error.fields).toEqual(errors);
	});

	it("gives a rate-limit error's Retry-After in seconds, from the header before the body", async () => {
		api.reply(problem(429, { retryAfter: 99 }, { "Retry-After": "7" }), problem(429, { retryAfter: 99 }), problem(429));
		const sdk = client({ maxRetries: 0 });
		const retryAfter = async () => ((await sdk.me().catch((caught: unknown) => caught)) as RateLimitError).retryAfter;
		await expect(retryAfter()).resolves.toBe(7);
		await expect(retryAfter()).resolves.toBe(99);
		await expect(retryAfter()).resolves.toBeNull();
	});

	it("takes the request id from the header when the body has none", async () => {
		api.reply(text("gateway exploded", 500, { "X-Request-ID": "abc-123" }));
		const error = (await client()
			.jobs.cancel("j1")
			.catch((caught: unknown) => caught)) as ServerError;
		expect(error).toBeInstanceOf(ServerError);
		expect(error.requestId).toBe("abc-123");
		expect(error.message).toBe("gateway exploded");
	});

	it("retries a 503 after the Retry-After the server asked for, then succeeds", async () => {
		api.reply(problem(503, {}, { "Retry-After": "0.2" }), problem(503, {}, { "Retry-After": "0.1" }), json({ id: "d1", name: "pets" }));
		await expect(client().datasets.get("d1")).resolves.toMatchObject({ id: "d1" });
		const times = api.requests.map((request) => request.receivedAt);
		expect(times).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(190);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(90);
	});

	it("waits no longer than retryMaxMs, whatever Retry-After says", async () => {
		api.reply(problem(503, {}, { "Retry-After": "60" }), json({ id: "d1" }));
		const started = Date.now();
		await expect(client({ retryMaxMs: 20 }).datasets.get("d1")).resolves.toEqual({ id: "d1" });
		expect(Date.now() - started).toBeLessThan(1000);
		expect(api.requests).toHaveLength(2);
	});

	it("gives up on a 429 at once when its Retry-After is longer than retryMaxMs (a budget that refills later)", async () => {
		api.reply(problem(429, { limit: "imagesPerDay" }, { "Retry-After": "36000" }), json({ id: "d1" }));
		const error = (await client({ retryMaxMs: 1000 })
			.datasets.get("d1")
			.catch((caught: unknown) => caught)) as RateLimitError;
		expect(error).toBeInstanceOf(RateLimitError);
		expect(error.retryAfter).toBe(36000);
		expect(api.requests).toHaveLength(1);
	});

	it("retries 429, 502 and 504 and network errors for idempotent requests, up to maxRetries", async () => {
		api.reply(problem(429), problem(502), hangUp, problem(504));
		const error = await client({ maxRetries: 3 })
			.tokens.revoke("t1")
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(ServerError);
		expect((error as ServerError).status).toBe(504);
		expect(api.requests).toHaveLength(4);
		expect(api.requests.every((request) => request.method === "DELETE" && request.url === "/api/v1/tokens/t1")).toBe(true);
	});

	it("gives up on network errors with a NetworkError", async () => {
		api.reply(hangUp, hangUp);
		const error = await client({ maxRetries: 1 })
			.me()
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NetworkError);
		expect(error).toMatchObject({ status: 0, requestId: null });
		expect(api.requests).toHaveLength(2);
	});

	it("reports a refused connection as a NetworkError", async () => {
		const closed = await startLocalApi();
		await closed.close();
		await expect(client({ baseUrl: closed.url, maxRetries: 0 }).me()).rejects.toThrow(NetworkError);
	});

	it("does not retry other statuses", async () => {
		api.reply(problem(500));
		await expect(client().me()).rejects.toThrow(ServerError);
		expect(api.requests).toHaveLength(1);
	});

	it("does not retry a POST after a 5xx, which may have taken effect, nor after a business 409", async () => {
		api.reply(problem(503, {}, { "Retry-After": "0" }));
		await expect(client().datasets.build("d1")).rejects.toThrow(ServerError);
		expect(api.requests).toHaveLength(1);
		api.reply(problem(500), problem(502), problem(504), problem(409, { detail: "The dataset is being built" }));
		await expect(client().exports.create("d1", { format: "csv" })).rejects.toThrow(ServerError);
		await expect(client().datasets.cancel("d1")).rejects.toThrow(ServerError);
		await expect(client().jobs.retry("j1")).rejects.toThrow(ServerError);
		await expect(client().datasets.build("d1")).rejects.toThrow(ConflictError);
		expect(api.requests.map((request) => request.method)).toEqual(["POST", "POST", "POST", "POST", "POST"]);
	});

	it("sends a new Idempotency-Key with every POST and the same one on each retry: after no answer, a 429, and a 409 saying the first attempt still runs", async () => {
		api.reply(hangUp, problem(429, {}, { "Retry-After": "0" }), problem(409, {}, { "Retry-After": "0" }), json({ id: "e1" }, 202));
		await expect(client().exports.create("d1", { format: "csv" })).resolves.toEqual({ id: "e1" });
		const keys = api.requests.map((request) => request.headers["idempotency-key"]);
		expect(keys).toHaveLength(4);
		expect(new Set(keys).size).toBe(1);
		expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(new Set(api.requests.map((request) => request.body)).size).toBe(1);
		api.reply(json({ id: "d2" }, 201), json({ id: "d3" }, 201));
		await client().datasets.build("d2");
		await client().datasets.build("d3");
		const [, , , , second, third] = api.requests.map((request) => request.headers["idempotency-key"]);
		expect(second).not.toBe(keys[0]);
		expect(third).not.toBe(second);
		// reads carry none
		api.reply(json({ id: "u1" }));
		await client().me();
		expect(api.requests.at(-1)?.headers["idempotency-key"]).toBeUndefined();
	});

	it("keeps a caller's own Idempotency-Key, gives up after maxRetries, and does not retry a 409 on the first attempt", async () => {
		api.reply(hangUp, hangUp);
		const error = await client({ maxRetries: 1 })
			.datasets.create(
				{ name: "pets", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] },
				{ idempotencyKey: "my-own-key" },
			)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(NetworkError);
		expect(api.requests.map((request) => request.headers["idempotency-key"])).toEqual(["my-own-key", "my-own-key"]);
		api.reply(problem(409, {}, { "Retry-After": "0" }));
		await expect(client().datasets.build("d1")).rejects.toThrow(ConflictError);
		expect(api.requests).toHaveLength(3);
	});

	it("gives up with a TimeoutError when the answer takes too long", async () => {
		let connectionClosed: () => void = () => undefined;
		const closed = new Promise<void>((resolve) => {
			connectionClosed = resolve;
		});
		api.reply((request, res) => {
			res.once("close", connectionClosed);
			return stall(5000)(request, res);
		});
		const started = Date.now();
		await expect(client({ timeoutMs: 50, maxRetries: 0 }).me()).rejects.toThrow(TimeoutError);
		expect(Date.now() - started).toBeLessThan(1000);
		await closed; // the client dropped the request rather than leaving it open
		expect(api.requests).toHaveLength(1);
	});

	it("times out on a body that never finishes", async () => {
		api.reply((request, res) => {
			res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
			res.write('{"id":');
			return stall(5000)(request, res);
		});
		await expect(client({ timeoutMs: 100, maxRetries: 0 }).me()).rejects.toThrow(TimeoutError);
	});

	it("stops when the caller's signal aborts, with its reason, and does not retry", async () => {
		const controller = new AbortController();
		const abortSoon = () => setTimeout(() => controller.abort(new Error("user stopped")), 20);
		api.reply(tap(abortSoon, stall(5000)), json({}));
		await expect(client().datasets.get("d1", { signal: controller.signal })).rejects.toThrow("user stopped");
		expect(api.requests).toHaveLength(1);
	});

	it("stops waiting between retries when the caller's signal aborts", async () => {
		const controller = new AbortController();
		api.reply(
			tap(() => setTimeout(() => controller.abort(new Error("enough")), 100), problem(503, {}, { "Retry-After": "5" })),
			json({}),
		);
		const started = Date.now();
		await expect(client({ retryMaxMs: 10_000 }).me({ signal: controller.signal })).rejects.toThrow("enough");
		expect(Date.now() - started).toBeLessThan(2000);
		expect(api.requests).toHaveLength(1);
	});

	it("sends nothing when the signal has already aborted", async () => {
		await expect(client().me({ signal: AbortSignal.abort(new Error("too late")) })).rejects.toThrow("too late");
		expect(api.requests).toHaveLength(0);
	});
});

describe("pagination", () => {
	it("iterates over every page", async () => {
		const page = (n: number, ids: string[]) => json({ items: ids.map((id) => ({ id })), total: 5, page: n, pageSize: 2 });
		api.reply(page(1, ["a", "b"]), page(2, ["c", "d"]), page(3, ["e"]));
		const ids: string[] = [];
		for await (const image of client().images.iterate("d1", { pageSize: 2, label: "cat" })) ids.push(image.id);
		expect(ids).toEqual(["a", "b", "c", "d", "e"]);
		const queries = api.requests.map((request) => new URL(request.url, api.url));
		expect(queries.map((url) => url.pathname)).toEqual(Array(3).fill("/api/v1/datasets/d1/images"));
		expect(queries.map((url) => url.searchParams.get("page"))).toEqual(["1", "2", "3"]);
		expect(queries.every((url) => url.searchParams.get("label") === "cat" && url.searchParams.get("pageSize") === "2")).toBe(true);
	});

	it("starts at the page asked for", async () => {
		api.reply(json({ items: [{ id: "c" }], total: 3, page: 3, pageSize: 1 }));
		const seen = [];
		for await (const dataset of client().datasets.iterate({ page: 3, pageSize: 1 })) seen.push(dataset);
		expect(seen).toEqual([{ id: "c" }]);
		expect(urls()).toEqual(["/api/v1/datasets?page=3&pageSize=1"]);
	});

	it("stops on an empty page", async () => {
		api.reply(json({ items: [{ id: "a" }], total: 10, page: 1, pageSize: 1 }), json({ items: [], total: 10, page: 2, pageSize: 1 }));
		const seen = [];
		for await (const dataset of client().datasets.iterate()) seen.push(dataset);
		expect(seen).toHaveLength(1);
		expect(api.requests).toHaveLength(2);
	});
});

describe("exports", () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-"));
	afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

	const archive = Buffer.from("PK\u0003\u0004 a zip of many images ".repeat(2000));
	const digest = createHash("sha256").update(archive).digest("hex");
	const ready = (sha256 = digest) => json({ id: "e1", status: "ready", sha256, bytes: archive.length });
	/** Files in the download directory whose names mention `name` (the target and its temporary files). */
	const leftovers = (name: string) => fs.readdirSync(dir).filter((entry) => entry.includes(name));

	it("downloads to the path once the SHA-256 matches", async () => {
		api.reply(ready(), binary(archive));
		const target = path.join(dir, "good.zip");
		await expect(client().exports.download("e1", target)).resolves.toMatchObject({ path: target, bytes: archive.length, sha256: digest });
		expect(fs.readFileSync(target).equals(archive)).toBe(true);
		expect(urls()).toEqual(["/api/v1/exports/e1", "/api/v1/exports/e1/download"]);
		expect(api.requests[1].headers.accept).toContain("application/zip");
		expect(api.requests[1].headers.authorization).toBe("Bearer pxc_test");
		expect(leftovers("good.zip")).toEqual(["good.zip"]);
	});

	it("keeps nothing and throws when the bytes do not match", async () => {
		const tampered = Buffer.from(archive);
		tampered[100] ^= 0xff;
		api.reply(ready(), binary(tampered));
		const target = path.join(dir, "bad.zip");
		const error = await client()
			.exports.download("e1", target)
			.catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(PixCrawlerError);
		expect((error as Error).message).toMatch(/corrupt/);
		expect(fs.existsSync(target)).toBe(false);
		expect(leftovers("bad.zip")).toEqual([]);
	});

	it("gives the download's time limit to its headers only, not to a slow body", async () => {
		api.reply(ready(), binary(archive, { chunkBytes: 8192, delayMs: 25 }));
		const target = path.join(dir, "slow.zip");
		await expect(client({ timeoutMs: 80 }).exports.download("e1", target)).resolves.toMatchObject({ sha256: digest });
		expect(fs.readFileSync(target).equals(archive)).toBe(true);
	});

	it("stops a download halfway when the caller's signal aborts, with its reason", async () => {
		const controller = new AbortController();
		api.reply(
			ready(),
			tap(() => setTimeout(() => controller.abort(new Error("stop downloading")), 60), binary(archive, { chunkBytes: 4096, delayMs: 20 })),
		);
		const target = path.join(dir, "aborted.zip");
		await expect(client().exports.download("e1", target, { signal: controller.signal })).rejects.toThrow("stop downloading");
		expect(fs.existsSync(target)).toBe(false);
		expect(api.requests).toHaveLength(2);
	});

	it("continues a broken download with a range request", async () => {
		api.reply(ready(), binary(archive, { ranges: true, cutAfter: 20_000 }), binary(archive, { ranges: true }));
		const target = path.join(dir, "resumed.zip");
		await expect(client().exports.download("e1", target)).resolves.toMatchObject({ bytes: archive.length, sha256: digest });
		expect(fs.readFileSync(target).equals(archive)).toBe(true);
		expect(urls()).toEqual(["/api/v1/exports/e1", "/api/v1/exports/e1/download", "/api/v1/exports/e1/download"]);
		expect(api.requests[1].headers.range).toBeUndefined();
		expect(api.requests[2].headers.range).toMatch(/^bytes=[1-9]\d*-$/);
		expect(api.requests[2].headers["if-range"]).toBe(`"${digest}"`);
		expect(leftovers("resumed.zip")).toEqual(["resumed.zip"]);
	});

	it("refuses to download an export that is not ready", async () => {
		api.reply(json({ id: "e1", status: "running", sha256: null }));
		await expect(client().exports.download("e1", path.join(dir, "early.zip"))).rejects.toThrow(/not ready/);
		expect(api.requests).toHaveLength(1);
		expect(leftovers("early.zip")).toEqual([]);
	});

	it("waits until an export is ready, reporting progress", async () => {
		api.reply(
			json({ id: "e1", status: "queued", progress: { done: 0, total: 2 } }),
			json({ id: "e1", status: "running", progress: { done: 1, total: 2 } }),
			json({ id: "e1", status: "ready", progress: { done: 2, total: 2 }, sha256: digest }),
		);
		const seen: string[] = [];
		const done = await client().exports.waitUntilReady("e1", { intervalMs: 5, onProgress: (current) => seen.push(current.status) });
		expect(done.sha256).toBe(digest);
		expect(seen).toEqual(["queued", "running", "ready"]);
		expect(urls()).toEqual(Array(3).fill("/api/v1/exports/e1"));
	});

	it("throws when the export fails", async () => {
		api.reply(json({ id: "e1", status: "failed", error: "over quota" }));
		await expect(client().exports.waitUntilReady("e1")).rejects.toThrow(/over quota/);
	});

	it("throws a TimeoutError when the export takes too long", async () => {
		api.fallback(json({ id: "e1", status: "running" }));
		await expect(client().exports.waitUntilReady("e1", { timeoutMs: 40, intervalMs: 10 })).rejects.toThrow(TimeoutError);
		expect(api.requests.length).toBeGreaterThan(1);
	});
});
