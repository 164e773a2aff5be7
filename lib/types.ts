/** Shared entity, DTO and HTTP contract types. */

import type { ResponseSchemaName } from "./openapi/response-schemas";

export type AuthLevel = "public" | "user" | "superuser";
export type Role = "user" | "superuser";
/** Route classes with their own rate limit budget. */
export type RateLimitClass = "default" | "auth" | "expensive";

/** Who is calling: set by the gateway on `ctx.meta.user`, trusted by every service. */
export interface Principal {
	id: string;
	role: Role;
	/** Present when the caller used an API token: what that token may do. */
	scopes?: string[];
	/** How the caller authenticated. */
	via: "jwt" | "apiToken";
	tokenId?: string;
	/** When the API token stops working (ISO time), if it expires. */
	tokenExpiresAt?: string | null;
	/** API tokens: the requests per minute the token may make (its owner's plan limit); null for no limit. */
	apiRequestsPerMinute?: number | null;
}

export interface RequestMeta {
	user?: Principal | null;
	requestId?: string;
	/** The `Range` and `If-Range` headers of a GET, for actions that serve byte ranges. */
	range?: string;
	ifRange?: string;
	/**
	 * Set by the gateway on a POST sent with an `Idempotency-Key`: an opaque id of (caller, method, path,
	 * key), the same for every repeat. An action that commits in one write can make that write unique on
	 * it, so a repeat after its replica died between committing and answering finds the first result.
	 */
	idempotencyKey?: string;
	/**
	 * Set by a public action that learns who its caller is (sign-up, sign-in, refresh, sign-out): the activity log names
	 * that user as the request's actor, as it names the signed-in caller of other routes.
	 */
	activityUserId?: string;
}

/** Fields every stored entity carries. */
export interface Entity {
	id: string;
	createdAt: Date | string;
	updatedAt: Date | string;
}

export interface OwnedEntity extends Entity {
	ownerId: string;
}

export interface PageQuery {
	page?: number;
	pageSize?: number;
	sort?: string;
}

export interface Page<T> {
	items: T[];
	total: number;
	page: number;
	pageSize: number;
}

/** RFC 9457 problem details, as every error response carries them. */
export interface ProblemDetails {
	type: string;
	title: string;
	status: number;
	detail: string;
	requestId?: string;
	errors?: { field: string; message: string }[];
	retryAfter?: number;
	/** A plan limit's refusal (403, 429): which limit, its maximum, the use, and when it resets. */
	limit?: string;
	max?: number;
	used?: number;
	resetsAt?: string;
}

export interface OpenApiExample {
	summary?: string;
	value: unknown;
}

export type HealthStatus = "up" | "down";

export interface ComponentHealth {
	name: string;
	status: HealthStatus;
	latencyMs: number;
	detail?: string;
}

/**
 * What a successful answer carries, for the OpenAPI document: the name of a schema in
 * lib/openapi/response-schemas.ts (a misspelt one is a compile error) or a page of them, both JSON;
 * `alsoFor` lists other statuses answering the same body (readiness answers 503 with its report, a
 * resumed download 206 with part of the archive);
 * `media` for answers that are not JSON (downloads, HTML pages: their media types); `events` for a
 * Server-Sent Events stream whose events carry the named schema as data. 204 answers carry nothing.
 */
export type ActionResponse =
	| ResponseSchemaName
	| { page: ResponseSchemaName }
	| { json: ResponseSchemaName; alsoFor: number[] }
	/** One of several JSON shapes, depending on the request (a session in a cookie or in the body). */
	| { oneOf: ResponseSchemaName[] }
	| { media: string[]; alsoFor?: number[] }
	| { events: ResponseSchemaName };

/**
 * What an action declares for the gateway. Moleculer 0.15 declares ActionSchema inside an `export =`
 * namespace that module augmentation cannot reach, so services type their actions with this instead
 * (see `defineService`): a typo in any of these keys is a compile error.
 */
export interface GatewayActionOptions {
	/** REST route(s) the gateway publishes for this action, e.g. "POST /datasets/:id/build". */
	rest?: string | string[];
	/** Who may call this action through the gateway. Every action with a `rest` line declares it. */
	auth?: AuthLevel;
	/** API-token scopes the action needs (JWT sessions carry every scope). */
	scopes?: string[];
	/** Which rate limit budget the route spends (default: "default"); "none" only for probes. */
	rateLimit?: RateLimitClass | "none";
	/** OpenAPI: one-line summary and longer description. */
	summary?: string;
	description?: string;
	/** OpenAPI tag; defaults to the service name. */
	tag?: string;
	/** OpenAPI: an example request body or query, and an example response. */
	example?: Record<string, unknown>;
	responseExample?: unknown;
	/** OpenAPI: the schema (or media types) of a successful answer. */
	response?: ActionResponse;
	/** HTTP status of a successful answer (default 200). */
	successStatus?: number;
	/** Error statuses the operation can answer besides the ones every route can give. */
	errors?: number[];
	/** Safe to repeat, so callers retry it with backoff (GET routes are by default). */
	idempotent?: boolean;
	/**
	 * A browser session route: with `X-PixCrawler-Session: cookie` the gateway keeps the refresh token in
	 * the httpOnly `pixcrawler_refresh` cookie (services/api/session-cookie.ts). "start" sets it from the
	 * answer (sign-in), "rotate" reads it and sets the new one (refresh), "end" reads and clears it (sign-out).
	 */
	session?: "start" | "rotate" | "end";
}
