import fs from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import type { Context } from "moleculer";
import ApiGateway from "moleculer-web";
import { API_TOKEN_PREFIX, hashApiToken, isWellFormedApiToken } from "../lib/api-token";
import { type Config, getConfig } from "../lib/config";
import { defineService } from "../lib/define-service";
import { Forbidden, RateLimited, Unauthorized, UnsupportedMediaType, ValidationFailed } from "../lib/errors";
import { clientAddressResolver, httpsRequestResolver, rateLimitSubject } from "../lib/http/client-address";
import { toProblem } from "../lib/http/problem";
import { requestIdFrom } from "../lib/http/request-id";
import { verifyAccessToken } from "../lib/jwt";
import { buildOpenApiDocument, type RouteOperation } from "../lib/openapi/build-document";
import { projectVersion as packageVersion } from "../lib/project";
import { createRedisClient } from "../lib/redis";
import type { ComponentHealth, GatewayActionOptions, Principal, RateLimitClass } from "../lib/types";
import { ActivityRecorder, RECORD_ACTION } from "./api/activity-recorder";
import { DASHBOARD_DIR, Dashboard, dashboardCsp } from "./api/dashboard";
import { API_CSP, DOCS_ASSETS, DOCS_CSP, REDOC_PAGE, SWAGGER_PAGE } from "./api/docs-pages";
import { EventStreams, type JobChange } from "./api/event-streams";
import { checkComponents } from "./api/health";
import { IDEMPOTENCY_KEY_HEADER, IdempotentRequests, REPLAYED_HEADER } from "./api/idempotency";
import { PrometheusExposition } from "./api/metrics";
import { refuseUnsafeParams } from "./api/params-guard";
import { GatewayRateLimiter } from "./api/rate-limiter";
import { clearedRefreshCookies, REFRESH_COOKIE, readCookie, refreshCookies, wantsCookieSession } from "./api/session-cookie";
import { UserEventStreams } from "./api/user-streams";
import { apiRequestsReached } from "./auth/limits";

type GatewayRequest = IncomingMessage & {
	$action?: GatewayActionOptions & { name?: string; params?: Record<string, unknown> };
	$ctx?: Context;
	$params?: Record<string, unknown>;
	$alias?: { path?: string };
	$route?: unknown;
	originalUrl?: string;
	parsedUrl?: string;
	body?: unknown;
	/** The request asked for a browser session kept in the refresh cookie (services/api/session-cookie.ts). */
	$cookieSession?: boolean;
};
type GatewayContext = Context<
	Record<string, unknown>,
	{
		clientAddress?: string;
		user?: Principal | null;
		range?: string;
		ifRange?: string;
		$statusCode?: number;
		$responseType?: string;
		$responseHeaders?: Record<string, string>;
	}
>;

/** How long the gateway trusts what it learnt about a user; deactivation and role changes apply within it. */
const USER_CACHE_TTL_MS = 5000;
const PROBE_PATHS = new Set(["/health", "/health/ready", "/metrics"]);
// RFC 9110: the scheme name is case-insensitive
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{10,4096})$/i;

/** One year, as browsers' preload lists require; sent only where browsers honour it (RFC 6797: over HTTPS). */
const HSTS = "max-age=31536000; includeSubDomains";
/** Signed file links are bearer credentials for their lifetime: logs show the route, not the token. */
const SIGNED_LINK_PATH = /\/files\/[^/]+/g;

/** The path of a request as logs show it: no query string (tokens sent there by mistake), no signed link. */
function loggedPath(url: string | undefined): string {
	return (url ?? "").split("?")[0].replace(SIGNED_LINK_PATH, "/files/:token");
}

function setSecurityHeaders(res: ServerResponse, csp: string, privateResponse: boolean) {
	res.setHeader("X-Content-Type-Options", "nosniff");
	res.setHeader("X-Frame-Options", "DENY");
	res.setHeader("Referrer-Policy", "no-referrer");
	res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
	res.setHeader("Content-Security-Policy", csp);
	if (privateResponse) res.setHeader("Cache-Control", "no-store");
	else res.removeHeader("Cache-Control");
}

/**
 * The request has a body the JSON parser did not read (a form, text, anything but application/json):
 * acting on it without its fields would run the action on the query string alone.
 */
function hasUnreadBody(req: IncomingMessage): boolean {
	const length = req.headers["content-length"];
	const hasBody = req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
	const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
	return hasBody && type !== "application/json";
}

/** The origin (scheme, host, port) of a URL, lower-cased; undefined for none or an unreadable one. */
function originOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		return new URL(url).origin.toLowerCase();
	} catch {
		return undefined;
	}
}

/** A public action answering a fixed HTML page (the offline API docs). */
function htmlPage(summary: string, html: string) {
	return {
		auth: "public" as const,
		summary,
		tag: "docs",
		response: { media: ["text/html"] },
		handler(ctx: GatewayContext) {
			ctx.meta.$responseType = "text/html; charset=utf-8";
			return html;
		},
	};
}

function corsOptions({ cors }: Config) {
	const anyOrigin = cors.origins.includes("*");
	const listed = new Set(cors.origins);
	return {
		// Exact matches only: moleculer-web matches a list of strings by substring, so http://localhost:300 or
		// https://app.example.co would pass for http://localhost:3000 or https://app.example.com.
		origin: anyOrigin ? "*" : (origin: string) => listed.has(origin),
		methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
		allowedHeaders: ["Authorization", "Content-Type", "X-Request-ID", "Last-Event-ID", "Range", IDEMPOTENCY_KEY_HEADER],
		exposedHeaders: [
			"X-Request-ID",
			"RateLimit-Limit",
			"RateLimit-Remaining",
			"RateLimit-Reset",
			"Retry-After",
			"Content-Disposition",
			REPLAYED_HEADER,
		],
		// "*" never goes with credentials: the configuration refuses the pair, and so does the gateway for any config object
		credentials: cors.credentials && !anyOrigin,
		maxAge: cors.maxAgeSeconds,
	};
}

/** The gateway for a given configuration (the default export uses the process configuration). */
export function createApiService(config: Config) {
	const publicOrigin = originOf(config.gateway.publicUrl);
	return defineService({
		name: "api",
		mixins: [ApiGateway],

		settings: {
			port: config.gateway.port,
			ip: config.gateway.host,
			// Generated REST paths are relative to /api/v1, not prefixed by service names.
			rest: "/",
			// No /~node/* and no raw service/action paths.
			internalServices: false,
			requestTimeout: config.gateway.requestTimeoutMs,
			log4XXResponses: false,
			// moleculer-web's own request and response lines print the raw URL (query strings, signed link
			// tokens); the access log (logRequestWhenDone) is the one line per request
			logRequest: null,
			// request bodies carry passwords and refresh tokens: never log them
			logRequestParams: null,
			logResponseData: null,
			logResponse: null,
			logRouteRegistration: "debug",
			cors: corsOptions(config),
			rootCallOptions(this: ServiceThis, options: Record<string, unknown>, req: IncomingMessage, res: ServerResponse) {
				// Replaces moleculer-web's unchecked copy of X-Request-ID / X-Correlation-ID.
				const requestId = requestIdFrom(req.headers["x-request-id"]);
				options.requestID = requestId;
				this.logRequestWhenDone(requestId, req, res);
				// state-changing requests go to the activity log once answered (services/api/activity-recorder.ts)
				this.activity.watch(req, res, requestId, (request: IncomingMessage) => this.clientAddress(request));
				// Every answer starts with the security headers, whatever answers it (CORS preflights, 404s of
				// unknown paths, errors); routes then set their own CSP and caching.
				setSecurityHeaders(res, API_CSP, true);
				if (this.sendsHsts(req)) res.setHeader("Strict-Transport-Security", HSTS);
				// Browsers send Origin with same-origin requests too (POSTs, module scripts): the dashboard's own
				// pages need no CORS, so such requests are not held to CORS_ORIGINS
				if (this.isSameOrigin(req)) delete req.headers.origin;
			},
			routes: [
				{
					path: "/api/v1",
					autoAliases: true,
					mappingPolicy: "restrict",
					// /API/V1/… or /METRICS must not reach routes that ingress rules guard by their exact path
					pathToRegexpOptions: { sensitive: true },
					authentication: true,
					authorization: true,
					cors: corsOptions(config),
					bodyParsers: { json: { limit: config.gateway.bodyLimit, strict: true }, urlencoded: false },
					callOptions: { timeout: config.gateway.requestTimeoutMs },
					aliases: {},
					onBeforeCall(this: ServiceThis, ctx: GatewayContext, _route: unknown, req: GatewayRequest, res: ServerResponse) {
						this.refuseUnroutedForms(req);
						refuseUnsafeParams(req.body, req.$params ?? {}, req.$action?.params);
						if (req.$action?.session) this.openCookieSession(req);
						// services that throttle by address (login) see the same address the gateway does
						ctx.meta.clientAddress = rateLimitSubject(this.clientAddress(req));
						// byte-range requests (resumable downloads) are answered by the action that knows the representation
						if (req.method === "GET" && typeof req.headers.range === "string") {
							ctx.meta.range = req.headers.range;
							if (typeof req.headers["if-range"] === "string") ctx.meta.ifRange = req.headers["if-range"];
						}
						// API answers are never cached: even public ones carry tokens (login, refresh)
						setSecurityHeaders(res, API_CSP, true);
					},
					onAfterCall(this: ServiceThis, ctx: GatewayContext, _route: unknown, req: GatewayRequest, res: ServerResponse, data: unknown) {
						this.activity.noteAnswer(req, data);
						if (req.$cookieSession) data = this.answerCookieSession(req, res, data);
						const successStatus = req.$action?.successStatus;
						if (successStatus && ctx.meta.$statusCode === undefined) ctx.meta.$statusCode = successStatus;
						return data;
					},
					onError(this: ServiceThis, req: GatewayRequest, res: ServerResponse, error: Error) {
						this.sendProblem(req, res, error);
					},
				},
				{
					// Probes, metrics and docs live outside the versioned API.
					path: "/",
					mappingPolicy: "restrict",
					pathToRegexpOptions: { sensitive: true },
					// probes must not depend on credentials or on the auth service
					authentication: false,
					authorization: true,
					cors: corsOptions(config),
					bodyParsers: { json: false, urlencoded: false },
					aliases: {
						"GET health": "api.live",
						"GET health/ready": "api.ready",
						...(config.global.metricsEnabled ? { "GET metrics": "api.metrics" } : {}),
						...(config.gateway.docsEnabled
							? { "GET docs": "api.swaggerUi", "GET redoc": "api.redoc", "GET docs/assets/:file": "api.docsAsset" }
							: {}),
					},
					onBeforeCall(this: ServiceThis, _ctx: GatewayContext, _route: unknown, req: GatewayRequest, res: ServerResponse) {
						this.refuseUnroutedForms(req);
						const isDocs = req.url?.startsWith("/docs") || req.url?.startsWith("/redoc");
						setSecurityHeaders(res, isDocs ? DOCS_CSP : API_CSP, !isDocs);
					},
					onError(this: ServiceThis, req: GatewayRequest, res: ServerResponse, error: Error) {
						this.sendProblem(req, res, error);
					},
				},
			],
			onError(this: ServiceThis, req: GatewayRequest, res: ServerResponse, error: Error) {
				this.sendProblem(req, res, error);
			},
		},

		actions: {
			// moleculer-web's route listing would be published with autoAliases; the OpenAPI document replaces it.
			listAliases: false,
			jobEvents: {
				rest: "GET /jobs/:id/events",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Follow a build (Server-Sent Events)",
				description:
					"A `snapshot` event with the job's state, then `progress`, `step` and finally `completed` events, each carrying the job; the stream closes after `completed`. Event ids grow per job; a client reconnecting with `Last-Event-ID` gets the current state again.",
				tag: "jobs",
				response: { events: "Job" },
				params: { id: { type: "string", min: 1, max: 64 } },
				async handler(this: ServiceThis, ctx: GatewayContext) {
					const job = (await ctx.call("crawl.getJob", { id: ctx.params.id })) as JobChange["job"] & { eventSeq?: number };
					return this.eventStream(ctx, { seq: job.eventSeq ?? 0, job }, (change: JobChange) => change.job.id === job.id);
				},
			},
			datasetEvents: {
				rest: "GET /datasets/:id/events",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Follow a dataset's builds (Server-Sent Events)",
				description: "As `GET /jobs/:id/events`, for the dataset's current build (and any build started while the stream is open).",
				tag: "jobs",
				response: { events: "Job" },
				params: { id: { type: "string", min: 1, max: 64 } },
				async handler(this: ServiceThis, ctx: GatewayContext) {
					const dataset = (await ctx.call("dataset.getDataset", { id: ctx.params.id })) as { id: string; currentJobId: string | null };
					const job = dataset.currentJobId
						? ((await ctx.call("crawl.getJob", { id: dataset.currentJobId })) as JobChange["job"] & { eventSeq?: number })
						: null;
					return this.eventStream(
						ctx,
						job ? { seq: job.eventSeq ?? 0, job } : null,
						(change: JobChange) => change.job.datasetId === dataset.id,
					);
				},
			},
			userEvents: {
				rest: "GET /events",
				auth: "user",
				scopes: ["account:read"],
				summary: "Follow your notifications (Server-Sent Events)",
				description:
					"A `notification` event for each new notification (finished builds, exports, disabled webhooks) as it happens. The stream ends after `maxSeconds` (default 3600; EventSource reconnects on its own); nothing is replayed on reconnection: `GET /notifications?unread=true` lists what you missed.",
				tag: "notifications",
				response: { events: "Notification" },
				params: { maxSeconds: { type: "number", integer: true, min: 1, max: 3600, optional: true, convert: true } },
				handler(this: ServiceThis, ctx: GatewayContext) {
					ctx.meta.$responseType = "text/event-stream; charset=utf-8";
					ctx.meta.$responseHeaders = { "Cache-Control": "no-store", "X-Accel-Buffering": "no" };
					return this.userStreams.open((ctx.meta.user as Principal).id, Number(ctx.params.maxSeconds ?? 3600) * 1000);
				},
			},
			live: {
				auth: "public",
				rateLimit: "none",
				summary: "Liveness probe",
				description: "Answers 200 while the process runs; checks no dependencies.",
				tag: "health",
				response: "Liveness",
				handler() {
					return { status: "ok" };
				},
			},
			ready: {
				auth: "public",
				rateLimit: "none",
				summary: "Readiness probe",
				description:
					"200 once the routes are published and the transporter, Redis (when configured) and every service's own checks (database, storage) answer; 503 naming what failed.",
				tag: "health",
				response: { json: "Readiness", alsoFor: [503] },
				errors: [503],
				async handler(this: ServiceThis, ctx: GatewayContext) {
					const components = await this.checkComponents();
					// listening comes before the routes of this process's services exist: not ready for traffic yet
					if (!this.routesPublished) components.push({ name: "routes", status: "down", latencyMs: 0, detail: "the services are starting" });
					const failed = components
						.filter((component: ComponentHealth) => component.status === "down")
						.map((component: ComponentHealth) => component.name);
					if (failed.length > 0) ctx.meta.$statusCode = 503;
					return {
						status: failed.length > 0 ? "down" : "ok",
						failed,
						components: components.map(({ name, status }: ComponentHealth) => ({ name, status })),
					};
				},
			},
			health: {
				rest: "GET /health",
				auth: "public",
				summary: "Service health",
				description: "A simple health answer for clients and load balancers.",
				tag: "health",
				response: "Health",
				responseExample: { status: "ok", version: packageVersion, uptimeSeconds: 42 },
				handler() {
					return { status: "ok", version: packageVersion, uptimeSeconds: Math.round(process.uptime()) };
				},
			},
			healthDetailed: {
				rest: "GET /health/detailed",
				auth: "superuser",
				summary: "Detailed health",
				description: "Every component with its status and latency, and the nodes on the bus.",
				tag: "health",
				response: "DetailedHealth",
				async handler(this: ServiceThis) {
					const components = await this.checkComponents();
					const nodes = this.broker.registry
						.getNodeList({ onlyAvailable: false, withServices: true })
						.map((node: { id: string; available: boolean; local: boolean; services: { name: string }[] }) => ({
							id: node.id,
							available: node.available,
							local: node.local,
							services: (node.services as { name: string }[]).map((service) => service.name).filter((name) => !name.startsWith("$")),
						}));
					const down = components.some((component: ComponentHealth) => component.status === "down");
					return {
						status: down ? "degraded" : "ok",
						version: packageVersion,
						uptimeSeconds: Math.round(process.uptime()),
						components,
						nodes,
					};
				},
			},
			openapi: {
				rest: "GET /openapi.json",
				auth: "public",
				summary: "OpenAPI document",
				description: "The OpenAPI 3.1 description of every route, generated from the live route table.",
				tag: "docs",
				response: "OpenApiDocument",
				handler(this: ServiceThis) {
					return this.openApiDocument();
				},
			},
			metrics: {
				auth: "public",
				rateLimit: "none",
				summary: "Prometheus metrics",
				description: "Prometheus exposition of this node's metrics. Expose it to the scraper only (ingress rules).",
				tag: "health",
				response: { media: ["text/plain"] },
				handler(this: ServiceThis, ctx: GatewayContext) {
					ctx.meta.$responseType = "text/plain; version=0.0.4; charset=utf-8";
					return this.prometheus.generatePrometheusResponse();
				},
			},
			swaggerUi: htmlPage("Swagger UI", SWAGGER_PAGE),
			redoc: htmlPage("ReDoc", REDOC_PAGE),
			docsAsset: {
				auth: "public",
				summary: "Static files of the API docs",
				tag: "docs",
				response: { media: ["text/css", "text/javascript", "image/png"] },
				params: { file: { type: "string", max: 64 } },
				errors: [404],
				handler(ctx: GatewayContext) {
					const asset = Object.hasOwn(DOCS_ASSETS, String(ctx.params.file)) ? DOCS_ASSETS[String(ctx.params.file)] : undefined;
					if (!asset) throw new ApiGateway.Errors.NotFoundError("NOT_FOUND", { file: ctx.params.file });
					ctx.meta.$responseType = asset.type;
					ctx.meta.$responseHeaders = { "Cache-Control": "public, max-age=86400" };
					return asset.body ?? fs.createReadStream(asset.file as string);
				},
			},
		},

		methods: {
			/** Answers with an event stream; the job's state travels with the request's own authorization. */
			eventStream(
				this: ServiceThis,
				ctx: GatewayContext,
				snapshot: { seq: number; job: JobChange["job"] } | null,
				matches: (change: JobChange) => boolean,
			) {
				ctx.meta.$responseType = "text/event-stream; charset=utf-8";
				ctx.meta.$responseHeaders = { "Cache-Control": "no-store", "X-Accel-Buffering": "no" };
				return this.eventStreams.open(snapshot, matches);
			},

			async authenticate(ctx: GatewayContext, _route: unknown, req: GatewayRequest, res: ServerResponse): Promise<Principal | null> {
				const header = req.headers.authorization;
				if (!header) return null;
				const match = BEARER.exec(header);
				try {
					if (!match) throw new Unauthorized("The Authorization header must be 'Bearer <token>'");
					const token = match[1];
					if (token.startsWith(API_TOKEN_PREFIX)) return await this.apiTokenPrincipal(ctx, token);
					return await this.currentPrincipal(ctx, await verifyAccessToken(config.auth, token));
				} catch (error) {
					// Failed credentials spend the caller's address budget, so guessing tokens is throttled too.
					if ((error as { code?: number }).code === 401) await this.enforceRateLimit(req, null, "auth", res);
					throw error;
				}
			},

			/** API tokens are checked locally for shape and checksum, then resolved by auth (cached by hash for a few seconds). */
			async apiTokenPrincipal(ctx: GatewayContext, token: string): Promise<Principal> {
				if (!isWellFormedApiToken(token)) throw new Unauthorized("The API token is not valid");
				const key = hashApiToken(token);
				const cached = this.apiTokenCache.get(key) as Principal | undefined;
				if (cached) return cached;
				const principal = await ctx.call<Principal, { token: string }>("auth.resolveApiToken", { token });
				// never trust the cache past the token's own expiry
				const untilExpiry = principal.tokenExpiresAt ? Date.parse(principal.tokenExpiresAt) - Date.now() : Number.POSITIVE_INFINITY;
				const ttl = Math.min(USER_CACHE_TTL_MS, untilExpiry);
				if (ttl > 0) this.apiTokenCache.set(key, principal, { ttl });
				return principal;
			},

			/**
			 * A valid access token speaks for a user who may since have been deactivated, demoted or
			 * deleted: ask the auth service (cached for a few seconds) and take the role from it.
			 */
			async currentPrincipal(ctx: GatewayContext, claimed: Principal): Promise<Principal> {
				let current = this.userCache.get(claimed.id) as { role: Principal["role"]; active: boolean } | undefined;
				if (!current) {
					try {
						current = await ctx.call<{ role: Principal["role"]; active: boolean }, { id: string }>("auth.resolveUser", { id: claimed.id });
					} catch (error) {
						if ((error as { code?: number }).code === 404) throw new Unauthorized("The account no longer exists");
						throw error;
					}
					this.userCache.set(claimed.id, current);
				}
				if (!current.active) throw new Unauthorized("The account is deactivated");
				return { ...claimed, role: current.role };
			},

			async authorize(ctx: GatewayContext, _route: unknown, req: GatewayRequest, res: ServerResponse) {
				const action = req.$action;
				const user = ctx.meta.user ?? null;
				// probes answer orchestrators, whose failed checks would restart healthy pods
				if (action?.rateLimit !== "none") await this.enforceRateLimit(req, user, action?.rateLimit ?? "default", res);
				switch (action?.auth) {
					case "public":
						return;
					case "user":
					case "superuser":
						if (!user) throw new Unauthorized();
						if (action.auth === "superuser" && user.role !== "superuser") throw new Forbidden("Superuser only");
						if (user.via === "apiToken") {
							// Tokens reach only what their scopes name: account and administration routes declare
							// none, so they need a signed-in session.
							if (!action.scopes?.length) throw new Forbidden("API tokens cannot use this route; sign in instead");
							if (action.scopes.some((scope) => !user.scopes?.includes(scope))) {
								throw new Forbidden("The API token lacks a scope this route needs", { scopes: action.scopes });
							}
						}
						return;
					default:
						// Fail closed: a route that forgot to declare who may call it is nobody's.
						this.logger.error("Route without a declared auth level refused:", action?.name);
						throw new Forbidden("This route is not available");
				}
			},

			async enforceRateLimit(req: GatewayRequest, user: Principal | null, routeClass: RateLimitClass, res?: ServerResponse) {
				if (!this.rateLimiter) return;
				const key = user ? `user:${user.id}` : `ip:${rateLimitSubject(this.clientAddress(req))}`;
				const decision = await this.rateLimiter.consume(key, routeClass);
				// an API token also spends its own budget per minute: its owner's plan limit (apiRequestsPerMinute)
				const perToken =
					decision.allowed && user?.via === "apiToken" && user.tokenId && typeof user.apiRequestsPerMinute === "number"
						? await this.rateLimiter.consumeForToken(user.tokenId, user.apiRequestsPerMinute)
						: null;
				// the headers tell the budget closest to running out
				const shown = perToken && perToken.remaining < decision.remaining ? perToken : decision;
				if (res) {
					res.setHeader("RateLimit-Limit", String(shown.limit));
					res.setHeader("RateLimit-Remaining", String(shown.remaining));
					res.setHeader("RateLimit-Reset", String(shown.resetSeconds));
				}
				if (!decision.allowed) throw new RateLimited(decision.resetSeconds, { limit: decision.limit, routeClass });
				if (perToken && !perToken.allowed) throw apiRequestsReached(perToken.limit, perToken.used, perToken.resetSeconds);
			},

			/**
			 * moleculer-web resolves a plain OPTIONS (no preflight) as a GET and runs the GET route's action; and
			 * a body the JSON parser skipped would leave the action only the query string.
			 */
			refuseUnroutedForms(req: GatewayRequest) {
				if (req.method === "OPTIONS") throw new ApiGateway.Errors.NotFoundError("NOT_FOUND", undefined);
				if (hasUnreadBody(req)) throw new UnsupportedMediaType();
			},

			/**
			 * moleculer-web answers a path segment that is not valid percent-encoded UTF-8 (`%FF`, `%zz`) with a
			 * bare 400 naming nothing: name the path parameter instead, as for any other invalid field (422).
			 */
			namingUndecodablePathParams(req: GatewayRequest, error: Error): Error {
				if ((error as { type?: unknown }).type !== "UNABLE_DECODE_PARAM") return error;
				const decodes = (segment: string) => {
					try {
						decodeURIComponent(segment);
						return true;
					} catch {
						return false;
					}
				};
				// the alias moleculer-web was matching when decoding failed: the first one of the method whose pattern matches
				const aliases = this.aliases as { isMethod(method?: string): boolean; re: RegExp; keys: { name: string | number }[] }[];
				for (const alias of aliases) {
					const match = alias.isMethod(req.method) ? alias.re.exec(req.parsedUrl ?? "") : null;
					if (!match) continue;
					const fields = alias.keys
						.filter((_key, index) => match[index + 1] !== undefined && !decodes(match[index + 1]))
						.map((key) => ({ field: String(key.name), message: "Not valid percent-encoded UTF-8" }));
					return fields.length > 0 ? new ValidationFailed(fields) : error;
				}
				return error;
			},

			/**
			 * A session route asked for a cookie session: refresh and sign-out take the refresh token from the
			 * cookie when the body has none. The cookie is never read without the header (CSRF).
			 */
			openCookieSession(req: GatewayRequest) {
				if (!wantsCookieSession(req)) return;
				req.$cookieSession = true;
				const params = req.$params ?? {};
				if (req.$action?.session === "start" || params.refreshToken !== undefined) return;
				const token = readCookie(req, REFRESH_COOKIE);
				if (!token) throw new Unauthorized("There is no session cookie; sign in again");
				params.refreshToken = token;
			},

			/** The refresh token of a cookie session goes into the cookie, not the body; sign-out clears it. */
			answerCookieSession(req: GatewayRequest, res: ServerResponse, data: unknown): unknown {
				const secure = this.sendsHsts(req);
				if (req.$action?.session === "end") {
					res.setHeader("Set-Cookie", clearedRefreshCookies(secure));
					return data;
				}
				const { refreshToken, ...rest } = data as { refreshToken?: string };
				if (typeof refreshToken === "string")
					res.setHeader("Set-Cookie", refreshCookies(refreshToken, config.auth.refreshTokenTtlSeconds, secure));
				return rest;
			},

			/**
			 * The request's Origin is the gateway's own (the scheme and Host it was reached with, or
			 * GATEWAY_PUBLIC_URL): a page the gateway served calling it, which no other site can claim.
			 */
			isSameOrigin(req: IncomingMessage): boolean {
				const origin = req.headers.origin?.toLowerCase();
				if (!origin) return false;
				if (publicOrigin && origin === publicOrigin) return true;
				const host = req.headers.host?.toLowerCase();
				if (!host) return false;
				const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
				return origin === `${encrypted || this.isHttpsRequest(req) ? "https" : "http"}://${host}`;
			},

			/** HSTS where browsers honour it: the request came over HTTPS through a trusted proxy, or the public URL is HTTPS. */
			sendsHsts(req: IncomingMessage): boolean {
				return config.gateway.publicUrl?.startsWith("https://") === true || this.isHttpsRequest(req);
			},

			/** One access-log line per request, with the request id that also travels with every call. */
			logRequestWhenDone(requestId: string, req: IncomingMessage, res: ServerResponse) {
				const started = process.hrtime.bigint();
				const path = loggedPath(req.url);
				res.once("finish", () => {
					const entry = {
						requestId,
						method: req.method,
						path,
						status: res.statusCode,
						durationMs: Number(process.hrtime.bigint() - started) / 1e6,
					};
					// orchestrator probes every few seconds would drown the log at info
					if (PROBE_PATHS.has(path)) this.logger.debug(entry, "request");
					else this.logger.info(entry, "request");
				});
			},

			sendProblem(req: GatewayRequest, res: ServerResponse, error: Error) {
				const requestId = req.$ctx?.requestID ?? requestIdFrom(undefined);
				const problem = toProblem(this.namingUndecodablePathParams(req, error), requestId, req.$params);
				const path = loggedPath(req.originalUrl ?? req.url);
				// a dependency out of reach (a bus outage answers every call with 503) is an operational state the
				// readiness probe and metrics report: one line each, without a stack, instead of a flood of errors
				if (problem.status === 503) this.logger.warn({ requestId, path, reason: error.message }, "Request not served");
				else if (problem.status >= 500) this.logger.error({ requestId, path, err: error }, "Request failed");
				if (res.headersSent) {
					res.end();
					return;
				}
				setSecurityHeaders(res, API_CSP, true);
				// errors raised before the route's CORS step (the body parser's 400, 413, 415) still let a listed origin read them
				if (req.headers.origin && !res.hasHeader("Access-Control-Allow-Origin")) {
					try {
						this.writeCorsHeaders(req.$route ?? this.settings, req, res, false);
					} catch {
						// an origin that is not listed gets no CORS headers
					}
				}
				res.setHeader("Content-Type", "application/problem+json; charset=utf-8");
				res.setHeader("X-Request-ID", requestId);
				if (problem.retryAfter !== undefined) res.setHeader("Retry-After", String(problem.retryAfter));
				if (problem.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="pixcrawler"');
				// a refresh cookie the auth service refused is of no more use: the browser stops sending it
				if (problem.status === 401 && req.$cookieSession) res.setHeader("Set-Cookie", clearedRefreshCookies(this.sendsHsts(req)));
				if (problem.status === 503) res.setHeader("Retry-After", "5");
				const size = (error as { data?: { size?: unknown } }).data?.size;
				if (problem.status === 416 && typeof size === "number") res.setHeader("Content-Range", `bytes */${size}`);
				res.statusCode = problem.status;
				res.end(JSON.stringify(problem));
			},

			checkComponents(): Promise<ComponentHealth[]> {
				return checkComponents(this.broker, this.redis, config.gateway.readinessServices, this.aliases);
			},

			operations(): RouteOperation[] {
				const actions = new Map<string, GatewayActionOptions & { params?: Record<string, unknown> }>();
				for (const item of this.broker.registry.getActionList({ skipInternal: true, withEndpoints: false })) {
					if (item.action) actions.set(item.name, item.action as GatewayActionOptions);
				}
				const aliases = this.aliases as { method: string; fullPath: string; action?: string }[];
				return aliases
					.filter((alias) => alias.action && actions.has(alias.action))
					.map((alias) => ({
						method: alias.method === "*" ? "get" : alias.method.toLowerCase(),
						path: alias.fullPath,
						actionName: alias.action as string,
						action: actions.get(alias.action as string) as RouteOperation["action"],
					}));
			},

			openApiDocument() {
				const { gateway } = config;
				return buildOpenApiDocument(
					{
						title: "PixCrawler API",
						version: packageVersion,
						description:
							"Build clean, deduplicated, labelled image datasets from keywords. Errors are RFC 9457 problem+json; lists are `{items, total, page, pageSize}`.",
						serverUrl: gateway.publicUrl ?? "/",
					},
					this.operations(),
				);
			},

			/** moleculer-web's call of the action, run at most once per Idempotency-Key (services/api/idempotency.ts). */
			callAction(this: ServiceThis, ...args: unknown[]) {
				return this.idempotency.run(args[2], args[3], () => ApiGateway.methods?.callAction.apply(this, args));
			},

			clientAddress(req: IncomingMessage): string {
				return this.resolveClientAddress(req);
			},
		},

		created() {
			// Publish the routes of services started with this broker at once, not after moleculer-web's
			// 500 ms "$services.changed" debounce, so /api/v1 answers as soon as the process is up.
			this.eventStreams = new EventStreams();
			this.userStreams = new UserEventStreams();
			this.publishLocalRoutes = () => {
				for (const route of this.routes) if (route.opts.autoAliases) this.regenerateAutoAliases(route);
				this.routesPublished = true;
			};
			this.broker.localBus.on("$broker.started", this.publishLocalRoutes);
			this.resolveClientAddress = clientAddressResolver(config.gateway.trustProxy);
			this.isHttpsRequest = httpsRequestResolver(config.gateway.trustProxy);
			this.userCache = new LRUCache<string, object>({ max: 10000, ttl: USER_CACHE_TTL_MS });
			this.apiTokenCache = new LRUCache<string, object>({ max: 10000, ttl: USER_CACHE_TTL_MS });
			this.redis = createRedisClient(config.redis, (error) => this.logger.debug("Redis:", error.message));
			this.idempotency = IdempotentRequests.fromConfig(config, this.redis, this.logger);
			this.activity = new ActivityRecorder((entries) => this.broker.call(RECORD_ACTION, { entries }), this.logger);
			if (config.rateLimit.enabled) this.rateLimiter = new GatewayRateLimiter(config.rateLimit, config.redis, this.redis);
			this.prometheus = new PrometheusExposition();
			this.prometheus.init(this.broker.metrics);
			if (config.gateway.dashboardEnabled) {
				const csp = dashboardCsp(config);
				const dashboard = new Dashboard(config.gateway.dashboardDir ?? DASHBOARD_DIR, (res) => setSecurityHeaders(res, csp, false));
				// moleculer-web hands requests no route answered to `this.serve` (its static-files hook): the
				// dashboard answers only those, so it can never shadow an API, docs or probe route
				this.serve = (req: GatewayRequest, res: ServerResponse) =>
					dashboard.handle(req, res, (error?: unknown) => {
						if (error) this.sendProblem(req, res, error as Error);
						else this.send404(req, res);
					});
			}
		},

		async started() {
			if (this.redis)
				await this.redis
					.connect()
					.catch((error: Error) => this.logger.warn({ error: error.message }, "Redis unavailable, using local rate limits"));
			const address = this.server.address();
			const port = typeof address === "object" && address ? address.port : config.gateway.port;
			const base = config.gateway.publicUrl ?? `http://localhost:${port}`;
			const docs = config.gateway.docsEnabled ? ` — docs at ${base}/docs (ReDoc at ${base}/redoc)` : "";
			this.logger.info(`PixCrawler API at ${base}/api/v1${docs}`);
			if (config.gateway.dashboardEnabled) this.logger.info(`PixCrawler dashboard at ${base}/`);
		},

		events: {
			"notify.notification.created"(this: ServiceThis, ctx: GatewayContext) {
				const { ownerId, notification } = ctx.params as { ownerId: string; notification: unknown };
				this.userStreams.publish(ownerId, "notification", notification);
			},
			"crawl.job.changed"(this: ServiceThis, ctx: GatewayContext) {
				this.eventStreams.publish(ctx.params as unknown as JobChange);
			},
		},

		async stopped() {
			this.eventStreams.close();
			await this.activity.close();
			this.userStreams.close();
			this.broker.localBus.off("$broker.started", this.publishLocalRoutes);
			if (this.redis) this.redis.disconnect();
		},
	});
}

export default createApiService(getConfig());

// biome-ignore lint/suspicious/noExplicitAny: moleculer-web mixes many untyped members into `this`
type ServiceThis = any;
