import { z } from "zod";
import { flag, list, optionalText, port, positiveInt, variable } from "../variable";
import { webhookVariables } from "./webhooks";

export const globalArea = {
	env: variable({
		env: "PIXCRAWLER_ENV",
		schema: z.enum(["development", "test", "production"]),
		default: "development",
		description: "Deployment environment: development, test or production (production refuses development defaults)",
	}),
	logLevel: variable({
		env: "PIXCRAWLER_LOG_LEVEL",
		schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]),
		default: "info",
		description: "Log level of the JSON logs: fatal, error, warn, info, debug or trace",
	}),
	dataDir: variable({
		env: "PIXCRAWLER_DATA_DIR",
		schema: z.string().trim().min(1),
		default: "./data",
		description: "Directory for the embedded database and local storage",
	}),
	dbInMemory: variable({
		env: "PIXCRAWLER_DB_IN_MEMORY",
		schema: flag,
		default: "false",
		description: "Keep the embedded NeDB collections in memory only (tests); ignored when MONGO_URI is set",
	}),
	namespace: variable({
		env: "PIXCRAWLER_NAMESPACE",
		schema: z.string().regex(/^[a-z0-9-]{1,40}$/, "use 1-40 lower-case letters, digits or dashes"),
		default: "pixcrawler",
		description: "Moleculer namespace: nodes only see nodes of the same namespace on the transporter",
	}),
	nodeId: variable({
		env: "PIXCRAWLER_NODE_ID",
		schema: optionalText,
		default: "",
		description: "Node id on the bus; empty derives one from the host name and process id",
	}),
	instances: variable({
		env: "PIXCRAWLER_INSTANCES",
		schema: positiveInt,
		default: "1",
		description: "Worker processes started by npm run start:prod (more than 1 needs a TRANSPORTER)",
	}),
	services: variable({
		env: "SERVICES",
		schema: list,
		default: "",
		description: "Comma-separated services this process runs (api, auth, dataset, storage, crawl, crawl-worker, notify); empty runs all",
	}),
	actionTimeoutMs: variable({
		env: "PIXCRAWLER_ACTION_TIMEOUT_MS",
		schema: positiveInt,
		default: "10000",
		description: "Default timeout of a call between services, in milliseconds",
	}),
	metricsPort: variable({
		env: "PIXCRAWLER_METRICS_PORT",
		schema: port,
		default: "0",
		description: "Serve Prometheus metrics of this node on its own port (for nodes without the gateway); 0 disables it",
	}),
	startupTimeoutMs: variable({
		env: "PIXCRAWLER_STARTUP_TIMEOUT_MS",
		schema: positiveInt,
		default: "30000",
		description:
			"How long a starting process waits for the servers its configuration names (NATS, MongoDB, Redis, S3) before it exits naming the one that did not answer",
	}),
	shutdownTimeoutMs: variable({
		env: "PIXCRAWLER_SHUTDOWN_TIMEOUT_MS",
		schema: positiveInt,
		default: "10000",
		description:
			"How long a stopping process lets in-flight requests finish; orchestrators must allow more (terminationGracePeriodSeconds, stop_grace_period)",
	}),
	probePort: variable({
		env: "PIXCRAWLER_PROBE_PORT",
		schema: port,
		default: "0",
		description:
			"Serve this node's GET /health (liveness) and GET /health/ready (bus and own services' checks) on its own port, for nodes without the gateway; 0 disables it",
	}),
	metricsEnabled: variable({
		env: "PIXCRAWLER_METRICS_ENABLED",
		schema: flag,
		default: "true",
		description: "Collect Prometheus metrics (served by the gateway at /metrics)",
	}),
	...webhookVariables,
};
