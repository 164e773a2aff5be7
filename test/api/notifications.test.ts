import { createHmac } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createNotifyService } from "../../services/notify.service";
import { createStorageService } from "../../services/storage.service";
import { addStoredImage } from "../support/dataset-images";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { FAST_CRAWL_ENV } from "../support/platform";
import { FAKE_API_TOKENS } from "../support/sample.service";

jest.setTimeout(60000);

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes
type Body = any;

const NOT_FOUND = "https://pixcrawler.dev/problems/not-found";

/** An open `GET /events` stream: the events received so far, parsed. */
async function openEvents(url: string, auth: string) {
	const controller = new AbortController();
	const response = await fetch(`${url}/api/v1/events`, { headers: { Authorization: auth }, signal: controller.signal });
	const events: { event: string; data: Body }[] = [];
	let text = "";
	const reading = (async () => {
		const decoder = new TextDecoder();
		try {
			for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
				text += decoder.decode(chunk, { stream: true });
				let end = text.indexOf("\n\n");
				while (end >= 0) {
					const frame = text.slice(0, end);
					text = text.slice(end + 2);
					const event = /^event: (.+)$/m.exec(frame)?.[1];
					const data = /^data: (.+)$/m.exec(frame)?.[1];
					if (event && data) events.push({ event, data: JSON.parse(data) });
					end = text.indexOf("\n\n");
				}
			}
		} catch {
			// closed by the test
		}
	})();
	return {
		response,
		events,
		close: async () => {
			controller.abort();
			await reading;
		},
	};
}

describe("notifications", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-notifications-"));
	let web: FixtureWeb;
	let gateway: RunningGateway;
	let receiver: http.Server;
	const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
	let alice: string;
	let bob: string;
	let webhookSecret: string;
	const jobs: Record<"done" | "failed" | "cancelled", string> = { done: "", failed: "", cancelled: "" };
	let datasetId: string;
	let exportId: string;

	const api = () => request(gateway.url);

	async function dataset(auth: string, urls: string[]): Promise<string> {
		const body = {
			name: `d-${Date.now()}`,
			categories: [{ label: "cat", urls }],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		};
		return (await api().post("/api/v1/datasets").set("Authorization", auth).send(body).expect(201)).body.id;
	}
	async function build(auth: string, id: string): Promise<string> {
		return (await api().post(`/api/v1/datasets/${id}/build`).set("Authorization", auth).expect(202)).body.jobId;
	}
	async function ended(auth: string, jobId: string): Promise<Body> {
		let job: Body;
		await waitUntil(
			async () => {
				job = (await api().get(`/api/v1/jobs/${jobId}`).set("Authorization", auth).expect(200)).body;
				return ["done", "failed", "cancelled"].includes(job.status);
			},
			30000,
			`job ${jobId}`,
		);
		return job;
	}
	async function notifications(auth: string, query = "pageSize=100"): Promise<Body> {
		return (await api().get(`/api/v1/notifications?${query}`).set("Authorization", auth).expect(200)).body;
	}
	async function notificationOf(auth: string, type: string, key: string, value: string): Promise<Body> {
		let found: Body;
		await waitUntil(
			async () => {
				found = (await notifications(auth, `type=${type}&pageSize=100`)).items.find((item: Body) => item.data[key] === value);
				return found !== undefined;
			},
			10000,
			`the ${type} notification`,
		);
		return found;
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 10 });
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on("data", (chunk: Buffer) => chunks.push(chunk));
			req.on("end", () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
				res.writeHead(204).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
		const env = {
			...FAST_CRAWL_ENV,
			PIXCRAWLER_DATA_DIR: dataDir,
			PIXCRAWLER_WEBHOOK_SCHEDULER_INTERVAL_MS: "50",
			CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "4",
			...web.env(),
		};
		const config = testConfig(env);
		gateway = await startGateway({
			env,
			services: [
				createStorageService(config),
				createDatasetService(config),
				createCrawlService(config),
				createCrawlWorkerService(config),
				createNotifyService(config),
			],
			waitFor: ["crawl.build", "notify.listNotifications", "notify.createWebhook"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
		const webhook = await api()
			.post("/api/v1/webhooks")
			.set("Authorization", alice)
			.send({ url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ["job.completed", "export.ready"] })
			.expect(201);
		webhookSecret = webhook.body.secret;

		datasetId = await dataset(alice, [`${web.url}/img/cat/1.jpg`, `${web.url}/img/cat/2.jpg`]);
		jobs.done = await build(alice, datasetId);
		jobs.failed = await build(alice, await dataset(alice, ["http://127.0.0.1:1/down.jpg"]));
		jobs.cancelled = await build(alice, await dataset(alice, [`${web.url}/slow/headers/3000/n1.jpg`]));
		await api().post(`/api/v1/jobs/${jobs.cancelled}/cancel`).set("Authorization", alice).expect(200);
		for (const status of ["done", "failed", "cancelled"] as const) expect((await ended(alice, jobs[status])).status).toBe(status);
		exportId = (await api().post(`/api/v1/datasets/${datasetId}/exports`).set("Authorization", alice).send({ format: "csv" }).expect(202))
			.body.id;
	});
	afterAll(async () => {
		await gateway?.stop();
		await web?.stop();
		receiver?.closeAllConnections();
		await new Promise((resolve) => receiver?.close(resolve));
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("tells the owner of every build that finished, failed or was cancelled", async () => {
		expect(await notificationOf(alice, "job.completed", "jobId", jobs.done)).toEqual({
			id: expect.any(String),
			ownerId: "alice",
			type: "job.completed",
			title: "Build finished",
			message: `The build of dataset ${datasetId} finished with 2 valid images.`,
			data: expect.objectContaining({ jobId: jobs.done, datasetId, status: "done", counts: { cat: 2 } }),
			readAt: null,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
		});
		expect(await notificationOf(alice, "job.failed", "jobId", jobs.failed)).toMatchObject({
			title: "Build failed",
			message: expect.stringContaining("No valid image was found"),
			data: { status: "failed", error: expect.any(String) },
		});
		expect(await notificationOf(alice, "job.cancelled", "jobId", jobs.cancelled)).toMatchObject({
			title: "Build cancelled",
			data: { status: "cancelled" },
		});
	});

	it("tells the owner of an export that became ready", async () => {
		expect(await notificationOf(alice, "export.ready", "exportId", exportId)).toMatchObject({
			title: "Export ready",
			data: { exportId, datasetId, format: "csv", status: "ready", imageCount: 2, bytes: expect.any(Number) },
		});
	});

	it("sends the same events, signed, to the owner's webhook that asked for them", async () => {
		await waitUntil(() => received.length >= 2, 10000, "the webhook deliveries");
		const events = received.map((entry) => JSON.parse(entry.body));
		expect(events.map((event) => event.type).sort()).toEqual(["export.ready", "job.completed"]);
		expect(events.find((event) => event.type === "job.completed").data).toMatchObject({ jobId: jobs.done, status: "done" });
		for (const entry of received) {
			const [t, v1] = String(entry.headers["pixcrawler-signature"]).split(",");
			const timestamp = t.slice("t=".length);
			expect(v1).toBe(`v1=${createHmac("sha256", webhookSecret).update(`${timestamp}.${entry.body}`).digest("hex")}`);
			expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(300);
		}
	});

	it("publishes new notifications on the owner's event stream as they happen, and only there", async () => {
		const aliceStream = await openEvents(gateway.url, alice);
		const bobStream = await openEvents(gateway.url, bob);
		try {
			expect(aliceStream.response.status).toBe(200);
			expect(aliceStream.response.headers.get("content-type")).toMatch(/^text\/event-stream/);
			const jobId = await build(alice, datasetId);
			await waitUntil(() => aliceStream.events.some((event) => event.data.data?.jobId === jobId), 20000, "the streamed notification");
			const streamed = aliceStream.events.find((event) => event.data.data?.jobId === jobId);
			expect(streamed?.event).toBe("notification");
			expect(streamed?.data).toMatchObject({ ownerId: "alice", type: "job.completed", readAt: null });
			expect(streamed?.data).toEqual(await notificationOf(alice, "job.completed", "jobId", jobId));
			expect(bobStream.events).toEqual([]);
		} finally {
			await aliceStream.close();
			await bobStream.close();
		}
	});

	it("ends the event stream after maxSeconds (1 to 3600), for the client to reconnect", async () => {
		const started = Date.now();
		const res = await fetch(`${gateway.url}/api/v1/events?maxSeconds=1`, { headers: { Authorization: bob } });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe("retry: 2000\n\n");
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(Date.now() - started).toBeLessThan(5000);
		for (const maxSeconds of ["0", "3601", "soon"]) {
			const refused = await api().get(`/api/v1/events?maxSeconds=${maxSeconds}`).set("Authorization", bob);
			expect([maxSeconds, refused.status]).toEqual([maxSeconds, 422]);
		}
	});

	it("lists unread ones, marks one read and unread again, and marks all read", async () => {
		const carol = `Bearer ${await gateway.tokenFor("carol")}`;
		const carolDataset = await dataset(carol, [`${web.url}/img/cat/3.jpg`]);
		for (let round = 0; round < 3; round++) await ended(carol, await build(carol, carolDataset));
		await waitUntil(async () => (await notifications(carol)).total === 3, 10000, "carol's notifications");
		const all = await notifications(carol);
		expect(all.items.map((item: Body) => item.type)).toEqual(["job.completed", "job.completed", "job.completed"]);
		const [newest, , oldest] = all.items;
		expect(Date.parse(newest.createdAt)).toBeGreaterThanOrEqual(Date.parse(oldest.createdAt));

		const read = await api().patch(`/api/v1/notifications/${oldest.id}`).set("Authorization", carol).send({ read: true }).expect(200);
		expect(read.body).toMatchObject({ id: oldest.id, readAt: expect.any(String) });
		// reading it again keeps when it was first read
		const again = await api().patch(`/api/v1/notifications/${oldest.id}`).set("Authorization", carol).send({ read: true }).expect(200);
		expect(again.body.readAt).toBe(read.body.readAt);
		expect((await notifications(carol, "unread=true")).items.map((item: Body) => item.id)).not.toContain(oldest.id);
		expect((await notifications(carol, "unread=true")).total).toBe(2);
		expect((await notifications(carol, "unread=false")).total).toBe(3);

		const unread = await api().patch(`/api/v1/notifications/${oldest.id}`).set("Authorization", carol).send({ read: false }).expect(200);
		expect(unread.body.readAt).toBeNull();
		expect((await notifications(carol, "unread=true")).total).toBe(3);

		expect((await api().post("/api/v1/notifications/read-all").set("Authorization", carol).expect(200)).body).toEqual({ updated: 3 });
		expect((await notifications(carol, "unread=true")).total).toBe(0);
		expect((await notifications(carol)).items.every((item: Body) => typeof item.readAt === "string")).toBe(true);
		expect((await api().post("/api/v1/notifications/read-all").set("Authorization", carol).expect(200)).body).toEqual({ updated: 0 });
	});

	it("pages the list and filters it by type", async () => {
		const failed = await notifications(alice, "type=job.failed");
		expect(failed.items.map((item: Body) => item.type)).toEqual(["job.failed"]);
		const first = await notifications(alice, "page=1&pageSize=2");
		const second = await notifications(alice, "page=2&pageSize=2");
		expect(first).toMatchObject({ page: 1, pageSize: 2, total: expect.any(Number) });
		expect(first.total).toBeGreaterThanOrEqual(5);
		expect(first.items).toHaveLength(2);
		expect(second.items.map((item: Body) => item.id)).not.toContain(first.items[0].id);
	});

	it("keeps each user's notifications to themselves: another user's answer 404 like a missing one", async () => {
		const own = await notificationOf(alice, "job.completed", "jobId", jobs.done);
		expect((await notifications(bob)).items).toEqual([]);
		for (const id of [own.id, "zz00nonexistent0"]) {
			const res = await api().patch(`/api/v1/notifications/${id}`).set("Authorization", bob).send({ read: true });
			expect([res.status, res.body.type]).toEqual([404, NOT_FOUND]);
		}
		expect((await api().post("/api/v1/notifications/read-all").set("Authorization", bob).expect(200)).body).toEqual({ updated: 0 });
		expect((await notificationOf(alice, "job.completed", "jobId", jobs.done)).readAt).toBeNull();
	});

	it("validates what it is sent and refuses API tokens without account:read", async () => {
		const own = await notificationOf(alice, "job.failed", "jobId", jobs.failed);
		const problems = [
			await api().get("/api/v1/notifications?pageSize=101").set("Authorization", alice),
			await api().get("/api/v1/notifications?type=job.started").set("Authorization", alice),
			await api().get("/api/v1/notifications?unread=maybe").set("Authorization", alice),
			await api().patch(`/api/v1/notifications/${own.id}`).set("Authorization", alice).send({}),
			await api().patch(`/api/v1/notifications/${own.id}`).set("Authorization", alice).send({ read: "yes" }),
			await api().patch(`/api/v1/notifications/${own.id}`).set("Authorization", alice).send({ read: true, type: "job.completed" }),
		];
		expect(problems.map((res) => res.status)).toEqual([422, 422, 422, 422, 422, 422]);
		expect((await notificationOf(alice, "job.failed", "jobId", jobs.failed)).readAt).toBeNull();
		const token = `Bearer ${FAKE_API_TOKENS.withScope}`;
		const refused = [
			await api().get("/api/v1/notifications").set("Authorization", token),
			await api().patch(`/api/v1/notifications/${own.id}`).set("Authorization", token).send({ read: true }),
			await api().post("/api/v1/notifications/read-all").set("Authorization", token),
			await api().get("/api/v1/events").set("Authorization", token),
		];
		expect(refused.map((res) => [res.status, res.body.detail])).toEqual(
			refused.map(() => [403, "The API token lacks a scope this route needs"]),
		);
		expect((await api().get("/api/v1/events")).status).toBe(401);
	});
});

describe("notifications of exports that fail", () => {
	it("tells the owner when an export fails, with the reason", async () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-notifications-quota-"));
		// room for the images and not for an archive of them
		const env = { PIXCRAWLER_DATA_DIR: dataDir, STORAGE_QUOTA_BYTES_PER_USER: "3000" };
		const config = testConfig(env);
		const gateway = await startGateway({
			env,
			services: [createStorageService(config), createDatasetService(config), createNotifyService(config)],
			waitFor: ["dataset.createExport", "notify.listNotifications"],
		});
		try {
			const auth = `Bearer ${await gateway.tokenFor("dora")}`;
			const definition = { name: "pets", categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] };
			const id = (await request(gateway.url).post("/api/v1/datasets").set("Authorization", auth).send(definition).expect(201)).body.id;
			for (let seed = 1; seed <= 10; seed++) {
				const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(`image ${seed} `.repeat(20))]);
				await addStoredImage(gateway.broker, "dora", id, bytes);
			}
			const created = (
				await request(gateway.url).post(`/api/v1/datasets/${id}/exports`).set("Authorization", auth).send({ format: "csv" }).expect(202)
			).body;
			let page: Body;
			await waitUntil(
				async () => {
					page = (await request(gateway.url).get("/api/v1/notifications?type=export.failed").set("Authorization", auth).expect(200)).body;
					return page.total === 1;
				},
				15000,
				"the export.failed notification",
			);
			expect(page.items[0]).toMatchObject({
				type: "export.failed",
				title: "Export failed",
				message: expect.stringMatching(/quota/),
				data: { exportId: created.id, datasetId: id, status: "failed", error: expect.stringMatching(/quota/) },
			});
		} finally {
			await gateway.stop();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
