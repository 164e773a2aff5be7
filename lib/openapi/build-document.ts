import { STATUS_CODES } from "node:http";
import type { ActionResponse, GatewayActionOptions } from "../types";
import { type JsonSchema, paramsToJsonSchema } from "./fastest-validator-to-json-schema";
import { pageSchema, pageSchemaName, RESPONSE_SCHEMAS, type ResponseSchemaName, schemaRef } from "./response-schemas";

/** One HTTP route as the gateway serves it, with the action behind it. */
export interface RouteOperation {
	method: string;
	/** Full path in gateway syntax, e.g. /api/v1/datasets/:id */
	path: string;
	actionName: string;
	action: GatewayActionOptions & { params?: Record<string, unknown> };
}

export interface DocumentInfo {
	title: string;
	version: string;
	description: string;
	serverUrl: string;
}

const BODY_METHODS = new Set(["post", "put", "patch"]);

/** Statuses every route can answer (401: any route refuses a bad token, even a public one). */
const COMMON_ERRORS = [401, 429, 500, 503, 504];

const AUTH_TEXT = {
	public: "Public: no authentication needed.",
	user: "Requires a signed-in user.",
	superuser: "Superuser only.",
} as const;

function openApiPath(path: string): string {
	return path.replace(/:([A-Za-z0-9_]+)\??/g, "{$1}");
}

function pathParamNames(path: string): string[] {
	return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]);
}

function operationId(actionName: string, method: string, used: Set<string>): string {
	const base = actionName.replace(/[^A-Za-z0-9]+(.)/g, (_all, next: string) => next.toUpperCase());
	const withMethod = `${base}${method[0].toUpperCase()}${method.slice(1)}`;
	let id = used.has(base) ? withMethod : base;
	for (let counter = 2; used.has(id); counter++) id = `${withMethod}${counter}`;
	used.add(id);
	return id;
}

/**
 * POSTs with a caller take an Idempotency-Key (services/api/idempotency.ts); public ones (sign-up and
 * sessions) have nobody to scope a key to and ignore it.
 */
function takesIdempotencyKey(route: RouteOperation): boolean {
	return route.method === "post" && (route.action.auth === "user" || route.action.auth === "superuser");
}

const IDEMPOTENCY_KEY_PARAMETER = {
	name: "Idempotency-Key",
	in: "header",
	required: false,
	description:
		"Makes a retry safe: a repeat with the same key and body while the key lives (24 hours by default) gets the first answer again (`Idempotent-Replayed: true`) instead of running twice; the same key with another body answers 422, a repeat while the first still runs 409. 1–255 printable ASCII characters; a UUID per operation is a good choice.",
	schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x20-\\x7E]+$" },
	example: "8e03978e-40d5-43e8-bc93-6894a57f9324",
};

/** Browser sessions (services/api/session-cookie.ts): the header that opts in, and the cookie it sets. */
const SESSION_MODE_PARAMETER = {
	name: "X-PixCrawler-Session",
	in: "header",
	required: false,
	description:
		"`cookie`: the refresh token travels in the httpOnly `pixcrawler_refresh` cookie (SameSite=Strict, Path=/api/v1/auth) instead of the body; sign-in and refresh set it and leave `refreshToken` out of the answer, refresh and sign-out read it when the body has no `refreshToken`, sign-out clears it. Without this header the cookie is ignored.",
	schema: { type: "string", enum: ["cookie"] },
};

const REFRESH_COOKIE_PARAMETER = {
	name: "pixcrawler_refresh",
	in: "cookie",
	required: false,
	description: "The refresh token of a browser session, read only with `X-PixCrawler-Session: cookie`.",
	schema: { type: "string" },
};

const REPLAYED_HEADER = {
	description: "`true` when this is the kept answer to an earlier request with the same Idempotency-Key",
	schema: { type: "string", enum: ["true"] },
};

function errorStatuses(route: RouteOperation, hasInput: boolean, pathParams: string[]): number[] {
	const auth = route.action.auth;
	const statuses = new Set<number>(COMMON_ERRORS);
	if (auth === "superuser" || (route.action.scopes?.length ?? 0) > 0) statuses.add(403);
	if (pathParams.length > 0) statuses.add(404);
	if (hasInput) statuses.add(422);
	if (BODY_METHODS.has(route.method)) {
		statuses.add(400);
		statuses.add(413);
		// a body that is not application/json
		statuses.add(415);
	}
	if (takesIdempotencyKey(route)) {
		// a key repeated while its first request runs (409) or with another body (422)
		statuses.add(409);
		statuses.add(422);
	}
	for (const status of route.action.errors ?? []) statuses.add(status);
	return [...statuses].sort((a, b) => a - b);
}

function describe(route: RouteOperation): string {
	const auth = route.action.auth;
	const lines = [route.action.description ?? route.action.summary ?? ""];
	lines.push(`**Authorization:** ${auth ? AUTH_TEXT[auth] : "undeclared (the gateway refuses the route)."}`);
	if (route.action.scopes?.length) lines.push(`**API token scopes:** ${route.action.scopes.map((scope) => `\`${scope}\``).join(", ")}.`);
	else if (auth && auth !== "public") lines.push("**API tokens:** not accepted; use a signed-in session (JWT).");
	if (route.action.rateLimit && route.action.rateLimit !== "default") lines.push(`**Rate limit class:** ${route.action.rateLimit}.`);
	return lines.filter(Boolean).join("\n\n");
}

function security(route: RouteOperation) {
	if (route.action.auth === "public") return [];
	if (!route.action.scopes?.length) return [{ bearerAuth: [] }];
	return [{ bearerAuth: [] }, { apiToken: route.action.scopes }];
}

/** Media types whose answers are text; any other non-JSON answer is documented as bytes. */
const TEXT_MEDIA = /^text\//;

/**
 * The content of a successful answer: the declared schema (JSON, a page of it, other media types or an
 * event stream) with the example. Pages used are collected in `pages`, so their schemas exist.
 */
function successContent(response: ActionResponse | undefined, example: unknown, pages: Set<ResponseSchemaName>) {
	const withExample = (media: Record<string, unknown>) => (example === undefined ? media : { ...media, example });
	if (response === undefined) return example === undefined ? undefined : { "application/json": { example } };
	if (typeof response === "string") return { "application/json": withExample({ schema: schemaRef(response) }) };
	if ("page" in response) {
		pages.add(response.page);
		return { "application/json": withExample({ schema: schemaRef(pageSchemaName(response.page)) }) };
	}
	if ("json" in response) return { "application/json": withExample({ schema: schemaRef(response.json) }) };
	if ("oneOf" in response) return { "application/json": withExample({ schema: { oneOf: response.oneOf.map(schemaRef) } }) };
	if ("events" in response) {
		const description = `Server-Sent Events; each event's \`data\` is a JSON ${response.events} (#/components/schemas/${response.events}).`;
		return { "text/event-stream": { schema: { type: "string", description } } };
	}
	return Object.fromEntries(
		response.media.map((type) => [type, { schema: TEXT_MEDIA.test(type) ? { type: "string" } : { type: "string", format: "binary" } }]),
	);
}

function buildOperation(route: RouteOperation, used: Set<string>, pages: Set<ResponseSchemaName>) {
	const pathParams = pathParamNames(route.path);
	const input = paramsToJsonSchema(route.action.params ?? {});
	const properties = { ...((input.properties as Record<string, JsonSchema>) ?? {}) };
	const required = new Set((input.required as string[]) ?? []);

	const parameters: Record<string, unknown>[] = pathParams.map((name) => ({
		name,
		in: "path",
		required: true,
		schema: properties[name] ?? { type: "string" },
	}));
	for (const name of pathParams) {
		delete properties[name];
		required.delete(name);
	}

	let requestBody: Record<string, unknown> | undefined;
	const hasInput = Object.keys(properties).length > 0 || pathParams.length > 0;
	if (BODY_METHODS.has(route.method)) {
		if (Object.keys(properties).length > 0) {
			const schema: JsonSchema = { ...input, properties };
			if (required.size > 0) schema.required = [...required];
			else delete schema.required;
			const media: Record<string, unknown> = { schema };
			if (route.action.example) media.example = route.action.example;
			requestBody = { required: required.size > 0, content: { "application/json": media } };
		}
	} else {
		for (const [name, schema] of Object.entries(properties)) {
			const parameter: Record<string, unknown> = { name, in: "query", required: required.has(name), schema };
			if (route.action.example && name in route.action.example) parameter.example = route.action.example[name];
			parameters.push(parameter);
		}
	}

	if (takesIdempotencyKey(route)) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
	if (route.action.session) {
		parameters.push({ $ref: "#/components/parameters/SessionMode" });
		if (route.action.session !== "start") parameters.push({ $ref: "#/components/parameters/RefreshCookie" });
	}

	const successStatus = String(route.action.successStatus ?? 200);
	const success: Record<string, unknown> = { description: STATUS_CODES[Number(successStatus)] ?? "Success" };
	if (takesIdempotencyKey(route)) success.headers = { "Idempotent-Replayed": REPLAYED_HEADER };
	const content = successStatus === "204" ? undefined : successContent(route.action.response, route.action.responseExample, pages);
	if (content) success.content = content;
	const responses: Record<string, unknown> = { [successStatus]: success };
	for (const status of errorStatuses(route, hasInput, pathParams)) {
		responses[String(status)] = { $ref: `#/components/responses/Problem${status}` };
	}
	const response = route.action.response;
	if (content && typeof response === "object" && "alsoFor" in response) {
		// the same body with another status; an error status may still answer a problem, as on every route
		for (const status of response.alsoFor ?? []) {
			const problem = status >= 400 ? { "application/problem+json": { schema: schemaRef("Problem") } } : {};
			responses[String(status)] = { description: STATUS_CODES[status] ?? "Answer", content: { ...content, ...problem } };
		}
	}

	const operation: Record<string, unknown> = {
		operationId: operationId(route.actionName, route.method, used),
		tags: [route.action.tag ?? route.actionName.split(".")[0]],
		summary: route.action.summary ?? route.actionName,
		description: describe(route),
		"x-auth": route.action.auth ?? "undeclared",
		security: security(route),
		responses,
	};
	if (route.action.scopes?.length) operation["x-scopes"] = route.action.scopes;
	if (parameters.length > 0) operation.parameters = parameters;
	if (requestBody) operation.requestBody = requestBody;
	return operation;
}

const PROBLEM_SCHEMA = {
	type: "object",
	required: ["type", "title", "status", "detail"],
	properties: {
		type: { type: "string", format: "uri" },
		title: { type: "string" },
		status: { type: "integer" },
		detail: { type: "string" },
		requestId: { type: "string" },
		retryAfter: { type: "integer", description: "Seconds to wait before retrying (429)" },
		limit: {
			type: "string",
			description:
				"The plan limit that refused the request (403, 429): concurrentJobs, imagesPerDay, datasets, storageBytes or apiRequestsPerMinute",
		},
		max: { type: "integer", minimum: 0, description: "The limit's maximum for this user" },
		used: { type: "integer", minimum: 0, description: "How much of it is used" },
		resetsAt: { type: "string", format: "date-time", description: "When a rate or daily limit starts afresh" },
		errors: {
			type: "array",
			items: {
				type: "object",
				required: ["field", "message"],
				properties: { field: { type: "string" }, message: { type: "string" } },
			},
		},
	},
};

/** Builds the OpenAPI 3.1 document from the gateway's routes and the actions behind them. */
export function buildOpenApiDocument(info: DocumentInfo, routes: RouteOperation[]): Record<string, unknown> {
	const paths: Record<string, Record<string, unknown>> = {};
	const used = new Set<string>();
	const pages = new Set<ResponseSchemaName>();
	const tags = new Set<string>();
	const statuses = new Set<number>();
	const sorted = [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
	for (const route of sorted) {
		const method = route.method.toLowerCase();
		const operation = buildOperation({ ...route, method }, used, pages);
		for (const tag of operation.tags as string[]) tags.add(tag);
		for (const status of Object.keys(operation.responses as object)) if (Number(status) >= 400) statuses.add(Number(status));
		const path = openApiPath(route.path);
		paths[path] ??= {};
		paths[path][method] = operation;
	}
	const responses = Object.fromEntries(
		[...statuses].sort().map((status) => [
			`Problem${status}`,
			{
				description: STATUS_CODES[status] ?? "Error",
				content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
			},
		]),
	);
	return {
		openapi: "3.1.0",
		info: { title: info.title, version: info.version, description: info.description },
		servers: [{ url: info.serverUrl }],
		tags: [...tags].sort().map((name) => ({ name })),
		paths,
		components: {
			schemas: {
				Problem: PROBLEM_SCHEMA,
				...RESPONSE_SCHEMAS,
				...Object.fromEntries([...pages].sort().map((name) => [pageSchemaName(name), pageSchema(name)])),
			},
			responses,
			parameters: {
				IdempotencyKey: IDEMPOTENCY_KEY_PARAMETER,
				SessionMode: SESSION_MODE_PARAMETER,
				RefreshCookie: REFRESH_COOKIE_PARAMETER,
			},
			securitySchemes: {
				bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Access token from POST /api/v1/auth/login" },
				apiToken: { type: "http", scheme: "bearer", bearerFormat: "pxc_…", description: "Long-lived API token from POST /api/v1/tokens" },
			},
		},
	};
}
