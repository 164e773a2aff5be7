import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ActionHandler, ActionSchema, Context, Middleware } from "moleculer";
import request from "supertest";
import type { ByteRange } from "../../lib/http/byte-range";
import { brokerOptions } from "../../moleculer.config";
import { createDatasetService } from "../../services/dataset.service";
import type { ObjectInfo, StorageDriver, StoredObject } from "../../services/storage/driver";
import { STORAGE_USAGE_SERVICE } from "../../services/storage/usage.repository";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../support/dataset-images";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { unzip } from "../support/zip";

/**
 * The store failing in the middle of an export: the archive's write breaks off after some bytes (a disk
 * error, a dropped connection to S3), or an image's read does. The seam is the storage service's driver:
 * the test wraps the configured (local) driver in one that injects the fault, so everything above it —
 * storage.put's accounting, the export writer, its retries, the API — runs as in production.
 */

const IMAGES = 24;
const IMAGE_BYTES = 2000;
const MAX_ATTEMPTS = 2;
const DEFINITION = {
	name: "faulty",
	categories: [
		{ label: "cat", keywords: ["cat"] },
		{ label: "dog", keywords: ["dog"] },
	],
	sources: ["wikimedia"],
};

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
/** A distinct fake JPEG of IMAGE_BYTES per seed (the store sniffs the type from the first bytes). */
const jpeg = (seed: number) =>
	Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(IMAGE_BYTES - 4, `image ${seed} `)]).subarray(0, IMAGE_BYTES);

/** What the disk answers when it gives up: the driver text a client must never see. */
const diskError = () => Object.assign(new Error("EIO: i/o error, write '/var/lib/pixcrawler/storage/.incoming/1f2e'"), { code: "EIO" });

/** Passes `limit` bytes through, then fails as a broken disk or connection does. */
function breaksAfter(limit: number, seen: { bytes: number }): Transform {
	return new Transform({
		transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
			if (seen.bytes + chunk.length > limit) {
				const room = limit - seen.bytes;
				seen.bytes = limit;
				if (room > 0) this.push(chunk.subarray(0, room));
				done(diskError());
				return;
			}
			seen.bytes += chunk.length;
			done(null, chunk);
		},
	});
}

interface Fault {
	/** Which keys it hits. */
	keys: RegExp;
	/** Bytes that get through before it strikes. */
	after: number;
	/** How many more times it strikes (Infinity: until it is cleared). */
	times: number;
}

/** The configured driver, with faults to inject into writes (`put`) and reads (`get`) of chosen keys. */
class FaultyDriver implements StorageDriver {
	readonly name: StorageDriver["name"];
	putFault: Fault | null = null;
	getFault: Fault | null = null;
	/** Every write the fault broke: its key and how many bytes had gone through. */
	readonly brokenPuts: { key: string; bytes: number }[] = [];
	readonly brokenGets: { key: string; bytes: number }[] = [];

	constructor(private readonly inner: StorageDriver) {
		this.name = inner.name;
	}

	private strike(fault: Fault | null, key: string): Fault | null {
		if (!fault?.keys.test(key) || fault.times <= 0) return null;
		fault.times -= 1;
		return fault;
	}

	async put(key: string, body: Readable, options: { contentType: string; maxBytes: number }): Promise<StoredObject> {
		const fault = this.strike(this.putFault, key);
		if (!fault) return this.inner.put(key, body, options);
		const seen = { bytes: 0 };
		const broken = breaksAfter(fault.after, seen);
		pipeline(body, broken).catch(() => undefined);
		try {
			return await this.inner.put(key, broken, options);
		} finally {
			this.brokenPuts.push({ key, bytes: seen.bytes });
		}
	}

	async get(key: string, range?: ByteRange): Promise<Readable | null> {
		const body = await this.inner.get(key, range);
		const fault = body ? this.strike(this.getFault, key) : null;
		if (!body || !fault) return body;
		const seen = { bytes: 0 };
		const broken = breaksAfter(fault.after, seen);
		pipeline(body, broken)
			.catch(() => undefined)
			.finally(() => this.brokenGets.push({ key, bytes: seen.bytes }));
		return broken;
	}

	head(key: string): Promise<ObjectInfo | null> {
		return this.inner.head(key);
	}
	delete(key: string): Promise<void> {
		return this.inner.delete(key);
	}
	list(prefix: string): AsyncIterable<ObjectInfo> {
		return this.inner.list(prefix);
	}
	presignedUrl(key: string, ttlSeconds: number, downloadName?: string): Promise<string | null> {
		return this.inner.presignedUrl(key, ttlSeconds, downloadName);
	}
	checkWritable(): Promise<void> {
		return this.inner.checkWritable();
	}
	close(): Promise<void> {
		return this.inner.close();
	}
}

/** The storage service's usage counter failing on its next additions: its database went away for a moment. */
const usageFault = { remaining: 0, struck: 0 };
const failingUsage: Middleware = {
	name: "FailingUsageCounter",
	localAction(next: ActionHandler, action: ActionSchema) {
		if (action.name !== `${STORAGE_USAGE_SERVICE}.add`) return next;
		return function (this: unknown, ctx: Context<{ bytes?: number }>) {
			if (usageFault.remaining > 0 && Number(ctx.params.bytes) > 0) {
				usageFault.remaining -= 1;
				usageFault.struck += 1;
				return Promise.reject(new Error("connection reset by the usage store"));
			}
			return next.call(this as ThisParameterType<ActionHandler>, ctx);
		};
	},
};

interface ExportAnswer {
	id: string;
	status: string;
	attempts: number;
	error: string | null;
	bytes: number | null;
	sha256: string | null;
	imageCount: number | null;
	url?: string;
}

describe("storage failing in the middle of an export", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-faults-storage-"));
	const storageDir = path.join(dataDir, "storage");
	let gateway: RunningGateway;
	let driver: FaultyDriver;
	let auth: string;
	let datasetId: string;
	const imageKeys: string[] = [];

	beforeAll(async () => {
		const env = { PIXCRAWLER_DATA_DIR: dataDir, DATASET_EXPORT_MAX_ATTEMPTS: String(MAX_ATTEMPTS), RATE_LIMIT_EXPENSIVE: "1000" };
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			broker: { middlewares: [...(brokerOptions(config).middlewares ?? []), failingUsage] },
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.createExport", "dataset.downloadExport", "storage.usage"],
		});
		const storage = gateway.broker.getLocalService("storage") as unknown as { driver: StorageDriver };
		driver = new FaultyDriver(storage.driver);
		storage.driver = driver;
		auth = `Bearer ${await gateway.tokenFor("owner-1")}`;
		datasetId = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", auth).send(DEFINITION).expect(201)).body.id;
		for (let seed = 1; seed <= IMAGES; seed++) {
			const { storageKey } = await addStoredImage(gateway.broker, "owner-1", datasetId, jpeg(seed), {
				label: seed % 2 === 0 ? "dog" : "cat",
				width: 64,
				height: 64,
			});
			imageKeys.push(storageKey);
		}
	});

	afterAll(async () => {
		await gateway?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	afterEach(() => {
		driver.putFault = null;
		driver.getFault = null;
		usageFault.remaining = 0;
	});

	const api = () => request(gateway.url);
	const usage = async () => (await api().get("/api/v1/storage/usage").set("Authorization", auth).expect(200)).body;

	async function exportUntilSettled(format = "imagefolder"): Promise<ExportAnswer> {
		const created = await api().post(`/api/v1/datasets/${datasetId}/exports`).set("Authorization", auth).send({ format }).expect(202);
		let current = created.body as ExportAnswer;
		await waitUntil(
			async () => {
				current = (await api().get(`/api/v1/exports/${created.body.id}`).set("Authorization", auth).expect(200)).body;
				return current.status === "ready" || current.status === "failed";
			},
			20000,
			"the export to settle",
		);
		return current;
	}

	/** Files under the store's root (temporary uploads included), relative to it. */
	function filesIn(relative: string): string[] {
		const root = path.join(storageDir, relative);
		if (!fs.existsSync(root)) return [];
		return (fs.readdirSync(root, { recursive: true, withFileTypes: true }) as fs.Dirent[])
			.filter((entry) => entry.isFile())
			.map((entry) => path.relative(storageDir, path.join(entry.parentPath, entry.name)));
	}

	async function storedExportRecords(): Promise<string[]> {
		const records = (await gateway.broker.call("storage.find", { query: {} })) as { key: string }[];
		return records.map((record) => record.key).filter((key) => key.includes("/exports/"));
	}

	/** What the store holds now: files (temporary uploads included), export records and the owner's usage. */
	async function storeState() {
		return {
			exportFiles: filesIn(`datasets/${datasetId}/exports`),
			incoming: filesIn(".incoming"),
			exportRecords: await storedExportRecords(),
			usage: await usage(),
		};
	}

	/** The export failed cleanly: a clear reason, nothing to download, nothing left in storage, nothing charged. */
	async function expectCleanFailure(failed: ExportAnswer, before: Awaited<ReturnType<typeof storeState>>) {
		expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, bytes: null, sha256: null, imageCount: null });
		expect(failed.url).toBeUndefined();
		expect(failed.error).toMatch(/could not be written/);
		// the driver's words (a path, an errno) stay in the logs
		expect(failed.error).not.toMatch(/EIO|\/var\/lib|incoming/);

		const download = await fetch(`${gateway.url}/api/v1/exports/${failed.id}/download`, { headers: { Authorization: auth } });
		expect(download.status).toBe(409);
		expect(download.headers.get("content-type")).toMatch(/^application\/problem\+json/);
		expect(await download.json()).toMatchObject({ status: 409, detail: expect.stringMatching(/failed/) });
		const resumed = await fetch(`${gateway.url}/api/v1/exports/${failed.id}/download`, {
			headers: { Authorization: auth, Range: "bytes=0-" },
		});
		expect(resumed.status).toBe(409);
		await resumed.arrayBuffer();

		expect(await storeState()).toEqual(before);
		expect(before.incoming).toEqual([]);
		expect(before.exportFiles.some((file) => file.includes(failed.id))).toBe(false);
	}

	it("an archive whose write breaks off after some bytes ends failed, with nothing served, stored or charged; the next export succeeds", async () => {
		const before = await storeState();
		driver.putFault = { keys: /\/exports\//, after: 20_000, times: Number.POSITIVE_INFINITY };
		const failed = await exportUntilSettled();
		// it did break mid-archive, once per attempt: well into the images, long before the end
		expect(driver.brokenPuts).toHaveLength(MAX_ATTEMPTS);
		for (const broken of driver.brokenPuts) expect(broken.bytes).toBe(20_000);
		await expectCleanFailure(failed, before);

		driver.putFault = null;
		const ready = await exportUntilSettled();
		expect(ready).toMatchObject({ status: "ready", attempts: 1, imageCount: IMAGES });
		const response = await fetch(`${gateway.url}/api/v1/exports/${ready.id}/download`, { headers: { Authorization: auth } });
		expect(response.status).toBe(200);
		const archive = Buffer.from(await response.arrayBuffer());
		expect(archive.length).toBe(ready.bytes);
		expect(archive.length).toBeGreaterThan(IMAGES * IMAGE_BYTES);
		expect(sha256(archive)).toBe(ready.sha256);
		expect([...(await unzip(archive)).keys()].filter((file) => file.endsWith(".jpg"))).toHaveLength(IMAGES);
		expect(await usage()).toMatchObject({ bytes: before.usage.bytes + archive.length, objects: before.usage.objects + 1 });
		expect(filesIn(".incoming")).toEqual([]);
	});

	it("an image whose read breaks off halfway fails the export the same way, and an export after the store heals succeeds", async () => {
		const before = await storeState();
		const victim = imageKeys[IMAGES / 2];
		driver.getFault = { keys: new RegExp(`${victim.replace(/[.]/g, "\\.")}$`), after: IMAGE_BYTES / 2, times: Number.POSITIVE_INFINITY };
		const failed = await exportUntilSettled("csv");
		expect(driver.brokenGets.filter((broken) => broken.key === victim)).toEqual(
			Array.from({ length: MAX_ATTEMPTS }, () => ({ key: victim, bytes: IMAGE_BYTES / 2 })),
		);
		await expectCleanFailure(failed, before);

		driver.getFault = null;
		const ready = await exportUntilSettled("csv");
		expect(ready).toMatchObject({ status: "ready", imageCount: IMAGES });
		expect((await usage()).objects).toBe(before.usage.objects + 1);
	});

	it("a write that breaks once is retried from scratch: the export ends ready with one whole archive, charged once", async () => {
		const before = await usage();
		const broken = driver.brokenPuts.length;
		driver.putFault = { keys: /\/exports\//, after: 10_000, times: 1 };
		const ready = await exportUntilSettled();
		expect(driver.brokenPuts.length - broken).toBe(1);
		expect(ready).toMatchObject({ status: "ready", attempts: 2, error: null, imageCount: IMAGES });
		const archive = Buffer.from(
			await (await fetch(`${gateway.url}/api/v1/exports/${ready.id}/download`, { headers: { Authorization: auth } })).arrayBuffer(),
		);
		expect(sha256(archive)).toBe(ready.sha256);
		expect(await usage()).toMatchObject({ bytes: before.bytes + archive.length, objects: before.objects + 1 });
		expect(filesIn(".incoming")).toEqual([]);
	});

	it("a usage counter that fails once the archive is stored leaves no uncounted archive behind: the retry is charged exactly once", async () => {
		const before = await storeState();
		usageFault.remaining = 1;
		const ready = await exportUntilSettled();
		expect(usageFault.struck).toBe(1);
		expect(ready).toMatchObject({ status: "ready", attempts: 2, imageCount: IMAGES });
		const after = await storeState();
		expect(after.usage).toMatchObject({ bytes: before.usage.bytes + Number(ready.bytes), objects: before.usage.objects + 1 });
		expect(after.exportRecords).toHaveLength(before.exportRecords.length + 1);
		expect(after.exportFiles).toHaveLength(before.exportFiles.length + 1);
		expect(after.incoming).toEqual([]);
		// deleting it gives back exactly what it was charged
		await api().delete(`/api/v1/exports/${ready.id}`).set("Authorization", auth).expect(204);
		expect(await storeState()).toEqual(before);
	});

	it("an archive whose read breaks off during a download is cut short, never answered as a whole file", async () => {
		const ready = await exportUntilSettled("json");
		expect(ready.status).toBe("ready");
		driver.getFault = { keys: /\/exports\//, after: 5_000, times: 2 };
		const viaApi = await fetch(`${gateway.url}/api/v1/exports/${ready.id}/download`, { headers: { Authorization: auth } });
		expect(viaApi.headers.get("content-length")).toBe(String(ready.bytes));
		await expect(viaApi.arrayBuffer()).rejects.toThrow();
		const link = (await api().get(`/api/v1/exports/${ready.id}`).set("Authorization", auth).expect(200)).body.url as string;
		const viaLink = await fetch(`${gateway.url}${link}`);
		await expect(viaLink.arrayBuffer()).rejects.toThrow();
		// the archive itself is intact: once the store reads again, it downloads whole
		const whole = Buffer.from(
			await (await fetch(`${gateway.url}/api/v1/exports/${ready.id}/download`, { headers: { Authorization: auth } })).arrayBuffer(),
		);
		expect(sha256(whole)).toBe(ready.sha256);
	});
});
