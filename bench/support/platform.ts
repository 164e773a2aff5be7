import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { freePort } from "../../test/support/processes";

/**
 * PixCrawler as an operator runs it, in child processes started from source (`bin/pixcrawler.ts`
 * under tsx, so a change is measured without a build): embedded (every service in one process, the
 * in-process bus) or a cluster on NATS JetStream (the gateway with the stateful services in one process,
 * crawl workers in their own). Each process logs at the default level into a file of the run directory.
 */

const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(ROOT, "bin", "pixcrawler.ts");

export interface PlatformProcess {
	role: string;
	pid: number;
	child: ChildProcess;
}

export interface Platform {
	api: Api;
	/** The process with the gateway (and, embedded, everything else). */
	gateway: PlatformProcess;
	/** Crawl worker processes (none when embedded: the gateway process runs the worker). */
	workers: PlatformProcess[];
	stop(): Promise<void>;
}

export interface PlatformOptions {
	/** Empty: embedded. Otherwise nats://… and the crawl workers run in `workers` processes of their own. */
	natsUrl?: string;
	workers?: number;
	/** Data directory (NeDB files and local storage) and log files. */
	dir: string;
	env?: Record<string, string>;
}

/**
 * BENCH_CPU_PROF=<dir> starts every platform process with `--cpu-prof` into that directory (written when
 * the process stops): open the .cpuprofile files in Chrome DevTools or speedscope.
 */
function profileArgs(): string[] {
	const dir = process.env.BENCH_CPU_PROF;
	return dir ? ["--cpu-prof", "--cpu-prof-dir", path.resolve(dir)] : [];
}

function startProcess(role: string, env: Record<string, string>, logFile: string): PlatformProcess {
	const log = fs.openSync(logFile, "a");
	const child = spawn(process.execPath, [...profileArgs(), "--import", "tsx", ENTRY], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
		stdio: ["ignore", log, log],
	});
	fs.closeSync(log);
	return { role, pid: child.pid as number, child };
}

async function stopProcess(running: PlatformProcess): Promise<void> {
	const { child } = running;
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise((resolve) => child.once("exit", resolve));
	child.kill("SIGTERM");
	const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
	await exited;
	clearTimeout(timer);
}

export async function startPlatform(options: PlatformOptions): Promise<Platform> {
	fs.mkdirSync(options.dir, { recursive: true });
	const port = await freePort();
	const clustered = Boolean(options.natsUrl);
	const common: Record<string, string> = {
		PIXCRAWLER_DATA_DIR: path.join(options.dir, "data"),
		PIXCRAWLER_NAMESPACE: `bench-${randomUUID().slice(0, 8)}`,
		CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
		// the benchmark's own few API calls are not what is measured
		RATE_LIMIT_ENABLED: "false",
		GATEWAY_BODY_LIMIT: "16mb",
		...(clustered ? { TRANSPORTER: options.natsUrl as string } : {}),
		...options.env,
	};
	const gateway = startProcess(
		"gateway",
		{
			...common,
			GATEWAY_HOST: "127.0.0.1",
			GATEWAY_PORT: String(port),
			...(clustered
				? { SERVICES: "api,auth,dataset,storage,crawl", GATEWAY_READINESS_SERVICES: "auth,dataset,storage,crawl,crawl-worker" }
				: { GATEWAY_READINESS_SERVICES: "auth,dataset,storage,crawl,crawl-worker" }),
		},
		path.join(options.dir, "gateway.log"),
	);
	const workers = clustered
		? Array.from({ length: options.workers ?? 1 }, (_, i) =>
				startProcess(`crawl-worker-${i + 1}`, { ...common, SERVICES: "crawl-worker" }, path.join(options.dir, `crawl-worker-${i + 1}.log`)),
			)
		: [];
	const all = [gateway, ...workers];
	const stop = async () => {
		await Promise.all(all.map(stopProcess));
	};
	const api = new Api(`http://127.0.0.1:${port}`);
	try {
		const deadline = Date.now() + 90_000;
		for (;;) {
			const dead = all.find((running) => running.child.exitCode !== null);
			if (dead) throw new Error(`the ${dead.role} process exited (${dead.child.exitCode}); see ${options.dir}`);
			const status = await fetch(`${api.base}/health/ready`)
				.then((response) => response.status)
				.catch(() => 0);
			if (status === 200) break;
			if (Date.now() > deadline) throw new Error(`the platform was not ready in time; see ${options.dir}`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		await api.signUp();
	} catch (error) {
		await stop();
		throw error;
	}
	return { api, gateway, workers, stop };
}

export interface Job {
	id: string;
	status: string;
	progress: Record<string, number>;
	counts?: Record<string, number>;
	error?: unknown;
}

/** The REST API as a client sees it: a user of its own, datasets, builds and their events. */
export class Api {
	private token = "";

	constructor(readonly base: string) {}

	async call<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.base}/api/v1${route}`, {
			method,
			headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status >= 400) throw new Error(`${method} ${route} answered ${response.status}: ${text.slice(0, 500)}`);
		return (text ? JSON.parse(text) : null) as T;
	}

	async signUp(): Promise<void> {
		const email = `bench-${randomUUID().slice(0, 8)}@example.org`;
		const password = "bench-password-1";
		await this.call("POST", "/auth/register", { email, password, name: "Bench" });
		this.token = (await this.call<{ accessToken: string }>("POST", "/auth/login", { email, password })).accessToken;
	}

	/** A dataset of the `urls` source, the URLs spread over `labels` categories. */
	async urlsDataset(name: string, urls: string[], labels = 2): Promise<string> {
		const categories = Array.from({ length: labels }, (_, i) => ({
			label: `label-${i + 1}`,
			urls: urls.filter((_, n) => n % labels === i),
		}));
		const dataset = await this.call<{ id: string }>("POST", "/datasets", {
			name,
			categories,
			sources: ["urls"],
		});
		return dataset.id;
	}

	async build(datasetId: string): Promise<string> {
		return (await this.call<{ jobId: string }>("POST", `/datasets/${datasetId}/build`)).jobId;
	}

	/** Follows the job's Server-Sent Events until `completed`; `onEvent` sees every state on the way. */
	async waitForJob(jobId: string, onEvent: (job: Job) => void = () => {}): Promise<Job> {
		const response = await fetch(`${this.base}/api/v1/jobs/${jobId}/events`, {
			headers: { accept: "text/event-stream", authorization: `Bearer ${this.token}` },
		});
		if (response.status !== 200 || !response.body) throw new Error(`the events of job ${jobId} answered ${response.status}`);
		const decoder = new TextDecoder();
		let buffered = "";
		for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
			buffered += decoder.decode(chunk, { stream: true });
			for (let end = buffered.indexOf("\n\n"); end >= 0; end = buffered.indexOf("\n\n")) {
				const frame = buffered.slice(0, end);
				buffered = buffered.slice(end + 2);
				const event = /^event: (.*)$/m.exec(frame)?.[1];
				const data = /^data: (.*)$/m.exec(frame)?.[1];
				if (!event || !data) continue;
				const job = JSON.parse(data) as Job;
				onEvent(job);
				if (event === "completed") return job;
			}
		}
		throw new Error(`the events of job ${jobId} ended before it completed`);
	}

	dataset(id: string): Promise<{ stats: { images: number; valid: number; duplicates: number; rejected: number; bytes: number } }> {
		return this.call("GET", `/datasets/${id}`);
	}
}
