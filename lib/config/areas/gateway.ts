import proxyAddr from "proxy-addr";
import { z } from "zod";
import { boundedInt, flag, list, optionalText, port, positiveInt, variable } from "../variable";

export const gatewayArea = {
	port: variable({
		env: "GATEWAY_PORT",
		schema: port,
		default: "3000",
		description: "Port of the HTTP gateway (0 picks a free port)",
	}),
	host: variable({
		env: "GATEWAY_HOST",
		schema: z.string().trim().min(1),
		default: "0.0.0.0",
		description: "Address the HTTP gateway listens on",
	}),
	publicUrl: variable({
		env: "GATEWAY_PUBLIC_URL",
		schema: optionalText,
		default: "",
		description: "External base URL (for links and the OpenAPI servers list); empty derives it from host and port",
	}),
	trustProxy: variable({
		env: "GATEWAY_TRUST_PROXY",
		schema: z
			.string()
			.trim()
			.transform((text, ctx) => {
				if (["", "false", "0"].includes(text)) return false as const;
				if (/^\d+$/.test(text)) return Number(text);
				const parts = text.split(",").map((part) => part.trim());
				try {
					// the same parser the gateway uses, so anything accepted here also works there
					proxyAddr.compile(parts);
					return parts;
				} catch {
					ctx.addIssue({ code: "custom", message: "expected false, a number of proxy hops, or a list of proxy addresses/CIDRs" });
					return z.NEVER;
				}
			}),
		default: "false",
		description: "Which X-Forwarded-For entries to trust: false, a number of hops, or proxy addresses/CIDRs (e.g. loopback,10.0.0.0/8)",
	}),
	bodyLimit: variable({
		env: "GATEWAY_BODY_LIMIT",
		schema: z.string().regex(/^\d+(b|kb|mb)$/i, "expected a size such as 512kb or 1mb"),
		default: "1mb",
		description: "Largest accepted request body (larger ones get 413)",
	}),
	requestTimeoutMs: variable({
		env: "GATEWAY_REQUEST_TIMEOUT_MS",
		schema: positiveInt,
		default: "30000",
		description: "Longest time a request may take before the gateway answers 504",
	}),
	readinessServices: variable({
		env: "GATEWAY_READINESS_SERVICES",
		schema: list,
		default: "",
		description:
			"Services that must be reachable for /health/ready to answer 200 (e.g. auth,dataset,crawl,storage); empty checks the ones present",
	}),
	idempotencyTtlSeconds: variable({
		env: "GATEWAY_IDEMPOTENCY_TTL_SECONDS",
		schema: boundedInt(1, 604800),
		default: "86400",
		description:
			"How long the answer to a POST sent with an Idempotency-Key is kept and replayed to repeats of that key, in seconds (in Redis when REDIS_URL is set, so every gateway replica replays it)",
	}),
	docsEnabled: variable({
		env: "GATEWAY_DOCS_ENABLED",
		schema: flag,
		default: "true",
		description: "Serve Swagger UI at /docs and ReDoc at /redoc",
	}),
	dashboardEnabled: variable({
		env: "GATEWAY_DASHBOARD_ENABLED",
		schema: flag,
		default: "true",
		description: "Serve the web dashboard at / (built into dist/web by npm run build)",
	}),
	dashboardDir: variable({
		env: "GATEWAY_DASHBOARD_DIR",
		schema: optionalText,
		default: "",
		description: "Directory of the built dashboard; empty uses dist/web of the installation",
	}),
};

export const corsArea = {
	origins: variable({
		env: "CORS_ORIGINS",
		schema: list,
		default: "http://localhost:3000,http://localhost:5173",
		description: "Origins allowed to call the API from a browser (comma-separated; * allows any, only without credentials)",
	}),
	credentials: variable({
		env: "CORS_CREDENTIALS",
		schema: flag,
		default: "true",
		description: "Allow browsers to send credentials (cookies, Authorization) cross-origin",
	}),
	maxAgeSeconds: variable({
		env: "CORS_MAX_AGE_SECONDS",
		schema: boundedInt(0, 86400),
		default: "600",
		description: "How long browsers may cache a preflight answer, in seconds",
	}),
};

export const rateLimitArea = {
	enabled: variable({
		env: "RATE_LIMIT_ENABLED",
		schema: flag,
		default: "true",
		description: "Apply per-principal request limits at the gateway",
	}),
	windowSeconds: variable({
		env: "RATE_LIMIT_WINDOW_SECONDS",
		schema: positiveInt,
		default: "60",
		description: "Length of the rate limit window, in seconds",
	}),
	defaultPoints: variable({
		env: "RATE_LIMIT_DEFAULT",
		schema: positiveInt,
		default: "600",
		description: "Requests per window for ordinary routes",
	}),
	authPoints: variable({
		env: "RATE_LIMIT_AUTH",
		schema: positiveInt,
		default: "20",
		description: "Requests per window for authentication routes (login, register, refresh)",
	}),
	expensivePoints: variable({
		env: "RATE_LIMIT_EXPENSIVE",
		schema: positiveInt,
		default: "30",
		description: "Requests per window for expensive routes (builds, exports)",
	}),
	apiTokenPerMinute: variable({
		env: "RATE_LIMIT_API_TOKEN_PER_MINUTE",
		schema: boundedInt(0, 1000000),
		default: "0",
		description:
			"Requests per minute one API token may make, on top of its owner's route budgets (a plan limit: superusers override it per user); 0 means no limit beyond those budgets",
	}),
};
