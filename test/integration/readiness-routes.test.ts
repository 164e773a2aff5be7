import { randomUUID } from "node:crypto";
import { ServiceBroker } from "moleculer";
import { brokerOptions } from "../../moleculer.config";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";
import { sampleService } from "../support/sample.service";

const MACHINE_NATS = "nats://127.0.0.1:4222";

/**
 * A gateway in a process of its own learns remote services' routes only after moleculer-web's
 * "$services.changed" debounce (500 ms). Readiness must not answer 200 in that gap: an orchestrator
 * would send traffic that gets 404 for routes that exist.
 */
describe("readiness waits for the routes of the required services (gateway alone on its node)", () => {
	const namespace = `ready-routes-${randomUUID().slice(0, 8)}`;
	let gateway: RunningGateway;
	let services: ServiceBroker | undefined;

	beforeAll(async () => {
		gateway = await startGateway({
			env: { TRANSPORTER: MACHINE_NATS, PIXCRAWLER_NAMESPACE: namespace, GATEWAY_READINESS_SERVICES: "samples" },
			broker: { nodeID: `gateway-${randomUUID().slice(0, 6)}` },
		});
	});
	afterAll(async () => {
		await services?.stop();
		await gateway.stop();
	});

	it("answers 503 until the service's routes are published, and the first request after 200 reaches the service", async () => {
		expect((await fetch(`${gateway.url}/health/ready`)).status).toBe(503);
		const config = testConfig({ TRANSPORTER: MACHINE_NATS, PIXCRAWLER_NAMESPACE: namespace });
		services = new ServiceBroker({ ...brokerOptions(config), nodeID: `samples-${randomUUID().slice(0, 6)}`, logger: false });
		services.createService(sampleService);
		await services.start();

		await waitUntil(async () => (await fetch(`${gateway.url}/health/ready`)).status === 200, 10000, "readiness");
		const token = await gateway.tokenFor("user-ready");
		const answer = await fetch(`${gateway.url}/api/v1/samples`, { headers: { Authorization: `Bearer ${token}` } });
		expect(answer.status).toBe(200);
	});
});
