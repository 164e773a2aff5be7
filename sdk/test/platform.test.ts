import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../../test/support/dataset-images";
import { type RunningGateway, startGateway, testConfig } from "../../test/support/gateway";
import { ConflictError, NotFoundError, PixCrawler, ValidationError } from "../src";

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
		expect(result).toEqual({ path: target, bytes: written.length, sha256: ready.sha256 });
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
