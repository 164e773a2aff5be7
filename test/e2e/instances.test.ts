import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServiceBroker } from "moleculer";
import { waitUntil } from "../support/gateway";

const ENTRY = path.join(__dirname, "../../dist/bin/pixcrawler.js");
const MACHINE_NATS = "nats://127.0.0.1:4222";

/** `npm run start:prod` with PIXCRAWLER_INSTANCES: moleculer-runner forks that many worker processes. */
describe("start:prod with PIXCRAWLER_INSTANCES=2", () => {
	const namespace = `e2e-inst-${randomUUID().slice(0, 8)}`;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-instances-"));
	const children: ChildProcess[] = [];
	let observer: ServiceBroker;

	function start(services: string, extra: Record<string, string> = {}) {
		const child = spawn(process.execPath, [ENTRY], {
			env: {
				PATH: process.env.PATH,
				HOME: process.env.HOME,
				PIXCRAWLER_LOG_LEVEL: "warn",
				PIXCRAWLER_NAMESPACE: namespace,
				PIXCRAWLER_DATA_DIR: dataDir,
				TRANSPORTER: MACHINE_NATS,
				GATEWAY_PORT: "0",
				SERVICES: services,
				...extra,
			},
			stdio: "ignore",
		});
		children.push(child);
		return child;
	}

	const workerNodes = () =>
		(
			observer.registry.getNodeList({ onlyAvailable: true, withServices: true }) as unknown as {
				id: string;
				services: { name: string }[];
			}[]
		).filter((node) => node.services.some((service) => service.name === "crawl-worker"));

	beforeAll(async () => {
		observer = new ServiceBroker({
			namespace,
			nodeID: `${namespace}-observer`,
			transporter: { type: "NATS", options: { servers: [MACHINE_NATS] } },
			logger: false,
		});
		await observer.start();
	});
	afterAll(async () => {
		for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
		await observer.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	});

	it("runs two worker processes of the same services, and stops both on SIGTERM", async () => {
		start("api,auth,dataset,storage,crawl");
		const workers = start("crawl-worker", { PIXCRAWLER_INSTANCES: "2" });
		await waitUntil(() => workerNodes().length === 2, 60000, "two crawl-worker nodes on the bus");
		const ids = workerNodes().map((node) => node.id);
		expect(new Set(ids).size).toBe(2);

		const exited = new Promise<number | null>((resolve) => workers.once("exit", (code) => resolve(code)));
		workers.kill("SIGTERM");
		expect(await exited).toBe(0);
		await waitUntil(() => workerNodes().length === 0, 20000, "the worker nodes to leave the bus");
	}, 120000);
});
