import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { parse as parseYaml } from "yaml";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../support/dataset-images";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { unzip } from "../support/zip";

const DEFINITION = {
	name: "pets",
	description: "Cats and dogs",
	categories: [
		{ label: "cat", keywords: ["tabby cat"] },
		{ label: "dog", keywords: ["puppy"] },
	],
	sources: ["wikimedia"],
};

const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");
/** A distinct fake JPEG per seed (the store sniffs the type from the first bytes). */
const jpeg = (seed: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`image ${seed} `.repeat(20))]);

interface ManifestRow {
	file: string;
	label: string;
	split: string | null;
	sha256: string;
	width: number;
	height: number;
	source_url: string;
	license: string;
	author: string | null;
}

function manifestOf(files: Map<string, Buffer>): ManifestRow[] {
	const text = files.get("manifest.jsonl")?.toString("utf8") ?? "";
	return text
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line));
}

async function startPlatform(env: Record<string, string>) {
	const config = testConfig(env);
	return startGateway({
		env,
		services: [createStorageService(config), createDatasetService(config)],
		waitFor: ["dataset.createExport", "dataset.downloadExport"],
	});
}

/** One image of a dataset with provenance that varies by seed. */
async function addImage(gateway: RunningGateway, owner: string, datasetId: string, seed: number, fields: Record<string, unknown> = {}) {
	const bytes = jpeg(seed);
	const { sha256: hash } = await addStoredImage(gateway.broker, owner, datasetId, bytes, {
		label: seed % 3 === 0 ? "dog" : "cat",
		sourceUrl: `https://upload.example.org/${seed}.jpg`,
		pageUrl: `https://commons.example.org/File:${seed}.jpg`,
		license: seed % 2 === 0 ? "cc-by" : "cc0",
		author: `Author, "${seed}"`,
		width: 100 + seed,
		height: 80 + seed,
		...fields,
	});
	return { bytes, hash };
}

describe("dataset exports", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-exports-"));
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;
	let datasetId: string;
	const stored = new Map<string, Buffer>();

	beforeAll(async () => {
		gateway = await startPlatform({ PIXCRAWLER_DATA_DIR: dataDir });
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
		datasetId = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", alice).send(DEFINITION).expect(201)).body.id;
		for (let seed = 1; seed <= 30; seed++) {
			const { bytes, hash } = await addImage(gateway, "alice", datasetId, seed);
			stored.set(hash, bytes);
		}
		// neither a duplicate nor a rejected image belongs in an export
		await addImage(gateway, "alice", datasetId, 100, { status: "duplicate", duplicateOf: "x" });
		await addImage(gateway, "alice", datasetId, 101, { status: "rejected", reason: "too small", storageKey: undefined });
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const api = () => request(gateway.url);

	async function exportOf(body: Record<string, unknown>, auth = alice, id = datasetId) {
		const created = await api().post(`/api/v1/datasets/${id}/exports`).set("Authorization", auth).send(body).expect(202);
		expect(created.body).toMatchObject({ status: "queued", taskId: expect.any(String), format: body.format });
		let current = created.body;
		await waitUntil(
			async () => {
				current = (await api().get(`/api/v1/exports/${created.body.id}`).set("Authorization", auth).expect(200)).body;
				return current.status === "ready" || current.status === "failed";
			},
			20000,
			"the export",
		);
		return current;
	}

	async function download(exportId: string) {
		const response = await fetch(`${gateway.url}/api/v1/exports/${exportId}/download`, { headers: { Authorization: alice } });
		expect(response.status).toBe(200);
		const archive = Buffer.from(await response.arrayBuffer());
		return { response, archive, files: await unzip(archive) };
	}

	/** The checks every format shares: images, manifest and card agree with what is stored. */
	function checkCommon(files: Map<string, Buffer>) {
		const manifest = manifestOf(files);
		expect(manifest).toHaveLength(30);
		for (const row of manifest) {
			const image = files.get(row.file);
			expect(image).toBeDefined();
			expect(sha256(image as Buffer)).toBe(row.sha256);
			expect(stored.get(row.sha256)).toEqual(image);
			expect(row).toMatchObject({
				source_url: expect.stringMatching(/^https:\/\/upload\.example\.org\//),
				author: expect.stringContaining("Author"),
			});
		}
		const card = files.get("README.md")?.toString("utf8") ?? "";
		expect(card).toContain("# pets");
		expect(card).toMatch(/\| cat \| 20 \|/);
		expect(card).toMatch(/\| dog \| 10 \|/);
		expect(card).toMatch(/\| cc-by \| 15 \|/);
		expect(card).toContain(`| manifest.jsonl | ${sha256(files.get("manifest.jsonl") as Buffer)} |`);
		expect(card).toContain("load_dataset");
		return manifest;
	}

	it("exports ImageFolder: label folders, archive checksum in the answer and the headers", async () => {
		const done = await exportOf({ format: "imagefolder" });
		expect(done).toMatchObject({
			status: "ready",
			imageCount: 30,
			skipped: 0,
			fileName: "pets-imagefolder.zip",
			progress: { done: 30, total: 30 },
		});
		const { response, archive, files } = await download(done.id);
		expect(response.headers.get("content-type")).toBe("application/zip");
		expect(response.headers.get("content-disposition")).toContain('filename="pets-imagefolder.zip"');
		expect(sha256(archive)).toBe(done.sha256);
		expect(archive.length).toBe(done.bytes);
		expect(response.headers.get("etag")).toBe(`"${done.sha256}"`);
		const manifest = checkCommon(files);
		for (const row of manifest) expect(row.file).toBe(`${row.label}/${row.sha256}.jpg`);
		expect(manifest.every((row) => row.split === null)).toBe(true);
		// the signed link downloads the same archive without a token
		expect(done.url).toMatch(/\/api\/v1\/files\//);
		const viaLink = await fetch(`${gateway.url}${done.url}`);
		expect(sha256(Buffer.from(await viaLink.arrayBuffer()))).toBe(done.sha256);
	});

	it("serves byte ranges so an interrupted download resumes", async () => {
		const done = await exportOf({ format: "csv" });
		const url = `${gateway.url}/api/v1/exports/${done.id}/download`;
		const whole = await download(done.id);
		expect(whole.response.headers.get("accept-ranges")).toBe("bytes");
		const cut = 1000;
		const rest = await fetch(url, { headers: { Authorization: alice, Range: `bytes=${cut}-`, "If-Range": `"${done.sha256}"` } });
		expect(rest.status).toBe(206);
		expect(rest.headers.get("content-range")).toBe(`bytes ${cut}-${done.bytes - 1}/${done.bytes}`);
		expect(rest.headers.get("content-length")).toBe(String(done.bytes - cut));
		const resumed = Buffer.concat([whole.archive.subarray(0, cut), Buffer.from(await rest.arrayBuffer())]);
		expect(sha256(resumed)).toBe(done.sha256);

		const middle = await fetch(url, { headers: { Authorization: alice, Range: "bytes=10-19" } });
		expect(middle.status).toBe(206);
		expect(Buffer.from(await middle.arrayBuffer())).toEqual(whole.archive.subarray(10, 20));
		const tail = await fetch(url, { headers: { Authorization: alice, Range: "bytes=-5" } });
		expect(Buffer.from(await tail.arrayBuffer())).toEqual(whole.archive.subarray(done.bytes - 5));

		// a stale validator gets the whole current archive, not a part of it
		const stale = await fetch(url, { headers: { Authorization: alice, Range: "bytes=100-", "If-Range": '"0000"' } });
		expect(stale.status).toBe(200);
		expect(sha256(Buffer.from(await stale.arrayBuffer()))).toBe(done.sha256);
		const past = await fetch(url, { headers: { Authorization: alice, Range: `bytes=${done.bytes}-` } });
		expect(past.status).toBe(416);
		expect(past.headers.get("content-range")).toBe(`bytes */${done.bytes}`);
		expect(await past.json()).toMatchObject({ status: 416, type: expect.stringContaining("range-not-satisfiable") });
	});

	it("exports Hugging Face imagefolder with a metadata.jsonl per split, stratified per label", async () => {
		const done = await exportOf({ format: "huggingface", split: { train: 0.6, val: 0.2, test: 0.2, seed: 7 } });
		const { files } = await download(done.id);
		const manifest = checkCommon(files);
		const count = (label: string, split: string) => manifest.filter((row) => row.label === label && row.split === split).length;
		expect([count("cat", "train"), count("cat", "val"), count("cat", "test")]).toEqual([12, 4, 4]);
		expect([count("dog", "train"), count("dog", "val"), count("dog", "test")]).toEqual([6, 2, 2]);
		for (const split of ["train", "val", "test"]) {
			const metadata = (files.get(`${split}/metadata.jsonl`)?.toString("utf8") ?? "")
				.trim()
				.split("\n")
				.map((line) => JSON.parse(line));
			expect(metadata).toHaveLength(manifest.filter((row) => row.split === split).length);
			for (const row of metadata) {
				expect(files.has(`${split}/${row.file_name}`)).toBe(true);
				expect(row.file_name).toBe(`${row.label}/${row.sha256}.jpg`);
			}
		}
		expect(files.get("README.md")?.toString("utf8")).toMatch(/^---\npretty_name: "pets"/);
	});

	it("repeats a split for the same seed and changes it for another", async () => {
		const splitOf = async (seed: number) => {
			const done = await exportOf({ format: "csv", split: { train: 0.5, val: 0.25, test: 0.25, seed } });
			const { files } = await download(done.id);
			return Object.fromEntries(manifestOf(files).map((row) => [row.sha256, row.split]));
		};
		const first = await splitOf(3);
		expect(await splitOf(3)).toEqual(first);
		expect(await splitOf(4)).not.toEqual(first);
	});

	it("exports CSV with one quoted row per image", async () => {
		const { files } = await download((await exportOf({ format: "csv" })).id);
		const manifest = checkCommon(files);
		const lines = (files.get("labels.csv")?.toString("utf8") ?? "").trim().split("\r\n");
		expect(lines[0]).toBe("file,label,split,sha256,width,height,bytes,source,source_url,page_url,license,author");
		expect(lines).toHaveLength(31);
		const first = manifest[0];
		expect(lines[1]).toBe(
			`${first.file},${first.label},,${first.sha256},${first.width},${first.height},${stored.get(first.sha256)?.length},wikimedia,${first.source_url},https://commons.example.org/File:${first.source_url.match(/(\d+)\.jpg/)?.[1]}.jpg,${first.license},"${(first.author ?? "").replaceAll('"', '""')}"`,
		);
		for (const row of manifest) expect(row.file).toBe(`images/${row.sha256}.jpg`);
	});

	it("exports JSON and YAML annotations that list every image", async () => {
		const parsers: [string, string, (text: string) => Record<string, unknown> & { images: unknown[] }][] = [
			["json", "annotations.json", (text) => JSON.parse(text)],
			["yaml", "annotations.yaml", (text) => parseYaml(text)],
		];
		for (const [format, file, parse] of parsers) {
			const { files } = await download((await exportOf({ format })).id);
			const manifest = checkCommon(files);
			const document = parse(files.get(file)?.toString("utf8") ?? "");
			expect(document).toMatchObject({ name: "pets", labels: ["cat", "dog"] });
			expect(document.images).toEqual(
				manifest.map((row) => expect.objectContaining({ file: row.file, label: row.label, sha256: row.sha256 })),
			);
		}
	});

	it("exports TXT: one label file per image and the class list", async () => {
		const { files } = await download((await exportOf({ format: "txt", split: { train: 0.8, val: 0.2, test: 0, seed: 1 } })).id);
		const manifest = checkCommon(files);
		expect(files.get("classes.txt")?.toString("utf8")).toBe("cat\ndog\n");
		expect(manifest.some((row) => row.split === "test")).toBe(false);
		for (const row of manifest) {
			expect(row.file).toBe(`images/${row.split}/${row.sha256}.jpg`);
			expect(files.get(`labels/${row.split}/${row.sha256}.txt`)?.toString("utf8")).toBe(`${row.label}\n`);
		}
	});

	it("exports COCO: categories, images and one classification annotation per image for each split", async () => {
		const { files } = await download((await exportOf({ format: "coco", split: { train: 0.8, val: 0.1, test: 0.1, seed: 5 } })).id);
		const manifest = checkCommon(files);
		let total = 0;
		for (const split of ["train", "val", "test"]) {
			const coco = JSON.parse(files.get(`annotations/instances_${split}.json`)?.toString("utf8") ?? "{}");
			expect(coco.categories).toEqual([
				{ id: 1, name: "cat", supercategory: "none" },
				{ id: 2, name: "dog", supercategory: "none" },
			]);
			expect(coco.annotations).toHaveLength(coco.images.length);
			for (const annotation of coco.annotations) {
				const image = coco.images.find((candidate: { id: number }) => candidate.id === annotation.image_id);
				const row = manifest.find((candidate) => candidate.file === image.file_name);
				expect(row?.split).toBe(split);
				expect(coco.categories[annotation.category_id - 1].name).toBe(row?.label);
				expect(coco.licenses.map((license: { id: number }) => license.id)).toContain(image.license);
			}
			total += coco.images.length;
		}
		expect(total).toBe(30);
	});

	it("exports the YOLO classification layout split/label/file", async () => {
		const { files } = await download((await exportOf({ format: "yolo", split: { train: 0.7, val: 0.3, test: 0, seed: 9 } })).id);
		for (const row of checkCommon(files)) expect(row.file).toBe(`${row.split}/${row.label}/${row.sha256}.jpg`);
		const unsplit = await download((await exportOf({ format: "yolo" })).id);
		for (const row of manifestOf(unsplit.files)) expect(row.file).toBe(`train/${row.label}/${row.sha256}.jpg`);
	});

	it("keeps only the images under the licences asked for", async () => {
		const done = await exportOf({ format: "imagefolder", licences: ["cc0"] });
		expect(done.imageCount).toBe(15);
		const { files } = await download(done.id);
		expect(manifestOf(files).every((row) => row.license === "cc0")).toBe(true);
		expect(files.get("README.md")?.toString("utf8")).toContain("Only images under: cc0");
	});

	it("names each bad field in a 422 and refuses exports with nothing in them", async () => {
		const bad = async (body: object, field: string) => {
			const res = await api().post(`/api/v1/datasets/${datasetId}/exports`).set("Authorization", alice).send(body).expect(422);
			expect(res.headers["content-type"]).toContain("application/problem+json");
			expect(JSON.stringify(res.body.errors)).toContain(field);
		};
		await bad({ format: "tar" }, "format");
		await bad({}, "format");
		await bad({ format: "csv", split: { train: 0.5, val: 0.2, test: 0.2 } }, "split");
		await bad({ format: "csv", split: { train: 0, val: 0.5, test: 0.5 } }, "split.train");
		await bad({ format: "csv", split: { train: 1.5, val: 0, test: 0 } }, "split.train");
		await bad({ format: "csv", split: { train: 1, val: 0, test: 0, seed: -1 } }, "split.seed");
		await bad({ format: "csv", split: { train: 1, val: 0, test: 0, extra: 1 } }, "split");
		await bad({ format: "csv", licences: ["mine"] }, "licences");
		await bad({ format: "csv", licences: [] }, "licences");
		await bad({ format: "csv", owner: "bob" }, "owner");
		const empty = await api()
			.post(`/api/v1/datasets/${datasetId}/exports`)
			.set("Authorization", alice)
			.send({ format: "csv", licences: ["cc-by-nd"] })
			.expect(409);
		expect(empty.body.detail).toMatch(/no valid images/);
	});

	it("keeps exports to their owner: another user gets 404 and changes nothing", async () => {
		const done = await exportOf({ format: "json" });
		await api().get(`/api/v1/exports/${done.id}`).set("Authorization", bob).expect(404);
		await api().get(`/api/v1/exports/${done.id}/download`).set("Authorization", bob).expect(404);
		await api().delete(`/api/v1/exports/${done.id}`).set("Authorization", bob).expect(404);
		await api().post(`/api/v1/datasets/${datasetId}/exports`).set("Authorization", bob).send({ format: "csv" }).expect(404);
		await api().get(`/api/v1/datasets/${datasetId}/exports`).set("Authorization", bob).expect(404);
		await api().get(`/api/v1/exports/${done.id}`).set("Authorization", "").expect(401);
		const after = (await api().get(`/api/v1/exports/${done.id}`).set("Authorization", alice).expect(200)).body;
		expect(after).toMatchObject({ status: "ready", sha256: done.sha256 });
		const { archive } = await download(done.id);
		expect(sha256(archive)).toBe(done.sha256);
	});

	it("lists a dataset's exports, newest first, and deleting one frees its storage", async () => {
		const listed = (await api().get(`/api/v1/datasets/${datasetId}/exports?pageSize=100`).set("Authorization", alice).expect(200)).body;
		expect(listed.total).toBeGreaterThan(5);
		const times = listed.items.map((item: { createdAt: string }) => item.createdAt);
		expect([...times].sort().reverse()).toEqual(times);
		const usage = async () => (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		const before = await usage();
		const victim = listed.items[0];
		await api().delete(`/api/v1/exports/${victim.id}`).set("Authorization", alice).expect(204);
		const after = await usage();
		expect(after.bytes).toBe(before.bytes - victim.bytes);
		expect(after.objects).toBe(before.objects - 1);
		await api().get(`/api/v1/exports/${victim.id}`).set("Authorization", alice).expect(404);
	});

	it("deleting the dataset removes its exports, images and files and frees all quota", async () => {
		const other = (
			await api()
				.post("/api/v1/datasets")
				.set("Authorization", alice)
				.send({ ...DEFINITION, name: "doomed" })
				.expect(201)
		).body.id;
		for (let seed = 200; seed < 205; seed++) await addImage(gateway, "alice", other, seed);
		const done = await exportOf({ format: "huggingface" }, alice, other);
		const usage = async () => (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		const before = await usage();
		await api().delete(`/api/v1/datasets/${other}`).set("Authorization", alice).expect(204);
		await api().get(`/api/v1/exports/${done.id}`).set("Authorization", alice).expect(404);
		const after = await usage();
		expect(before.objects - after.objects).toBe(6);
		const left = fs.existsSync(path.join(dataDir, "storage", "datasets", other))
			? fs
					.readdirSync(path.join(dataDir, "storage", "datasets", other), { recursive: true, withFileTypes: true })
					.filter((entry) => entry.isFile())
			: [];
		expect(left).toEqual([]);
		const records = await gateway.broker.call<{ documents: number }, Record<string, unknown>>("dataset-exports.collectionStats", {});
		const remaining = (await api().get(`/api/v1/datasets/${datasetId}/exports?pageSize=100`).set("Authorization", alice).expect(200)).body
			.total;
		expect(records.documents).toBe(remaining);
	});
});

describe("exports under a quota and across restarts", () => {
	it("fails an export that does not fit the quota, writing nothing", async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-exports-quota-"));
		// room for the images and not for an archive of them
		const gateway = await startPlatform({ PIXCRAWLER_DATA_DIR: dataDir, STORAGE_QUOTA_BYTES_PER_USER: "3000" });
		try {
			const auth = `Bearer ${await gateway.tokenFor("carol")}`;
			const id = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", auth).send(DEFINITION).expect(201)).body.id;
			for (let seed = 1; seed <= 10; seed++) await addImage(gateway, "carol", id, seed);
			const usage = async () => (await request(gateway.url).get("/api/v1/storage/usage").set("Authorization", auth).expect(200)).body;
			const before = await usage();
			const created = (
				await request(gateway.url).post(`/api/v1/datasets/${id}/exports`).set("Authorization", auth).send({ format: "csv" }).expect(202)
			).body;
			let current = created;
			await waitUntil(async () => {
				current = (await request(gateway.url).get(`/api/v1/exports/${created.id}`).set("Authorization", auth).expect(200)).body;
				return current.status === "failed";
			});
			expect(current.error).toMatch(/quota/);
			expect(current.attempts).toBe(1);
			expect(await usage()).toEqual(before);
			expect(fs.existsSync(path.join(dataDir, "storage", "datasets", id, "exports"))).toBe(false);
			const res = await request(gateway.url).get(`/api/v1/exports/${created.id}/download`).set("Authorization", auth).expect(409);
			expect(res.body.detail).toMatch(/failed/);
		} finally {
			await gateway.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	});

	it("finishes an export whose process died while writing it when the service starts again", async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-exports-resume-"));
		const env = { PIXCRAWLER_DATA_DIR: dataDir, PIXCRAWLER_DB_IN_MEMORY: "false" };
		let gateway = await startPlatform(env);
		try {
			const auth = `Bearer ${await gateway.tokenFor("dave")}`;
			const id = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", auth).send(DEFINITION).expect(201)).body.id;
			for (let seed = 1; seed <= 40; seed++) await addImage(gateway, "dave", id, seed);
			const exportOnce = async () => {
				const created = (
					await request(gateway.url).post(`/api/v1/datasets/${id}/exports`).set("Authorization", auth).send({ format: "txt" }).expect(202)
				).body;
				let current = created;
				await waitUntil(async () => {
					current = (await request(gateway.url).get(`/api/v1/exports/${created.id}`).set("Authorization", auth).expect(200)).body;
					return current.status === "ready";
				});
				return current;
			};
			const first = await exportOnce();
			const usage = async () => (await request(gateway.url).get("/api/v1/storage/usage").set("Authorization", auth).expect(200)).body;
			const usageBefore = await usage();
			await gateway.stop();
			// the crash, as the store saw it: the record still running under a lease nobody will renew
			const file = path.join(dataDir, "db", "exports.db");
			const lines = fs.readFileSync(file, "utf8").trim().split("\n");
			const stored = JSON.parse(lines[lines.length - 1]);
			const crashed = { ...stored, status: "running", leaseUntil: { $$date: Date.now() + 3_600_000 }, progress: { done: 12, total: 40 } };
			fs.appendFileSync(file, `${JSON.stringify(crashed)}\n`);

			gateway = await startPlatform(env);
			let current = first;
			await waitUntil(async () => {
				current = (await request(gateway.url).get(`/api/v1/exports/${first.id}`).set("Authorization", auth).expect(200)).body;
				return current.status === "ready" && current.attempts === 2;
			});
			expect(current).toMatchObject({ imageCount: 40, taskId: first.taskId, progress: { done: 40, total: 40 } });
			const archive = Buffer.from(
				await (await fetch(`${gateway.url}/api/v1/exports/${first.id}/download`, { headers: { Authorization: auth } })).arrayBuffer(),
			);
			expect(sha256(archive)).toBe(current.sha256);
			expect(manifestOf(await unzip(archive))).toHaveLength(40);
			// the rewrite replaced the earlier archive instead of keeping both
			expect((await usage()).objects).toBe(usageBefore.objects);
		} finally {
			await gateway.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
