import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connect } from "nats";
import { type FixtureWeb, startFixtureWeb } from "../support/fixture-web";
import { waitUntil } from "../support/gateway";
import { freePort } from "../support/processes";

const ENTRY = path.join(__dirname, "../../dist/bin/pixcrawler.js");
const MACHINE_NATS = "nats://127.0.0.1:4222";

/**
 * The cluster as it runs in production, on the machine's NATS with JetStream: the gateway with the
 * stateful services in one process, and two crawl workers in processes of their own.
 */
describe("a build across processes over NATS JetStream", () => {
	const namespace = `e2e-${randomUUID().slice(0, 8)}`;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-cluster-"));
	const processes: ChildProcess[] = [];
	const output: string[] = [];
	let web: FixtureWeb;
	let base: string;
	let workers: ChildProcess[];

	function start(services: string, extra: Record<string, string> = {}): ChildProcess {
		const child = spawn(process.execPath, [ENTRY], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PIXCRAWLER_LOG_LEVEL: process.env.CLUSTER_DEBUG ? "info" : "warn",
				PIXCRAWLER_NAMESPACE: namespace,
				PIXCRAWLER_DATA_DIR: dataDir,
				TRANSPORTER: MACHINE_NATS,
				SERVICES: services,
				CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
				CRAWL_TASK_LEASE_MS: "3000",
				CRAWL_SCHEDULER_INTERVAL_MS: "200",
				CRAWL_RETRY_BASE_MS: "100",
				CRAWL_RETRY_CAP_MS: "1000",
				...web.env(),
				...extra,
			},
			stdio: ["ignore", "pipe", "pipe"],
		});
		child.stdout?.on("data", (chunk) => output.push(String(chunk)));
		child.stderr?.on("data", (chunk) => output.push(String(chunk)));
		processes.push(child);
		return child;
	}

	beforeAll(async () => {
		web = await startFixtureWeb({ imagesPerKeyword: 80 });
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		start("api,auth,dataset,storage,crawl", { GATEWAY_PORT: String(port) });
		workers = [start("crawl-worker"), start("crawl-worker")];
		await waitUntil(async () => (await fetch(`${base}/health/ready`).catch(() => null))?.status === 200, 30000, "the gateway");
	}, 60000);

	afterAll(async () => {
		if (process.env.CLUSTER_DEBUG) console.log(output.join(""));
		for (const child of processes) if (child.exitCode === null) child.kill("SIGKILL");
		await web.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
		// the streams this namespace made on the machine's NATS
		const nats = await connect({ servers: MACHINE_NATS });
		const manager = await nats.jetstreamManager();
		for await (const stream of manager.streams.list()) {
			if (stream.config.name.startsWith(namespace.replace(/-/g, "_")) || stream.config.name.startsWith(namespace)) {
				await manager.streams.delete(stream.config.name);
			}
		}
		await nats.close();
	});

	async function call(method: string, route: string, token?: string, body?: unknown) {
		const response = await fetch(`${base}/api/v1${route}`, {
			method,
			headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : null };
	}

	it("completes a build when one worker is killed mid-job: every valid image stored once, finalize run once", async () => {
		const email = `cluster-${randomUUID().slice(0, 6)}@example.org`;
		expect((await call("POST", "/auth/register", undefined, { email, password: "cluster-password-1", name: "Cluster" })).status).toBe(201);
		const token = (await call("POST", "/auth/login", undefined, { email, password: "cluster-password-1" })).body.accessToken as string;
		// slow image hosts keep the workers busy long enough to kill one in the middle of its batch
		const urls = Array.from({ length: 40 }, (_, n) => `${web.url}/slow/body/150/cluster-${n}.jpg`);
		const dataset = await call("POST", "/datasets", token, {
			name: "cluster",
			categories: [
				{ label: "cat", urls: urls.slice(0, 20) },
				{ label: "dog", urls: urls.slice(20) },
			],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		});
		expect(dataset.status).toBe(201);
		const build = await call("POST", `/datasets/${dataset.body.id}/build`, token);
		expect(build.status).toBe(202);
		const jobId = build.body.jobId as string;

		await waitUntil(
			async () => {
				const current = (await call("GET", `/jobs/${jobId}`, token)).body;
				if (process.env.CLUSTER_DEBUG)
					console.log(JSON.stringify(current), JSON.stringify((await call("GET", `/jobs/${jobId}/tasks`, token)).body));
				return current.progress.downloaded >= 6;
			},
			30000,
			"downloads to begin",
		);
		workers[0].kill("SIGKILL");

		let job = (await call("GET", `/jobs/${jobId}`, token)).body;
		await waitUntil(
			async () => {
				job = (await call("GET", `/jobs/${jobId}`, token)).body;
				return ["done", "failed", "cancelled"].includes(job.status);
			},
			90000,
			"the build to finish",
		);
		expect(job).toMatchObject({ status: "done", counts: { cat: 20, dog: 20 } });

		const images = (await call("GET", `/datasets/${dataset.body.id}/images?status=valid&pageSize=100`, token)).body;
		expect(images.total).toBe(40);
		expect(new Set(images.items.map((image: { sha256: string }) => image.sha256)).size).toBe(40);
		const usage = (await call("GET", "/storage/usage", token)).body;
		expect(usage.objects).toBe(40);

		const finalizers = (await call("GET", `/jobs/${jobId}/tasks?type=crawl.finalize`, token)).body;
		expect(finalizers.items).toEqual([expect.objectContaining({ status: "done", attempts: 1 })]);
		const logs = (await call("GET", `/jobs/${jobId}/logs?pageSize=100`, token)).body;
		expect(logs.items.filter((entry: { message: string }) => entry.message === "build finished")).toHaveLength(1);
	}, 150000);
});
