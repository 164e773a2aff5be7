import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { connect } from "nats";
import type { FixtureWeb } from "./fixture-web";
import { waitUntil } from "./gateway";
import { freePort } from "./processes";

/**
 * Production cluster mode for e2e tests: the compiled platform (`npm run build`) in OS processes of
 * its own, on NATS with JetStream and Redis, each process with its own NeDB collections under one
 * data directory. Which services run together is the test's choice (`SEVEN_PROCESSES` by default).
 */

const ENTRY = path.join(__dirname, "../../dist/bin/pixcrawler.js");
export const MACHINE_NATS = "nats://127.0.0.1:4222";
export const MACHINE_REDIS = "redis://127.0.0.1:6379";
/** CLUSTER_DEBUG=1 lets the children log at info and prints what they said. */
export const CLUSTER_DEBUG = Boolean(process.env.CLUSTER_DEBUG);
export const SHUTDOWN_TIMEOUT_MS = 5000;
const PASSWORD = "cluster-mode-password-1";
const ENDED = ["done", "failed", "cancelled"];

export interface Member {
	name: string;
	child: ChildProcess;
	output: string[];
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** One process of the cluster: its name (`worker-<n>` for processes running crawl workers) and its SERVICES. */
export interface MemberSpec {
	name: string;
	services: string;
	env?: Record<string, string>;
}

/** Every service in a process of its own (crawl once: it is on NeDB) and two crawl workers. */
export const SEVEN_PROCESSES: MemberSpec[] = [
	{ name: "api", services: "api" },
	{ name: "auth", services: "auth" },
	{ name: "dataset", services: "dataset" },
	{ name: "storage", services: "storage" },
	{ name: "crawl", services: "crawl" },
	{ name: "worker-1", services: "crawl-worker" },
	{ name: "worker-2", services: "crawl-worker" },
];

export interface Job {
	id: string;
	status: string;
	counts: Record<string, number>;
	targets: Record<string, number>;
	progress: Record<string, number>;
}

export interface Task {
	id: string;
	type: string;
	status: string;
	attempts: number;
	payload: { items?: { imageUrl: string }[] };
}

export class Cluster {
	readonly members: Member[] = [];
	readonly namespace = `e2e-mode-${randomUUID().slice(0, 8)}`;
	readonly redisPrefix = `${this.namespace}:`;
	readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-cluster-mode-"));
	base = "";
	workers: Member[] = [];

	constructor(
		private readonly transporter: string,
		private readonly web: FixtureWeb,
		private readonly redisUrl = MACHINE_REDIS,
	) {}

	private spawn(name: string, services: string, extra: Record<string, string> = {}): Member {
		const child = spawn(process.execPath, [ENTRY], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PIXCRAWLER_LOG_LEVEL: CLUSTER_DEBUG ? "info" : "warn",
				PIXCRAWLER_NAMESPACE: this.namespace,
				PIXCRAWLER_NODE_ID: `${this.namespace}-${name}`,
				PIXCRAWLER_DATA_DIR: this.dataDir,
				PIXCRAWLER_STARTUP_TIMEOUT_MS: "20000",
				PIXCRAWLER_SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
				TRANSPORTER: this.transporter,
				REDIS_URL: this.redisUrl,
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

	/** Starts the processes and waits until the gateway reports every required service ready and the workers have started. */
	async start(topology: MemberSpec[] = SEVEN_PROCESSES): Promise<void> {
		const port = await freePort();
		this.base = `http://127.0.0.1:${port}`;
		for (const spec of topology) {
			const env = { ...spec.env };
			if (spec.services.split(",").includes("api")) Object.assign(env, { GATEWAY_PORT: String(port), GATEWAY_HOST: "127.0.0.1" });
			const worker = /^worker-(\d+)$/.exec(spec.name);
			// each worker signs its requests, so the fixture web tells who fetched what; at info level it says when it has started
			if (worker) Object.assign(env, { CRAWL_USER_AGENT: this.userAgent(Number(worker[1])), PIXCRAWLER_LOG_LEVEL: "info" });
			const member = this.spawn(spec.name, spec.services, env);
			if (worker) this.workers.push(member);
		}
		await waitUntil(
			async () => (await fetch(`${this.base}/health/ready`).catch(() => null))?.status === 200,
			45000,
			"the gateway to be ready",
		);
		// readiness does not cover the workers: they start once their dependencies answer, then subscribe to the queue
		await waitUntil(
			() => this.workers.every((worker) => worker.output.join("").includes("started successfully")),
			30000,
			"the crawl workers to start",
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
		const redis = new Redis(this.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
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
export function withDump(cluster: () => Cluster | undefined, body: () => Promise<void>): () => Promise<void> {
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
export async function deleteStreams(server: string, namespace: string): Promise<void> {
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
export const slowUrls = (web: FixtureWeb, prefix: string, count: number, ms: number) =>
	Array.from({ length: count }, (_, n) => `${web.url}/slow/body/${ms}/${prefix}-${n}.jpg`);
