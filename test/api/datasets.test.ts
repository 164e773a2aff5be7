import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import request from "supertest";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

const DEFINITION = {
	name: "cats vs dogs",
	categories: [
		{ label: "cat", keywords: ["tabby cat"] },
		{ label: "dog", keywords: ["puppy"], urls: ["https://images.example/dog.jpg"] },
	],
	sources: ["wikimedia", "urls"],
};

describe("projects and datasets", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-datasets-"));
	const env = { PIXCRAWLER_DATA_DIR: dataDir };
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;

	beforeAll(async () => {
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config)],
			waitFor: ["dataset.createDataset", "dataset.removeProject"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const api = () => request(gateway.url);
	const createDataset = async (as: string, body: Record<string, unknown> = DEFINITION) =>
		(await api().post("/api/v1/datasets").set("Authorization", as).send(body).expect(201)).body;

	it("creates a draft dataset with default options and empty stats", async () => {
		const dataset = await createDataset(alice);
		expect(dataset).toMatchObject({
			id: expect.any(String),
			ownerId: "alice",
			status: "draft",
			projectId: null,
			stats: { images: 0, valid: 0, duplicates: 0, rejected: 0, bytes: 0 },
			options: {
				maxImagesPerKeyword: 100,
				validationLevel: "standard",
				dedupThreshold: 8,
				formats: ["jpeg", "png", "webp", "gif", "avif"],
			},
		});
		expect(dataset.categories[0]).toEqual({ label: "cat", keywords: ["tabby cat"], urls: [] });
	});

	it.each([
		[{ ...DEFINITION, name: "" }, "name"],
		[{ ...DEFINITION, categories: [] }, "categories"],
		[{ ...DEFINITION, categories: Array.from({ length: 101 }, (_, i) => ({ label: `l${i}`, keywords: ["k"] })) }, "categories"],
		[{ ...DEFINITION, categories: [{ label: "a/b", keywords: ["k"] }] }, "categories[0].label"],
		[{ ...DEFINITION, categories: [{ label: "cat", keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) }] }, "categories[0].keywords"],
		[{ ...DEFINITION, categories: [{ label: "cat", keywords: ["k"], urls: ["not a url"] }] }, "categories[0].urls[0]"],
		[{ ...DEFINITION, categories: [{ label: "cat", keywords: ["k"], extra: 1 }] }, "categories[0].extra"],
		[
			{
				...DEFINITION,
				categories: [
					{ label: "Cat", keywords: ["k"] },
					{ label: "cat", keywords: ["j"] },
				],
			},
			"categories[1].label",
		],
		[{ ...DEFINITION, categories: [{ label: "cat" }] }, "categories[0].keywords"],
		[{ ...DEFINITION, categories: [{ label: "README.md", keywords: ["k"] }] }, "categories[0].label"],
		[{ ...DEFINITION, sources: [] }, "sources"],
		[{ ...DEFINITION, sources: ["altavista"] }, "sources[0]"],
		[{ ...DEFINITION, options: { maxImagesPerKeyword: 0 } }, "options.maxImagesPerKeyword"],
		[{ ...DEFINITION, options: { maxImagesPerKeyword: 10_001 } }, "options.maxImagesPerKeyword"],
		[{ ...DEFINITION, options: { dedupThreshold: 17 } }, "options.dedupThreshold"],
		[{ ...DEFINITION, options: { formats: ["bmp"] } }, "options.formats[0]"],
		[{ ...DEFINITION, options: { validationLevel: "paranoid" } }, "options.validationLevel"],
		[{ ...DEFINITION, options: { licenses: ["all-rights-reserved"] } }, "options.licenses[0]"],
		[{ ...DEFINITION, options: { minWidth: -1 } }, "options.minWidth"],
		[{ ...DEFINITION, ownerId: "bob" }, "ownerId"],
		[{ ...DEFINITION, status: "ready" }, "status"],
		[{ ...DEFINITION, name: { $gt: "" } }, "name"],
	])("refuses %j naming %s", async (body, field) => {
		const res = await api().post("/api/v1/datasets").set("Authorization", alice).send(body).expect(422);
		expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
	});

	it("needs URLs in every category when only the urls source is used", async () => {
		const res = await api()
			.post("/api/v1/datasets")
			.set("Authorization", alice)
			.send({ ...DEFINITION, sources: ["urls"] })
			.expect(422);
		expect(res.body.errors[0]).toMatchObject({ field: "categories[0].urls" });
	});

	it("keeps every dataset and project of one user away from another (404, unchanged)", async () => {
		const dataset = await createDataset(alice);
		const project = (await api().post("/api/v1/projects").set("Authorization", alice).send({ name: "pets" }).expect(201)).body;
		await api().get(`/api/v1/datasets/${dataset.id}`).set("Authorization", bob).expect(404);
		await api().patch(`/api/v1/datasets/${dataset.id}`).set("Authorization", bob).send({ name: "stolen" }).expect(404);
		await api().delete(`/api/v1/datasets/${dataset.id}`).set("Authorization", bob).expect(404);
		await api().get(`/api/v1/projects/${project.id}`).set("Authorization", bob).expect(404);
		await api().patch(`/api/v1/projects/${project.id}`).set("Authorization", bob).send({ name: "stolen" }).expect(404);
		await api().delete(`/api/v1/projects/${project.id}`).set("Authorization", bob).expect(404);
		await api()
			.post("/api/v1/datasets")
			.set("Authorization", bob)
			.send({ ...DEFINITION, projectId: project.id })
			.expect(404);
		expect((await api().get(`/api/v1/datasets/${dataset.id}`).set("Authorization", alice).expect(200)).body).toEqual(dataset);
		expect((await api().get(`/api/v1/projects/${project.id}`).set("Authorization", alice).expect(200)).body.name).toBe("pets");
		const bobs = (await api().get(`/api/v1/datasets?projectId=${project.id}`).set("Authorization", bob).expect(200)).body;
		expect(bobs.total).toBe(0);
	});

	it("lists with filters, name search and sort", async () => {
		const project = (await api().post("/api/v1/projects").set("Authorization", alice).send({ name: "birds" }).expect(201)).body;
		await createDataset(alice, { ...DEFINITION, name: "Owls of the north", projectId: project.id });
		await createDataset(alice, { ...DEFINITION, name: "Eagles", projectId: project.id });
		const inProject = (await api().get(`/api/v1/datasets?projectId=${project.id}&sort=name`).set("Authorization", alice).expect(200)).body;
		expect(inProject.items.map((item: { name: string }) => item.name)).toEqual(["Eagles", "Owls of the north"]);
		const searched = (await api().get("/api/v1/datasets?name=owls").set("Authorization", alice).expect(200)).body;
		expect(searched.items.map((item: { name: string }) => item.name)).toEqual(["Owls of the north"]);
		expect((await api().get("/api/v1/datasets?status=ready").set("Authorization", alice).expect(200)).body.total).toBe(0);
		await api().get("/api/v1/datasets?sort=ownerId").set("Authorization", alice).expect(422);
	});

	it("answers every project with how many datasets it holds", async () => {
		const project = (await api().post("/api/v1/projects").set("Authorization", alice).send({ name: "counted" }).expect(201)).body;
		expect(project.datasets).toBe(0);
		await createDataset(alice, { ...DEFINITION, name: "one", projectId: project.id });
		const second = await createDataset(alice, { ...DEFINITION, name: "two", projectId: project.id });
		await createDataset(alice, { ...DEFINITION, name: "elsewhere" });
		expect((await api().get(`/api/v1/projects/${project.id}`).set("Authorization", alice).expect(200)).body.datasets).toBe(2);
		const renamed = (
			await api().patch(`/api/v1/projects/${project.id}`).set("Authorization", alice).send({ name: "recounted" }).expect(200)
		).body;
		expect(renamed).toMatchObject({ name: "recounted", datasets: 2 });
		await api().delete(`/api/v1/datasets/${second.id}`).set("Authorization", alice).expect(204);
		const listed = (await api().get("/api/v1/projects?name=recounted").set("Authorization", alice).expect(200)).body;
		expect(listed.items.map((item: { id: string; datasets: number }) => [item.id, item.datasets])).toEqual([[project.id, 1]]);
	});

	it("updates the definition, merging options, but not while a build runs", async () => {
		const dataset = await createDataset(alice);
		const updated = (
			await api()
				.patch(`/api/v1/datasets/${dataset.id}`)
				.set("Authorization", alice)
				.send({ name: "renamed", options: { dedupThreshold: 4 } })
				.expect(200)
		).body;
		expect(updated).toMatchObject({ name: "renamed", options: { dedupThreshold: 4, maxImagesPerKeyword: 100 } });
		await (
			gateway.broker.getLocalService("dataset") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
		).updateInternal(dataset.id, { status: "running" });
		const busy = await api().patch(`/api/v1/datasets/${dataset.id}`).set("Authorization", alice).send({ name: "again" }).expect(409);
		expect(busy.body.detail).toMatch(/being built/);
		await api().patch(`/api/v1/datasets/${dataset.id}`).set("Authorization", alice).send({ status: "ready" }).expect(422);
	});

	it("deletes a project with its datasets and their files, freeing the quota", async () => {
		const project = (await api().post("/api/v1/projects").set("Authorization", alice).send({ name: "doomed" }).expect(201)).body;
		const dataset = await createDataset(alice, { ...DEFINITION, projectId: project.id });
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 1, 2, 3]);
		const key = `datasets/${dataset.id}/${createHash("sha256").update(bytes).digest("hex")}.jpg`;
		await gateway.broker.call("storage.put", {}, { stream: Readable.from([bytes]), meta: { key, ownerId: "alice" } });
		const before = (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		await api().delete(`/api/v1/projects/${project.id}`).set("Authorization", alice).expect(204);
		await api().get(`/api/v1/datasets/${dataset.id}`).set("Authorization", alice).expect(404);
		await api().get(`/api/v1/projects/${project.id}`).set("Authorization", alice).expect(404);
		expect(await gateway.broker.call("storage.head", { key })).toBeNull();
		expect(fs.existsSync(path.join(dataDir, "storage", "datasets", dataset.id))).toBe(false);
		const after = (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		expect(after.bytes).toBe(before.bytes - 6);
	});

	it("creates one dataset and one project per Idempotency-Key, even when the first run was never answered", async () => {
		// what a retry reaches after a replica committed the create and died before answering: the action runs again
		const asAlice = (key: string) => ({ meta: { user: { id: "alice", role: "user" }, idempotencyKey: key } });
		const first = (await gateway.broker.call("dataset.createDataset", DEFINITION, asAlice("scope-1"))) as { id: string };
		const again = (await gateway.broker.call("dataset.createDataset", DEFINITION, asAlice("scope-1"))) as { id: string };
		const other = (await gateway.broker.call("dataset.createDataset", DEFINITION, asAlice("scope-2"))) as { id: string };
		expect(again).toEqual(first);
		expect(other.id).not.toBe(first.id);
		expect(first).not.toHaveProperty("idempotencyKey");
		const project = { name: "retried" };
		const projectFirst = await gateway.broker.call("dataset.createProject", project, asAlice("scope-3"));
		expect(await gateway.broker.call("dataset.createProject", project, asAlice("scope-3"))).toEqual(projectFirst);
		// over HTTP: the gateway's replay, and a new key is a new dataset
		const keyed = (key: string) => api().post("/api/v1/datasets").set("Authorization", alice).set("Idempotency-Key", key).send(DEFINITION);
		const created = await keyed("retry-me").expect(201);
		const replayed = await keyed("retry-me").expect(201);
		expect(replayed.headers["idempotent-replayed"]).toBe("true");
		expect(replayed.body.id).toBe(created.body.id);
		expect((await keyed("another").expect(201)).body.id).not.toBe(created.body.id);
	});

	it("requires the datasets scopes from API tokens and documents them", async () => {
		const document = (await api().get("/api/v1/openapi.json").expect(200)).body;
		expect(document.paths["/api/v1/datasets"].post["x-scopes"]).toEqual(["datasets:write"]);
		expect(document.paths["/api/v1/datasets/{id}"].get["x-scopes"]).toEqual(["datasets:read"]);
		expect(document.paths["/api/v1/projects/{id}"].delete["x-auth"]).toBe("user");
		await api().get("/api/v1/datasets").expect(401);
	});
});
