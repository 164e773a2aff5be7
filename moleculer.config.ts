import os from "node:os";
import type { BrokerOptions } from "moleculer";
import { type Config, getConfigOrExit } from "./lib/config";
import { busOutage } from "./lib/middlewares/bus-outage";
import { IdempotentRetries } from "./lib/middlewares/idempotent-retries";
import { MetricRateShapes } from "./lib/middlewares/metric-rate-shapes";
import { nodeProbes } from "./lib/middlewares/node-probes";
import { queueMiddleware } from "./lib/queue";
import { FramedJsonSerializer } from "./lib/serializer";
import { checkNode } from "./services/api/health";

/** Transporter options in object form: the `{ url, user, pass }` form loses credentials in moleculer's NATS transporter. */
export function transporterOptions(config: Config): BrokerOptions["transporter"] {
	if (!config.transporter.url) return undefined;
	const servers = config.transporter.url.split(",").map((server) => server.trim());
	return {
		type: "NATS",
		options: {
			servers,
			user: config.nats.user,
			pass: config.nats.password,
			token: config.nats.token,
			maxReconnectAttempts: -1,
			reconnectTimeWait: 500,
			name: `pixcrawler-${os.hostname()}`,
		},
	};
}

/**
 * Transient failures (unreachable peer, Unavailable) are retried; a timeout is not, since the caller's
 * whole time budget is gone and a slow service only gets busier.
 */
export function isWorthRetrying(error: Error): boolean {
	return Boolean((error as { retryable?: boolean }).retryable) && error.name !== "RequestTimeoutError";
}

/** Log fields pino blanks out at any of the first three levels, should one ever be logged. */
const SECRET_LOG_FIELDS = [
	"password",
	"currentPassword",
	"newPassword",
	"passwordHash",
	"token",
	"accessToken",
	"refreshToken",
	"authorization",
	"secret",
	"hash",
	// the configuration's own secrets and the connections' credentials, should a config object ever be logged
	"jwtSecret",
	"signingSecret",
	"s3SecretAccessKey",
	"keywordsLlmApiKey",
	"pass",
	"redis.url",
	"mongo.uri",
];

export function brokerOptions(config: Config): BrokerOptions {
	return {
		namespace: config.global.namespace,
		nodeID: config.global.nodeId ?? `${os.hostname().toLowerCase()}-${process.pid}`,
		transporter: transporterOptions(config),
		logger: {
			type: "Pino",
			options: {
				level: config.global.logLevel,
				pino: {
					options: {
						// pino's JSON lines, with secrets scrubbed if they ever reach a log call
						redact: SECRET_LOG_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]),
						base: { service: "pixcrawler" },
					},
				},
			},
		},
		logLevel: config.global.logLevel,
		// JSON on the wire, with stream chunks (image bytes) framed as raw bytes instead of number arrays
		serializer: new FramedJsonSerializer(),
		requestTimeout: config.global.actionTimeoutMs,
		// Retries only for idempotent actions (see IdempotentRetries) and only for errors worth it.
		retryPolicy: {
			enabled: false,
			retries: 3,
			delay: 100,
			maxDelay: 2000,
			factor: 2,
			check: isWorthRetrying,
		},
		circuitBreaker: {
			enabled: true,
			threshold: 0.5,
			minRequestCount: 20,
			windowTime: 60,
			halfOpenTime: 10000,
			check: (error: Error) => ((error as { code?: number }).code ?? 500) >= 500,
		},
		bulkhead: { enabled: true, concurrency: 50, maxQueueSize: 500 },
		// Request tracking lets a stopping node finish in-flight requests (graceful shutdown).
		tracking: { enabled: true, shutdownTimeout: config.global.shutdownTimeoutMs },
		heartbeatInterval: 5,
		heartbeatTimeout: 15,
		registry: { strategy: "RoundRobin", preferLocal: true },
		metrics: {
			enabled: config.global.metricsEnabled,
			// The gateway serves its node's exposition at GET /metrics; other nodes open their own port when asked.
			reporter: config.global.metricsPort > 0 ? [{ type: "Prometheus", options: { port: config.global.metricsPort } }] : [],
		},
		validator: true,
		middlewares: [
			MetricRateShapes,
			IdempotentRetries,
			queueMiddleware(config),
			// calls to other nodes answer 503 at once while NATS is unreachable, instead of waiting out their timeout
			...(config.transporter.url ? [busOutage()] : []),
			...(config.global.probePort > 0 ? [nodeProbes(config.global.probePort, checkNode)] : []),
		],
	};
}

const config = getConfigOrExit();
export default brokerOptions(config);
