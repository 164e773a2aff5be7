import Redis from "ioredis";
import type { Config } from "./config";

/**
 * A Redis client that fails fast while Redis is away (no offline queue, short command timeout), so
 * callers can fall back within REDIS_COMMAND_TIMEOUT_MS instead of hanging. Connect with `connect()`.
 */
export function createRedisClient(settings: Config["redis"], onError: (error: Error) => void): Redis | undefined {
	if (!settings.url) return undefined;
	const client = new Redis(settings.url, {
		enableOfflineQueue: false,
		commandTimeout: settings.commandTimeoutMs,
		maxRetriesPerRequest: 0,
		connectTimeout: 2000,
		retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
		lazyConnect: true,
	});
	// Outages surface through readiness and the callers' fallbacks; an unhandled 'error' event would crash.
	client.on("error", onError);
	return client;
}
