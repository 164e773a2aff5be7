import { z } from "zod";
import { boundedInt, url, variable } from "../variable";

export const mongoArea = {
	uri: variable({
		env: "MONGO_URI",
		schema: url(["mongodb", "mongodb+srv"]),
		default: "",
		secret: true,
		description: "MongoDB connection string; empty uses the embedded NeDB store under the data directory",
	}),
};

export const redisArea = {
	url: variable({
		env: "REDIS_URL",
		schema: url(["redis", "rediss"]),
		default: "",
		secret: true,
		description: "Redis for shared rate limits; empty keeps limits in each process's memory",
	}),
	keyPrefix: variable({
		env: "REDIS_KEY_PREFIX",
		schema: z.string().regex(/^[A-Za-z0-9:_-]{1,64}$/, "use 1-64 letters, digits, ':', '_' or '-'"),
		default: "pixcrawler:",
		description: "Prefix of every Redis key this deployment writes",
	}),
	commandTimeoutMs: variable({
		env: "REDIS_COMMAND_TIMEOUT_MS",
		schema: boundedInt(10, 10000),
		default: "100",
		description: "A Redis command slower than this counts as an outage (the gateway falls back to local limits)",
	}),
};
