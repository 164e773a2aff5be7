import type { AddressInfo } from "node:net";
import { type ServiceBroker as Broker, type BrokerOptions, ServiceBroker, type ServiceSchema } from "moleculer";
import { type Config, type Environment, loadConfig } from "../../lib/config";
import { signAccessToken } from "../../lib/jwt";
import type { Role } from "../../lib/types";
import { brokerOptions } from "../../moleculer.config";
import { createApiService } from "../../services/api.service";
import { fakeAuthService } from "./sample.service";

export interface RunningGateway {
	broker: Broker;
	config: Config;
	url: string;
	stop(): Promise<void>;
	tokenFor(id: string, role?: Role): Promise<string>;
}

/** Test configuration: the process's test environment plus overrides. */
export function testConfig(overrides: Environment = {}): Config {
	return loadConfig({ ...process.env, ...overrides });
}

/** Starts the gateway (and any neighbour services) on a free port and waits for the given routes. */
export async function startGateway(options: {
	env?: Environment;
	services?: ServiceSchema[];
	broker?: Partial<BrokerOptions>;
	waitFor?: string[];
}): Promise<RunningGateway> {
	const config = testConfig(options.env);
	const broker = new ServiceBroker({ ...brokerOptions(config), logger: false, ...options.broker });
	const services = [...(options.services ?? [])];
	// The gateway asks the auth service about every signed-in caller; tests without the real one get the stand-in.
	if (!services.some((service) => service.name === "auth")) services.push(fakeAuthService);
	for (const service of services) broker.createService(service);
	const api = broker.createService(createApiService(config)) as unknown as {
		server: { address(): AddressInfo };
		aliases: { action?: string }[];
	};
	await broker.start();
	await waitForAliases(api, options.waitFor ?? []);
	const url = `http://127.0.0.1:${api.server.address().port}`;
	return {
		broker,
		config,
		url,
		stop: () => broker.stop(),
		tokenFor: (id: string, role: Role = "user") => signAccessToken(config.auth, { id, role }),
	};
}

export async function waitForAliases(api: { aliases: { action?: string }[] }, actions: string[], timeoutMs = 10000) {
	const deadline = Date.now() + timeoutMs;
	while (!actions.every((action) => api.aliases.some((alias) => alias.action === action))) {
		if (Date.now() > deadline) throw new Error(`routes for ${actions.join(", ")} were not published in time`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 15000, what = "condition") {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
