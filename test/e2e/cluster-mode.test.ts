import { type ChildProcess, spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { connect } from "nats";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { waitUntil } from "../support/gateway";
import { freePort, privateNats, type ServerProcess } from "../support/processes";

const ENTRY = path.join(__dirname, "../../dist/bin/pixcrawler.js");
const MACHINE_NATS = "nats://127.0.0.1:4222";
const MACHINE_REDIS = "redis://127.0.0.1:6379";
const DEBUG = Boolean(process.env.CLUSTER_DEBUG);
const SHUTDOWN_TIMEOUT_MS = 5000;
const PASSWORD = "cluster-mode-password-1";
const ENDED = ["done", "failed", "cancelled"];

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

interface Member {
	name: string;
	child: ChildProcess;
	output: string[];
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Job {
	id: string;
	status: string;
	counts: Record<string, number>;
	targets: Record<string, number>;
	progress: Record<string, number>;
}

interface Task {
	id: string;
	type: string;
	status: string;
	attempts: number;
	payload: { items?: { imageUrl: string }[] };
}

/**
 * Production cluster mode: every service in an OS process of its own — the gateway, auth, dataset,
 * storage, the saga owner (crawl, one process: it is on NeDB) and two crawl workers — on NATS with
 * JetStream and Redis. Each process keeps its own NeDB collections under one data directory.
 */
class Cluster {
	readonly members: Member[] = [];
	readonly namespace = `e2e-mode-${randomUUID().slice(0, 8)}`;
	readonly redisPrefix = `${this.namespace}:`;
	readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-cluster-mode-"));
	base = "";
	workers: Member[] = [];

	constructor(
		private readonly transporter: string,
		private readonly web: FixtureWeb,
	) {}

	private spawn(name: string, services: string, extra: Record<string, string> = {}): Member {
		const child = spawn(process.execPath, [ENTRY], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PIXCRAWLER_LOG_LEVEL: DEBUG ? "info" : "warn",
				PIXCRAWLER_NAMESPACE: this.namespace,
				PIXCRAWLER_NODE_ID: `${this.namespace}-${name}`,
				PIXCRAWLER_DATA_DIR: this.dataDir,
				PIXCRAWLER_STARTUP_TIMEOUT_MS: "20000",
				PIXCRAWLER_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
				TRANSPORTER: this.transporter,
				REDIS_URL: MACHINE_REDIS,
				REDIS_KEY_PREFIX: this.redisPrefix,
				SERVICES: services,
				GATEWAY_READINESS_SERVICES: "auth,dataset,crawl,storage",
				// the tests poll; the limits still go through Redis
				RATE_LIMIT_DEFAULT: "100000",
				CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
				CRAWL_TASK_LEASE_MS: "3000",
				CRAWL_SCHEDULER_INTERVAL_MS: "200",
				CRAWL_RETRY_BASE_MS: "100",
				CRAWL_RETRY_CAP_MS: "1000",
				...this.web.env(),
				...extra,
			},
			stdio: ["ignore", "pipe", "pipe"],
		});
		const output: string[] = [];
		child.stdout?.on("data", (chunk) => output.push(String(chunk)));
		child.stderr?.on("data", (chunk) => output.push(String(chunk)));
		const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
			child.once("exit", (code, signal) => resolve({ code, signal })),
		);
		const member = { name, child, output, exited };
		this.members.push(member);
		return member;
	}

	/** Starts the seven processes and waits until the gateway reports every required service ready. */
	async start(): Promise<void> {
		const port = await freePort();
		this.base = `http://127.0.0.1:${port}`;
		this.spawn("api", "api", { GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1" });
		this.spawn("auth", "auth");
		this.spawn("dataset", "dataset");
		this.spawn("storage", "storage");
		this.spawn("crawl", "crawl");
		// each worker signs its requests, so the fixture web tells who fetched what; at info level it says when it has started
		this.workers = [1, 2].map((n) =>
			this.spawn(`worker-${n}`, "crawl-worker", { CRAWL_USER_AGENT: this.userAgent(n), PIXCRAWLER_LOG_LEVEL: "info" }),
		);
		await waitUntil(
			async () => (await fetch(`${this.base}/health/ready`).catch(() => null))?.status === 200,
			45000,
			"the gateway to be ready",
		);
		// readiness does not cover the workers: they start once their dependencies answer, then subscribe to the queue
		await waitUntil(
			() => this.workers.every((worker) => worker.output.join("").includes("started successfully")),
			30000,
			"both crawl workers to start",
		);
	}

	userAgent(worker: number): string {
		return `PixCrawler-e2e/${this.namespace}/worker-${worker} (+https://example.org/cluster-mode)`;
	}

	/** Every child still runs: none exited or was restarted (the pids are those spawned). */
	alive(): { name: string; pid: number | undefined; running: boolean }[] {
		return this.members.map(({ name, child }) => ({ name, pid: child.pid, running: child.exitCode === null && child.signalCode === null }));
	}

	dump(): string {
		return this.members.map(({ name, output }) => `----- ${name}\n${output.join("").slice(-6000)}`).join("\n");
	}

	async stop(): Promise<void> {
		await Promise.all(
			this.members.map(async ({ child, exited }) => {
				if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
				await exited;
			}),
		);
		fs.rmSync(this.dataDir, { recursive: true, force: true });
		const redis = new Redis(MACHINE_REDIS, { lazyConnect: true, maxRetriesPerRequest: 1 });
		try {
			await redis.connect();
			const keys = await redis.keys(`${this.redisPrefix}*`);
			if (keys.length > 0) await redis.del(...keys);
		} finally {
			redis.disconnect();
		}
	}

	async call<T = unknown>(method: string, route: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
		const response = await fetch(`${this.base}/api/v1${route}`, {
			method,
			headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : null };
	}

	async signUp(): Promise<string> {
		const email = `mode-${randomUUID().slice(0, 8)}@example.org`;
		const registered = await this.call("POST", "/auth/register", undefined, { email, password: PASSWORD, name: "Cluster Mode" });
		expect(registered.status).toBe(201);
		const login = await this.call<{ accessToken: string }>("POST", "/auth/login", undefined, { email, password: PASSWORD });
		expect(login.status).toBe(200);
		return login.body.accessToken;
	}

	async createAndBuild(token: string, definition: Record<string, unknown>): Promise<{ datasetId: string; jobId: string }> {
		const dataset = await this.call<{ id: string }>("POST", "/datasets", token, definition);
		expect(dataset.status).toBe(201);
		const build = await this.call<{ jobId: string }>("POST", `/datasets/${dataset.body.id}/build`, token);
		expect(build.status).toBe(202);
		return { datasetId: dataset.body.id, jobId: build.body.jobId };
	}

	async job(token: string, jobId: string): Promise<Job> {
		return (await this.call<Job>("GET", `/jobs/${jobId}`, token)).body;
	}

	async waitForEnd(token: string, jobId: string, timeoutMs: number): Promise<Job> {
		let job = await this.job(token, jobId);
		await waitUntil(
			async () => {
				job = await this.job(token, jobId);
				return ENDED.includes(job.status);
			},
			timeoutMs,
			`job ${jobId} to end`,
		);
		return job;
	}

	async tasks(token: string, jobId: string): Promise<Task[]> {
		const page = await this.call<{ items: Task[]; total: number }>("GET", `/jobs/${jobId}/tasks?pageSize=100`, token);
		expect(page.body.total).toBeLessThanOrEqual(100);
		return page.body.items;
	}

	async images(token: string, datasetId: string, status = "valid"): Promise<{ sha256: string; url: string; bytes: number }[]> {
		const page = await this.call<{ items: { sha256: string; url: string; bytes: number }[]; total: number }>(
			"GET",
			`/datasets/${datasetId}/images?status=${status}&pageSize=100`,
			token,
		);
		expect(page.body.items).toHaveLength(page.body.total);
		return page.body.items;
	}

	async usage(token: string): Promise<{ bytes: number; objects: number }> {
		return (await this.call<{ bytes: number; objects: number }>("GET", "/storage/usage", token)).body;
	}
}

/** Runs a test body; when it fails, prints what every child process said. */
function withDump(cluster: () => Cluster | undefined, body: () => Promise<void>): () => Promise<void> {
	return async () => {
		try {
			await body();
		} catch (error) {
			const running = cluster();
			if (running) console.log(running.dump());
			throw error;
		}
	};
}

/** Deletes the JetStream streams a namespace made. */
async function deleteStreams(server: string, namespace: string): Promise<void> {
	const nats = await connect({ servers: server });
	try {
		const manager = await nats.jetstreamManager();
		const prefixes = [namespace, namespace.replace(/-/g, "_")];
		for await (const stream of manager.streams.list()) {
			if (prefixes.some((prefix) => stream.config.name.startsWith(prefix))) await manager.streams.delete(stream.config.name);
		}
	} finally {
		await nats.close();
	}
}

/** Slow image URLs: each host answers half its body, then waits `ms` before the rest. */
const slowUrls = (web: FixtureWeb, prefix: string, count: number, ms: number) =>
	Array.from({ length: count }, (_, n) => `${web.url}/slow/body/${ms}/${prefix}-${n}.jpg`);

describe("cluster mode on the machine's NATS: seven processes", () => {
	let web: FixtureWeb;
	let cluster: Cluster | undefined;
	let token: string;

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 30 });
		cluster = new Cluster(MACHINE_NATS, web);
		await withDump(
			() => cluster,
			() => cluster?.start() ?? Promise.resolve(),
		)();
		token = await cluster.signUp();
	}, 60000);

	afterAll(async () => {
		if (DEBUG && cluster) console.log(cluster.dump());
		try {
			await cluster?.stop();
		} finally {
			await web.stop();
			if (cluster) await deleteStreams(MACHINE_NATS, cluster.namespace);
		}
	});

	it(
		"builds a dataset from a search source and a URL list, lists and stores its images, and exports an archive whose sha256 matches",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const dogUrls = [1, 2, 3, 5, 6].map((n) => `${web.url}/img/dog/${n}.jpg`);
				const { datasetId, jobId } = await c.createAndBuild(token, {
					name: "cluster mode",
					categories: [
						{ label: "cat", keywords: ["cat"] },
						{ label: "dog", urls: dogUrls },
					],
					sources: ["wikimedia", "urls"],
					options: { maxImagesPerKeyword: 10, minWidth: 32, minHeight: 32, keywordExpansion: "none" },
				});
				const job = await c.waitForEnd(token, jobId, 60000);
				expect(job).toMatchObject({ status: "done", targets: { cat: 10, dog: 5 } });
				expect(job.counts.cat).toBeGreaterThanOrEqual(10);
				expect(job.counts.dog).toBe(5);

				const valid = await c.images(token, datasetId);
				expect(valid).toHaveLength(job.counts.cat + job.counts.dog);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(valid.length);
				// an image served through its signed link (gateway → storage process) has the bytes its hash names
				const image = Buffer.from(await (await fetch(`${c.base}${valid[0].url.replace(/^https?:\/\/[^/]+/, "")}`)).arrayBuffer());
				expect(sha256(image)).toBe(valid[0].sha256);

				const usage = await c.usage(token);
				expect(usage.objects).toBe(valid.length);
				expect(usage.bytes).toBe(valid.reduce((sum, kept) => sum + kept.bytes, 0));

				const created = await c.call<{ id: string }>("POST", `/datasets/${datasetId}/exports`, token, { format: "imagefolder" });
				expect(created.status).toBe(202);
				type Export = { id: string; status: string; sha256: string; bytes: number; url: string };
				let exported = created.body as Export;
				await waitUntil(
					async () => {
						exported = (await c.call<Export>("GET", `/exports/${created.body.id}`, token)).body;
						return exported.status === "ready" || exported.status === "failed";
					},
					30000,
					"the export",
				);
				expect(exported.status).toBe("ready");
				// streamed from the storage process through the dataset process and the gateway
				const download = await fetch(`${c.base}/api/v1/exports/${exported.id}/download`, { headers: { Authorization: `Bearer ${token}` } });
				expect(download.status).toBe(200);
				const archive = Buffer.from(await download.arrayBuffer());
				expect(archive.length).toBe(exported.bytes);
				expect(sha256(archive)).toBe(exported.sha256);
				expect(download.headers.get("etag")).toBe(`"${exported.sha256}"`);
				// and through its signed link, straight from the storage process
				const signed = await fetch(`${c.base}${exported.url.replace(/^https?:\/\/[^/]+/, "")}`);
				expect(sha256(Buffer.from(await signed.arrayBuffer()))).toBe(exported.sha256);
				expect((await c.usage(token)).objects).toBe(valid.length + 1);
			},
		),
		90000,
	);

	it(
		"SIGTERM to a busy crawl worker: it finishes what it holds, takes nothing new, exits 0 within the shutdown timeout, and the build completes with every image stored once",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const [stopping, staying] = c.workers;
				// a user of its own: storage usage counts this build's files only
				const owner = await c.signUp();
				// 96 slow images in 12 batches of 8, each batch fetched one image after another (about 2 s);
				// JetStream hands out 8 at a time (max_ack_pending), so 4 batches wait while the first 8 run
				// a fixed set of pictures, at least 14 pHash bits apart pairwise: random names would now and then
				// draw two within the near-duplicate threshold (8), and the build would rightly keep only one
				const urls = slowUrls(web, "sigterm", 96, 150);
				const { datasetId, jobId } = await c.createAndBuild(owner, {
					name: "sigterm",
					categories: [
						{ label: "cat", urls: urls.slice(0, 48) },
						{ label: "dog", urls: urls.slice(48) },
					],
					sources: ["urls"],
					options: { minWidth: 16, minHeight: 16 },
				});
				const ours = new Set(urls);
				const fetchedBy = (worker: number) =>
					new Set(
						web
							.requests("/slow/body/")
							.filter((request) => request.headers["user-agent"] === c.userAgent(worker) && ours.has(`${web.url}${request.path}`))
							.map((request) => `${web.url}${request.path}`),
					);
				await waitUntil(() => fetchedBy(1).size > 0 && fetchedBy(2).size > 0, 30000, "both workers to be downloading");

				const running = (await c.tasks(owner, jobId)).filter((task) => task.type === "crawl.download" && task.status === "running");
				const fetchedAtSignal = fetchedBy(1);
				const signalledAt = Date.now();
				stopping.child.kill("SIGTERM");
				const { code, signal } = await stopping.exited;
				const stoppedAfterMs = Date.now() - signalledAt;
				expect({ code, signal }).toEqual({ code: 0, signal: null });
				expect(stoppedAfterMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);

				// well before JetStream's ack wait (60 s): the batches pushed to the worker while it drained came back at once
				const job = await c.waitForEnd(owner, jobId, 20000);
				const endedAfterMs = Date.now() - signalledAt;
				expect(job).toMatchObject({ status: "done", counts: { cat: 48, dog: 48 } });
				const valid = await c.images(owner, datasetId);
				expect(valid).toHaveLength(96);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(96);
				expect((await c.usage(owner)).objects).toBe(96);

				const tasks = await c.tasks(owner, jobId);
				expect(tasks.filter((task) => task.status !== "done")).toEqual([]);
				// the batches the worker held at the signal: it finished them itself while draining (no redelivery)
				const held = running.filter((task) => task.payload.items?.some((item) => fetchedAtSignal.has(item.imageUrl)));
				expect(held.length).toBeGreaterThan(0);
				const fetchedByStopped = fetchedBy(1);
				for (const task of held) {
					expect(tasks.find((final) => final.id === task.id)).toMatchObject({ status: "done", attempts: 1 });
					for (const item of task.payload.items ?? []) expect(fetchedByStopped.has(item.imageUrl)).toBe(true);
				}
				// and took nothing new: every image it fetched belongs to a batch already running at the signal
				const runningUrls = new Set(running.flatMap((task) => (task.payload.items ?? []).map((item) => item.imageUrl)));
				expect([...fetchedByStopped].filter((url) => !runningUrls.has(url))).toEqual([]);
				expect(new Set([...fetchedByStopped, ...fetchedBy(2)]).size).toBe(96);
				if (DEBUG) console.log(JSON.stringify({ stoppedAfterMs, endedAfterMs, running: running.length, held: held.length }));
				expect(staying.child.exitCode).toBeNull();
			},
		),
		90000,
	);
});

describe("cluster mode through a NATS outage (a private nats-server)", () => {
	// The machine's NATS serves other test files running at the same time: this outage happens on a
	// nats-server of this test's own, restarted on the same port with the same JetStream store directory.
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
			() => cluster?.start() ?? Promise.resolve(),
		)();
		token = await cluster.signUp();
	}, 60000);

	afterAll(async () => {
		if (DEBUG && cluster) console.log(cluster.dump());
		try {
			await cluster?.stop();
		} finally {
			await web.stop();
			await nats.stop();
			if (nats.storeDir) fs.rmSync(nats.storeDir, { recursive: true, force: true });
		}
	});

	it(
		"stops being ready while NATS is down, recovers without a restart once it is back, and completes the build with every image stored once",
		withDump(
			() => cluster,
			async () => {
				const c = cluster as Cluster;
				const before = c.alive();
				const urls = slowUrls(web, "outage", 32, 400);
				const { datasetId, jobId } = await c.createAndBuild(token, {
					name: "outage",
					categories: [
						{ label: "cat", urls: urls.slice(0, 16) },
						{ label: "dog", urls: urls.slice(16) },
					],
					sources: ["urls"],
					options: { minWidth: 16, minHeight: 16 },
				});
				// mid-flight: the workers are in the middle of their batches (each takes 8 × 400 ms)
				await waitUntil(() => web.requests("/slow/body/400/outage-").length >= 4, 30000, "downloads to begin");
				expect((await c.job(token, jobId)).status).toBe("running");

				const downAt = Date.now();
				// a crash, not a goodbye; the restarted server finds its JetStream streams in the same store directory
				await nats.stop("SIGKILL");
				let readiness = { status: 0, failed: [] as string[] };
				await waitUntil(
					async () => {
						const answer = await fetch(`${c.base}/health/ready`);
						readiness = { status: answer.status, failed: ((await answer.json()) as { failed: string[] }).failed };
						return answer.status === 503;
					},
					4500,
					"readiness to fail",
				);
				expect(readiness.failed).toContain("transporter");
				expect((await fetch(`${c.base}/health`)).status).toBe(200);
				// the rest of the five seconds of outage (pacing, not an assertion)
				await new Promise((resolve) => setTimeout(resolve, Math.max(0, 5000 - (Date.now() - downAt))));
				expect((await fetch(`${c.base}/health`)).status).toBe(200);
				expect(c.alive()).toEqual(before);

				await nats.start();
				const backAt = Date.now();
				await waitUntil(async () => (await fetch(`${c.base}/health/ready`)).status === 200, 10000, "readiness to recover");
				const recoveredAfterMs = Date.now() - backAt;
				expect(c.alive()).toEqual(before);
				expect(before.every((member) => member.running)).toBe(true);

				const job = await c.waitForEnd(token, jobId, 90000);
				expect(job).toMatchObject({ status: "done", counts: { cat: 16, dog: 16 } });
				const valid = await c.images(token, datasetId);
				expect(valid).toHaveLength(32);
				expect(new Set(valid.map((image) => image.sha256)).size).toBe(32);
				expect((await c.usage(token)).objects).toBe(32);
				const tasks = await c.tasks(token, jobId);
				expect(tasks.filter((task) => task.status !== "done")).toEqual([]);
				expect(c.alive()).toEqual(before);
				if (DEBUG) console.log(JSON.stringify({ recoveredAfterMs, attempts: tasks.map(({ type, attempts }) => `${type}: ${attempts}`) }));
			},
		),
		120000,
	);
});
