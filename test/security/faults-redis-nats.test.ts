import { randomUUID } from "node:crypto";
import fs from "node:fs";
import { performance } from "node:perf_hooks";
import { ServiceBroker } from "moleculer";
import { PENDING_GRACE_MS } from "../../lib/middlewares/bus-outage";
import { brokerOptions } from "../../moleculer.config";
import { CLUSTER_DEBUG, Cluster, slowUrls, withDump } from "../support/cluster";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { CapturingLogger } from "../support/log-capture";
import { privateNats, privateRedis, type ServerProcess } from "../support/processes";
import { sampleService } from "../support/sample.service";
import { accessLog, unhandledLines, watchForUnhandled } from "./support/faults-watch";

const DEBUG = Boolean(process.env.FAULTS_DEBUG);
const LIMITS = { RATE_LIMIT_DEFAULT: "5", RATE_LIMIT_EXPENSIVE: "2", RATE_LIMIT_AUTH: "3", RATE_LIMIT_WINDOW_SECONDS: "60" };
const SHARED_BUDGET = [200, 200, 200, 200, 200, 429];
/** How long Redis stays away in each outage. */
const REDIS_OUTAGE_MS = 3000;
/** A request that fails fast answers long before any timeout (10 s between services, 30 s behind the gateway). */
const FAST_FAILURE_MS = 1000;

interface Answer {
	status: number;
	ms: number;
	headers: Headers;
	body: Record<string, unknown> | null;
}

async function send(url: string, init: RequestInit & { headers?: Record<string, string> } = {}): Promise<Answer> {
	const started = performance.now();
	// a hung request (the defect this file guards against) fails the test with its own message, not jest's timeout
	const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(15000) });
	const text = await response.text();
	const ms = performance.now() - started;
	return { status: response.status, ms, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const percentile = (values: number[], p: number) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const round = (ms: number) => Math.round(ms * 10) / 10;

describe("Redis down: two gateways sharing rate limits through a private Redis", () => {
	let watcher: ReturnType<typeof watchForUnhandled>;
	const logs = [new CapturingLogger({ level: "info" }), new CapturingLogger({ level: "info" })];
	const measured: Record<string, unknown> = {};
	let redis: ServerProcess;
	let one: RunningGateway;
	let two: RunningGateway;

	beforeAll(async () => {
		watcher = watchForUnhandled();
		redis = await privateRedis();
		const env = { ...LIMITS, REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_KEY_PREFIX: `faults-${randomUUID().slice(0, 8)}:` };
		const routes = ["samples.list", "samples.expensive"];
		[one, two] = await Promise.all(
			logs.map((logger) => startGateway({ env, services: [sampleService], broker: { logger }, waitFor: routes })),
		);
	});

	afterAll(async () => {
		await Promise.all([one?.stop(), two?.stop()]);
		await redis?.stop();
		watcher?.stop();
		if (DEBUG) console.log(JSON.stringify(measured));
	});

	/** A fresh user's six requests, alternating between the gateways: one shared budget of five answers [200 ×5, 429]. */
	async function spendAcrossGateways(): Promise<number[]> {
		const token = await one.tokenFor(`user-${randomUUID()}`);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			const gateway = i % 2 === 0 ? one : two;
			statuses.push((await send(`${gateway.url}/api/v1/samples`, { headers: { Authorization: `Bearer ${token}` } })).status);
		}
		return statuses;
	}

	const readiness = async (gateway: RunningGateway) => {
		const answer = await send(`${gateway.url}/health/ready`);
		return { status: answer.status, failed: (answer.body?.failed ?? []) as string[] };
	};

	it("makes the two gateways spend one budget while Redis runs", async () => {
		expect(await spendAcrossGateways()).toEqual(SHARED_BUDGET);
		expect(await readiness(one)).toEqual({ status: 200, failed: [] });
	});

	it.each([
		["SIGKILL", "killed"],
		["SIGTERM", "stopped cleanly"],
	] as const)(
		"Redis %s (%s): rate-limited routes keep answering within 100 ms from each gateway's own budget, readiness names redis, and the shared limit is back within 5 s of Redis returning",
		async (signal, _how) => {
			await redis.stop(signal);
			const downAt = performance.now();
			for (const gateway of [one, two]) {
				const ready = await readiness(gateway);
				expect(ready.status).toBe(503);
				expect(ready.failed).toEqual(["redis"]);
			}

			// every class of rate-limited route, on both gateways: allowed, refused (429) and bad credentials (401, then 429)
			const users = await Promise.all([0, 1, 2, 3].map(() => one.tokenFor(`user-${randomUUID()}`)));
			const requests = Array.from({ length: 48 }, (_, i) => {
				const gateway = i % 2 === 0 ? one : two;
				const bearer = { Authorization: `Bearer ${users[i % users.length]}` };
				if (i % 3 === 0) return { gateway, path: "/api/v1/samples/s1/build", method: "POST", headers: bearer };
				if (i % 7 === 0)
					return { gateway, path: "/api/v1/samples", method: "GET", headers: { Authorization: "Bearer not-a-valid-token-at-all" } };
				return { gateway, path: "/api/v1/samples", method: "GET", headers: bearer };
			});
			const WARM_UP = 6;
			const answers: (Answer & { requestId: string })[] = [];
			for (const { gateway, path, method, headers } of requests) {
				const requestId = `faults-${signal}-${randomUUID()}`;
				const answer = await send(`${gateway.url}${path}`, { method, headers: { ...headers, "X-Request-ID": requestId } });
				answers.push({ ...answer, requestId });
			}
			// never a 5xx: each answer is the limiter's own (allowed, refused) or the credentials' (401)
			expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([200, 401, 429]));
			for (const answer of answers.filter((a) => a.status === 429))
				expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);

			// the gateway's own handling time of each request (its access log); the first few, right after the
			// outage began and while the code paths warm up, are checked for their status only
			await new Promise((resolve) => setTimeout(resolve, 20));
			const entries = new Map(logs.flatMap(accessLog).map((entry) => [entry.requestId, entry]));
			const timed = answers.slice(WARM_UP);
			const handling = timed.map((answer) => entries.get(answer.requestId)?.durationMs ?? Number.POSITIVE_INFINITY);
			const roundTrips = timed.map((answer) => answer.ms);
			measured[signal] = {
				requests: timed.length,
				handlingMaxMs: round(Math.max(...handling)),
				handlingP50Ms: round(percentile(handling, 0.5)),
				roundTripMaxMs: round(Math.max(...roundTrips)),
				roundTripP50Ms: round(percentile(roundTrips, 0.5)),
			};
			expect(Math.max(...handling)).toBeLessThan(100);
			expect(percentile(roundTrips, 0.5)).toBeLessThan(100);

			// each replica limits from its own memory meanwhile: five on one, the sixth refused there, yet allowed on the other
			const token = await one.tokenFor(`user-${randomUUID()}`);
			const local: number[] = [];
			for (let i = 0; i < 6; i++)
				local.push((await send(`${one.url}/api/v1/samples`, { headers: { Authorization: `Bearer ${token}` } })).status);
			expect(local).toEqual(SHARED_BUDGET);
			expect((await send(`${two.url}/api/v1/samples`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

			// long enough for the clients to back off between reconnection attempts (200 ms more each time, up to 2 s)
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, REDIS_OUTAGE_MS - (performance.now() - downAt))));
			await redis.start();
			const back = performance.now();
			await waitUntil(async () => (await spendAcrossGateways()).join() === SHARED_BUDGET.join(), 5000, "the shared limit to apply again");
			const sharedAfterMs = performance.now() - back;
			(measured[signal] as Record<string, number>).sharedLimitBackAfterMs = Math.round(sharedAfterMs);
			expect(sharedAfterMs).toBeLessThan(5000);
			// and it stays shared
			expect(await spendAcrossGateways()).toEqual(SHARED_BUDGET);
			await waitUntil(async () => (await readiness(one)).status === 200 && (await readiness(two)).status === 200, 5000, "readiness 200");
		},
		30000,
	);

	it("raised no unhandled rejection, uncaught exception or ioredis 'Unhandled error event', and logged no error", () => {
		expect(watcher.problems()).toEqual([]);
		for (const logger of logs) {
			expect(unhandledLines(logger)).toEqual([]);
			expect(logger.lines.filter((line) => line.startsWith("error") || line.startsWith("fatal"))).toEqual([]);
		}
	});
});

describe("NATS down: the gateway and a remote service in two in-process brokers on a private nats-server", () => {
	const namespace = `faults-${randomUUID().slice(0, 8)}`;
	let watcher: ReturnType<typeof watchForUnhandled>;
	const measured: Record<string, unknown> = {};
	let nats: ServerProcess;
	let services: ServiceBroker;
	let gateway: RunningGateway;
	let token: string;

	beforeAll(async () => {
		watcher = watchForUnhandled();
		nats = await privateNats();
		const env = { TRANSPORTER: `nats://127.0.0.1:${nats.port}`, PIXCRAWLER_NAMESPACE: namespace, GATEWAY_READINESS_SERVICES: "samples" };
		services = new ServiceBroker({ ...brokerOptions(testConfig(env)), nodeID: `${namespace}-services`, logger: false });
		services.createService(sampleService);
		await services.start();
		gateway = await startGateway({ env, broker: { nodeID: `${namespace}-gateway` }, waitFor: ["samples.list", "samples.slow"] });
		token = await gateway.tokenFor(`user-${randomUUID()}`);
	});

	afterAll(async () => {
		await gateway?.stop();
		await services?.stop();
		await nats?.stop();
		if (nats?.storeDir) fs.rmSync(nats.storeDir, { recursive: true, force: true });
		watcher?.stop();
		if (DEBUG) console.log(JSON.stringify(measured));
	});

	const samples = () => send(`${gateway.url}/api/v1/samples`, { headers: { Authorization: `Bearer ${token}` } });
	/** The gauge operators alert on (docs/operations.md), as the gateway's /metrics shows it. */
	const transitConnected = async () => {
		const exposition = await (await fetch(`${gateway.url}/metrics`)).text();
		return /^moleculer_transit_connected(?:\{[^}]*\})? (\d+)/m.exec(exposition)?.[1];
	};

	it("answers calls to the remote service with 503 at once while NATS is down, fails a call already sent within the grace period, and recovers without a restart", async () => {
		expect((await samples()).status).toBe(200);
		expect((await send(`${gateway.url}/health/ready`)).status).toBe(200);
		expect(await transitConnected()).toBe("1");

		// a call on its way when the bus goes: the remote handler takes 4 s
		const pending = send(`${gateway.url}/api/v1/public/slow?ms=4000`);
		await new Promise((resolve) => setTimeout(resolve, 300));
		await nats.stop("SIGKILL");
		const downAt = performance.now();

		const during: Answer[] = [];
		for (let i = 0; i < 10; i++) during.push(await samples());
		for (const answer of during) {
			expect(answer.status).toBe(503);
			expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
			expect(answer.headers.get("retry-after")).toBe("5");
			expect(answer.body).toMatchObject({ status: 503, type: "https://pixcrawler.dev/problems/unavailable" });
		}
		expect(Math.max(...during.map((answer) => answer.ms))).toBeLessThan(FAST_FAILURE_MS);
		// routes served by the gateway's own node keep answering
		expect((await send(`${gateway.url}/api/v1/health`)).status).toBe(200);
		expect((await send(`${gateway.url}/health`)).status).toBe(200);

		const queued = await pending;
		const queuedFailedAfterMs = performance.now() - downAt;
		expect(queued.status).toBe(503);
		expect(queuedFailedAfterMs).toBeGreaterThanOrEqual(PENDING_GRACE_MS - 50);
		expect(queuedFailedAfterMs).toBeLessThan(PENDING_GRACE_MS + FAST_FAILURE_MS);

		const ready = await send(`${gateway.url}/health/ready`);
		expect(ready.status).toBe(503);
		expect(ready.body?.failed).toContain("transporter");
		expect(await transitConnected()).toBe("0");

		await nats.start();
		const backAt = performance.now();
		await waitUntil(async () => (await send(`${gateway.url}/health/ready`)).status === 200, 10000, "readiness to recover");
		const readyAfterMs = performance.now() - backAt;
		await waitUntil(async () => (await samples()).status === 200, 10000 - readyAfterMs, "the remote service to answer again");
		const answeringAfterMs = performance.now() - backAt;
		expect(answeringAfterMs).toBeLessThan(10000);
		// not a blip: every call answers again
		for (let i = 0; i < 5; i++) expect((await samples()).status).toBe(200);
		expect(await transitConnected()).toBe("1");
		Object.assign(measured, {
			failFastMaxMs: round(Math.max(...during.map((answer) => answer.ms))),
			failFastP50Ms: round(
				percentile(
					during.map((answer) => answer.ms),
					0.5,
				),
			),
			queuedFailedAfterMs: Math.round(queuedFailedAfterMs),
			readyAfterMs: Math.round(readyAfterMs),
			answeringAfterMs: Math.round(answeringAfterMs),
		});
	}, 30000);

	it("raised no unhandled rejection or uncaught exception", () => {
		expect(watcher.problems()).toEqual([]);
	});
});

describe("NATS down mid-build: the compiled platform in two processes on a private nats-server", () => {
	// the gateway with auth, dataset and crawl in one process; storage and a crawl worker in the other, so the
	// gateway has a route that needs the other process (storage usage) and the worker writes images through both
	const TOPOLOGY = [
		{ name: "platform", services: "api,auth,dataset,crawl" },
		{ name: "worker-1", services: "crawl-worker,storage" },
	];
	const NATS_OUTAGE_MS = 4000;
	const measured: Record<string, unknown> = {};
	let nats: ServerProcess;
	let web: FixtureWeb;
	let cluster: Cluster | undefined;
	let token: string;

	beforeAll(async () => {
		nats = await privateNats();
		web = await startFixtureWeb();
		cluster = new Cluster(`nats://127.0.0.1:${nats.port}`, web);
		await withDump(
			() => cluster,
			() => cluster?.start(TOPOLOGY) ?? Promise.resolve(),
		)();
		token = await cluster.signUp();
	}, 60000);

	afterAll(async () => {
		if ((DEBUG || CLUSTER_DEBUG) && cluster) console.log(cluster.dump());
		if (DEBUG) console.log(JSON.stringify(measured));
		try {
			await cluster?.stop();
		} finally {
			await web?.stop();
			await nats?.stop();
			if (nats?.storeDir) fs.rmSync(nats.storeDir, { recursive: true, force: true });
		}
	});

	it(
		"answers routes of the other process with 503 at once and its own routes normally during the outage, turns ready again within 10 s without a restart, and the build loses no task",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const before = c.alive();
				const urls = slowUrls(web, "faults", 24, 300);
				const { datasetId, jobId } = await c.createAndBuild(token, {
					name: "faults",
					categories: [
						{ label: "cat", urls: urls.slice(0, 12) },
						{ label: "dog", urls: urls.slice(12) },
					],
					sources: ["urls"],
					options: { minWidth: 16, minHeight: 16 },
				});
				await waitUntil(() => web.requests("/slow/body/300/faults-").length >= 3, 30000, "downloads to begin");
				expect((await c.job(token, jobId)).status).toBe("running");

				// a clean stop this time (the cluster e2e test kills it); JetStream keeps its store directory
				await nats.stop("SIGTERM");
				const downAt = performance.now();
				let readiness: Answer | undefined;
				await waitUntil(
					async () => {
						readiness = await send(`${c.base}/health/ready`);
						return readiness.status === 503;
					},
					NATS_OUTAGE_MS,
					"readiness to fail",
				);
				expect(readiness?.body?.failed).toContain("transporter");

				const usage: Answer[] = [];
				for (let i = 0; i < 5; i++)
					usage.push(await send(`${c.base}/api/v1/storage/usage`, { headers: { Authorization: `Bearer ${token}` } }));
				for (const answer of usage) {
					expect(answer.status).toBe(503);
					expect(answer.headers.get("content-type")).toMatch(/^application\/problem\+json/);
					expect(answer.body).toMatchObject({ status: 503, type: "https://pixcrawler.dev/problems/unavailable" });
				}
				expect(Math.max(...usage.map((answer) => answer.ms))).toBeLessThan(FAST_FAILURE_MS);
				// the job lives in the gateway's own process: it still answers
				const job = await send(`${c.base}/api/v1/jobs/${jobId}`, { headers: { Authorization: `Bearer ${token}` } });
				expect(job.status).toBe(200);
				expect((await send(`${c.base}/health`)).status).toBe(200);
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, NATS_OUTAGE_MS - (performance.now() - downAt))));
				expect(c.alive()).toEqual(before);

				await nats.start();
				const backAt = performance.now();
				await waitUntil(async () => (await send(`${c.base}/health/ready`)).status === 200, 10000, "readiness to recover");
				const readyAfterMs = performance.now() - backAt;
				expect((await send(`${c.base}/api/v1/storage/usage`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);

				const ended = await c.waitForEnd(token, jobId, 60000);
				const doneAfterMs = performance.now() - backAt;
				expect(ended).toMatchObject({ status: "done", counts: { cat: 12, dog: 12 } });
				const valid = await c.images(token, datasetId);
				expect(valid).toHaveLength(24);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(24);
				expect((await c.usage(token)).objects).toBe(24);
				const tasks = await c.tasks(token, jobId);
				expect(tasks.filter((task) => task.status !== "done")).toEqual([]);
				expect(c.alive()).toEqual(before);
				expect(before.every((member) => member.running)).toBe(true);
				// both processes saw the connection go (warn level), and nothing went unhandled
				for (const member of c.members) expect(member.output.join("")).toContain("The message bus connection is down");
				const output = c.members.map((member) => member.output.join("")).join("\n");
				expect(output).not.toMatch(/unhandled|uncaught/i);
				Object.assign(measured, {
					failFastMaxMs: round(Math.max(...usage.map((answer) => answer.ms))),
					readyAfterMs: Math.round(readyAfterMs),
					doneAfterMs: Math.round(doneAfterMs),
					attempts: tasks.map(({ type, attempts }) => `${type}: ${attempts}`),
				});
			},
		),
		90000,
	);
});
