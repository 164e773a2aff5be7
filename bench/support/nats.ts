import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, waitForPort } from "../../test/support/processes";

export interface NatsServer {
	url: string;
	pid: number;
	stop(): Promise<void>;
}

/** A private nats-server with JetStream (store in a temporary directory), so a run touches no shared server. */
export async function startNats(): Promise<NatsServer> {
	const port = await freePort();
	const store = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-bench-nats-"));
	const child = spawn("nats-server", ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store], { stdio: "ignore" });
	const failed = new Promise<never>((_, reject) => child.once("error", reject));
	await Promise.race([waitForPort(port), failed]);
	return {
		url: `nats://127.0.0.1:${port}`,
		pid: child.pid as number,
		stop: async () => {
			if (child.exitCode === null && child.signalCode === null) {
				const exited = new Promise((resolve) => child.once("exit", resolve));
				child.kill("SIGTERM");
				await exited;
			}
			fs.rmSync(store, { recursive: true, force: true });
		},
	};
}
