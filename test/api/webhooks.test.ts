import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { createNotifyService } from "../../services/notify.service";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { CapturingLogger } from "../support/log-capture";
import { FAKE_API_TOKENS } from "../support/sample.service";

jest.setTimeout(60000);

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON of many shapes
type Body = any;

/**
 * Verifies a PixCrawler-Signature header the way the API guide tells receivers to, written here from the
 * documented scheme with node:crypto alone (not with the service's signing code): HMAC-SHA256 keyed with the
 * whole secret over "<t>.<raw body>", hex, compared in constant time, and a timestamp within `toleranceSeconds`.
 */
function verifySignature(secret: string, header: string, rawBody: string, nowSeconds: number, toleranceSeconds = 300): boolean {
	const pairs = header.split(",").map((part) => part.trim().split("="));
	const timestamps = pairs.filter(([key]) => key === "t").map(([, value]) => value);
	const signatures = pairs.filter(([key]) => key === "v1").map(([, value]) => value);
	if (timestamps.length !== 1 || !/^\d+$/.test(timestamps[0]) || signatures.length === 0) return false;
	const timestamp = Number(timestamps[0]);
	if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
	const expected = createHmac("sha256", Buffer.from(secret, "utf8")).update(`${timestamp}.${rawBody}`, "utf8").digest();
	return signatures.some((signature) => {
		const given = Buffer.from(signature, "hex");
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
}

interface Received {
	path: string;
	headers: http.IncomingHttpHeaders;
	body: string;
	at: number;
}

/**
 * A webhook receiver on 127.0.0.1 that records every request and answers by path:
 *   /ok/<id>                204
 *   /fail-then-ok/<n>/<id>  500 the first n times per path, then 200
 *   /fail/<id>              503 every time
 *   /redirect/<id>          302 to /ok/redirected-<id>
 *   /slow/<ms>/<id>         200 after <ms>
 *   /huge/<id>              200 with 8 MiB of body; `cutShort` records whether the sender hung up first
 */
async function startReceiver() {
	const received: Received[] = [];
	const counts = new Map<string, number>();
	const cutShort = new Map<string, boolean>();
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", (chunk: Buffer) => chunks.push(chunk));
		req.on("end", () => {
			const url = req.url ?? "/";
			received.push({ path: url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
			const seen = (counts.get(url) ?? 0) + 1;
			counts.set(url, seen);
			const [, kind, argument] = url.split("/");
			switch (kind) {
				case "ok":
					res.writeHead(204).end();
					return;
				case "fail-then-ok":
					if (seen <= Number(argument)) res.writeHead(500, { "content-type": "text/plain" }).end("not yet");
					else res.writeHead(200, { "content-type": "text/plain" }).end("thanks");
					return;
				case "fail":
					res.writeHead(503).end();
					return;
				case "redirect":
					res.writeHead(302, { location: `/ok/redirected-${argument}` }).end();
					return;
				case "slow": {
					const timer = setTimeout(() => res.writeHead(200).end(), Number(argument));
					res.on("close", () => clearTimeout(timer));
					return;
				}
				case "huge": {
					res.writeHead(200, { "content-type": "application/octet-stream" });
					const chunk = Buffer.alloc(64 * 1024, 120);
					let sent = 0;
					res.on("close", () => cutShort.set(url, !res.writableFinished));
					const pump = () => {
						while (sent < 8 * 1024 * 1024 && !res.destroyed) {
							sent += chunk.length;
							if (!res.write(chunk)) return res.once("drain", pump);
						}
						if (!res.destroyed) res.end();
					};
					pump();
					return;
				}
				default:
					res.writeHead(404).end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		received,
		cutShort,
		requestsTo: (pathPrefix: string) => received.filter((entry) => entry.path.startsWith(pathPrefix)),
		stop: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Settings that let retries, timeouts and disabling happen within a test. */
const WEBHOOK_ENV = {
	CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
	PIXCRAWLER_WEBHOOK_MAX_PER_USER: "4",
	PIXCRAWLER_WEBHOOK_TIMEOUT_MS: "800",
	PIXCRAWLER_WEBHOOK_MAX_ATTEMPTS: "3",
	PIXCRAWLER_WEBHOOK_RETRY_BASE_MS: "100",
	PIXCRAWLER_WEBHOOK_RETRY_CAP_MS: "400",
	PIXCRAWLER_WEBHOOK_DISABLE_AFTER_FAILURES: "2",
	PIXCRAWLER_WEBHOOK_SCHEDULER_INTERVAL_MS: "50",
	RATE_LIMIT_EXPENSIVE: "1000",
};

describe("webhooks", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-webhooks-"));
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	let gateway: RunningGateway;
	let alice: string;
	let bob: string;
	let seq = 0;
	const logger = new CapturingLogger({ level: "debug" });
	/** Every secret the API handed out, to look for in the logs. */
	const secrets: string[] = [];

	beforeAll(async () => {
		receiver = await startReceiver();
		const env = { PIXCRAWLER_DATA_DIR: dataDir, ...WEBHOOK_ENV };
		gateway = await startGateway({
			broker: { logger },
			env,
			services: [createNotifyService(testConfig(env))],
			waitFor: ["notify.createWebhook", "notify.listDeliveries"],
		});
		alice = `Bearer ${await gateway.tokenFor("alice")}`;
		bob = `Bearer ${await gateway.tokenFor("bob")}`;
	});
	afterAll(async () => {
		await gateway?.stop();
		await receiver?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	const api = () => request(gateway.url);

	async function register(auth: string, target: string, events: string[] = ["job.completed"], description?: string): Promise<Body> {
		const res = await api()
			.post("/api/v1/webhooks")
			.set("Authorization", auth)
			.send({ url: `${receiver.url}${target}`, events, ...(description === undefined ? {} : { description }) });
		expect([res.status, res.status === 201 ? null : res.body]).toEqual([201, null]);
		secrets.push(res.body.secret);
		return res.body;
	}

	/** A build ending, broadcast as the crawl service broadcasts it (`crawl.job.changed`, type completed). */
	async function buildEnded(
		ownerId: string,
		status: "done" | "failed" | "cancelled",
		again?: { jobId: string; seq: number },
	): Promise<{ jobId: string; seq: number }> {
		const jobId = again?.jobId ?? `job-${randomUUID().slice(0, 8)}`;
		const eventSeq = again?.seq ?? ++seq;
		await gateway.broker.broadcast("crawl.job.changed", {
			type: "completed",
			seq: eventSeq,
			job: {
				id: jobId,
				datasetId: "dataset-1",
				ownerId,
				status,
				step: "done",
				round: 1,
				progress: { found: 3, downloaded: 3, valid: 2, duplicates: 0, rejected: 1, failedTasks: 0 },
				counts: { cat: 2 },
				error: status === "failed" ? "No valid image was found" : null,
				startedAt: new Date().toISOString(),
				finishedAt: new Date().toISOString(),
			},
		});
		return { jobId, seq: eventSeq };
	}

	async function deliveries(webhookId: string, auth = alice): Promise<Body[]> {
		return (await api().get(`/api/v1/webhooks/${webhookId}/deliveries?pageSize=100`).set("Authorization", auth).expect(200)).body.items;
	}

	async function deliveryEnded(webhookId: string, count = 1, auth = alice): Promise<Body[]> {
		let items: Body[] = [];
		await waitUntil(
			async () => {
				items = await deliveries(webhookId, auth);
				return items.length >= count && items.every((item) => ["delivered", "failed", "cancelled"].includes(item.status));
			},
			15000,
			`${count} ended deliveries of ${webhookId}`,
		);
		return items;
	}

	async function webhookOf(id: string, auth = alice): Promise<Body> {
		const page = (await api().get("/api/v1/webhooks?pageSize=100").set("Authorization", auth).expect(200)).body;
		return page.items.find((item: Body) => item.id === id);
	}

	it("registers a webhook, shows its secret only in the creation answer, and lists it without", async () => {
		const created = await register(alice, "/ok/listed", ["job.completed", "export.ready"], "pipeline trigger");
		expect(created).toEqual({
			id: expect.any(String),
			ownerId: "alice",
			url: `${receiver.url}/ok/listed`,
			description: "pipeline trigger",
			events: ["job.completed", "export.ready"],
			enabled: true,
			consecutiveFailures: 0,
			disabledAt: null,
			disabledReason: null,
			lastDeliveryAt: null,
			lastDeliveryStatus: null,
			createdAt: expect.any(String),
			updatedAt: expect.any(String),
			secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
		});
		const listed = await api().get("/api/v1/webhooks").set("Authorization", alice).expect(200);
		const { secret, ...withoutSecret } = created;
		expect(listed.body.items).toContainEqual(withoutSecret);
		expect(listed.text).not.toContain(secret);
		// a second webhook gets a secret of its own
		expect((await register(alice, "/ok/second")).secret).not.toBe(secret);
	});

	it("signs each delivery so that an independent verifier accepts it and refuses altered or replayed copies", async () => {
		const webhook = await register(alice, "/ok/signed");
		const queued = await api().post(`/api/v1/webhooks/${webhook.id}/test`).set("Authorization", alice).expect(202);
		expect(queued.body).toMatchObject({ webhookId: webhook.id, eventType: "webhook.test", status: "queued", attempts: 0, maxAttempts: 1 });
		await waitUntil(() => receiver.requestsTo("/ok/signed").length === 1, 10000, "the test event");
		const [sent] = receiver.requestsTo("/ok/signed");
		const header = String(sent.headers["pixcrawler-signature"]);
		expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
		const now = Math.floor(Date.now() / 1000);
		expect(verifySignature(webhook.secret, header, sent.body, now)).toBe(true);

		const event = JSON.parse(sent.body);
		expect(event).toEqual({
			id: expect.stringMatching(/^evt_[0-9a-f]{24}$/),
			type: "webhook.test",
			createdAt: expect.any(String),
			data: { webhookId: webhook.id, message: expect.any(String) },
		});
		expect(sent.headers).toMatchObject({
			"content-type": "application/json",
			"pixcrawler-event-id": event.id,
			"pixcrawler-event-type": "webhook.test",
			"pixcrawler-delivery-id": queued.body.id,
			"user-agent": expect.stringMatching(/^PixCrawler-Webhooks\//),
		});

		const [t, v1] = header.split(",");
		const altered = sent.body.replace('"webhook.test"', '"job.completed"');
		expect(altered).not.toBe(sent.body);
		expect(verifySignature(webhook.secret, header, altered, now)).toBe(false);
		expect(verifySignature(webhook.secret, header, `${sent.body} `, now)).toBe(false);
		// the signature is bound to its timestamp: moving the timestamp breaks it
		expect(verifySignature(webhook.secret, `t=${Number(t.slice(2)) + 1},${v1}`, sent.body, now)).toBe(false);
		expect(verifySignature("whsec_another-secret-of-the-same-kind-0123456789ab", header, sent.body, now)).toBe(false);
		// a delivery captured and replayed later is refused by its age
		expect(verifySignature(webhook.secret, header, sent.body, now + 600)).toBe(false);

		const [delivery] = await deliveryEnded(webhook.id);
		expect(delivery).toMatchObject({
			id: queued.body.id,
			eventId: event.id,
			status: "delivered",
			attempts: 1,
			lastStatusCode: 204,
			lastError: null,
			attemptLog: [{ attempt: 1, at: expect.any(String), statusCode: 204, durationMs: expect.any(Number), error: null, retryInMs: null }],
		});
		expect(JSON.stringify(delivery)).not.toContain(webhook.secret);
		// the test ping neither counts as a delivery of the webhook's events nor changes its record
		expect(await webhookOf(webhook.id)).toMatchObject({ consecutiveFailures: 0, lastDeliveryAt: null });
	});

	it("sends each event once to every webhook that asked for its type, and to no other", async () => {
		const completed = await register(bob, "/ok/bob-completed", ["job.completed", "job.failed"]);
		const exports = await register(bob, "/ok/bob-exports", ["export.ready"]);
		const ended = await buildEnded("bob", "done");
		// the same broadcast again (a second replica would receive it too): still one delivery
		await buildEnded("bob", "done", ended);
		const [delivery] = await deliveryEnded(completed.id, 1, bob);
		expect(delivery).toMatchObject({ eventType: "job.completed", status: "delivered", attempts: 1 });
		const [sent] = receiver.requestsTo("/ok/bob-completed");
		expect(JSON.parse(sent.body)).toMatchObject({
			id: delivery.eventId,
			type: "job.completed",
			data: { jobId: ended.jobId, datasetId: "dataset-1", status: "done", counts: { cat: 2 } },
		});
		await buildEnded("bob", "cancelled");
		await buildEnded("bob", "failed");
		const both = await deliveryEnded(completed.id, 2, bob);
		expect(both.map((item) => item.eventType)).toEqual(["job.failed", "job.completed"]);
		expect(receiver.requestsTo("/ok/bob-completed")).toHaveLength(2);
		expect(await deliveries(exports.id, bob)).toEqual([]);
		expect(receiver.requestsTo("/ok/bob-exports")).toEqual([]);
		// alice's webhooks hear nothing of bob's builds
		expect(receiver.requestsTo("/ok/listed")).toEqual([]);
		expect(await webhookOf(completed.id, bob)).toMatchObject({ consecutiveFailures: 0, lastDeliveryStatus: "delivered" });
	});

	it("retries a failing receiver with exponential backoff until it answers, recording every attempt", async () => {
		const webhook = await register(alice, "/fail-then-ok/2/retried");
		await buildEnded("alice", "done");
		const [delivery] = await deliveryEnded(webhook.id);
		expect(delivery).toMatchObject({
			status: "delivered",
			attempts: 3,
			maxAttempts: 3,
			lastStatusCode: 200,
			lastError: null,
			nextRunAt: null,
		});
		expect(delivery.attemptLog.map((attempt: Body) => [attempt.attempt, attempt.statusCode, attempt.error])).toEqual([
			[1, 500, "HTTP 500"],
			[2, 500, "HTTP 500"],
			[3, 200, null],
		]);
		// full jitter: the wait after attempt n is drawn from [0, min(cap, base · 2^(n-1))], 100 ms then 200 ms here
		const waits = delivery.attemptLog.map((attempt: Body) => attempt.retryInMs);
		expect(waits).toEqual([expect.any(Number), expect.any(Number), null]);
		expect(waits[0]).toBeLessThanOrEqual(100);
		expect(waits[1]).toBeLessThanOrEqual(200);
		// and no attempt came before its wait was over (give or take the clock's millisecond)
		const sentAt = receiver.requestsTo("/fail-then-ok/2/retried").map((entry) => entry.at);
		expect(sentAt).toHaveLength(3);
		expect(sentAt[1] - sentAt[0]).toBeGreaterThanOrEqual(waits[0] - 2);
		expect(sentAt[2] - sentAt[1]).toBeGreaterThanOrEqual(waits[1] - 2);
		// nor long after it: the scheduler publishes due retries every 50 ms
		expect(sentAt[1] - sentAt[0]).toBeLessThan(waits[0] + 1500);
		expect(sentAt[2] - sentAt[1]).toBeLessThan(waits[1] + 1500);
		const record = await webhookOf(webhook.id);
		expect(record).toMatchObject({ enabled: true, consecutiveFailures: 0, lastDeliveryStatus: "delivered" });
	});

	it("disables a webhook after repeated failed deliveries, tells its owner, and sends it nothing more", async () => {
		const carol = `Bearer ${await gateway.tokenFor("carol")}`;
		const webhook = await register(carol, "/fail/disabled");
		await buildEnded("carol", "done");
		await waitUntil(async () => (await deliveries(webhook.id, carol))[0]?.status === "failed", 15000, "the first failed delivery");
		const [first] = await deliveries(webhook.id, carol);
		expect(first).toMatchObject({ attempts: 3, lastStatusCode: 503, lastError: "HTTP 503", finishedAt: expect.any(String) });
		expect(first.attemptLog.map((attempt: Body) => attempt.statusCode)).toEqual([503, 503, 503]);
		expect(await webhookOf(webhook.id, carol)).toMatchObject({ enabled: true, consecutiveFailures: 1, lastDeliveryStatus: "failed" });

		// a failing test ping does not count towards disabling
		await api().post(`/api/v1/webhooks/${webhook.id}/test`).set("Authorization", carol).expect(202);
		await waitUntil(async () => (await deliveries(webhook.id, carol)).every((item) => item.status === "failed"), 10000, "the test ping");
		expect(await webhookOf(webhook.id, carol)).toMatchObject({ enabled: true, consecutiveFailures: 1 });

		await buildEnded("carol", "done");
		await waitUntil(async () => (await webhookOf(webhook.id, carol)).enabled === false, 15000, "the webhook to be disabled");
		const disabled = await webhookOf(webhook.id, carol);
		expect(disabled).toMatchObject({
			enabled: false,
			consecutiveFailures: 2,
			disabledAt: expect.any(String),
			disabledReason: "2 deliveries in a row failed",
		});
		const notifications = (await api().get("/api/v1/notifications?type=webhook.disabled").set("Authorization", carol).expect(200)).body;
		expect(notifications.items).toEqual([
			expect.objectContaining({
				type: "webhook.disabled",
				title: "Webhook disabled",
				data: { webhookId: webhook.id, url: webhook.url, consecutiveFailures: 2 },
				readAt: null,
			}),
		]);

		const before = receiver.requestsTo("/fail/disabled").length;
		await buildEnded("carol", "done");
		// the next event is recorded for carol but not sent to the disabled webhook
		await waitUntil(
			async () => (await api().get("/api/v1/notifications?type=job.completed").set("Authorization", carol).expect(200)).body.total === 3,
			10000,
			"the third notification",
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(await deliveries(webhook.id, carol)).toHaveLength(3);
		expect(receiver.requestsTo("/fail/disabled")).toHaveLength(before);
		// a test ping still reaches it, to check a fix
		await api().post(`/api/v1/webhooks/${webhook.id}/test`).set("Authorization", carol).expect(202);
		await waitUntil(() => receiver.requestsTo("/fail/disabled").length === before + 1, 10000, "the test ping to the disabled webhook");

		// fixed on the receiver's side: pointed at the working address and switched on again, same secret
		const fixed = (
			await api()
				.patch(`/api/v1/webhooks/${webhook.id}`)
				.set("Authorization", carol)
				.send({ url: `${receiver.url}/ok/reenabled`, enabled: true })
				.expect(200)
		).body;
		expect(fixed).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null });
		expect(fixed).not.toHaveProperty("secret");
		await buildEnded("carol", "done");
		await waitUntil(() => receiver.requestsTo("/ok/reenabled").length === 1, 10000, "a delivery to the re-enabled webhook");
		const [sent] = receiver.requestsTo("/ok/reenabled");
		expect(verifySignature(webhook.secret, String(sent.headers["pixcrawler-signature"]), sent.body, Math.floor(Date.now() / 1000))).toBe(
			true,
		);

		// switched off by its owner: nothing is sent, and the reason says who
		const off = (await api().patch(`/api/v1/webhooks/${webhook.id}`).set("Authorization", carol).send({ enabled: false }).expect(200)).body;
		expect(off).toMatchObject({ enabled: false, disabledReason: "Switched off by its owner" });
		await api()
			.patch(`/api/v1/webhooks/${webhook.id}`)
			.set("Authorization", carol)
			.send({ url: "http://169.254.169.254/latest" })
			.expect(422)
			.expect((res) => expect(res.body.errors[0].field).toBe("url"));
	});

	it("follows no redirect: a 3xx answer is a failed attempt", async () => {
		const henry = `Bearer ${await gateway.tokenFor("henry")}`;
		const webhook = await register(henry, "/redirect/r1");
		await api().post(`/api/v1/webhooks/${webhook.id}/test`).set("Authorization", henry).expect(202);
		const [delivery] = await deliveryEnded(webhook.id, 1, henry);
		expect(delivery).toMatchObject({ status: "failed", lastStatusCode: 302, lastError: "HTTP 302: redirects are not followed" });
		expect(receiver.requestsTo("/ok/redirected-r1")).toEqual([]);
	});

	it("gives up an attempt after the timeout, and reads at most 64 KiB of an answer", async () => {
		const dave = `Bearer ${await gateway.tokenFor("dave")}`;
		const slow = await register(dave, "/slow/5000/s1");
		await api().post(`/api/v1/webhooks/${slow.id}/test`).set("Authorization", dave).expect(202);
		const huge = await register(dave, "/huge/h1");
		await api().post(`/api/v1/webhooks/${huge.id}/test`).set("Authorization", dave).expect(202);

		const [timedOut] = await deliveryEnded(slow.id, 1, dave);
		expect(timedOut).toMatchObject({ lastStatusCode: null, lastError: "timeout: no answer within 800 ms" });
		expect(timedOut.attemptLog[0].durationMs).toBeGreaterThanOrEqual(700);
		expect(timedOut.attemptLog[0].durationMs).toBeLessThan(3000);

		const [answered] = await deliveryEnded(huge.id, 1, dave);
		expect(answered).toMatchObject({ status: "delivered", lastStatusCode: 200 });
		await waitUntil(() => receiver.cutShort.has("/huge/h1"), 5000, "the receiver to see the connection end");
		expect(receiver.cutShort.get("/huge/h1")).toBe(true);
	});

	it("keeps each user's webhooks and deliveries to themselves: another user's answer 404 like a missing one", async () => {
		const ivan = `Bearer ${await gateway.tokenFor("ivan")}`;
		const webhook = await register(ivan, "/ok/private");
		const listed = (await api().get("/api/v1/webhooks?pageSize=100").set("Authorization", bob).expect(200)).body;
		expect(listed.items.map((item: Body) => item.ownerId)).toEqual(listed.items.map(() => "bob"));
		for (const id of [webhook.id, "zz00nonexistent0"]) {
			const answers = [
				await api().get(`/api/v1/webhooks/${id}/deliveries`).set("Authorization", bob),
				await api().post(`/api/v1/webhooks/${id}/test`).set("Authorization", bob),
				await api().delete(`/api/v1/webhooks/${id}`).set("Authorization", bob),
				await api().patch(`/api/v1/webhooks/${id}`).set("Authorization", bob).send({ enabled: false }),
			];
			expect(answers.map((res) => [res.status, res.body.type])).toEqual([
				[404, "https://pixcrawler.dev/problems/not-found"],
				[404, "https://pixcrawler.dev/problems/not-found"],
				[404, "https://pixcrawler.dev/problems/not-found"],
				[404, "https://pixcrawler.dev/problems/not-found"],
			]);
		}
		expect(await webhookOf(webhook.id, ivan)).toMatchObject({ id: webhook.id, enabled: true });
		expect(receiver.requestsTo("/ok/private")).toEqual([]);
		expect(await deliveries(webhook.id, ivan)).toEqual([]);
	});

	it("answers API tokens 403 on every webhook route: registering where data goes needs a signed-in session", async () => {
		const token = `Bearer ${FAKE_API_TOKENS.withScope}`;
		const answers = [
			await api().get("/api/v1/webhooks").set("Authorization", token),
			await api()
				.post("/api/v1/webhooks")
				.set("Authorization", token)
				.send({ url: `${receiver.url}/ok/token`, events: ["job.failed"] }),
			await api().post("/api/v1/webhooks/zz00nonexistent0/test").set("Authorization", token),
			await api().get("/api/v1/webhooks/zz00nonexistent0/deliveries").set("Authorization", token),
			await api().delete("/api/v1/webhooks/zz00nonexistent0").set("Authorization", token),
		];
		expect(answers.map((res) => res.status)).toEqual([403, 403, 403, 403, 403]);
		expect((await api().get("/api/v1/webhooks")).status).toBe(401);
	});

	it("deletes a webhook with its deliveries; nothing more is sent to it", async () => {
		const erin = `Bearer ${await gateway.tokenFor("erin")}`;
		const webhook = await register(erin, "/ok/deleted");
		await buildEnded("erin", "done");
		await deliveryEnded(webhook.id, 1, erin);
		await api().delete(`/api/v1/webhooks/${webhook.id}`).set("Authorization", erin).expect(204);
		await api().get(`/api/v1/webhooks/${webhook.id}/deliveries`).set("Authorization", erin).expect(404);
		expect((await api().get("/api/v1/webhooks").set("Authorization", erin).expect(200)).body.total).toBe(0);
		await buildEnded("erin", "done");
		await waitUntil(
			async () => (await api().get("/api/v1/notifications").set("Authorization", erin).expect(200)).body.total === 2,
			10000,
			"erin's second notification",
		);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(receiver.requestsTo("/ok/deleted")).toHaveLength(1);
		await api().delete(`/api/v1/webhooks/${webhook.id}`).set("Authorization", erin).expect(404);
	});

	it("never writes a webhook's secret to the logs (deliveries and failures are logged without it)", () => {
		expect(secrets.length).toBeGreaterThan(10);
		const text = logger.text();
		expect(text).toMatch(/webhook delivered/);
		expect(text).toMatch(/webhook delivery attempt failed/);
		expect(text).toMatch(/webhook disabled after repeated failures/);
		for (const secret of secrets) expect(text.includes(secret)).toBe(false);
	});

	describe("limits", () => {
		const invalid = async (auth: string, body: Record<string, unknown>) => {
			const res = await api().post("/api/v1/webhooks").set("Authorization", auth).send(body);
			expect([res.status, res.body.type]).toEqual([422, "https://pixcrawler.dev/problems/validation-failed"]);
			return res.body.errors.map((error: { field: string }) => error.field);
		};

		it("allows PIXCRAWLER_WEBHOOK_MAX_PER_USER webhooks per user (409 beyond), and one more once one is deleted", async () => {
			const frank = `Bearer ${await gateway.tokenFor("frank")}`;
			const made = [];
			for (let index = 0; index < 4; index++) made.push(await register(frank, `/ok/frank-${index}`));
			const refused = await api()
				.post("/api/v1/webhooks")
				.set("Authorization", frank)
				.send({ url: `${receiver.url}/ok/x`, events: ["job.failed"] });
			expect([refused.status, refused.body.type]).toEqual([409, "https://pixcrawler.dev/problems/conflict"]);
			expect(refused.body.detail).toMatch(/4 webhooks/);
			// the limit is per user
			await register(`Bearer ${await gateway.tokenFor("grace")}`, "/ok/grace");
			await api().delete(`/api/v1/webhooks/${made[0].id}`).set("Authorization", frank).expect(204);
			await register(frank, "/ok/frank-again");
		});

		it("validates the events against the fixed list: at least one, known, without repeats", async () => {
			const url = `${receiver.url}/ok/events`;
			expect(await invalid(alice, { url, events: [] })).toEqual(["events"]);
			expect(await invalid(alice, { url, events: ["job.started"] })).toEqual(["events[0]"]);
			expect(await invalid(alice, { url, events: ["webhook.test"] })).toEqual(["events[0]"]);
			expect(await invalid(alice, { url, events: ["job.failed", "job.failed"] })).toEqual(["events"]);
			expect(await invalid(alice, { url })).toEqual(["events"]);
		});

		it("limits the URL to 2048 characters and the description to 200, and refuses unknown fields", async () => {
			const judy = `Bearer ${await gateway.tokenFor("judy")}`;
			const base = `${receiver.url}/ok/`;
			expect(await invalid(judy, { url: `${base}${"a".repeat(2049 - base.length)}`, events: ["job.failed"] })).toEqual(["url"]);
			await register(judy, `/ok/${"b".repeat(2048 - base.length)}`, ["job.failed"]);
			expect(await invalid(judy, { url: `${base}d`, events: ["job.failed"], description: "d".repeat(201) })).toEqual(["description"]);
			expect(await invalid(judy, { url: `${base}d`, events: ["job.failed"], secret: "whsec_mine" })).toEqual(["secret"]);
		});

		it("refuses cloud metadata addresses even where private networks are allowed", async () => {
			for (const url of ["http://169.254.169.254/latest/meta-data", "https://100.100.100.200/", "https://[fd00:ec2::254]/"]) {
				expect(await invalid(alice, { url, events: ["job.failed"] })).toEqual(["url"]);
			}
		});
	});
});

describe("webhook URLs where private networks are not allowed (as in production)", () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-webhook-urls-"));
	let gateway: RunningGateway;
	let auth: string;

	beforeAll(async () => {
		const env = { PIXCRAWLER_DATA_DIR: dataDir, CRAWL_ALLOW_PRIVATE_NETWORKS: "false" };
		gateway = await startGateway({ env, services: [createNotifyService(testConfig(env))], waitFor: ["notify.createWebhook"] });
		auth = `Bearer ${await gateway.tokenFor("alice")}`;
	});
	afterAll(async () => {
		await gateway?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it.each([
		["plain http", "http://hooks.example.com/pixcrawler", /https/],
		["a loopback address", "https://127.0.0.1:8443/hook", /not reachable/],
		["an IPv6 loopback address", "https://[::1]/hook", /not reachable/],
		["a private address", "https://10.1.2.3/hook", /not reachable/],
		["a name that resolves to loopback", "https://localhost/hook", /resolves to an address/],
		["a cloud metadata address", "https://169.254.169.254/latest", /not reachable/],
		["credentials in the URL", "https://user:secret@hooks.example.com/", /credentials/],
		["another scheme", "ftp://hooks.example.com/hook", /scheme/],
		["a fragment", "https://hooks.example.com/hook#part", /fragment/],
		["something that is not a URL", "hooks.example.com/hook", /valid absolute URL/],
	])("refuses %s with 422 naming the url", async (_what, url, message) => {
		const res = await request(gateway.url)
			.post("/api/v1/webhooks")
			.set("Authorization", auth)
			.send({ url, events: ["job.completed"] });
		expect([res.status, res.body.errors]).toEqual([422, [{ field: "url", message: expect.stringMatching(message) }]]);
		expect((await request(gateway.url).get("/api/v1/webhooks").set("Authorization", auth).expect(200)).body.total).toBe(0);
	});
});
