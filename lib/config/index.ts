import fs from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { projectRoot } from "../project";
import { authArea } from "./areas/auth";
import { natsArea, transporterArea } from "./areas/bus";
import { crawlArea } from "./areas/crawl";
import { datasetArea } from "./areas/dataset";
import { corsArea, gatewayArea, rateLimitArea } from "./areas/gateway";
import { globalArea } from "./areas/global";
import { storageArea } from "./areas/storage";
import { mongoArea, redisArea } from "./areas/stores";
import type { Area, AreaValues, Variable } from "./variable";

/** Every area, in the order `.env.example` and the configuration table list them. */
export const configSchema = {
	global: globalArea,
	transporter: transporterArea,
	nats: natsArea,
	mongo: mongoArea,
	redis: redisArea,
	gateway: gatewayArea,
	cors: corsArea,
	rateLimit: rateLimitArea,
	auth: authArea,
	storage: storageArea,
	dataset: datasetArea,
	crawl: crawlArea,
} satisfies Record<string, Area>;

type Schema = typeof configSchema;
export type Config = { [K in keyof Schema]: AreaValues<Schema[K]> };
export type Environment = Record<string, string | undefined>;

export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`invalid configuration: ${problems.join("; ")}`);
		this.name = "ConfigError";
	}
}

export function allVariables(): Variable<unknown>[] {
	return Object.values(configSchema).flatMap((area) => Object.values(area) as Variable<unknown>[]);
}

/** Pure: builds and validates the configuration from the given environment. */
export function loadConfig(env: Environment): Config {
	const problems: string[] = [];
	const result: Record<string, Record<string, unknown>> = {};
	for (const [areaName, area] of Object.entries(configSchema)) {
		const values: Record<string, unknown> = {};
		for (const [key, spec] of Object.entries(area as Area)) {
			const given = env[spec.env];
			const raw = given ?? spec.default;
			if (raw === undefined) {
				problems.push(`${spec.env} is required (${spec.description})`);
				continue;
			}
			const parsed = spec.schema.safeParse(raw);
			if (!parsed.success) {
				const shown = spec.secret ? "" : ` (got ${JSON.stringify(raw)})`;
				problems.push(`${spec.env}: ${parsed.error.issues.map((issue) => issue.message).join(", ")}${shown}`);
				continue;
			}
			values[key] = parsed.data;
		}
		result[areaName] = values;
	}
	if (problems.length > 0) throw new ConfigError(problems);
	const config = result as Config;
	problems.push(...crossChecks(config, env));
	if (problems.length > 0) throw new ConfigError(problems);
	return config;
}

function crossChecks(config: Config, env: Environment): string[] {
	const problems: string[] = [];
	if (config.cors.origins.includes("*") && config.cors.credentials) {
		problems.push("CORS_ORIGINS: * cannot be combined with CORS_CREDENTIALS=true (list the allowed origins)");
	}
	// Browsers send an origin exactly (scheme://host[:port]); an entry with a path, a trailing slash or a
	// pattern would never match one, and the gateway compares them exactly.
	for (const origin of config.cors.origins.filter((entry) => entry !== "*" && !isOrigin(entry))) {
		problems.push(`CORS_ORIGINS: ${JSON.stringify(origin)} is not an origin (scheme://host[:port], no path, pattern or trailing slash)`);
	}
	if (config.global.instances > 1 && !config.transporter.url) {
		problems.push("PIXCRAWLER_INSTANCES: more than one instance needs a TRANSPORTER (nats://…) to share work");
	}
	if (config.storage.driver === "s3" && !config.storage.s3Bucket) {
		problems.push("STORAGE_S3_BUCKET is required with STORAGE_DRIVER=s3");
	}
	if (config.global.env === "production" && config.crawl.allowPrivateNetworks) {
		problems.push("CRAWL_ALLOW_PRIVATE_NETWORKS: private-network crawling is refused in production");
	}
	if (config.global.env === "production") {
		for (const spec of allVariables()) {
			if (spec.developmentDefault && (env[spec.env] === undefined || env[spec.env] === spec.default)) {
				problems.push(`${spec.env}: the development default is refused in production; set your own value`);
			}
		}
	}
	return problems;
}

function isOrigin(entry: string): boolean {
	try {
		const url = new URL(entry);
		return (url.protocol === "http:" || url.protocol === "https:") && url.origin === entry && !entry.includes("*");
	} catch {
		return false;
	}
}

/**
 * Reads the project root's `.env` (when present) under the real environment, which wins. Test runs
 * (PIXCRAWLER_ENV=test) ignore it, so a developer's local settings cannot leak into the suite.
 */
export function readEnvironment(processEnv: Environment = process.env, root = projectRoot): Environment {
	if (processEnv.PIXCRAWLER_ENV === "test") return { ...processEnv };
	const file = path.join(root, ".env");
	const fromFile = fs.existsSync(file) ? dotenv.parse(fs.readFileSync(file)) : {};
	return { ...fromFile, ...processEnv };
}

let current: Config | undefined;

/** The process-wide configuration, read once. */
export function getConfig(): Config {
	current ??= loadConfig(readEnvironment());
	return current;
}

/** Replaces the process-wide configuration (tests and tools that start brokers with other settings). */
export function setConfig(env: Environment): Config {
	current = loadConfig(env);
	return current;
}

/** For entry points: the configuration, or one line on stderr naming what is wrong and exit 1. */
export function getConfigOrExit(): Config {
	try {
		return getConfig();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`pixcrawler: ${error.message}\n`);
			process.exit(1);
		}
		throw error;
	}
}

/** Environment-style view of a configuration with secrets masked, safe to log or print. */
export function describeConfig(env: Environment): Record<string, string> {
	const shown: Record<string, string> = {};
	for (const spec of allVariables()) {
		const value = env[spec.env] ?? spec.default ?? "";
		shown[spec.env] = spec.secret && value !== "" ? maskSecret(value) : value;
	}
	return shown;
}

export function maskSecret(value: string): string {
	try {
		const parsed = new URL(value);
		if (!parsed.host) return "****";
		// credentials can sit in the user-info part or in the query string (e.g. ?authSource=…&password=…)
		if (parsed.password) parsed.password = "****";
		// a lone user-info part is usually a token (redis://token@host)
		else if (parsed.username) parsed.username = "****";
		if (parsed.search) parsed.search = "?****";
		return parsed.toString();
	} catch {
		// not a URL: mask the whole value
	}
	return "****";
}
