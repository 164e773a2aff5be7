import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { unzip } from "../support/zip";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("dataset builds against the fixture web (embedded)", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-crawl-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;
	let admin: string;

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 40 });
		const env = {
			PIXCRAWLER_DATA_DIR: dataDir,
			CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
			CRAWL_RETRY_BASE_MS: "50",
			CRAWL_RETRY_CAP_MS: "1500",
			CRAWL_MAX_ATTEMPTS: "3",
			CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "4",
			CRAWL_SCHEDULER_INTERVAL_MS: "50",
			CRAWL_CONNECT_TIMEOUT_MS: "1000",
			...web.env(),
		};
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config), createCrawlService(config), createCrawlWorkerService(config)],
			waitFor: ["crawl.build", "crawl.getJob"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
		admin = `Bearer ${await gateway.tokenFor("admin-1", "superuser")}`;
	});
	afterAll(async () => {
		await gateway.stop();
		await web.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const api = () => request(gateway.url);
	const createDataset = async (body: Record<string, unknown>) =>
		(await api().post("/api/v1/datasets").set("Authorization", alice).send(body).expect(201)).body.id as string;
	async function buildAndWait(datasetId: string) {
		const started = await api().post(`/api/v1/datasets/${datasetId}/build`).set("Authorization", alice).expect(202);
		expect(started.body).toMatchObject({ jobId: expect.any(String), status: "queued" });
		let job = started.body;
		await waitUntil(
			async () => {
				job = (await api().get(`/api/v1/jobs/${started.body.jobId}`).set("Authorization", alice).expect(200)).body;
				return ["done", "failed", "cancelled"].includes(job.status);
			},
			60000,
			"the build",
		);
		return job;
	}
	const allImages = async (datasetId: string, status?: string) => {
		const items: Record<string, unknown>[] = [];
		for (let p = 1; ; p++) {
			const page = (
				await api()
					.get(`/api/v1/datasets/${datasetId}/images?pageSize=100&page=${p}${status ? `&status=${status}` : ""}`)
					.set("Authorization", alice)
					.expect(200)
			).body;
			items.push(...page.items);
			if (items.length >= page.total) return items;
		}
	};

	it("builds a dataset from several sources: targets met, no duplicate kept, every rejection with a reason, exports hold exactly the valid images", async () => {
		const id = await createDataset({
			name: "animals",
			categories: [
				{ label: "cat", keywords: ["cat"] },
				{ label: "dog", keywords: ["dog"] },
			],
			sources: ["bing", "wikimedia", "openverse"],
			options: { maxImagesPerKeyword: 12, minWidth: 32, minHeight: 32, keywordExpansion: "none", dedupThreshold: 8 },
		});
		const job = await buildAndWait(id);
		expect(job).toMatchObject({ status: "done", step: "done", error: null, targets: { cat: 12, dog: 12 } });
		expect(job.counts.cat).toBeGreaterThanOrEqual(12);
		expect(job.counts.dog).toBeGreaterThanOrEqual(12);

		const dataset = (await api().get(`/api/v1/datasets/${id}`).set("Authorization", alice).expect(200)).body;
		expect(dataset).toMatchObject({ status: "ready", currentJobId: job.id });
		const valid = await allImages(id, "valid");
		expect(valid.length).toBe(job.counts.cat + job.counts.dog);
		// no two kept images are the same bytes, and each one's bytes match its hash
		expect(new Set(valid.map((image) => image.sha256)).size).toBe(valid.length);
		for (const image of valid.slice(0, 5)) {
			const bytes = (await api().get(String(image.url)).buffer(true).expect(200)).body as Buffer;
			expect(sha256(bytes)).toBe(image.sha256);
		}
		const rejected = await allImages(id, "rejected");
		for (const image of rejected) expect(image.reason).toEqual(expect.any(String));
		const duplicates = await allImages(id, "duplicate");
		for (const image of duplicates) expect(valid.map((kept) => kept.id)).toContain(image.duplicateOf);

		const metadata = (await api().get(`/api/v1/datasets/${id}/metadata`).set("Authorization", alice).expect(200)).body;
		expect(metadata.perStatus.valid).toBe(valid.length);

		const exported = (
			await api().post(`/api/v1/datasets/${id}/exports`).set("Authorization", alice).send({ format: "imagefolder" }).expect(202)
		).body;
		let done = exported;
		await waitUntil(async () => {
			done = (await api().get(`/api/v1/exports/${exported.id}`).set("Authorization", alice).expect(200)).body;
			return done.status === "ready";
		});
		const archive = Buffer.from(
			await (await fetch(`${gateway.url}/api/v1/exports/${exported.id}/download`, { headers: { Authorization: alice } })).arrayBuffer(),
		);
		const manifest = ((await unzip(archive)).get("manifest.jsonl")?.toString("utf8") ?? "")
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line));
		expect(manifest.map((row) => row.sha256).sort()).toEqual(valid.map((image) => image.sha256).sort());

		const tasks = (await api().get(`/api/v1/jobs/${job.id}/tasks?pageSize=100`).set("Authorization", alice).expect(200)).body;
		expect(tasks.items.filter((task: { type: string }) => task.type === "crawl.finalize").length).toBeGreaterThanOrEqual(1);
		const logs = (await api().get(`/api/v1/jobs/${job.id}/logs`).set("Authorization", alice).expect(200)).body;
		expect(logs.items[0].message).toBe("build finished");
	}, 90000);

	it("keeps jobs to their owner and refuses a second build while one runs", async () => {
		const id = await createDataset({
			name: "urls",
			categories: [{ label: "cat", urls: [`${web.url}/slow/headers/1500/a.jpg`] }],
			sources: ["urls"],
		});
		const started = (await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice).expect(202)).body;
		await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice).expect(409);
		await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", bob).expect(404);
		await api().post(`/api/v1/jobs/${started.jobId}/cancel`).set("Authorization", bob).expect(404);
		await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", bob).expect(404);
		const mine = (await api().get("/api/v1/jobs").set("Authorization", bob).expect(200)).body;
		expect(mine.items).toEqual([]);
		await waitUntil(
			async () => (await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", alice)).body.status === "done",
			30000,
		);
	});

	it("retries a host that fails twice and fetches it on the third attempt", async () => {
		const id = await createDataset({
			name: "flaky",
			categories: [{ label: "cat", urls: [`${web.url}/fail-twice/flaky-1.jpg`, `${web.url}/img/cat/1.jpg`] }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		const job = await buildAndWait(id);
		expect(job.status).toBe("done");
		expect(job.counts.cat).toBe(2);
		const tasks = (await api().get(`/api/v1/jobs/${job.id}/tasks?type=crawl.download`).set("Authorization", alice).expect(200)).body;
		expect(tasks.items[0]).toMatchObject({ status: "done", attempts: 3 });
		expect(web.requests("/fail-twice/flaky-1").length).toBe(3);
		// the image fetched on every attempt is stored once
		expect(web.requests("/img/cat/1.jpg").length).toBe(1);
	});

	it("waits as long as Retry-After asks before the next attempt", async () => {
		const id = await createDataset({
			name: "limited",
			categories: [{ label: "cat", urls: [`${web.url}/rate-limited/limited-1.jpg`] }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		const job = await buildAndWait(id);
		expect(job.counts.cat).toBe(1);
		const times = web.requests("/rate-limited/limited-1").map((logged) => logged.at);
		expect(times).toHaveLength(3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(950);
	});

	it("ends a task that keeps failing as dead with its error; a superuser can requeue it", async () => {
		const id = await createDataset({
			name: "down",
			// nothing listens on port 1: every attempt fails to connect
			categories: [{ label: "cat", urls: ["http://127.0.0.1:1/down.jpg", `${web.url}/img/cat/2.jpg`] }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		const job = await buildAndWait(id);
		expect(job).toMatchObject({ status: "done", counts: { cat: 1 }, progress: { failedTasks: 1 } });
		const tasks = (await api().get(`/api/v1/jobs/${job.id}/tasks?status=dead`).set("Authorization", alice).expect(200)).body;
		expect(tasks.items).toHaveLength(1);
		const dead = tasks.items[0];
		expect(dead).toMatchObject({ type: "crawl.download", attempts: 3, lastError: expect.any(String) });
		const listed = (await api().get("/api/v1/admin/tasks?status=dead&pageSize=100").set("Authorization", admin).expect(200)).body;
		expect(listed.items.map((task: { id: string }) => task.id)).toContain(dead.id);
		await api().get("/api/v1/admin/tasks?status=dead").set("Authorization", alice).expect(403);
		await api().post(`/api/v1/admin/tasks/${dead.id}/requeue`).set("Authorization", alice).expect(403);

		const requeued = (await api().post(`/api/v1/admin/tasks/${dead.id}/requeue`).set("Authorization", admin).expect(200)).body;
		expect(requeued).toMatchObject({ id: dead.id, attempts: expect.any(Number) });
		let again = job;
		await waitUntil(async () => {
			again = (await api().get(`/api/v1/jobs/${job.id}`).set("Authorization", alice).expect(200)).body;
			const task = (await api().get(`/api/v1/jobs/${job.id}/tasks?status=dead`).set("Authorization", alice).expect(200)).body.items[0];
			return again.status === "done" && again.round === 2 && task?.attempts === 3;
		}, 20000);
		const logs = (await api().get(`/api/v1/jobs/${job.id}/logs?pageSize=100`).set("Authorization", alice).expect(200)).body;
		expect(logs.items.map((entry: { message: string }) => entry.message)).toContain("1 task(s) requeued");
		const done = (await api().get(`/api/v1/jobs/${job.id}/tasks?status=done`).set("Authorization", alice).expect(200)).body.items[0];
		await api().post(`/api/v1/admin/tasks/${done.id}/requeue`).set("Authorization", admin).expect(409);
	});

	it("refuses more concurrent builds than a user is allowed (429)", async () => {
		const slow = (n: number) => ({
			name: `busy-${n}`,
			categories: [{ label: "cat", urls: [`${web.url}/slow/headers/2000/busy-${n}.jpg`] }],
			sources: ["urls"],
		});
		const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => createDataset(slow(n))));
		const answers = [];
		for (const id of ids) answers.push((await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice)).status);
		expect(answers.filter((status) => status === 202)).toHaveLength(4);
		expect(answers[4]).toBe(429);
		const jobs = (await api().get("/api/v1/jobs?status=running&pageSize=100").set("Authorization", alice).expect(200)).body;
		for (const job of jobs.items) await api().post(`/api/v1/jobs/${job.id}/cancel`).set("Authorization", alice);
		const queued = (await api().get("/api/v1/jobs?status=queued&pageSize=100").set("Authorization", alice).expect(200)).body;
		for (const job of queued.items) await api().post(`/api/v1/jobs/${job.id}/cancel`).set("Authorization", alice);
	});

	it("streams a build's progress and completion as Server-Sent Events, and answers a reconnection with the state", async () => {
		const id = await createDataset({
			name: "watched",
			categories: [{ label: "cat", urls: Array.from({ length: 6 }, (_, n) => `${web.url}/img/cat/${n + 10}.jpg`) }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		const readEvents = async (url: string, headers: Record<string, string> = {}) => {
			const response = await fetch(url, { headers: { Authorization: alice, ...headers } });
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toContain("text/event-stream");
			const text = await response.text();
			return text
				.split("\n\n")
				.filter((block) => block.includes("event:"))
				.map((block) => ({
					id: Number(/^id: (\d+)$/m.exec(block)?.[1]),
					event: /^event: (.+)$/m.exec(block)?.[1],
					data: JSON.parse(/^data: (.+)$/m.exec(block)?.[1] ?? "null"),
				}));
		};
		const streaming = readEvents(`${gateway.url}/api/v1/datasets/${id}/events`);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const started = (await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice).expect(202)).body;
		const events = await streaming;
		expect(events.at(-1)).toMatchObject({ event: "completed", data: { id: started.jobId, status: "done" } });
		expect(events.some((event) => event.event === "progress" && event.data.progress.valid > 0)).toBe(true);
		const ids = events.map((event) => event.id);
		expect([...ids].sort((a, b) => a - b)).toEqual(ids);

		const again = await readEvents(`${gateway.url}/api/v1/jobs/${started.jobId}/events`, { "Last-Event-ID": String(ids[2]) });
		expect(again.map((event) => event.event)).toEqual(["snapshot", "completed"]);
		expect(again[0].data).toMatchObject({ id: started.jobId, status: "done", progress: events.at(-1)?.data.progress });
		const denied = await fetch(`${gateway.url}/api/v1/jobs/${started.jobId}/events`, { headers: { Authorization: bob } });
		expect(denied.status).toBe(404);
	});

	it("deleting a dataset mid-build cancels the build and leaves no file or record behind", async () => {
		const usage = async () => (await api().get("/api/v1/storage/usage").set("Authorization", alice).expect(200)).body;
		const before = await usage();
		const urls = Array.from({ length: 40 }, (_, n) => `${web.url}/slow/body/400/doomed-${n}.jpg`);
		const id = await createDataset({
			name: "doomed",
			categories: [{ label: "cat", urls }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		const started = (await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice).expect(202)).body;
		await waitUntil(
			async () => (await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", alice)).body.progress.valid >= 2,
			20000,
		);
		await api().delete(`/api/v1/datasets/${id}`).set("Authorization", alice).expect(204);
		const job = (await api().get(`/api/v1/jobs/${started.jobId}`).set("Authorization", alice).expect(200)).body;
		expect(job.status).toBe("cancelled");
		// downloads under way when the delete came finish or stop; whatever they stored is removed
		await waitUntil(async () => {
			const tasks = (await api().get(`/api/v1/jobs/${started.jobId}/tasks?pageSize=100`).set("Authorization", alice).expect(200)).body;
			return tasks.items.every((task: { status: string }) => !["running", "queued", "retrying"].includes(task.status));
		}, 10000);
		expect(await usage()).toMatchObject({ bytes: before.bytes, objects: before.objects });
		const folder = path.join(dataDir, "storage", "datasets", id);
		const left = fs.existsSync(folder)
			? fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
			: [];
		expect(left).toEqual([]);
		await api().get(`/api/v1/datasets/${id}/images`).set("Authorization", alice).expect(404);
	});

	it("cancels a build within seconds: running downloads stop and nothing new starts", async () => {
		const urls = Array.from({ length: 20 }, (_, n) => `${web.url}/slow/headers/3000/c${n}.jpg`);
		const id = await createDataset({ name: "slow", categories: [{ label: "cat", urls }], sources: ["urls"] });
		const started = (await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", alice).expect(202)).body;
		await waitUntil(async () => web.requests("/slow/headers/3000/").length > 0, 10000);
		const cancelledAt = Date.now();
		const cancelled = (await api().post(`/api/v1/jobs/${started.jobId}/cancel`).set("Authorization", alice).expect(200)).body;
		expect(cancelled.status).toBe("cancelled");
		await waitUntil(async () => {
			const tasks = (await api().get(`/api/v1/jobs/${started.jobId}/tasks?pageSize=100`).set("Authorization", alice).expect(200)).body;
			return tasks.items.every((task: { status: string }) => !["running", "queued", "retrying"].includes(task.status));
		}, 5000);
		expect(Date.now() - cancelledAt).toBeLessThan(4000);
		const requestsAfter = web.requests("/slow/headers/3000/").length;
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(web.requests("/slow/headers/3000/").length).toBe(requestsAfter);
		expect((await api().get(`/api/v1/datasets/${id}`).set("Authorization", alice).expect(200)).body.status).toBe("cancelled");
		await api().post(`/api/v1/jobs/${started.jobId}/cancel`).set("Authorization", alice).expect(409);
	});
});
