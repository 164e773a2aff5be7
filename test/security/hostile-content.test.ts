import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import request from "supertest";
import type { Config } from "../../lib/config";
import { Downloader, MAX_REDIRECTS } from "../../services/crawl/downloader";
import { PermanentError, type RejectReason, TransientError } from "../../services/crawl/errors";
import { type ValidationLevel, type ValidationOptions, validateImage } from "../../services/crawl/validation";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { DEFAULT_OPTIONS } from "../../services/dataset/definition";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { FAST_CRAWL_ENV } from "../support/platform";
import { type HostileWeb, startHostileWeb } from "./support/hostile-web";

/**
 * Hostile content against the real crawl path: a hostile web (./support/hostile-web.ts) serves bombs, pixel
 * bombs, truncated files, polyglots, disguised SVG and HTML, slow drips, endless redirects, enormous headers,
 * Content-Length lies and oversized bodies. Each is sent once through the downloader and validation directly
 * (timed), then all of them through a dataset build with the `urls` source. Each must be refused with its own
 * reason, within its limit, nothing of it stored or counted, and the process — which runs the crawl worker,
 * the rest of the platform and the hostile web itself — must not grow by more than MEMORY_BOUND while it
 * handles about 27 GiB worth of decompression bombs.
 */

const MiB = 1024 * 1024;
const MEMORY_BOUND = 100 * MiB;
/** Timers fire late by a few milliseconds, more on a busy machine. */
const TIMER_SLACK_MS = 500;

const env = {
	...FAST_CRAWL_ENV,
	CRAWL_MAX_IMAGE_BYTES: String(4 * MiB),
	CRAWL_HEADERS_TIMEOUT_MS: "1500",
	CRAWL_TOTAL_TIMEOUT_MS: "3000",
};
type Crawl = Config["crawl"];

interface HostileCase {
	path: string;
	what: string;
	reason: RejectReason;
	/** A transient failure: retried, and the task ends dead with `<reason>:` as its error. */
	retried?: boolean;
	/** The longest the crawler may spend on it. */
	within(crawl: Crawl): number;
	/** Must appear in the rejection's detail or error message. */
	detail?: RegExp;
}

/** Refused from what arrives at once: no timeout may be waited for. */
const atOnce = (crawl: Crawl) => crawl.headersTimeoutMs;
const totalTimeout = (crawl: Crawl) => crawl.totalTimeoutMs + TIMER_SLACK_MS;

const CASES: HostileCase[] = [
	{ path: "/bomb/gzip.jpg", what: "gzip bomb (Content-Encoding: gzip, 8 GiB)", reason: "unsupported_encoding", within: atOnce },
	{ path: "/bomb/deflate.jpg", what: "deflate bomb (Content-Encoding: deflate, 8 GiB)", reason: "unsupported_encoding", within: atOnce },
	{ path: "/bomb/br.jpg", what: "brotli bomb (Content-Encoding: br, 8 GiB)", reason: "unsupported_encoding", within: atOnce },
	{
		path: "/bomb/raw-gzip.jpg",
		what: "3 GiB gzip bomb as the body, image/jpeg",
		reason: "not_an_image",
		within: atOnce,
		detail: /application\/gzip/,
	},
	{ path: "/pixels/png-50000.png", what: "PNG claiming 50000×50000", reason: "decompression_bomb", within: atOnce },
	{ path: "/pixels/png-100000.png", what: "PNG claiming 100000×100000", reason: "decompression_bomb", within: atOnce },
	{ path: "/pixels/jpeg-50000.jpg", what: "JPEG claiming 50000×50000", reason: "decompression_bomb", within: atOnce },
	{ path: "/pixels/gif-65535.gif", what: "GIF claiming 65535×65535", reason: "decompression_bomb", within: atOnce },
	{ path: "/pixels/webp-16383.webp", what: "WebP claiming 16383×16383", reason: "decompression_bomb", within: atOnce },
	{ path: "/truncated/jpeg.jpg", what: "JPEG cut at 60 %", reason: "truncated", within: atOnce },
	{ path: "/truncated/png.png", what: "PNG cut at 60 %", reason: "truncated", within: atOnce },
	{ path: "/polyglot/jpeg-zip.jpg", what: "JPEG + ZIP appended", reason: "polyglot", within: atOnce, detail: /ZIP/ },
	{ path: "/polyglot/gifar.gif", what: "GIFAR (GIF + JAR)", reason: "polyglot", within: atOnce, detail: /ZIP/ },
	{ path: "/polyglot/jpeg-html-comment.jpg", what: "JPEG, HTML/JS in its comment", reason: "polyglot", within: atOnce, detail: /<html/ },
	{ path: "/polyglot/pdf-in-jpeg.jpg", what: "JPEG that is also a PDF", reason: "polyglot", within: atOnce, detail: /%PDF-/ },
	{ path: "/polyglot/html-gif-magic.gif", what: "HTML starting with GIF89a", reason: "polyglot", within: atOnce, detail: /<html/ },
	{ path: "/disguised/svg-as-jpeg.jpg", what: "SVG with script as image/jpeg", reason: "not_an_image", within: atOnce },
	{ path: "/disguised/svg.svg", what: "SVG with script as image/svg+xml", reason: "not_an_image", within: atOnce },
	{ path: "/disguised/html-as-png.png", what: "HTML page as image/png", reason: "not_an_image", within: atOnce },
	{
		path: "/drip/headers.jpg",
		what: "headers, one byte per 200 ms",
		reason: "timeout",
		retried: true,
		within: totalTimeout,
		detail: /Headers Timeout/,
	},
	{ path: "/drip/body.jpg", what: "body, one byte per 200 ms", reason: "timeout", retried: true, within: totalTimeout },
	{ path: "/redirect/loop/a", what: "redirect loop a → b → a", reason: "too_many_redirects", within: atOnce },
	{ path: "/redirect/chain/0", what: "endless redirect chain", reason: "too_many_redirects", within: atOnce },
	{ path: "/headers/one-megabyte.jpg", what: "one 1 MiB header", reason: "headers_too_large", within: atOnce },
	{ path: "/headers/thousands.jpg", what: "10 000 headers", reason: "headers_too_large", within: atOnce },
	{ path: "/length/claims-less.jpg", what: "Content-Length 100, whole JPEG sent", reason: "truncated", within: atOnce },
	{
		path: "/length/claims-more.jpg",
		what: "Content-Length 2× the JPEG sent, then close",
		reason: "truncated",
		retried: true,
		within: atOnce,
	},
	{ path: "/too-large/declared.jpg", what: "Content-Length 64 MiB", reason: "too_large", within: atOnce },
	{ path: "/too-large/streamed.jpg", what: "64 MiB, no Content-Length", reason: "too_large", within: atOnce },
];
/** Valid pictures that must be kept; one carries EXIF, XMP and an ICC profile, as photographs do. */
const CONTROLS = ["/ok/control-1.jpg", "/ok/control-2.png", "/ok/metadata-1.jpg"];

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Bytes a compressed stream inflates to, counted as they come out and thrown away. */
async function inflatedBytes(compressed: Buffer, inflater: zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress): Promise<number> {
	let count = 0;
	await pipeline([compressed], inflater, async (source: AsyncIterable<Buffer>) => {
		for await (const chunk of source) count += chunk.length;
	});
	return count;
}

interface MemorySample {
	rss: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
}
type MemoryKey = keyof MemorySample;
const MEMORY_KEYS: MemoryKey[] = ["rss", "heapUsed", "external", "arrayBuffers"];

function memoryNow(): MemorySample {
	const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
	return { rss, heapUsed, external, arrayBuffers };
}

/** The process's memory before, at its highest (sampled every 10 ms) and after. */
class MemoryWatch {
	readonly before = memoryNow();
	readonly peak = { ...this.before };
	after: MemorySample | null = null;
	private readonly timer = setInterval(() => this.sample(), 10);

	private sample(): MemorySample {
		const now = memoryNow();
		for (const key of MEMORY_KEYS) this.peak[key] = Math.max(this.peak[key], now[key]);
		return now;
	}

	stop(): void {
		clearInterval(this.timer);
		this.after = this.sample();
	}
}

const mb = (bytes: number) => `${(bytes / MiB).toFixed(1)} MB`;

describe("hostile content is refused with its reason, within its limits, in bounded memory", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-hostile-"));
	let web: HostileWeb;
	let gateway: RunningGateway;
	let crawl: Crawl;
	let downloader: Downloader;
	let alice: string;
	let memory: MemoryWatch;
	/** Each case's outcome and time in the direct pass, for the report. */
	const measured = new Map<string, { reason: string; ms: number }>();

	const api = () => request(gateway.url);
	const url = (pathname: string) => `${web.url}${pathname}`;
	/** The options a build with the default dataset options validates with (services/crawl/handlers.ts). */
	const validationOptions = (): ValidationOptions => ({
		level: DEFAULT_OPTIONS.validationLevel as ValidationLevel,
		formats: DEFAULT_OPTIONS.formats,
		minWidth: DEFAULT_OPTIONS.minWidth,
		minHeight: DEFAULT_OPTIONS.minHeight,
		maxPixels: crawl.maxPixels,
		maxBytes: crawl.maxImageBytes,
	});

	/** What the crawl worker does with one URL (services/crawl/handlers.ts keepImage): download, then validate. */
	async function verdict(pathname: string): Promise<{ reason: string; retried: boolean; detail: string } | { accepted: true }> {
		try {
			const downloaded = await downloader.download(url(pathname));
			const checked = await validateImage(downloaded.body, validationOptions());
			return checked.ok ? { accepted: true } : { reason: checked.reason, retried: false, detail: checked.detail };
		} catch (error) {
			if (error instanceof PermanentError) return { reason: error.reason, retried: false, detail: error.message };
			if (error instanceof TransientError) return { reason: error.reason ?? "unknown", retried: true, detail: error.message };
			throw error;
		}
	}

	beforeAll(async () => {
		web = await startHostileWeb({ dripIntervalMs: 200 });
		const platformEnv = { ...env, PIXCRAWLER_DATA_DIR: dataDir };
		const config = testConfig(platformEnv);
		crawl = config.crawl;
		gateway = await startGateway({
			env: platformEnv,
			services: [createStorageService(config), createDatasetService(config), createCrawlService(config), createCrawlWorkerService(config)],
			waitFor: ["crawl.build", "crawl.getJob"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		downloader = new Downloader(crawl);
		// warm up what the first image loads (the sniffer, sharp's decoders, robots.txt for the host)
		for (const control of CONTROLS) expect(await verdict(control)).toEqual({ accepted: true });
	}, 30000);

	afterAll(async () => {
		memory?.stop();
		await downloader?.close();
		await gateway?.stop();
		await web?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("serves real bombs: each inflates at the ratio that makes its full body gigabytes", async () => {
		for (const [kind, inflater] of [
			["gzip", zlib.createGunzip()],
			["deflate", zlib.createInflate()],
			["br", zlib.createBrotliDecompress()],
		] as const) {
			const bomb = web.bombs[kind];
			expect(await inflatedBytes(bomb.sample, inflater)).toBe(64 * MiB);
			expect(bomb.sample.length).toBeLessThan((64 * MiB) / 1000);
			// the body served repeats the sample's unit: the same ratio, to the size announced
			expect(bomb.compressed).toBeLessThan(bomb.inflated / 1000);
			expect(bomb.inflated).toBeGreaterThanOrEqual(8 * 1024 * MiB);
		}
		expect(web.bombs.rawGzip.inflated).toBeGreaterThanOrEqual(3 * 1024 * MiB);
		// small enough to be downloaded whole: the validator, not the byte limit, must refuse it
		expect(web.bombs.rawGzip.compressed).toBeLessThan(crawl.maxImageBytes);
	});

	describe("with the process's memory watched", () => {
		beforeAll(() => {
			memory = new MemoryWatch();
		});

		it.each(CASES)("$path ($what): $reason", async (hostile) => {
			const started = performance.now();
			const outcome = await verdict(hostile.path);
			const ms = performance.now() - started;
			measured.set(hostile.path, { reason: "reason" in outcome ? outcome.reason : "ACCEPTED", ms });
			expect(outcome).toMatchObject({ reason: hostile.reason, retried: hostile.retried ?? false });
			if (hostile.detail && "detail" in outcome) expect(outcome.detail).toMatch(hostile.detail);
			expect(ms).toBeLessThan(hostile.within(crawl));
		});

		it("refuses polyglots at every level, strict included, though strict would re-encode them", async () => {
			const polyglots = CASES.filter((hostile) => hostile.reason === "polyglot");
			expect(polyglots.length).toBeGreaterThanOrEqual(5);
			for (const hostile of polyglots) {
				const { body } = await downloader.download(url(hostile.path));
				for (const level of ["basic", "standard", "strict"] as const) {
					const checked = await validateImage(body, { ...validationOptions(), level });
					expect({ path: hostile.path, level, reason: checked.ok ? "accepted" : checked.reason }).toEqual({
						path: hostile.path,
						level,
						reason: "polyglot",
					});
				}
			}
		});

		it("keeps each connection to its limits: redirects followed, bytes taken from oversized bodies", async () => {
			// a loop and a chain each stop after the first request and MAX_REDIRECTS redirects
			expect(web.requests("/redirect/loop/")).toHaveLength(MAX_REDIRECTS + 1);
			expect(web.requests("/redirect/chain/")).toHaveLength(MAX_REDIRECTS + 1);
			// the crawler hangs up on an oversized body or a bomb at once: the server cannot push more than what
			// the sockets' buffers hold, far from the 64 MiB and 8 GiB it had to send
			const hungUpOn = [...web.requests("/too-large/"), ...web.requests("/bomb/")];
			await waitUntil(() => hungUpOn.every((served) => served.closed), 2000, "the crawler to close oversized connections");
			for (const served of hungUpOn) expect(served.bytesWritten).toBeLessThan(4 * crawl.maxImageBytes);
		});

		it("a build of every hostile URL keeps only the controls: each hostile one rejected with its reason, nothing of it stored", async () => {
			const permanent = CASES.filter((hostile) => !hostile.retried);
			const retried = CASES.filter((hostile) => hostile.retried);
			const labelOf = (hostile: HostileCase) => hostile.path.replace(/^\//, "").replace(/[/.]/g, "-");
			const requestsBefore = new Map(CASES.map((hostile) => [hostile.path, web.requests(hostile.path).length]));
			const usage = async () => (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
			const usageBefore = await usage();

			const created = await api()
				.post("/api/v1/datasets")
				.set("Authorization", alice)
				.send({
					name: "hostile",
					sources: ["urls"],
					categories: [
						{ label: "hostile", urls: [...permanent.map((hostile) => url(hostile.path)), ...CONTROLS.map(url)] },
						// each retried case in a label of its own: its download task, and so its last error, is its own
						...retried.map((hostile) => ({ label: labelOf(hostile), urls: [url(hostile.path)] })),
					],
				})
				.expect(201);
			const datasetId = created.body.id as string;
			const started = (await api().post(`/api/v1/datasets/${datasetId}/build`).set("Authorization", alice).expect(202)).body;
			let job = started;
			await waitUntil(
				async () => {
					job = (await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", alice).expect(200)).body;
					return ["done", "failed", "cancelled"].includes(job.status);
				},
				45000,
				"the hostile build",
			);
			expect(job).toMatchObject({ status: "done", counts: { hostile: CONTROLS.length } });
			for (const hostile of retried) expect(job.counts[labelOf(hostile)]).toBe(0);

			const images = (await api().get(`/api/v1/datasets/${datasetId}/images?pageSize=100`).set("Authorization", alice).expect(200)).body
				.items as Array<{ sourceUrl: string; status: string; reason?: string; sha256: string }>;
			const valid = images.filter((image) => image.status === "valid");
			expect(valid.map((image) => image.sourceUrl).sort()).toEqual(CONTROLS.map(url).sort());
			const controlHashes = await Promise.all(CONTROLS.map(async (control) => sha256(await web.controlBytes(control))));
			expect(valid.map((image) => image.sha256).sort()).toEqual(controlHashes.sort());
			// every permanent case: exactly one record, rejected, with its own reason
			for (const hostile of permanent) {
				const records = images.filter((image) => image.sourceUrl === url(hostile.path));
				expect(records.map(({ status, reason }) => ({ url: hostile.path, status, reason }))).toEqual([
					{ url: hostile.path, status: "rejected", reason: hostile.reason },
				]);
			}
			// the retried cases leave no record: their task ran out of attempts, its last error naming the reason
			for (const hostile of retried) expect(images.filter((image) => image.sourceUrl === url(hostile.path))).toEqual([]);
			const tasks = (
				await api().get(`/api/v1/jobs/${job.id}/tasks?type=crawl.download&pageSize=100`).set("Authorization", alice).expect(200)
			).body.items as Array<{ status: string; attempts: number; lastError: string | null; payload: { label: string } }>;
			for (const hostile of retried) {
				const task = tasks.find((candidate) => candidate.payload.label === labelOf(hostile));
				expect(task).toMatchObject({ status: "dead", attempts: crawl.maxAttempts });
				expect(task?.lastError).toMatch(new RegExp(`^${hostile.reason}: .*${hostile.path}`));
				// one request per attempt, no more
				expect(web.requests(hostile.path).length - (requestsBefore.get(hostile.path) ?? 0)).toBe(crawl.maxAttempts);
			}
			for (const hostile of permanent.filter((candidate) => !candidate.path.startsWith("/redirect/"))) {
				expect({ path: hostile.path, requests: web.requests(hostile.path).length - (requestsBefore.get(hostile.path) ?? 0) }).toEqual({
					path: hostile.path,
					requests: 1,
				});
			}

			const metadata = (await api().get(`/api/v1/datasets/${datasetId}/metadata`).set("Authorization", alice).expect(200)).body;
			const expectedReasons: Record<string, number> = {};
			for (const hostile of permanent) expectedReasons[hostile.reason] = (expectedReasons[hostile.reason] ?? 0) + 1;
			expect(metadata).toMatchObject({
				perStatus: { valid: CONTROLS.length, rejected: permanent.length },
				rejectionReasons: expectedReasons,
			});
			// only the controls' files were written
			const usageAfter = await usage();
			expect(usageAfter.objects - usageBefore.objects).toBe(CONTROLS.length);
			const controlSizes = await Promise.all(CONTROLS.map(async (control) => (await web.controlBytes(control)).length));
			expect(usageAfter.bytes - usageBefore.bytes).toBe(controlSizes.reduce((sum, size) => sum + size, 0));
		}, 60000);

		it(`keeps the crawl worker's memory bounded (< ${mb(MEMORY_BOUND)}) while refusing ~27 GiB of bombs`, () => {
			memory.stop();
			const after = memory.after as MemorySample;
			const rows = MEMORY_KEYS.map((key) =>
				[key, mb(memory.before[key]), mb(memory.peak[key]), mb(after[key]), mb(memory.peak[key] - memory.before[key])].map((cell, index) =>
					index === 0 ? cell.padEnd(12) : cell.padStart(10),
				),
			);
			const cases = CASES.map((hostile) => {
				const entry = measured.get(hostile.path);
				return `${hostile.path.padEnd(34)} ${(entry?.reason ?? "not run").padEnd(20)} ${`${entry ? entry.ms.toFixed(0) : "-"} ms`.padStart(8)}  (limit ${hostile.within(crawl)} ms)`;
			});
			console.log(
				[
					"hostile content: each case through the downloader and validation",
					...cases,
					"",
					"memory of the process running the crawl worker (direct pass + build)",
					`${"".padEnd(12)}${"before".padStart(10)}${"peak".padStart(10)}${"after".padStart(10)}${"peak − before".padStart(15)}`,
					...rows.map((row) => row.join("")),
				].join("\n"),
			);
			expect(memory.peak.rss - memory.before.rss).toBeLessThan(MEMORY_BOUND);
			expect(after.rss - memory.before.rss).toBeLessThan(MEMORY_BOUND);
			expect(memory.peak.heapUsed - memory.before.heapUsed).toBeLessThan(MEMORY_BOUND);
			expect(memory.peak.arrayBuffers - memory.before.arrayBuffers).toBeLessThan(MEMORY_BOUND);
		});
	});
});
