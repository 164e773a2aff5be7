import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../../test/support/dataset-images";
import { type FixtureWeb, startFixtureWeb } from "../../test/support/fixture-web";
import { type RunningGateway, startGateway, testConfig } from "../../test/support/gateway";
import { startPlatform } from "../../test/support/platform";
import { unzip } from "../../test/support/zip";
import { ConflictError, type Job, NotFoundError, PixCrawler, ValidationError } from "../src";

jest.setTimeout(60000);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const jpeg = (seed: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`image ${seed} `.repeat(20))]);

describe("the SDK against the platform", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-platform-"));
	let gateway: RunningGateway;
	let sdk: PixCrawler;

	beforeAll(async () => {
		const env = { PIXCRAWLER_DATA_DIR: dataDir };
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.createExport", "dataset.downloadExport"],
		});
		sdk = new PixCrawler({ token: await gateway.tokenFor("alice"), baseUrl: gateway.url });
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	async function addImage(datasetId: string, seed: number) {
		const { sha256 } = await addStoredImage(gateway.broker, "alice", datasetId, jpeg(seed), {
			label: seed % 2 === 0 ? "dog" : "cat",
			sourceUrl: `https://upload.example.org/${seed}.jpg`,
			pageUrl: `https://commons.example.org/File:${seed}.jpg`,
			license: "cc0",
			author: `Author ${seed}`,
			width: 100 + seed,
			height: 80 + seed,
		});
		return sha256;
	}

	it("creates a dataset, lists its images, exports and downloads it", async () => {
		const dataset = await sdk.datasets.create({
			name: "pets",
			categories: [
				{ label: "cat", keywords: ["tabby cat"] },
				{ label: "dog", keywords: ["puppy"] },
			],
			sources: ["wikimedia"],
		});
		expect(dataset).toMatchObject({ name: "pets", status: "draft" });
		await expect(sdk.datasets.get(dataset.id)).resolves.toMatchObject({ id: dataset.id });
		await expect(sdk.datasets.list({ name: "pet" })).resolves.toMatchObject({ total: 1, items: [{ id: dataset.id }] });
		await expect(sdk.datasets.update(dataset.id, { description: "cats and dogs" })).resolves.toMatchObject({
			description: "cats and dogs",
		});

		const hashes = new Set<string>();
		for (let seed = 1; seed <= 7; seed++) hashes.add(await addImage(dataset.id, seed));

		const first = await sdk.images.list(dataset.id, { pageSize: 3 });
		expect(first).toMatchObject({ total: 7, page: 1, pageSize: 3 });
		expect(first.items).toHaveLength(3);
		const seen = new Set<string>();
		for await (const image of sdk.images.iterate(dataset.id, { pageSize: 3 })) seen.add(image.sha256);
		expect(seen).toEqual(hashes);
		const dogs = [];
		for await (const image of sdk.images.iterate(dataset.id, { label: "dog", pageSize: 2 })) dogs.push(image);
		expect(dogs).toHaveLength(3);
		await expect(sdk.images.get(dataset.id, dogs[0].id)).resolves.toMatchObject({ label: "dog", url: expect.any(String) });
		await expect(sdk.images.relabel(dataset.id, dogs[0].id, "cat")).resolves.toMatchObject({ label: "cat" });
		await expect(sdk.datasets.metadata(dataset.id)).resolves.toMatchObject({ datasetId: dataset.id });

		const created = await sdk.exports.create(dataset.id, { format: "imagefolder", split: { train: 0.5, val: 0.25, test: 0.25 } });
		expect(created).toMatchObject({ status: "queued", format: "imagefolder" });
		const ready = await sdk.exports.waitUntilReady(created.id, { intervalMs: 100, timeoutMs: 30000 });
		expect(ready).toMatchObject({ status: "ready", imageCount: 7, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
		await expect(sdk.exports.list(dataset.id)).resolves.toMatchObject({ total: 1, items: [{ id: created.id }] });

		const target = path.join(dataDir, "pets.zip");
		const result = await sdk.exports.download(created.id, target);
		const written = fs.readFileSync(target);
		expect(result).toEqual({ path: target, bytes: written.length, sha256: ready.sha256, resumed: false });
		expect(sha256(written)).toBe(ready.sha256);
		expect(written.subarray(0, 2).toString("latin1")).toBe("PK");
		expect(written.length).toBe(ready.bytes);

		await sdk.exports.delete(created.id);
		await expect(sdk.exports.get(created.id)).rejects.toThrow(NotFoundError);
		await sdk.datasets.delete(dataset.id);
		await expect(sdk.datasets.get(dataset.id)).rejects.toThrow(NotFoundError);
	});

	it("turns the platform's problems into typed errors", async () => {
		const invalid = await sdk.datasets.create({ name: "", categories: [], sources: [] }).catch((caught: unknown) => caught);
		expect(invalid).toBeInstanceOf(ValidationError);
		expect((invalid as ValidationError).fields.length).toBeGreaterThan(0);
		expect((invalid as ValidationError).requestId).toEqual(expect.any(String));
		const empty = await sdk.datasets.create({ name: "empty", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] });
		await expect(sdk.exports.create(empty.id, { format: "csv" })).rejects.toThrow(ConflictError);
	});
});

describe("the SDK through a whole build: keywords to a verified archive", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-sdk-build-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 12 });
		gateway = await startPlatform({
			env: { PIXCRAWLER_DATA_DIR: dataDir, ...web.env() },
			waitFor: ["auth.register", "crawl.build", "dataset.downloadExport", "api.datasetEvents"],
		});
	});
	afterAll(async () => {
		await gateway.stop();
		await web.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	async function post(route: string, body: unknown) {
		const response = await fetch(`${gateway.url}/api/v1${route}`, {
			method: "POST",
			headers: { "Content-Type": "application/json" },
			body: JSON.stringify(body),
		});
		expect(response.status).toBeLessThan(300);
		return (await response.json()) as Record<string, unknown>;
	}

	it("registers, makes an API token, builds with live progress, exports and downloads a checked archive", async () => {
		const credentials = { email: "ml-engineer@example.org", password: "a long passphrase for the test" };
		await post("/auth/register", { ...credentials, name: "ML engineer" });
		const { accessToken } = (await post("/auth/login", credentials)) as { accessToken: string };
		const session = new PixCrawler({ token: accessToken, baseUrl: gateway.url });
		const created = await session.tokens.create({
			name: "training box",
			scopes: ["account:read", "datasets:read", "datasets:write", "crawl:run", "exports:read"],
		});
		expect(created.token).toMatch(/^pxc_/);

		const sdk = new PixCrawler({ token: created.token, baseUrl: gateway.url });
		await expect(sdk.me()).resolves.toMatchObject({ email: credentials.email });
		const dataset = await sdk.datasets.create({
			name: "pets from the web",
			categories: [
				{ label: "cat", keywords: ["cat"] },
				{ label: "dog", keywords: ["dog"] },
			],
			sources: ["wikimedia"],
			options: { maxImagesPerKeyword: 6 },
		});
		const build = await sdk.datasets.build(dataset.id);
		const progress: Job[] = [];
		const ready = await sdk.datasets.waitUntilReady(dataset.id, { timeoutMs: 45000, onProgress: (job) => progress.push(job) });
		expect(ready.status).toBe("ready");
		expect(progress.length).toBeGreaterThan(0);
		expect(progress.every((job) => job.id === build.jobId)).toBe(true);
		expect(progress.at(-1)?.status).toBe("done");
		const valid = progress.at(-1)?.progress.valid ?? 0;
		expect(valid).toBeGreaterThan(0);

		const started = await sdk.exports.create(dataset.id, { format: "huggingface", split: { train: 0.5, val: 0.25, test: 0.25 } });
		const exportProgress: number[] = [];
		const done = await sdk.exports.waitUntilReady(started.id, {
			intervalMs: 100,
			onProgress: (current) => exportProgress.push(current.progress.done),
		});
		const target = path.join(dataDir, "pets.zip");
		const bytesSeen: number[] = [];
		const download = await sdk.exports.download(done.id, target, { onProgress: ({ bytes }) => bytesSeen.push(bytes) });
		expect(download).toMatchObject({ sha256: done.sha256, bytes: done.bytes });
		expect(bytesSeen.at(-1)).toBe(done.bytes);

		const files = await unzip(fs.readFileSync(target));
		const manifest = (files.get("manifest.jsonl")?.toString("utf8") ?? "")
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { file: string; label: string; sha256: string });
		expect(manifest).toHaveLength(done.imageCount ?? -1);
		expect(new Set(manifest.map((row) => row.label))).toEqual(new Set(["cat", "dog"]));
		for (const row of manifest) expect(sha256(files.get(row.file) as Buffer)).toBe(row.sha256);
		expect(files.get("README.md")?.toString("utf8")).toContain("load_dataset");
		const images = [];
		for await (const image of sdk.images.iterate(dataset.id, { status: "valid", pageSize: 5 })) images.push(image);
		expect(images).toHaveLength(manifest.length);
		const one = path.join(dataDir, "one.jpg");
		await sdk.images.download(dataset.id, images[0].id, one);
		expect(sha256(fs.readFileSync(one))).toBe(images[0].sha256);
	});
});
