import { loadConfig } from "../../lib/config";
import { brokerOptions, transporterOptions } from "../../moleculer.config";

describe("broker options from the configuration", () => {
	it("runs in-process without a TRANSPORTER", () => {
		expect(brokerOptions(loadConfig({})).transporter).toBeUndefined();
	});

	it("gives NATS its servers and credentials in object form (the url form loses them)", () => {
		const options = transporterOptions(
			loadConfig({ TRANSPORTER: "nats://n1:4222,nats://n2:4222", NATS_USER: "alice", NATS_PASSWORD: "s3cr3t" }),
		) as { type: string; options: Record<string, unknown> };
		expect(options.type).toBe("NATS");
		expect(options.options).toMatchObject({
			servers: ["nats://n1:4222", "nats://n2:4222"],
			user: "alice",
			pass: "s3cr3t",
			maxReconnectAttempts: -1,
		});
		expect(options.options.url).toBeUndefined();
	});

	it("opens a Prometheus port only when PIXCRAWLER_METRICS_PORT is set", () => {
		expect(brokerOptions(loadConfig({})).metrics).toMatchObject({ enabled: true, reporter: [] });
		expect(brokerOptions(loadConfig({ PIXCRAWLER_METRICS_PORT: "3030" })).metrics).toMatchObject({
			reporter: [{ type: "Prometheus", options: { port: 3030 } }],
		});
	});

	it("sets namespace, log level, request tracking, timeouts, circuit breaker and bulkhead from the configuration", () => {
		const options = brokerOptions(
			loadConfig({ PIXCRAWLER_NAMESPACE: "blue", PIXCRAWLER_LOG_LEVEL: "debug", PIXCRAWLER_ACTION_TIMEOUT_MS: "2500" }),
		);
		expect(options).toMatchObject({
			namespace: "blue",
			logLevel: "debug",
			requestTimeout: 2500,
			tracking: { enabled: true },
			circuitBreaker: { enabled: true },
			bulkhead: { enabled: true },
			retryPolicy: { enabled: false },
		});
	});
});
