import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import request from "supertest";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../support/dataset-images";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

const DEFINITION = {
	name: "pets",
	categories: [
		{ label: "cat", keywords: ["tabby cat"] },
		{ label: "dog", keywords: ["puppy"] },
	],
	sources: ["wikimedia"],
};

/** A distinct fake JPEG per seed (the store sniffs the type from the first bytes). */
const jpeg = (seed: number, size = 200) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, seed)]);

describe("dataset images and metadata", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-images-"));
	const env = { PIXCRAWLER_DATA_DIR: dataDir };
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;
	let datasetId: string;

	beforeAll(async () => {
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.listImages", "dataset.metadata"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
		datasetId = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", alice).send(DEFINITION).expect(201)).body.id;
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const api = () => request(gateway.url);
	async function addImage(seed: number, fields: Record<string, unknown> = {}) {
		const { image } = await addStoredImage(gateway.broker, "alice", datasetId, jpeg(seed), {
			license: "cc-by",
			width: 100 + seed,
			height: 80 + seed,
			...fields,
		});
		return image;
	}

	const dataset = async () => (await api().get(`/api/v1/datasets/${datasetId}`).set("Authorization", alice).expect(200)).body;

	it("adds an image once: a repeated add returns the same record and counts nothing twice", async () => {
		const first = await addImage(1);
		expect(first).toMatchObject({ created: true, label: "cat", status: "valid" });
		const again = await addImage(1);
		expect(again).toMatchObject({ created: false, id: first.id });
		expect((await dataset()).stats).toMatchObject({ images: 1, valid: 1, bytes: 200 });
	});

	it("refuses an image for a label the dataset does not have", async () => {
		await expect(addImage(2, { label: "horse" })).rejects.toMatchObject({ code: 422, data: [{ field: "label" }] });
	});

	it("lists images with filters, each with a working signed link", async () => {
		await addImage(3, { label: "dog", source: "openverse", license: "cc0" });
		await addImage(4, { status: "duplicate", duplicateOf: "x" });
		await addImage(5, { status: "rejected", reason: "too small", storageKey: undefined });
		const dogs = (await api().get(`/api/v1/datasets/${datasetId}/images?label=dog`).set("Authorization", alice).expect(200)).body;
		expect(dogs).toMatchObject({ total: 1, page: 1, pageSize: 20 });
		const res = await api().get(dogs.items[0].url).buffer(true).expect(200);
		expect(createHash("sha256").update(res.body).digest("hex")).toBe(dogs.items[0].sha256);
		const byLicense = (
			await api().get(`/api/v1/datasets/${datasetId}/images?license=cc0&source=openverse`).set("Authorization", alice).expect(200)
		).body;
		expect(byLicense.items.map((image: { label: string }) => image.label)).toEqual(["dog"]);
		const rejected = (await api().get(`/api/v1/datasets/${datasetId}/images?status=rejected`).set("Authorization", alice).expect(200)).body;
		expect(rejected.items[0]).toMatchObject({ reason: "too small", url: null });
		await api().get(`/api/v1/datasets/${datasetId}/images?status=lost`).set("Authorization", alice).expect(422);
	});

	it("summarises the dataset in its metadata", async () => {
		const metadata = (await api().get(`/api/v1/datasets/${datasetId}/metadata`).set("Authorization", alice).expect(200)).body;
		expect(metadata).toMatchObject({
			datasetId,
			status: "draft",
			currentJobId: null,
			images: 4,
			perLabel: { cat: 1, dog: 1 },
			perStatus: { valid: 2, duplicate: 1, rejected: 1 },
			perSource: { wikimedia: 1, openverse: 1 },
			perLicense: { "cc-by": 1, cc0: 1 },
			duplicates: 1,
			rejectionReasons: { "too small": 1 },
			width: { min: 101, max: 104 },
		});
	});

	it("lists the near-duplicates of one image with the duplicateOf filter", async () => {
		const kept = await addImage(20);
		const near = [
			await addImage(21, { status: "duplicate", duplicateOf: kept.id, reason: "near_duplicate" }),
			await addImage(22, { status: "duplicate", duplicateOf: kept.id, reason: "near_duplicate" }),
		];
		const listed = (await api().get(`/api/v1/datasets/${datasetId}/images?duplicateOf=${kept.id}`).set("Authorization", alice).expect(200))
			.body;
		expect(listed.total).toBe(2);
		expect(listed.items.map((image: { id: string }) => image.id).sort()).toEqual(near.map((image) => image.id).sort());
		expect(listed.items.every((image: { duplicateOf: string }) => image.duplicateOf === kept.id)).toBe(true);
		const valid = (
			await api().get(`/api/v1/datasets/${datasetId}/images?duplicateOf=${kept.id}&status=valid`).set("Authorization", alice).expect(200)
		).body;
		expect(valid.total).toBe(0);
		await api()
			.get(`/api/v1/datasets/${datasetId}/images?duplicateOf=${"x".repeat(65)}`)
			.set("Authorization", alice)
			.expect(422);
	});

	it("relabels an image only to an existing label", async () => {
		const image = await addImage(6);
		const moved = (
			await api().patch(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", alice).send({ label: "dog" }).expect(200)
		).body;
		expect(moved).toMatchObject({ id: image.id, label: "dog", url: expect.any(String) });
		const refused = await api()
			.patch(`/api/v1/datasets/${datasetId}/images/${image.id}`)
			.set("Authorization", alice)
			.send({ label: "horse" })
			.expect(422);
		expect(refused.body.errors[0].field).toBe("label");
		await api()
			.patch(`/api/v1/datasets/${datasetId}/images/${image.id}`)
			.set("Authorization", alice)
			.send({ label: "cat", sha256: "0".repeat(64) })
			.expect(422);
	});

	it("deletes an image with its file and updates the counts", async () => {
		const image = await addImage(7);
		const before = (await dataset()).stats;
		await api().delete(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", alice).expect(204);
		expect(await gateway.broker.call("storage.head", { key: image.storageKey })).toBeNull();
		await api().get(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", alice).expect(404);
		expect((await dataset()).stats).toMatchObject({ images: before.images - 1, valid: before.valid - 1, bytes: before.bytes - 200 });
	});

	it("keeps another user's images away (404) and unchanged", async () => {
		const image = await addImage(8);
		await api().get(`/api/v1/datasets/${datasetId}/images`).set("Authorization", bob).expect(404);
		await api().get(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", bob).expect(404);
		await api().patch(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", bob).send({ label: "dog" }).expect(404);
		await api().delete(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", bob).expect(404);
		await api().get(`/api/v1/datasets/${datasetId}/metadata`).set("Authorization", bob).expect(404);
		const other = (await api().post("/api/v1/datasets").set("Authorization", bob).send(DEFINITION).expect(201)).body;
		await api().get(`/api/v1/datasets/${other.id}/images/${image.id}`).set("Authorization", bob).expect(404);
		expect((await api().get(`/api/v1/datasets/${datasetId}/images/${image.id}`).set("Authorization", alice).expect(200)).body.label).toBe(
			"cat",
		);
	});

	type RawStore = {
		adapter: { findById(id: unknown): Promise<Record<string, unknown>>; updateById(id: unknown, update: object): Promise<unknown> };
	};
	const store = (name: string) => gateway.broker.getLocalService(name) as unknown as RawStore & { decodeID(id: string): unknown };

	it("counts images without rewriting the dataset document", async () => {
		const datasets = store("dataset");
		const before = await datasets.adapter.findById(datasets.decodeID(datasetId));
		const counted = (await dataset()).stats;
		await addImage(30);
		await addImage(31, { status: "duplicate", storageKey: null });
		expect((await dataset()).stats).toEqual({
			...counted,
			images: counted.images + 2,
			valid: counted.valid + 1,
			duplicates: counted.duplicates + 1,
			bytes: counted.bytes + 200,
		});
		expect((await datasets.adapter.findById(datasets.decodeID(datasetId))).updatedAt).toEqual(before.updatedAt);
		const listed = (await api().get("/api/v1/datasets").set("Authorization", alice).expect(200)).body.items;
		expect(listed.find((item: { id: string }) => item.id === datasetId).stats).toEqual((await dataset()).stats);
	});

	it("carries counters kept on a dataset by an older version into its first change", async () => {
		const carol = `Bearer ${await gateway.tokenFor("carol")}`;
		const legacy = (await api().post("/api/v1/datasets").set("Authorization", carol).send(DEFINITION).expect(201)).body.id;
		const datasets = store("dataset");
		const oldStats = { images: 7, valid: 5, duplicates: 1, rejected: 1, bytes: 5000 };
		await datasets.adapter.updateById(datasets.decodeID(legacy), { $set: { stats: oldStats } });
		const read = async () => (await api().get(`/api/v1/datasets/${legacy}`).set("Authorization", carol).expect(200)).body.stats;
		expect(await read()).toEqual(oldStats);
		await addStoredImage(gateway.broker, "carol", legacy, jpeg(40));
		expect(await read()).toEqual({ images: 8, valid: 6, duplicates: 1, rejected: 1, bytes: 5200 });
	});

	it("leaves no image record or file behind when the dataset is deleted", async () => {
		await api().delete(`/api/v1/datasets/${datasetId}`).set("Authorization", alice).expect(204);
		const images = gateway.broker.getLocalService("dataset-images") as unknown as { adapter: { count(params: object): Promise<number> } };
		expect(await images.adapter.count({ query: { datasetId } })).toBe(0);
		const counters = gateway.broker.getLocalService("dataset-stats") as unknown as { adapter: { count(params: object): Promise<number> } };
		expect(await counters.adapter.count({ query: { datasetId } })).toBe(0);
		expect(fs.existsSync(path.join(dataDir, "storage", "datasets", datasetId))).toBe(false);
		const usage = (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		expect(usage).toMatchObject({ bytes: 0, objects: 0 });
	});
});

describe("images refer only to their dataset's own files", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-images-trust-"));
	const env = { PIXCRAWLER_DATA_DIR: dataDir };
	let gateway: RunningGateway;
	let datasetId: string;
	beforeAll(async () => {
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.createDataset"],
		});
		const alice = `Bearer ${await gateway.tokenFor("alice")}`;
		datasetId = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", alice).send(DEFINITION).expect(201)).body.id;
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("refuses a storage key of another owner, another dataset or other bytes", async () => {
		const bytes = jpeg(9);
		const sha256 = createHash("sha256").update(bytes).digest("hex");
		const mallorysKey = `datasets/${datasetId}/${sha256}.jpg`;
		await gateway.broker.call("storage.put", {}, { stream: Readable.from([bytes]), meta: { key: mallorysKey, ownerId: "mallory" } });
		const base = { datasetId, label: "cat", source: "wikimedia", sha256, status: "valid" };
		for (const storageKey of [mallorysKey, `datasets/other/${sha256}.jpg`, "exports/secret.zip"]) {
			await expect(gateway.broker.call("dataset.addImage", { ...base, storageKey })).rejects.toMatchObject({
				code: 422,
				data: [{ field: "storageKey" }],
			});
		}
	});

	it("refuses to store bytes under a key promising another hash", async () => {
		const key = `datasets/${datasetId}/${"b".repeat(64)}.jpg`;
		await expect(
			gateway.broker.call("storage.put", {}, { stream: Readable.from([jpeg(10)]), meta: { key, ownerId: "alice" } }),
		).rejects.toMatchObject({
			code: 422,
		});
		expect(await gateway.broker.call("storage.head", { key })).toBeNull();
	});

	it("takes the image size from the stored file, not from the caller", async () => {
		const bytes = jpeg(11, 321);
		const sha256 = createHash("sha256").update(bytes).digest("hex");
		const storageKey = `datasets/${datasetId}/${sha256}.jpg`;
		await gateway.broker.call("storage.put", {}, { stream: Readable.from([bytes]), meta: { key: storageKey, ownerId: "alice" } });
		const image = await gateway.broker.call<{ bytes: number }, object>("dataset.addImage", {
			datasetId,
			label: "cat",
			source: "wikimedia",
			sha256,
			storageKey,
			bytes: 999999,
			status: "valid",
		});
		expect(image.bytes).toBe(321);
	});
});
