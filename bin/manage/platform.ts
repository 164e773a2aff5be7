import net from "node:net";
import path from "node:path";
import { type BrokerOptions, ServiceBroker } from "moleculer";
import { type ConnectionOptions, connect as connectNats } from "nats";
import { type Config, maskSecret } from "../../lib/config";
import { serviceFiles } from "../service-files";
import type { ManageIO } from "./io";

/**
 * How a manage command reaches the platform. With a TRANSPORTER the CLI joins the bus as a
 * service-less node and calls the running services. Without one (embedded mode) there is no bus to
 * join: the CLI loads the services it needs into its own broker, on the same NeDB files.
 */

/** What a command needs from the platform. */
export type Needs =
	/** the auth service, to read and change users and tokens */
	| "users"
	/** every repository, to maintain their collections */
	| "repositories"
	/** every repository, only to ask whether its store answers */
	| "health"
	/** only the bus itself, to see who is on it */
	| "bus";

export interface Platform {
	broker: ServiceBroker;
	/** True when the services run inside this process (no TRANSPORTER). */
	embedded: boolean;
	stop(): Promise<void>;
}

/** A refusal or failure the operator can act on: printed as one line, exit code 1. */
export class CommandFailed extends Error {
	constructor(message: string) {
		super(message);
		this.name = "CommandFailed";
	}
}

/** The bus cannot be reached: check-deps reports it as a failed dependency instead of stopping. */
export class TransporterUnreachable extends CommandFailed {
	constructor(message: string) {
		super(message);
		this.name = "TransporterUnreachable";
	}
}

export const SERVICE_WAIT_MS = 10_000;
const TRANSPORTER_CONNECT_MS = 3_000;

/** The bus address as it may be printed: credentials in the URL masked. */
export function shownBus(config: Config): string {
	return config.transporter.url ? maskSecret(config.transporter.url) : "in-process";
}
const START_TIMEOUT_MS = 15_000;
const PORT_PROBE_MS = 1_000;

export const servicesDirectory = () => path.join(__dirname, "..", "..", "services");

/** Names of the services the embedded platform runs (SERVICES, or every service file). */
export function embeddedServiceNames(config: Config): string[] {
	return serviceFiles(servicesDirectory(), config.global.services).map(serviceNameOf).sort();
}

function serviceNameOf(file: string): string {
	return path.basename(file).replace(/\.service\.[cm]?[jt]s$/, "");
}

export async function openPlatform(config: Config, needs: Needs, io: ManageIO): Promise<Platform> {
	// moleculer.config validates the process configuration when loaded: only load it once a broker is needed
	const { brokerOptions } = await import("../../moleculer.config");
	const options: BrokerOptions = {
		...brokerOptions(config),
		nodeID: `manage-${process.pid}`,
		logLevel: "warn",
		logger: cliLogger(brokerOptions(config), io),
	};
	if (config.transporter.url) return joinBus(config, options, needs);
	return startEmbedded(config, options, needs);
}

/** Opens the platform, runs the command, and always stops the broker again. */
export async function withPlatform(config: Config, needs: Needs, io: ManageIO, run: (broker: ServiceBroker) => Promise<number>) {
	const platform = await openPlatform(config, needs, io);
	try {
		return await run(platform.broker);
	} finally {
		await platform.stop();
	}
}

/** The platform's pino settings (redaction included) at warn level, on stderr so stdout keeps only results. */
function cliLogger(options: BrokerOptions, io: ManageIO): BrokerOptions["logger"] {
	const configured = options.logger as { options?: { pino?: { options?: Record<string, unknown> } } } | undefined;
	return {
		type: "Pino",
		options: {
			level: "warn",
			pino: {
				options: { ...(configured?.options?.pino?.options ?? {}), base: { service: "pixcrawler-manage" } },
				destination: { write: (line: string) => io.err(line) },
			},
		},
	};
}

async function joinBus(config: Config, options: BrokerOptions, needs: Needs): Promise<Platform> {
	const latency = await pingTransporter(config);
	const broker = new ServiceBroker(options);
	await withTimeout(
		broker.start(),
		START_TIMEOUT_MS,
		() => new TransporterUnreachable(`could not join the bus at ${shownBus(config)} within ${START_TIMEOUT_MS / 1000} s`),
	).catch(async (error: Error) => {
		await broker.stop().catch(() => undefined);
		throw error;
	});
	if (needs === "users") {
		await broker.waitForServices(["auth"], SERVICE_WAIT_MS).catch(async () => {
			await broker.stop();
			throw new CommandFailed(
				`the auth service did not appear on the bus within ${SERVICE_WAIT_MS / 1000} s (TRANSPORTER ${shownBus(config)}, namespace ${config.global.namespace})`,
			);
		});
	}
	broker.logger.debug(`Transporter answered in ${latency} ms`);
	return { broker, embedded: false, stop: () => broker.stop() };
}

/** Connects to NATS on its own and waits for a round trip, so an unreachable bus fails fast and says why. */
export async function pingTransporter(config: Config): Promise<number> {
	const { transporterOptions } = await import("../../moleculer.config");
	const transporter = transporterOptions(config) as { options: ConnectionOptions } | undefined;
	if (!transporter) throw new TransporterUnreachable("no TRANSPORTER is configured");
	const started = Date.now();
	try {
		const connection = await connectNats({
			...transporter.options,
			name: `pixcrawler-manage-${process.pid}`,
			timeout: TRANSPORTER_CONNECT_MS,
			maxReconnectAttempts: 0,
		});
		await connection.flush();
		await connection.close();
	} catch (error) {
		throw new TransporterUnreachable(`cannot reach the transporter at ${shownBus(config)}: ${(error as Error).message}`);
	}
	return Date.now() - started;
}

async function startEmbedded(config: Config, options: BrokerOptions, needs: Needs): Promise<Platform> {
	if (needs === "bus") throw new CommandFailed("no TRANSPORTER is configured: the embedded platform has no shared bus");
	const nedbFiles = !config.mongo.uri && !config.global.dbInMemory;
	if (!config.mongo.uri && config.global.dbInMemory && needs !== "health") {
		throw new CommandFailed(
			"PIXCRAWLER_DB_IN_MEMORY=true keeps the embedded store in the platform's memory, out of reach of this command; set MONGO_URI or PIXCRAWLER_DB_IN_MEMORY=false",
		);
	}
	if (nedbFiles) {
		const running = await embeddedPlatformAddress(config);
		if (running) {
			throw new CommandFailed(
				`the embedded platform is running (${running} answers) and NeDB files have a single owner: stop it, then run this command again`,
			);
		}
	}
	const broker = new ServiceBroker({ ...options, transporter: undefined });
	if (needs === "users") {
		const { createAuthService } = await import("../../services/auth.service");
		broker.createService(createAuthService(config));
	} else {
		// every service that owns collections; the gateway owns none and would open a port
		for (const file of serviceFiles(servicesDirectory(), [])) {
			if (serviceNameOf(file) !== "api") broker.loadService(file);
		}
	}
	await withTimeout(
		broker.start(),
		START_TIMEOUT_MS,
		() => new CommandFailed(`the services did not start within ${START_TIMEOUT_MS / 1000} s`),
	);
	return { broker, embedded: true, stop: () => broker.stop() };
}

/**
 * Where the embedded platform would answer if it were running: its gateway port on this machine.
 * Undefined when nothing answers, or when GATEWAY_PORT=0 (a random port cannot be probed).
 */
export async function embeddedPlatformAddress(config: Config): Promise<string | undefined> {
	const port = config.gateway.port;
	if (port === 0) return undefined;
	const host = ["0.0.0.0", "::", "localhost"].includes(config.gateway.host) ? "127.0.0.1" : config.gateway.host;
	const answers = await new Promise<boolean>((resolve) => {
		const socket = net.connect({ host, port });
		const done = (result: boolean) => {
			socket.destroy();
			resolve(result);
		};
		socket.setTimeout(PORT_PROBE_MS, () => done(false));
		socket.once("connect", () => done(true));
		socket.once("error", () => done(false));
	});
	return answers ? `${host}:${port}` : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => Error): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	return Promise.race([
		promise,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(failure()), ms);
		}),
	]).finally(() => clearTimeout(timer));
}
