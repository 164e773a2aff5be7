import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A free TCP port on 127.0.0.1 (closed again before it is returned). */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

export function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const attempt = () => {
			const socket = net.connect(port, "127.0.0.1");
			socket.once("connect", () => {
				socket.destroy();
				resolve();
			});
			socket.once("error", () => {
				socket.destroy();
				if (Date.now() > deadline) reject(new Error(`port ${port} did not open`));
				else setTimeout(attempt, 50);
			});
		};
		attempt();
	});
}

/** A server process of the test's own (private port), so stopping it cannot disturb anything else. */
export class ServerProcess {
	private child?: ChildProcess;
	constructor(
		private readonly command: string,
		private readonly args: string[],
		readonly port: number,
		/** The server's data directory, when it keeps one (kept across restarts; the test removes it). */
		readonly storeDir?: string,
	) {}

	/** Starts the server; after a stop, again on the same port with the same arguments (and store directory). */
	async start(): Promise<void> {
		this.child = spawn(this.command, this.args, { stdio: "ignore" });
		await waitForPort(this.port);
	}

	/** Stops the server: SIGKILL by default (a crash), SIGTERM for a graceful stop. */
	async stop(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
		const child = this.child;
		if (!child || child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once("exit", resolve));
		child.kill(signal);
		await exited;
	}
}

export async function privateRedis(): Promise<ServerProcess> {
	const port = await freePort();
	const server = new ServerProcess(
		"redis-server",
		["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
		port,
	);
	await server.start();
	return server;
}

export async function privateNats(port?: number): Promise<ServerProcess> {
	const chosen = port ?? (await freePort());
	// JetStream on, as in every deployment: the task queue lives in it
	const store = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-nats-"));
	const server = new ServerProcess("nats-server", ["-a", "127.0.0.1", "-p", String(chosen), "-js", "-sd", store], chosen, store);
	await server.start();
	return server;
}
