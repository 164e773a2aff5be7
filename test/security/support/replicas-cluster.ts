import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { waitUntil } from "../../support/gateway";
import { freePort, privateRedis, type ServerProcess } from "../../support/processes";
import { REPLICA_SERVICE, replicaKeys } from "./replicas-service";

const ROOT = path.join(__dirname, "../../..");
const PLATFORM_ENTRY = path.join(ROOT, "dist/bin/pixcrawler.js");
const REPLICA_ENTRY = path.join(__dirname, "replicas-node.ts");
const MACHINE_NATS = "nats://127.0.0.1:4222";
const PASSWORD = "replicas-fault-password-1";
const DEBUG = Boolean(process.env.FAULTS_DEBUG);

interface Member {
	name: string;
	child: ChildProcess;
	output: string[];
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface HttpAnswer {
	status: number;
	headers: Headers;
	body: Record<string, unknown> | null;
}

/**
 * The gateway and auth from the compiled platform (`dist/bin/pixcrawler.js`, one OS process each) and
 * two replicas of the replica-notes service (test/security/support/replicas-node.ts), on the machine's
 * NATS under a namespace of their own. A private Redis holds the gateway's rate limits and idempotency
 * keys and the notes' shared state.
 */
export class ReplicaCluster {
	readonly namespace = `faults-replicas-${randomUUID().slice(0, 8)}`;
	readonly statePrefix = `${this.namespace}:state:`;
	readonly keys = replicaKeys(this.statePrefix);
	readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-faults-replicas-"));
	readonly members: Member[] = [];
	base = "";
	redis?: ServerProcess;
	state?: Redis;

	constructor(private readonly workMs: number) {}

	private spawn(name: string, args: string[], env: Record<string, string>): Member {
		const child = spawn(process.execPath, args, {
			cwd: ROOT,
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PIXCRAWLER_LOG_LEVEL: DEBUG ? "info" : "warn",
				PIXCRAWLER_NAMESPACE: this.namespace,
				PIXCRAWLER_NODE_ID: `${this.namespace}-${name}`,
				PIXCRAWLER_DATA_DIR: this.dataDir,
				PIXCRAWLER_STARTUP_TIMEOUT_MS: "20000",
				TRANSPORTER: MACHINE_NATS,
				REDIS_URL: `redis://127.0.0.1:${this.redis?.port}`,
				REDIS_KEY_PREFIX: `${this.namespace}:`,
				...env,
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

	async start(): Promise<void> {
		this.redis = await privateRedis();
		this.state = new Redis(`redis://127.0.0.1:${this.redis.port}`);
		const port = await freePort();
		this.base = `http://127.0.0.1:${port}`;
		this.spawn("api", [PLATFORM_ENTRY], {
			SERVICES: "api",
			GATEWAY_PORT: String(port),
			GATEWAY_HOST: "127.0.0.1",
			GATEWAY_READINESS_SERVICES: `auth,${REPLICA_SERVICE}`,
			// a call stranded on a dead replica waits for the heartbeat timeout (15 s) before it is retried
			// or refused: the gateway's own limit must not cut it short on a busy test machine
			GATEWAY_REQUEST_TIMEOUT_MS: "45000",
			RATE_LIMIT_DEFAULT: "100000",
		});
		this.spawn("auth", [PLATFORM_ENTRY], { SERVICES: "auth" });
		for (const replica of this.replicaNames()) {
			this.spawn(replica, ["--import", "tsx", REPLICA_ENTRY], {
				REPLICA_NAME: replica,
				REPLICA_STATE_REDIS_URL: `redis://127.0.0.1:${this.redis.port}`,
				REPLICA_STATE_PREFIX: this.statePrefix,
				REPLICA_WORK_MS: String(this.workMs),
			});
		}
		await waitUntil(
			async () => (await fetch(`${this.base}/health/ready`).catch(() => null))?.status === 200,
			45000,
			"the gateway to be ready",
		);
	}

	replicaNames(): string[] {
		return ["replica-1", "replica-2"];
	}

	member(name: string): Member {
		const found = this.members.find((member) => member.name === name);
		if (!found) throw new Error(`no member ${name}`);
		return found;
	}

	/** kill -9: no goodbye on the bus, no finished requests; the others learn of it from missed heartbeats. */
	async crash(name: string): Promise<void> {
		const { child, exited } = this.member(name);
		child.kill("SIGKILL");
		const { signal } = await exited;
		if (signal !== "SIGKILL") throw new Error(`${name} ended with ${signal}, not SIGKILL`);
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
		this.state?.disconnect();
		await this.redis?.stop();
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}

	async call(
		method: string,
		route: string,
		options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
	): Promise<HttpAnswer> {
		const response = await fetch(`${this.base}/api/v1${route}`, {
			method,
			headers: {
				"Content-Type": "application/json",
				...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
				...options.headers,
			},
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		});
		const text = await response.text();
		return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
	}

	/** A user of the real auth service, signed in. */
	async signUp(): Promise<string> {
		const email = `replicas-${randomUUID().slice(0, 8)}@example.org`;
		const registered = await this.call("POST", "/auth/register", { body: { email, password: PASSWORD, name: "Replica Faults" } });
		if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
		const login = await this.call("POST", "/auth/login", { body: { email, password: PASSWORD } });
		if (login.status !== 200) throw new Error(`login answered ${login.status}`);
		return String(login.body?.accessToken);
	}

	/** Handlers at work right now, as `<replica>:<get|create>:<probe or nonce>`, with the time each started. */
	async inFlight(): Promise<{ marker: string; startedAt: number }[]> {
		const markers = await (this.state as Redis).hgetall(this.keys.inFlight);
		return Object.entries(markers).map(([marker, startedAt]) => ({ marker, startedAt: Number(startedAt) }));
	}
}

export function withDump(cluster: () => ReplicaCluster | undefined, body: () => Promise<void>): () => Promise<void> {
	return async () => {
		try {
			await body();
		} catch (error) {
			const running = cluster();
			if (running) console.log(running.dump());
			throw error;
		} finally {
			const running = cluster();
			if (DEBUG && running) console.log(running.dump());
		}
	};
}
