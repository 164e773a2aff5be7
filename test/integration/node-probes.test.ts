import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config";
import { createDatasetService } from "../../services/dataset.service";
import { testConfig, waitUntil } from "../support/gateway";
import { freePort, privateNats, type ServerProcess } from "../support/processes";

jest.setTimeout(30000);

/** A node without the gateway (here: the dataset service) answers orchestrator probes on its own port. */
describe("node probes on PIXCRAWLER_PROBE_PORT", () => {
	let nats: ServerProcess;
	let broker: ServiceBroker;
	let base: string;

	const status = async (path: string) => {
		const response = await fetch(`${base}${path}`).catch(() => null);
		return { status: response?.status ?? 0, body: response ? ((await response.json()) as Record<string, unknown>) : null };
	};

	beforeAll(async () => {
		nats = await privateNats();
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		const config = testConfig({
			TRANSPORTER: `nats://127.0.0.1:${nats.port}`,
			PIXCRAWLER_NAMESPACE: `probes-${port}`,
			PIXCRAWLER_PROBE_PORT: String(port),
		});
		broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
		broker.createService(createDatasetService(config));
		await broker.start();
	});
	afterAll(async () => {
		await broker.stop();
		await nats.stop();
	});

	it("answers liveness, and readiness with the bus and the node's own checks", async () => {
		expect(await status("/health")).toMatchObject({ status: 200, body: { status: "ok", nodeID: broker.nodeID } });
		const ready = await status("/health/ready");
		expect(ready).toMatchObject({ status: 200, body: { status: "ok", failed: [] } });
		const names = ((ready.body?.components ?? []) as { name: string }[]).map((component) => component.name);
		expect(names).toEqual(expect.arrayContaining(["transporter", "dataset.db", "dataset-images.db"]));
		expect((await status("/metrics")).status).toBe(404);
	});

	it("is not ready while NATS is down, stays live, and recovers without a restart", async () => {
		await nats.stop();
		await waitUntil(async () => (await status("/health/ready")).status === 503, 10000, "readiness to fail");
		expect((await status("/health/ready")).body).toMatchObject({ status: "unavailable", failed: ["transporter"] });
		expect((await status("/health")).status).toBe(200);
		await nats.start();
		await waitUntil(async () => (await status("/health/ready")).status === 200, 15000, "readiness to recover");
	});

	it("stops answering once its broker stops", async () => {
		await broker.stop();
		expect((await status("/health")).status).toBe(0);
	});
});
