import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
	auth,
	BuildFailedError,
	downloadDataset,
	getDatasetInfo,
	type Job,
	listDatasets,
	loadDataset,
	NetworkError,
	PixCrawler,
	PixCrawlerError,
	partPath,
	readServerSentEvents,
	TimeoutError,
} from "../src";
import { binary, hangUp, json, type LocalApi, problem, type Reply, startLocalApi, text } from "./support/local-api";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const archive = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251));
const ARCHIVE_SHA = sha256(archive);

const exportRecord = (extra: Record<string, unknown> = {}) => ({
	id: "e1",
	datasetId: "d1",
	format: "imagefolder",
	split: null,
	licences: null,
	status: "ready",
	sha256: ARCHIVE_SHA,
	bytes: archive.length,
	...extra,
});

const job = (status: string, valid: number, extra: Record<string, unknown> = {}) => ({
	id: "j1",
	datasetId: "d1",
	status,
	step: "download",
	progress: { found: 10, downloaded: valid, valid, duplicates: 0, rejected: 0, failedTasks: 0 },
	targets: { cat: 4 },
	error: null,
	...extra,
});
const dataset = (status: string, extra: Record<string, unknown> = {}) => ({
	id: "d1",
	name: "cats",
	status,
	currentJobId: "j1",
	categories: [{ label: "cat" }, { label: "dog" }],
	...extra,
});

/** A text/event-stream answer carrying `frames` (each `[event, data]`), then the end of the stream. */
const events =
	(frames: [string, unknown][]): Reply =>
	(_request, res) => {
		res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8" });
		res.write("retry: 2000\n\n: a comment\n\n");
		frames.forEach(([event, data], index) => {
			res.write(`id: ${index + 1}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
		});
		res.end();
	};

describe("downloads, build waits and module helpers against a local API", () => {
	let api: LocalApi;
	let dir: string;
	let client: PixCrawler;

	beforeEach(async () => {
		api = await startLocalApi();
		dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-transfers-"));
		client = new PixCrawler({ token: "pxc_test_token", baseUrl: api.url, maxRetries: 2, retryBaseMs: 1, retryMaxMs: 5 });
	});
	afterEach(async () => {
		expect(api.unexpected).toEqual([]);
		await api.close();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	describe("exports.download", () => {
		it("continues a broken download with a range request and checks the whole file", async () => {
			api.reply(json(exportRecord()), binary(archive, { ranges: true, cutAfter: 20_000 }), binary(archive, { ranges: true }));
			const seen: number[] = [];
			const target = path.join(dir, "cats.zip");
			const result = await client.exports.download("e1", target, { onProgress: ({ bytes, total }) => seen.push(bytes / (total ?? 1)) });
			expect(result).toEqual({ path: target, bytes: archive.length, sha256: ARCHIVE_SHA, resumed: true });
			expect(fs.readFileSync(target)).toEqual(archive);
			const resumedRequest = api.requests[2];
			expect(resumedRequest.headers.range).toBe("bytes=20000-");
			expect(resumedRequest.headers["if-range"]).toBe(`"${ARCHIVE_SHA}"`);
			expect(seen.at(-1)).toBe(1);
			expect(fs.readdirSync(dir)).toEqual(["cats.zip"]);
		});

		it("starts again from the first byte when the server ignores ranges", async () => {
			api.reply(json(exportRecord()), binary(archive, { cutAfter: 1000 }), binary(archive));
			const result = await client.exports.download("e1", path.join(dir, "cats.zip"));
			expect(result).toMatchObject({ sha256: ARCHIVE_SHA, resumed: false });
			// whatever part it asked to continue (bytes in flight may have been lost), it got and kept the whole file
			expect(api.requests).toHaveLength(3);
		});

		it("keeps the part of an interrupted call, and the next call continues from it", async () => {
			const once = new PixCrawler({ token: "pxc_test_token", baseUrl: api.url, maxRetries: 0 });
			const target = path.join(dir, "cats.zip");
			api.reply(json(exportRecord()), binary(archive, { ranges: true, cutAfter: 30_000 }));
			await expect(once.exports.download("e1", target)).rejects.toThrow(NetworkError);
			expect(fs.statSync(partPath(target, ARCHIVE_SHA)).size).toBe(30_000);
			expect(fs.existsSync(target)).toBe(false);

			api.reply(json(exportRecord()), binary(archive, { ranges: true }));
			await expect(once.exports.download("e1", target)).resolves.toMatchObject({ resumed: true, bytes: archive.length });
			expect(api.requests.at(-1)?.headers.range).toBe("bytes=30000-");
			expect(sha256(fs.readFileSync(target))).toBe(ARCHIVE_SHA);
		});

		it("removes a corrupt download and says so", async () => {
			const tampered = Buffer.from(archive);
			tampered[100] ^= 0xff;
			api.reply(json(exportRecord()), binary(tampered));
			const error = await client.exports.download("e1", path.join(dir, "cats.zip")).catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(PixCrawlerError);
			expect((error as Error).message).toMatch(/corrupt.*expected/);
			expect(fs.readdirSync(dir)).toEqual([]);
		});

		it("stops on an abort and keeps what it had for later", async () => {
			const controller = new AbortController();
			api.reply(json(exportRecord()), binary(archive, { chunkBytes: 5000, delayMs: 30 }));
			const target = path.join(dir, "cats.zip");
			const pending = client.exports.download("e1", target, {
				signal: controller.signal,
				onProgress: ({ bytes }) => {
					if (bytes >= 10_000) controller.abort(new Error("the user pressed Ctrl-C"));
				},
			});
			await expect(pending).rejects.toThrow("the user pressed Ctrl-C");
			expect(fs.existsSync(partPath(target, ARCHIVE_SHA))).toBe(true);
		});
	});

	describe("images.download", () => {
		it("follows the signed link without sending the token and checks the image's hash", async () => {
			const photo = Buffer.from("a tabby cat, in JPEG");
			api.reply(
				json({ id: "i1", datasetId: "d1", sha256: sha256(photo), bytes: photo.length, url: "/api/v1/files/signed-token" }),
				binary(photo, { contentType: "image/jpeg" }),
			);
			const target = path.join(dir, "cat.jpg");
			await expect(client.images.download("d1", "i1", target)).resolves.toMatchObject({ sha256: sha256(photo) });
			expect(fs.readFileSync(target)).toEqual(photo);
			expect(api.requests[0].headers.authorization).toBe("Bearer pxc_test_token");
			expect(api.requests[1].url).toBe("/api/v1/files/signed-token");
			expect(api.requests[1].headers.authorization).toBeUndefined();
		});

		it("refuses an image that has no stored file", async () => {
			api.reply(json({ id: "i1", datasetId: "d1", sha256: "ab", url: null }));
			await expect(client.images.download("d1", "i1", path.join(dir, "x.jpg"))).rejects.toThrow(/no stored file/);
		});
	});

	describe("datasets.waitUntilReady", () => {
		it("follows the build's event stream and answers the ready dataset", async () => {
			api.reply(
				json(dataset("running")),
				events([
					["snapshot", job("running", 1)],
					["progress", job("running", 3)],
					["completed", job("done", 4)],
				]),
				json(dataset("ready")),
			);
			const progress: number[] = [];
			const ready = await client.datasets.waitUntilReady("d1", { onProgress: (current: Job) => progress.push(current.progress.valid) });
			expect(ready).toMatchObject({ id: "d1", status: "ready" });
			expect(progress).toEqual([1, 3, 4]);
			expect(api.requests[1]).toMatchObject({ url: "/api/v1/datasets/d1/events" });
			expect(api.requests[1].headers.accept).toContain("text/event-stream");
		});

		it("polls when the event stream is not available", async () => {
			api.reply(
				json(dataset("queued")),
				text("buffering proxy says no", 200),
				json(dataset("running")),
				json(job("running", 2)),
				json(dataset("ready")),
			);
			const progress: string[] = [];
			const ready = await client.datasets.waitUntilReady("d1", { intervalMs: 5, onProgress: (current) => progress.push(current.status) });
			expect(ready.status).toBe("ready");
			expect(progress).toEqual(["running"]);
		});

		it("falls back to polling after the stream broke off", async () => {
			const noRetries = new PixCrawler({ token: "pxc_test_token", baseUrl: api.url, maxRetries: 0 });
			api.reply(json(dataset("running")), hangUp, json(dataset("ready")));
			await expect(noRetries.datasets.waitUntilReady("d1", { intervalMs: 5 })).resolves.toMatchObject({ status: "ready" });
		});

		it("throws BuildFailedError with the job when the build fails", async () => {
			api.reply(
				json(dataset("running")),
				events([["completed", job("failed", 0, { error: "every source failed" })]]),
				json(dataset("failed")),
				json(job("failed", 0, { error: "every source failed" })),
			);
			const error = await client.datasets.waitUntilReady("d1").catch((caught: unknown) => caught);
			expect(error).toBeInstanceOf(BuildFailedError);
			expect((error as BuildFailedError).message).toContain("every source failed");
			expect((error as BuildFailedError).job).toMatchObject({ status: "failed" });
		});

		it("says when a dataset has no build to wait for, and when the wait runs out", async () => {
			api.reply(json(dataset("draft", { currentJobId: null })));
			await expect(client.datasets.waitUntilReady("d1")).rejects.toThrow(/has no build/);
			api.reply(json(dataset("running")), text("no stream", 200));
			api.fallback(json(dataset("running")));
			await expect(client.datasets.waitUntilReady("d1", { timeoutMs: 150, intervalMs: 20 })).rejects.toThrow(TimeoutError);
			api.fallback(null);
		});

		it("does not poll around a refused dataset", async () => {
			api.reply(json(dataset("running")), problem(404));
			await expect(client.datasets.waitUntilReady("d1")).rejects.toMatchObject({ status: 404 });
		});
	});

	describe("list methods", () => {
		const page = (ids: string[], number: number, total: number) =>
			json({ items: ids.map((id) => ({ id })), total, page: number, pageSize: 2 });

		it("answer one page when awaited and every item of every page when iterated, sending nothing before", async () => {
			const list = client.jobs.list({ status: "done", pageSize: 2 });
			await new Promise((resolve) => setTimeout(resolve, 20));
			expect(api.requests).toHaveLength(0);

			api.reply(page(["a", "b"], 1, 5));
			await expect(list).resolves.toMatchObject({ total: 5, items: [{ id: "a" }, { id: "b" }] });
			// awaited again: the same page, not a second request
			await expect(list).resolves.toMatchObject({ page: 1 });
			expect(api.requests.map((request) => request.url)).toEqual(["/api/v1/jobs?status=done&pageSize=2&page=1"]);

			api.reply(page(["a", "b"], 1, 5), page(["c", "d"], 2, 5), page(["e"], 3, 5));
			const ids: string[] = [];
			for await (const job of client.jobs.list({ status: "done", pageSize: 2 })) ids.push(job.id);
			expect(ids).toEqual(["a", "b", "c", "d", "e"]);
			expect(api.requests.map((request) => request.url).slice(1)).toEqual([
				"/api/v1/jobs?status=done&pageSize=2&page=1",
				"/api/v1/jobs?status=done&pageSize=2&page=2",
				"/api/v1/jobs?status=done&pageSize=2&page=3",
			]);
		});

		it("collect every item with all(), starting at the page asked for", async () => {
			api.reply(page(["c", "d"], 2, 4));
			const tokens = await client.tokens.list({ page: 2, pageSize: 2 }).all();
			expect(tokens.map((token) => token.id)).toEqual(["c", "d"]);
			expect(api.requests[0].url).toBe("/api/v1/tokens?page=2&pageSize=2");
		});
	});

	describe("module-level helpers", () => {
		beforeEach(() => {
			auth("pxc_module_token", api.url, { maxRetries: 0 });
		});

		it("list every dataset across pages and merge a dataset with its summary", async () => {
			api.reply(
				json({ items: [dataset("ready", { id: "a" })], total: 2, page: 1, pageSize: 1 }),
				json({ items: [dataset("ready", { id: "b" })], total: 2, page: 2, pageSize: 1 }),
			);
			expect((await listDatasets()).map((item) => item.id)).toEqual(["a", "b"]);
			expect(api.requests[0].headers.authorization).toBe("Bearer pxc_module_token");
			expect(api.requests[0].url).toBe("/api/v1/datasets?pageSize=100&page=1");

			api.fallback((request, res) =>
				json(request.url.endsWith("/metadata") ? { datasetId: "d1", labels: { cat: 4 } } : dataset("ready"))(request, res),
			);
			await expect(getDatasetInfo("d1")).resolves.toMatchObject({ id: "d1", status: "ready", metadata: { labels: { cat: 4 } } });
			api.fallback(null);
		});

		it("download a dataset, reusing a ready export of the same kind", async () => {
			api.reply(
				json({
					items: [exportRecord({ format: "csv" }), exportRecord({ id: "e2", split: { train: 0.8, val: 0.2, test: 0, seed: 42 } })],
					total: 2,
				}),
				json(exportRecord({ id: "e2" })),
				binary(archive),
			);
			const target = path.join(dir, "cats.zip");
			const result = await downloadDataset("d1", target, { split: { train: 0.8, val: 0.2, test: 0 } });
			expect(result).toMatchObject({ sha256: ARCHIVE_SHA, export: { id: "e2" } });
			expect(api.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
				"GET /api/v1/datasets/d1/exports?pageSize=100&page=1",
				"GET /api/v1/exports/e2",
				"GET /api/v1/exports/e2/download",
			]);
		});

		it("download a dataset, writing a new export and waiting for it", async () => {
			api.reply(
				json({ items: [], total: 0 }),
				json(exportRecord({ status: "queued", sha256: null }), 202),
				json(exportRecord({ status: "running", sha256: null, progress: { done: 1, total: 2 } })),
				json(exportRecord()),
				json(exportRecord()),
				binary(archive),
			);
			const seen: string[] = [];
			const result = await downloadDataset("d1", path.join(dir, "cats.zip"), {
				format: "huggingface",
				onExportProgress: (current) => seen.push(current.status),
			});
			expect(result.export.status).toBe("ready");
			expect(JSON.parse(api.requests[1].body)).toEqual({ format: "huggingface" });
			expect(seen).toEqual(["running", "ready"]);
		});

		it("load a dataset's index and read its images, checked against their hashes", async () => {
			const photo = Buffer.from("cat photo");
			const image = { id: "i1", datasetId: "d1", label: "cat", sha256: sha256(photo), status: "valid", url: "/api/v1/files/old" };
			api.reply(
				json(dataset("ready")),
				json({ items: [image], total: 1, page: 1, pageSize: 100 }),
				json({ items: [], total: 0, page: 1, pageSize: 100 }),
			);
			const loaded = await loadDataset("d1");
			expect(loaded.labels).toEqual(["cat", "dog"]);
			expect(loaded.counts).toEqual({ cat: 1, dog: 0 });
			expect(api.requests[1].url).toBe("/api/v1/datasets/d1/images?label=cat&status=valid&pageSize=100&page=1");

			api.reply(json({ ...image, url: "/api/v1/files/fresh" }), binary(photo, { contentType: "image/jpeg" }));
			await expect(loaded.items[0].read()).resolves.toEqual(photo);
			expect(api.requests.at(-1)?.url).toBe("/api/v1/files/fresh");
			api.reply(json({ ...image, url: "/api/v1/files/fresh" }), binary(Buffer.from("not the cat"), { contentType: "image/jpeg" }));
			await expect(loaded.items[0].read()).rejects.toThrow(/corrupt/);
		});
	});
});

describe("readServerSentEvents", () => {
	const streamOf = (...chunks: string[]) =>
		new ReadableStream<Uint8Array>({
			start(controller) {
				for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
				controller.close();
			},
		});

	it("joins lines cut across chunks, multi-line data and CRLF, and skips comments and empty events", async () => {
		const seen = [];
		for await (const event of readServerSentEvents(
			streamOf("retry: 10\n\n: ping\n\nid: 7\nevent: progress\nda", 'ta: {"a":\r\n', "data: 1}\r\n\r\nevent: empty\n\ndata: last\n\n"),
		)) {
			seen.push(event);
		}
		expect(seen).toEqual([
			{ event: "progress", data: '{"a":\n1}', id: "7" },
			{ event: "message", data: "last", id: "7" },
		]);
	});
});
