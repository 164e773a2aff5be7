import { type Config, maskSecret } from "./config";

/**
 * Start-up checks of the servers a process's configuration names: each driver's package must be
 * installed and its server must answer, within PIXCRAWLER_STARTUP_TIMEOUT_MS. Otherwise the process
 * exits with one line naming what is missing, instead of a stack trace or an endless reconnect loop.
 */
export interface Dependency {
	/** What the operator reads: "NATS transporter", "MongoDB", … */
	name: string;
	/** The npm package that drives it. */
	packageName: string;
	/** Where it is, credentials removed. */
	target: string;
	/** The variable that configured it, for the hint. */
	variable: string;
	/** Resolves once the server answered; rejects with why not. */
	check(timeoutMs: number): Promise<void>;
}

export class PreflightError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "PreflightError";
	}
}

/** Services that keep their records in the database. */
const DATABASE_SERVICES = new Set(["auth", "dataset", "storage", "crawl", "notify"]);
/** Services that share their limits through Redis. */
const REDIS_SERVICES = new Set(["api", "auth"]);

function runs(config: Config, names: Set<string>): boolean {
	const selected = config.global.services;
	return selected.length === 0 || selected.some((name) => names.has(name));
}

/** The servers this process needs, by its configuration and the services it runs. */
export function dependenciesOf(config: Config): Dependency[] {
	const dependencies: Dependency[] = [];
	const transporter = config.transporter.url;
	if (transporter) {
		dependencies.push({
			name: "NATS transporter",
			packageName: "nats",
			target: transporter
				.split(",")
				.map((server) => maskSecret(server.trim()))
				.join(","),
			variable: "TRANSPORTER",
			async check(timeoutMs) {
				const { connect } = await import("nats");
				const connection = await connect({
					servers: transporter.split(",").map((server) => server.trim()),
					user: config.nats.user,
					pass: config.nats.password,
					token: config.nats.token,
					timeout: timeoutMs,
					reconnect: false,
					name: "pixcrawler-preflight",
				});
				await connection.close();
			},
		});
	}
	const mongoUri = config.mongo.uri;
	if (mongoUri && runs(config, DATABASE_SERVICES)) {
		dependencies.push({
			name: "MongoDB",
			packageName: "mongoose",
			target: maskSecret(mongoUri),
			variable: "MONGO_URI",
			async check(timeoutMs) {
				// through the DB mixin, the one place that knows the database driver
				const { pingMongo } = await import("../mixins/db.mixin");
				await pingMongo(mongoUri, timeoutMs);
			},
		});
	}
	const redisUrl = config.redis.url;
	if (redisUrl && runs(config, REDIS_SERVICES)) {
		dependencies.push({
			name: "Redis",
			packageName: "ioredis",
			target: maskSecret(redisUrl),
			variable: "REDIS_URL",
			async check(timeoutMs) {
				const { default: Redis } = await import("ioredis");
				const client = new Redis(redisUrl, {
					connectTimeout: timeoutMs,
					maxRetriesPerRequest: 0,
					retryStrategy: () => null,
					lazyConnect: true,
					enableOfflineQueue: false,
				});
				client.on("error", () => undefined);
				try {
					await client.connect();
					await client.ping();
				} finally {
					client.disconnect();
				}
			},
		});
	}
	const storage = config.storage;
	if (storage.driver === "s3" && runs(config, new Set(["storage"]))) {
		dependencies.push({
			name: "S3 storage",
			packageName: "@aws-sdk/client-s3",
			target: `${storage.s3Endpoint || `s3.${storage.s3Region}.amazonaws.com`}/${storage.s3Bucket}`,
			variable: "STORAGE_S3_ENDPOINT / STORAGE_S3_BUCKET",
			async check(timeoutMs) {
				const { HeadBucketCommand, S3Client } = await import("@aws-sdk/client-s3");
				const client = new S3Client({
					region: storage.s3Region,
					endpoint: storage.s3Endpoint || undefined,
					forcePathStyle: storage.s3ForcePathStyle,
					credentials:
						storage.s3AccessKeyId && storage.s3SecretAccessKey
							? { accessKeyId: storage.s3AccessKeyId, secretAccessKey: storage.s3SecretAccessKey }
							: undefined,
					maxAttempts: 1,
				});
				try {
					await client.send(new HeadBucketCommand({ Bucket: storage.s3Bucket }), { abortSignal: AbortSignal.timeout(timeoutMs) });
				} finally {
					client.destroy();
				}
			},
		});
	}
	return dependencies;
}

function isInstalled(packageName: string): boolean {
	try {
		require.resolve(packageName);
		return true;
	} catch {
		return false;
	}
}

function reason(error: unknown): string {
	const { code, name, message } = (error ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
	const text = typeof message === "string" && message ? message.split("\n")[0] : String(error);
	const label = typeof code === "string" ? code : typeof name === "string" && name !== "Error" ? name : "";
	return label && !text.includes(label) ? `${label}: ${text}` : text;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every dependency answers, retrying each with a growing pause (servers started alongside the
 * process may need a few seconds), and throws a one-line PreflightError naming the first that never did.
 */
export async function preflight(
	dependencies: Dependency[],
	options: { timeoutMs: number; onRetry?: (dependency: Dependency, reason: string) => void },
): Promise<void> {
	for (const dependency of dependencies) {
		if (!isInstalled(dependency.packageName)) {
			throw new PreflightError(
				`${dependency.name} is configured (${dependency.variable}) but its driver package "${dependency.packageName}" is not installed`,
			);
		}
	}
	const deadline = Date.now() + options.timeoutMs;
	await Promise.all(
		dependencies.map(async (dependency) => {
			for (let attempt = 0; ; attempt++) {
				const left = deadline - Date.now();
				try {
					await dependency.check(Math.max(500, Math.min(left, 5000)));
					return;
				} catch (error) {
					const why = reason(error);
					if (Date.now() + 250 >= deadline) {
						throw new PreflightError(
							`${dependency.name} at ${dependency.target} did not answer within ${options.timeoutMs} ms (${why}); check ${dependency.variable} and that the server runs`,
						);
					}
					options.onRetry?.(dependency, why);
					await sleep(Math.min(250 * 2 ** attempt, 2000, Math.max(0, deadline - Date.now() - 250)));
				}
			}
		}),
	);
}
