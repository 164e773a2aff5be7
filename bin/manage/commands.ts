import fs from "node:fs";
import path from "node:path";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import { type Config, ConfigError, describeConfig, type Environment, loadConfig, maskSecret } from "../../lib/config";
import { API_TOKEN_SCOPES } from "../../lib/scopes";
import type { ComponentHealth } from "../../lib/types";
import { probe } from "../../mixins/health.mixin";
import { checkComponents } from "../../services/api/health";
import type { ManageIO } from "./io";
import { CommandFailed, embeddedServiceNames, shownBus } from "./platform";
import { formatTable } from "./table";

/**
 * The manage commands. Each takes the broker that reaches the platform (see platform.ts), the
 * configuration, its options and where to talk, and answers the process exit code; check-env takes
 * the raw environment instead, since validating it is its job. Errors thrown here are printed by the
 * caller as one line, with exit code 1.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** check-deps exits with the sum of the failed dependencies' bits (1 and 2 stay "error" and "usage"). */
export const DEPENDENCY_EXIT_BITS = { transporter: 4, database: 8, redis: 16, storage: 32 } as const;
export type Dependency = keyof typeof DEPENDENCY_EXIT_BITS;

interface UserView {
	id: string;
	email: string;
	name: string;
	role: string;
	active: boolean;
}

interface CreatedApiToken {
	id: string;
	name: string;
	prefix: string;
	scopes: string[];
	expiresAt: string | Date | null;
	token: string;
}

interface CollectionStats {
	service: string;
	collection: string;
	documents: number;
}

/** One line for any error: its message plus the field messages a validation error carries, never a stack. */
export function describeError(error: unknown): string {
	if (!(error instanceof Error)) return String(error).split("\n")[0];
	const data = (error as { data?: unknown }).data;
	const details = Array.isArray(data)
		? data.flatMap((item: { field?: unknown; message?: unknown }) => {
				if (!item || typeof item.message !== "string") return [];
				const field = typeof item.field === "string" ? item.field : undefined;
				return [field && !item.message.includes(`'${field}'`) ? `${field}: ${item.message}` : item.message];
			})
		: [];
	const text = details.length > 0 ? `${error.message} (${details.join("; ")})` : error.message;
	return text.replace(/\s*\n\s*/g, " ").trim();
}

// ---- users -------------------------------------------------------------------------------------

export interface CreateSuperuserOptions {
	email?: string;
	name?: string;
	passwordStdin?: boolean;
}

export async function createSuperuser(broker: ServiceBroker, _config: Config, options: CreateSuperuserOptions, io: ManageIO) {
	const email = options.email ?? (await askFor(io, "Email: ", "--email"));
	const name = options.name ?? (await askFor(io, "Name: ", "--name"));
	const password = await newPassword(io, options);
	try {
		const user = await broker.call<UserView, Record<string, unknown>>("auth.adminCreateUser", { email, name, password, role: "superuser" });
		io.out(`Created superuser ${user.email} (id ${user.id}).\n`);
		return EXIT.ok;
	} catch (error) {
		if ((error as { code?: number }).code === 409) {
			throw new CommandFailed(`${email} already has an account; run "promote ${email}" to make it a superuser`);
		}
		throw error;
	}
}

export async function promote(broker: ServiceBroker, _config: Config, options: { email: string }, io: ManageIO) {
	const user = await updateUser(broker, { email: options.email, role: "superuser" });
	io.out(`${user.email} is now a superuser.\n`);
	return EXIT.ok;
}

export async function demote(broker: ServiceBroker, _config: Config, options: { email: string }, io: ManageIO) {
	const user = await updateUser(broker, { email: options.email, role: "user" });
	io.out(`${user.email} is now a regular user.\n`);
	return EXIT.ok;
}

export async function deactivate(broker: ServiceBroker, _config: Config, options: { email: string }, io: ManageIO) {
	const user = await updateUser(broker, { email: options.email, active: false });
	io.out(`${user.email} is deactivated: signing in and API tokens are refused, and every session is signed out.\n`);
	return EXIT.ok;
}

export async function resetPassword(
	broker: ServiceBroker,
	_config: Config,
	options: { email: string; passwordStdin?: boolean },
	io: ManageIO,
) {
	const password = await newPassword(io, options);
	const user = await updateUser(broker, { email: options.email, password });
	io.out(`Changed the password of ${user.email} and signed out every session.\n`);
	return EXIT.ok;
}

function updateUser(broker: ServiceBroker, changes: Record<string, unknown>) {
	return broker.call<UserView, Record<string, unknown>>("auth.adminUpdateUser", changes);
}

async function askFor(io: ManageIO, question: string, flag: string): Promise<string> {
	if (!io.interactive) throw new CommandFailed(`${flag} is required when there is no terminal to ask on`);
	const answer = (await io.prompt(question)).trim();
	if (!answer) throw new CommandFailed(`${flag.slice(2)} cannot be empty`);
	return answer;
}

/** From stdin with --password-stdin (one trailing newline dropped), otherwise asked twice without echo. */
async function newPassword(io: ManageIO, options: { passwordStdin?: boolean }): Promise<string> {
	if (options.passwordStdin) {
		const password = (await io.readStdin()).replace(/\r?\n$/, "");
		if (!password) throw new CommandFailed("no password on standard input");
		return password;
	}
	if (!io.interactive) throw new CommandFailed("no terminal to ask for the password on: pipe it in with --password-stdin");
	const password = await io.prompt("Password: ", { secret: true });
	const again = await io.prompt("Password (again): ", { secret: true });
	if (password !== again) throw new CommandFailed("the two passwords differ");
	return password;
}

// ---- API tokens --------------------------------------------------------------------------------

export interface CreateTokenOptions {
	email: string;
	name: string;
	scopes: string[];
	expiresInDays?: number;
}

/** The token goes alone to stdout (for scripts); what it is goes to stderr. It is never shown again. */
export async function createToken(broker: ServiceBroker, _config: Config, options: CreateTokenOptions, io: ManageIO) {
	const scopes = parseScopes(options.scopes.join(","));
	const created = await broker.call<CreatedApiToken, Record<string, unknown>>("auth.adminCreateToken", {
		email: options.email,
		name: options.name,
		scopes,
		...(options.expiresInDays === undefined ? {} : { expiresInDays: options.expiresInDays }),
	});
	const expires = created.expiresAt ? new Date(created.expiresAt).toISOString() : "never";
	io.err(
		`Created API token "${created.name}" (${created.prefix}…, id ${created.id}) for ${options.email}; scopes: ${created.scopes.join(", ")}; expires: ${expires}.\n` +
			"Store it now: it is shown only this once.\n",
	);
	io.out(`${created.token}\n`);
	return EXIT.ok;
}

/** A comma-separated list of known scopes, or an error naming the unknown ones. */
export function parseScopes(text: string): string[] {
	const scopes = [
		...new Set(
			text
				.split(",")
				.map((scope) => scope.trim())
				.filter(Boolean),
		),
	];
	if (scopes.length === 0) throw new Error(`name at least one scope: ${API_TOKEN_SCOPES.join(", ")}`);
	const unknown = scopes.filter((scope) => !(API_TOKEN_SCOPES as readonly string[]).includes(scope));
	if (unknown.length > 0) throw new Error(`unknown scope(s) ${unknown.join(", ")}; known scopes: ${API_TOKEN_SCOPES.join(", ")}`);
	return scopes;
}

export function parseDays(text: string): number {
	if (!/^\d+$/.test(text.trim()) || Number(text) < 1 || Number(text) > 3650)
		throw new Error("expected a whole number of days from 1 to 3650");
	return Number(text);
}

// ---- environment and dependencies --------------------------------------------------------------

/** Validates the configuration and prints every variable (secrets masked), or one line naming what is wrong. */
export function checkEnv(env: Environment, io: ManageIO) {
	let config: Config;
	try {
		config = loadConfig(env);
	} catch (error) {
		if (error instanceof ConfigError) {
			io.err(`manage: ${error.message}\n`);
			return EXIT.failed;
		}
		throw error;
	}
	const rows = Object.entries(describeConfig(env)).map(([name, value]) => [name, value, env[name] === undefined ? "default" : "set"]);
	io.out(formatTable(["VARIABLE", "VALUE", "SOURCE"], rows));
	io.out(`\nThe configuration is valid (PIXCRAWLER_ENV=${config.global.env}; ${platformSummary(config)}).\n`);
	return EXIT.ok;
}

function platformSummary(config: Config): string {
	const bus = config.transporter.url ? `services meet over ${shownBus(config)}` : "embedded: every service in one process";
	const store = config.mongo.uri
		? "MongoDB"
		: config.global.dbInMemory
			? "NeDB in memory"
			: `NeDB files under ${path.resolve(config.global.dataDir, "db")}`;
	return `${bus}; ${store}`;
}

export interface DependencyCheck {
	dependency: Dependency;
	target: string;
	ok: boolean;
	latencyMs?: number;
	detail?: string;
}

/**
 * Reaches every dependency and prints one line per check. `broker` is undefined when the transporter
 * could not be reached (`options.busError` says why): the repositories behind it are then unchecked.
 */
export async function checkDeps(broker: ServiceBroker | undefined, config: Config, options: { busError?: string }, io: ManageIO) {
	const checks: DependencyCheck[] = [];
	if (broker) {
		const components = await checkComponents(broker, undefined);
		for (const component of components) checks.push(fromComponent(component, config));
		if (!checks.some((check) => check.dependency === "database")) {
			checks.push({ dependency: "database", target: "repositories", ok: false, detail: "no repository service answered checkHealth" });
		}
	} else {
		const target = config.transporter.url ? shownBus(config) : "in-process";
		checks.push({ dependency: "transporter", target, ok: false, detail: options.busError ?? "not reachable" });
		checks.push({
			dependency: "database",
			target: "repositories",
			ok: false,
			detail: "not checked: they are reached over the transporter",
		});
	}
	if (config.redis.url) checks.push(fromComponent(await probe("redis", () => pingRedis(config), 3000), config));
	const storage = path.resolve(config.global.dataDir);
	checks.push({ ...fromComponent(await probe("storage", () => assertWritable(storage)), config), target: storage });

	const order = Object.keys(DEPENDENCY_EXIT_BITS);
	checks.sort((a, b) => order.indexOf(a.dependency) - order.indexOf(b.dependency) || a.target.localeCompare(b.target));
	io.out(
		formatTable(
			["DEPENDENCY", "CHECK", "STATUS", "LATENCY", "DETAIL"],
			checks.map((check) => [
				check.dependency,
				check.target,
				check.ok ? "ok" : "failed",
				check.latencyMs === undefined ? "-" : `${check.latencyMs.toFixed(1)} ms`,
				check.detail ?? "",
			]),
		),
	);
	const failed = [...new Set(checks.filter((check) => !check.ok).map((check) => check.dependency))];
	if (failed.length === 0) {
		io.out("\nEvery dependency answered.\n");
		return EXIT.ok;
	}
	const code = failed.reduce((sum, dependency) => sum | DEPENDENCY_EXIT_BITS[dependency], 0);
	io.err(`manage: failed: ${failed.join(", ")} (exit code ${code})\n`);
	return code;
}

function fromComponent(component: ComponentHealth, config: Config): DependencyCheck {
	const name = component.name;
	const ok = component.status === "up";
	const base = { ok, latencyMs: component.latencyMs, detail: component.detail };
	if (name.startsWith("transporter")) {
		const target = config.transporter.url ? shownBus(config) : "in-process";
		return {
			...base,
			dependency: "transporter",
			target,
			detail: component.detail ?? (config.transporter.url ? undefined : "no TRANSPORTER set"),
		};
	}
	if (name === "redis") return { ...base, dependency: "redis", target: maskSecret(config.redis.url ?? "") };
	// a service's own checks, named <service>.<what>: its database, or its storage
	return { ...base, dependency: /(^|\.)storage/.test(name) ? "storage" : "database", target: name };
}

/** Connects once and pings: a probe neither queues commands nor reconnects. */
async function pingRedis(config: Config): Promise<void> {
	if (!config.redis.url) return;
	// ioredis reports a refused connection as "Connection is closed"; its error event says why
	let reason: Error | undefined;
	const client = new Redis(config.redis.url, {
		lazyConnect: true,
		enableOfflineQueue: false,
		maxRetriesPerRequest: 0,
		retryStrategy: () => null,
		connectTimeout: 2000,
		commandTimeout: Math.max(config.redis.commandTimeoutMs, 1000),
	});
	client.on("error", (error: Error) => {
		reason = error;
	});
	try {
		await client.connect();
		await client.ping();
	} catch (error) {
		throw reason ?? error;
	} finally {
		// a client that never connected has nothing to close (and disconnecting it would arm a 2 s timer)
		if (client.status !== "end") client.disconnect();
	}
}

async function assertWritable(dir: string): Promise<void> {
	await fs.promises.mkdir(dir, { recursive: true });
	const probeFile = path.join(dir, `.manage-write-check-${process.pid}`);
	await fs.promises.writeFile(probeFile, "");
	await fs.promises.rm(probeFile, { force: true });
}

// ---- database maintenance ----------------------------------------------------------------------

/** `<service>.<action>` for every repository on the bus (or in this process), one per service. */
function repositoryActions(broker: ServiceBroker, action: string): string[] {
	const names = broker.registry
		.getActionList({ onlyAvailable: true, skipInternal: true })
		.map((item) => item.name)
		.filter((name) => name.endsWith(`.${action}`));
	if (names.length === 0) throw new CommandFailed("no repository service is reachable");
	return [...new Set(names)].sort();
}

/** Calls the action on every repository, one after the other; answers the results by service prefix (`auth`, `auth-api-tokens`…). */
async function callEach<T>(broker: ServiceBroker, action: string, params: (prefix: string) => Record<string, unknown> = () => ({})) {
	const results = new Map<string, T>();
	for (const name of repositoryActions(broker, action)) {
		const prefix = name.slice(0, -action.length - 1);
		results.set(prefix, await broker.call<T, Record<string, unknown>>(name, params(prefix)));
	}
	return results;
}

export async function dbIndexes(broker: ServiceBroker, _config: Config, _options: Record<string, never>, io: ManageIO) {
	const reports = [...(await callEach<{ service: string; collection: string; indexes: string[] }>(broker, "ensureIndexes")).values()];
	io.out(
		formatTable(
			["SERVICE", "COLLECTION", "INDEXES"],
			reports.map((report) => [report.service, report.collection, report.indexes.join(", ") || "-"]),
		),
	);
	io.out(`\nIndexes are in place on ${reports.length} collection(s).\n`);
	return EXIT.ok;
}

export async function dbStats(broker: ServiceBroker, _config: Config, _options: Record<string, never>, io: ManageIO) {
	const stats = [...(await callEach<CollectionStats>(broker, "collectionStats")).values()];
	io.out(
		formatTable(
			["COLLECTION", "DOCUMENTS", "SERVICE"],
			stats.map((entry) => [entry.collection, String(entry.documents), entry.service]),
		),
	);
	return EXIT.ok;
}

export interface ResetOptions {
	yes?: boolean;
	force?: boolean;
}

/** Why db:reset must not run, or undefined when it may. */
export function resetRefusal(config: Config, options: ResetOptions): string | undefined {
	if (!options.yes) return "db:reset deletes every document of every collection; run it again with --yes to confirm";
	if (config.global.env === "production" && !options.force) {
		return "PIXCRAWLER_ENV=production: db:reset refuses to delete production data unless --force is given as well";
	}
	return undefined;
}

export async function dbReset(broker: ServiceBroker, config: Config, options: ResetOptions, io: ManageIO) {
	const refusal = resetRefusal(config, options);
	if (refusal) throw new CommandFailed(refusal);
	const force = options.force === true;
	// each repository names its collection, and resetting it asks for that name back
	const collections = await callEach<CollectionStats>(broker, "collectionStats");
	const reset = await callEach<{ service: string; collection: string; removed: number }>(broker, "resetCollection", (prefix) => ({
		confirm: collections.get(prefix)?.collection ?? "",
		force,
	}));
	const reports = [...reset.values()];
	io.out(
		formatTable(
			["COLLECTION", "REMOVED", "SERVICE"],
			reports.map((report) => [report.collection, String(report.removed), report.service]),
		),
	);
	const removed = reports.reduce((sum, report) => sum + report.removed, 0);
	io.out(`\nRemoved ${removed} document(s) from ${reports.length} collection(s).\n`);
	return EXIT.ok;
}

// ---- cluster -----------------------------------------------------------------------------------

interface NodeView {
	id: string;
	local: boolean;
	hostname?: string | null;
	ipList?: string[] | null;
	client?: { version?: string };
	services?: { name: string }[];
}

/** Nodes and their services on the bus. `broker` is undefined in embedded mode, which has no bus. */
export async function listServices(broker: ServiceBroker | undefined, config: Config, _options: Record<string, never>, io: ManageIO) {
	if (!broker || !config.transporter.url) {
		io.out(
			"No TRANSPORTER is configured: the platform runs embedded, every service in one process, so there is no shared bus to inspect.\n" +
				`The embedded platform runs: ${embeddedServiceNames(config).join(", ")}.\n`,
		);
		return EXIT.ok;
	}
	const nodes = (broker.registry.getNodeList({ onlyAvailable: true, withServices: true }) as unknown as NodeView[])
		.filter((node) => !node.local)
		.sort((a, b) => a.id.localeCompare(b.id));
	if (nodes.length === 0) {
		io.out(`No other node is on the bus (TRANSPORTER ${shownBus(config)}, namespace ${config.global.namespace}).\n`);
		return EXIT.ok;
	}
	io.out(
		formatTable(
			["NODE", "HOST", "MOLECULER", "SERVICES"],
			nodes.map((node) => [
				node.id,
				node.hostname ?? node.ipList?.[0] ?? "",
				node.client?.version ?? "",
				(node.services ?? [])
					.map((service) => service.name)
					.filter((name) => !name.startsWith("$"))
					.sort()
					.join(", "),
			]),
		),
	);
	io.out(`\n${nodes.length} node(s) on ${shownBus(config)} (namespace ${config.global.namespace}).\n`);
	return EXIT.ok;
}
