import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ServiceBroker } from "moleculer";
import { type ConnectionOptions, connect } from "nats";
import { brokerOptions, transporterOptions } from "../../moleculer.config";
import { testConfig } from "../support/gateway";
import { freePort, ServerProcess } from "../support/processes";

describe("NATS credentials reach the connection", () => {
	let nats: ServerProcess;
	beforeAll(async () => {
		const port = await freePort();
		const store = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-nats-"));
		nats = new ServerProcess(
			"nats-server",
			["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store, "--user", "pixcrawler", "--pass", "bus-s3cret"],
			port,
		);
		await nats.start();
	});
	afterAll(() => nats.stop());

	const brokerWith = (password: string) =>
		new ServiceBroker({
			...brokerOptions(
				testConfig({
					TRANSPORTER: `nats://127.0.0.1:${nats.port}`,
					NATS_USER: "pixcrawler",
					NATS_PASSWORD: password,
					PIXCRAWLER_NAMESPACE: `cred-${randomUUID().slice(0, 6)}`,
				}),
			),
			logger: false,
		});

	it("connects with the configured user and password", async () => {
		const broker = brokerWith("bus-s3cret");
		await broker.start();
		expect((broker.transit as unknown as { connected: boolean }).connected).toBe(true);
		await broker.stop();
	});

	it("carries the password it is given: a wrong one is refused by the server", async () => {
		const options = transporterOptions(
			testConfig({ TRANSPORTER: `nats://127.0.0.1:${nats.port}`, NATS_USER: "pixcrawler", NATS_PASSWORD: "wrong" }),
		) as {
			options: ConnectionOptions;
		};
		await expect(connect({ ...options.options, maxReconnectAttempts: 0, reconnect: false })).rejects.toThrow(/AUTHORIZATION/i);
	});
});
