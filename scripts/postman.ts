/**
 * Generates the Postman collection and environment in postman/ from the live OpenAPI document, and
 * checks that the committed files are still what the document gives.
 *
 *   npx tsx scripts/postman.ts           # start the platform in-process, write postman/*.json
 *   npx tsx scripts/postman.ts --check   # exit 1 when postman/*.json differ or an operation has no scenario step
 *
 * The collection is browsed by tag (one folder per OpenAPI tag) but runs as one scenario against a fresh
 * platform: every request's test script names the next request (`pm.execution.setNextRequest`), in the
 * order of SCENARIO below. An operation the table does not know is still generated (into its tag's
 * folder, run before the clean-up) but fails `--check`, so a new route cannot escape the scenario.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { Config, Environment } from "../lib/config";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Schema = JsonObject;

interface OpenApiOperation {
	operationId: string;
	summary?: string;
	description?: string;
	tags?: string[];
	security?: Record<string, string[]>[];
	"x-auth"?: string;
	parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema; example?: Json }[];
	requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema; example?: Json }> };
	responses: Record<string, JsonObject>;
}

export interface OpenApiDocument {
	info?: { description?: string };
	paths: Record<string, Record<string, OpenApiOperation>>;
	components?: { schemas?: Record<string, Schema>; responses?: Record<string, JsonObject> };
}

/** Who a request speaks as: the variable its bearer token comes from, or nobody. */
type Credential = "accessToken" | "apiToken" | "adminToken" | "none";

interface ScenarioStep {
	/** "METHOD /path" as in the OpenAPI document. */
	operation: string;
	/** Names a second use of an operation (appended to its summary); the first use has none. */
	variant?: string;
	/** Overrides the credential derived from the operation's security. */
	as?: Credential;
	/** Values of path variables that differ from the derived `{{<segment>Id}}` variable. */
	path?: Record<string, string>;
	/** Query parameters to send (enabled); the others are listed disabled. */
	query?: Record<string, string>;
	/** The request body, replacing the operation's example. */
	body?: Json;
	/** Response fields saved into variables after a successful answer: variable → property path. */
	capture?: Record<string, string>;
	/** Extra test-script lines, run after the checks with `body` in scope (JSON answers). */
	script?: string[];
	/** Pre-request script lines. */
	prerequest?: string[];
	/** Repeats the request until the expression over `body` holds, then asserts `expect`. */
	poll?: { until: string; expect: string; what: string };
	/** Expected Content-Type when the document does not declare the success answer's media type. */
	contentType?: string;
}

/** Where operations without a scenario step run: after everything they might need, before the clean-up. */
const UNSCHEDULED = "<operations without a scenario step>";

const ALL_SCOPES = ["account:read", "datasets:read", "datasets:write", "crawl:run", "exports:read", "tokens:manage"];
const JOB_ENDED = '["done", "failed", "cancelled"].includes(body.status)';

/**
 * The scenario, in run order: an account, a project, a dataset built from image URLs, its images and
 * an export, the administration routes, cancellations, then everything deleted again.
 */
const SCENARIO: (ScenarioStep | typeof UNSCHEDULED)[] = [
	{ operation: "GET /health" },
	{ operation: "GET /health/ready" },
	{ operation: "GET /api/v1/health" },
	{ operation: "GET /metrics", contentType: "text/plain" },
	{ operation: "GET /api/v1/openapi.json" },
	{ operation: "GET /docs", contentType: "text/html" },
	{ operation: "GET /redoc", contentType: "text/html" },
	{ operation: "GET /docs/assets/{file}", contentType: "text/css" },

	{
		operation: "POST /api/v1/auth/register",
		// a fresh address on every run, so the scenario can run again against the same platform
		prerequest: ['pm.collectionVariables.set("userEmail", "ada." + Date.now() + "@example.com");'],
		body: { email: "{{userEmail}}", password: "{{userPassword}}", name: "Ada" },
		capture: { userId: "id" },
	},
	{
		operation: "POST /api/v1/auth/login",
		body: { email: "{{userEmail}}", password: "{{userPassword}}" },
		capture: { accessToken: "accessToken", refreshToken: "refreshToken" },
	},
	{
		operation: "POST /api/v1/auth/refresh",
		body: { refreshToken: "{{refreshToken}}" },
		capture: { accessToken: "accessToken", refreshToken: "refreshToken" },
	},
	{
		operation: "POST /api/v1/tokens",
		as: "accessToken",
		body: { name: "postman", scopes: ALL_SCOPES, expiresInDays: 1 },
		capture: { apiToken: "token", tokenId: "id" },
	},
	{ operation: "GET /api/v1/tokens" },
	{ operation: "GET /api/v1/auth/me" },
	{ operation: "PATCH /api/v1/auth/me" },

	{ operation: "POST /api/v1/projects", capture: { projectId: "id" } },
	{ operation: "GET /api/v1/projects/{id}" },
	{ operation: "PATCH /api/v1/projects/{id}", body: { description: "Animal classifiers, built from Postman" } },
	{ operation: "GET /api/v1/projects" },

	{
		operation: "POST /api/v1/datasets",
		body: {
			name: "cats and dogs",
			projectId: "{{projectId}}",
			categories: [
				// the slow image keeps later builds running long enough to be cancelled; the unreachable one ends as a failed task
				{ label: "cat", urls: ["{{catImageUrl1}}", "{{catImageUrl2}}", "{{slowImageUrl}}", "{{unreachableImageUrl}}"] },
				{ label: "dog", urls: ["{{dogImageUrl}}"] },
			],
			sources: ["urls"],
			options: { minWidth: 16, minHeight: 16 },
		},
		capture: { datasetId: "id" },
	},
	{ operation: "GET /api/v1/datasets/{id}" },
	{ operation: "PATCH /api/v1/datasets/{id}", body: { description: "Two labels from a handful of image URLs" } },
	{ operation: "GET /api/v1/datasets", query: { projectId: "{{projectId}}" } },

	{ operation: "POST /api/v1/datasets/{id}/build", capture: { jobId: "jobId" } },
	{ operation: "GET /api/v1/jobs/{id}", poll: { until: JOB_ENDED, expect: 'body.status === "done"', what: "the build finished" } },
	{ operation: "GET /api/v1/jobs/{id}/events", contentType: "text/event-stream" },
	{ operation: "GET /api/v1/datasets/{id}/events", contentType: "text/event-stream" },
	{
		operation: "GET /api/v1/jobs/{id}/tasks",
		query: { type: "crawl.download", pageSize: "100" },
		script: [
			'const failed = body.items.find((task) => ["failed", "dead"].includes(task.status));',
			'pm.test("the unreachable image left a failed task", () => pm.expect(failed).to.be.an("object"));',
			'if (failed) pm.collectionVariables.set("taskId", failed.id);',
		],
	},
	{ operation: "GET /api/v1/jobs/{id}/logs" },
	{ operation: "GET /api/v1/jobs", query: { datasetId: "{{datasetId}}" } },
	{ operation: "POST /api/v1/jobs/{id}/retry" },
	{
		operation: "GET /api/v1/jobs/{id}",
		variant: "after the retry",
		poll: { until: JOB_ENDED, expect: 'body.status === "done" && body.round === 2', what: "the retried round finished" },
	},
	{ operation: "GET /api/v1/admin/jobs", query: { datasetId: "{{datasetId}}" } },
	{ operation: "GET /api/v1/admin/jobs/{id}" },
	{ operation: "GET /api/v1/admin/tasks", query: { type: "crawl.download", jobId: "{{jobId}}", pageSize: "100" } },
	{ operation: "POST /api/v1/admin/tasks/{id}/requeue" },
	{
		operation: "GET /api/v1/jobs/{id}",
		variant: "after the requeue",
		poll: { until: JOB_ENDED, expect: 'body.status === "done" && body.round === 3', what: "the requeued round finished" },
	},

	{
		operation: "GET /api/v1/datasets/{id}/images",
		query: { status: "valid", label: "cat" },
		script: [
			'pm.test("the build kept images", () => pm.expect(body.items.length).to.be.above(0));',
			"const image = body.items[0];",
			'pm.collectionVariables.set("imageId", image.id);',
			'pm.collectionVariables.set("fileToken", String(image.url).split("/files/")[1]);',
		],
	},
	{ operation: "GET /api/v1/datasets/{id}/images/{imageId}" },
	{ operation: "GET /api/v1/files/{token}", contentType: "image/" },
	{ operation: "PATCH /api/v1/datasets/{id}/images/{imageId}" },
	{ operation: "GET /api/v1/datasets/{id}/metadata" },
	{ operation: "GET /api/v1/storage/usage" },

	{ operation: "POST /api/v1/datasets/{id}/exports", body: { format: "imagefolder" }, capture: { exportId: "id" } },
	{
		operation: "GET /api/v1/exports/{id}",
		poll: { until: '["ready", "failed"].includes(body.status)', expect: 'body.status === "ready"', what: "the export is ready" },
	},
	{ operation: "GET /api/v1/datasets/{id}/exports" },
	{ operation: "GET /api/v1/exports/{id}/download", contentType: "application/zip" },

	{
		operation: "GET /api/v1/notifications",
		query: { type: "export.ready" },
		poll: { until: "body.total > 0", expect: 'body.items[0].type === "export.ready"', what: "the export left a notification" },
		script: ['if (body.items[0]) pm.collectionVariables.set("notificationId", body.items[0].id);'],
	},
	{ operation: "PATCH /api/v1/notifications/{id}", body: { read: true } },
	{ operation: "POST /api/v1/notifications/read-all" },
	// the stream would stay open: it is asked to end after a second
	{ operation: "GET /api/v1/events", query: { maxSeconds: "1" }, contentType: "text/event-stream" },
	{
		operation: "POST /api/v1/webhooks",
		body: { url: "{{webhookUrl}}", events: ["job.completed", "job.failed", "export.ready"], description: "Postman" },
		capture: { webhookId: "id" },
	},
	{ operation: "GET /api/v1/webhooks" },
	{ operation: "PATCH /api/v1/webhooks/{id}", body: { description: "Postman, renamed" } },
	{ operation: "POST /api/v1/webhooks/{id}/test" },
	{
		operation: "GET /api/v1/webhooks/{id}/deliveries",
		poll: {
			until: 'body.items.length > 0 && ["delivered", "failed"].includes(body.items[0].status)',
			expect: 'body.items[0].status === "delivered"',
			what: "the test event was delivered",
		},
	},

	{ operation: "GET /api/v1/health/detailed" },
	{ operation: "GET /api/v1/admin/storage" },
	{ operation: "GET /api/v1/users", query: { email: "{{userEmail}}" } },
	{ operation: "GET /api/v1/users/{id}" },
	{ operation: "PATCH /api/v1/users/{id}", body: { name: "Ada Lovelace" } },
	{
		operation: "GET /api/v1/admin/users/{id}/limits",
		script: ['pm.test("the usage counts the dataset", () => pm.expect(body.usage.datasets).to.equal(1));'],
	},
	{ operation: "PATCH /api/v1/admin/users/{id}/limits", body: { datasets: 500, imagesPerDay: null } },
	{
		operation: "GET /api/v1/activity",
		query: { action: "dataset.createDataset" },
		poll: {
			until: "body.total > 0",
			expect: 'body.items[0].resourceId === pm.collectionVariables.get("datasetId")',
			what: "the dataset's creation was recorded",
		},
	},
	{ operation: "GET /api/v1/admin/activity", query: { userId: "{{userId}}", resourceType: "dataset" } },

	{ operation: "POST /api/v1/datasets/{id}/build", variant: "to cancel it", capture: { jobId: "jobId" } },
	{ operation: "POST /api/v1/jobs/{id}/cancel" },
	{ operation: "POST /api/v1/datasets/{id}/build", variant: "to cancel it from the dataset", capture: { jobId: "jobId" } },
	{ operation: "POST /api/v1/datasets/{id}/cancel" },

	UNSCHEDULED,

	{ operation: "DELETE /api/v1/datasets/{id}/images/{imageId}" },
	{ operation: "DELETE /api/v1/exports/{id}" },
	// the API token is gone after this: the remaining requests use the session
	{ operation: "DELETE /api/v1/webhooks/{id}" },
	{ operation: "DELETE /api/v1/tokens/{id}", as: "accessToken" },
	{ operation: "DELETE /api/v1/datasets/{id}", as: "accessToken" },
	{ operation: "DELETE /api/v1/projects/{id}", as: "accessToken" },
	{ operation: "POST /api/v1/auth/logout", body: { refreshToken: "{{refreshToken}}" } },
	{
		operation: "POST /api/v1/auth/password",
		body: { currentPassword: "{{userPassword}}", newPassword: "{{newUserPassword}}" },
	},
	{ operation: "DELETE /api/v1/users/{id}" },
];

/** Variables the environment file carries: where the platform is, credentials (never committed) and image URLs to crawl. */
const ENVIRONMENT: { key: string; value: string; secret?: boolean }[] = [
	{ key: "baseUrl", value: "http://localhost:3000" },
	{ key: "adminToken", value: "", secret: true },
	{ key: "accessToken", value: "", secret: true },
	{ key: "refreshToken", value: "", secret: true },
	{ key: "apiToken", value: "", secret: true },
	{ key: "catImageUrl1", value: "" },
	{ key: "catImageUrl2", value: "" },
	{ key: "dogImageUrl", value: "" },
	// answers after 3 s, so a build is still running when the scenario cancels it (it is no image: rejected, which is fine)
	{ key: "slowImageUrl", value: "https://httpbin.org/delay/3" },
	// answers 503 every time: the task fails after its attempts (an unknown host would be rejected at once instead)
	{ key: "unreachableImageUrl", value: "https://httpbin.org/status/503" },
	// receives the webhook's test event (any https endpoint answering 2xx to a POST)
	{ key: "webhookUrl", value: "https://httpbin.org/post" },
];

/** Collection variables that are not path variables: scenario settings. */
const SETTINGS: Record<string, string> = {
	userEmail: "",
	userPassword: "correct horse battery staple",
	newUserPassword: "a new and longer passphrase",
	pollIntervalMs: "500",
	pollAttempts: "120",
	polls: "0",
};

/** Values for path variables no step captures. */
const PATH_DEFAULTS: Record<string, string> = { assetFile: "swagger-ui.css" };

const METHOD_ORDER = ["get", "post", "put", "patch", "delete"];

interface PlannedRequest {
	id: string;
	method: string;
	path: string;
	operation: OpenApiOperation;
	step: ScenarioStep;
	scheduled: boolean;
}

export interface GeneratedFiles {
	collection: JsonObject;
	environment: JsonObject;
	/** Operations the scenario has no step for. */
	unscheduled: string[];
	/** Scenario steps whose operation the document no longer has. */
	stale: string[];
}

function stableId(text: string): string {
	const hex = createHash("sha1").update(text).digest("hex");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function slug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, "-")
		.replace(/^-|-$/g, "");
}

function singular(word: string): string {
	return word.endsWith("s") ? word.slice(0, -1) : word;
}

/** `{id}` after `/datasets` is `{{datasetId}}`; `{token}` after `/files` is `{{fileToken}}`; `{imageId}` stays `{{imageId}}`. */
function pathVariable(pathTemplate: string, name: string): string {
	if (/Id$/.test(name)) return name;
	const segments = pathTemplate.split("/");
	const index = segments.indexOf(`{${name}}`);
	const owner = singular(segments[index - 1] ?? "");
	if (!owner || owner.startsWith("{")) return name;
	return name === "id" ? `${owner}Id` : `${owner}${name[0].toUpperCase()}${name.slice(1)}`;
}

function resolveSchema(schema: Json, document: OpenApiDocument, seen: string[] = []): Json {
	if (Array.isArray(schema)) return schema.map((entry) => resolveSchema(entry, document, seen));
	if (schema === null || typeof schema !== "object") return schema;
	const ref = schema.$ref;
	if (typeof ref === "string") {
		const match = /^#\/components\/schemas\/(.+)$/.exec(ref);
		const target = match ? document.components?.schemas?.[match[1]] : undefined;
		if (!match || !target) throw new Error(`cannot resolve ${ref}`);
		if (seen.includes(ref)) throw new Error(`${ref} refers to itself (${[...seen, ref].join(" → ")}); the collection inlines schemas`);
		const { $ref: _ref, ...siblings } = schema;
		const resolved = resolveSchema(target, document, [...seen, ref]) as JsonObject;
		return Object.keys(siblings).length > 0 ? { ...resolved, ...(resolveSchema(siblings, document, seen) as JsonObject) } : resolved;
	}
	return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, resolveSchema(value, document, seen)]));
}

/** A value that satisfies the schema, for query parameters and bodies the document gives no example of. */
function sampleValue(schema: Schema | undefined): Json {
	if (!schema) return "example";
	if (schema.example !== undefined) return schema.example;
	if (schema.default !== undefined) return schema.default;
	if (schema.const !== undefined) return schema.const;
	if (Array.isArray(schema.enum)) return schema.enum[0];
	const type = Array.isArray(schema.type) ? schema.type.find((entry) => entry !== "null") : schema.type;
	switch (type) {
		case "integer":
		case "number":
			return typeof schema.minimum === "number" ? schema.minimum : 1;
		case "boolean":
			return true;
		case "array":
			return [sampleValue(schema.items as Schema | undefined)];
		case "object": {
			const properties = (schema.properties ?? {}) as Record<string, Schema>;
			const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
			return Object.fromEntries(required.map((name) => [name, sampleValue(properties[name])]));
		}
		default: {
			if (schema.format === "email") return "ada@example.com";
			if (schema.format === "uri") return "https://example.com/";
			if (schema.format === "date-time") return "2026-01-01T00:00:00.000Z";
			const length = typeof schema.minLength === "number" ? schema.minLength : 1;
			return "example".padEnd(length, "x");
		}
	}
}

function successStatus(operation: OpenApiOperation): string {
	const status = Object.keys(operation.responses)
		.filter((code) => /^[23]\d\d$/.test(code))
		.sort()[0];
	if (!status) throw new Error(`${operation.operationId} documents no success status`);
	return status;
}

function successResponse(operation: OpenApiOperation, document: OpenApiDocument): JsonObject {
	const response = operation.responses[successStatus(operation)];
	const ref = typeof response.$ref === "string" ? /^#\/components\/responses\/(.+)$/.exec(response.$ref) : null;
	return ref ? (document.components?.responses?.[ref[1]] ?? {}) : response;
}

function credentialOf(operation: OpenApiOperation, step: ScenarioStep): Credential {
	if (step.as) return step.as;
	const security = operation.security ?? [];
	if (security.length === 0) return "none";
	if (operation["x-auth"] === "superuser") return "adminToken";
	return security.some((requirement) => "apiToken" in requirement) ? "apiToken" : "accessToken";
}

const SAVED_IN_ENVIRONMENT = new Set(ENVIRONMENT.map((variable) => variable.key));

function saveVariable(name: string, expression: string): string {
	const scope = SAVED_IN_ENVIRONMENT.has(name) ? "environment" : "collectionVariables";
	return `pm.${scope}.set(${JSON.stringify(name)}, ${expression});`;
}

function testScript(request: PlannedRequest, next: string | null, document: OpenApiDocument): string[] {
	const { operation, step } = request;
	const status = Number(successStatus(operation));
	const response = successResponse(operation, document);
	const content = (response.content ?? {}) as Record<string, JsonObject>;
	const declared = Object.keys(content);
	const fallback = step.contentType ?? (status === 204 ? undefined : "application/json");
	const contentTypes = declared.length > 0 ? declared : fallback ? [fallback] : [];
	const isJson = contentTypes.length === 1 && /[/+]json\b/.test(contentTypes[0]);
	const lines = [`pm.execution.setNextRequest(${JSON.stringify(next)});`];
	lines.push(`pm.test("answers ${status}", () => pm.response.to.have.status(${status}));`);
	if (contentTypes.length === 1) {
		const [type] = contentTypes;
		lines.push(
			`pm.test("answers ${type}", () => pm.expect(pm.response.headers.get("Content-Type") || "").to.include(${JSON.stringify(type)}));`,
		);
	} else if (contentTypes.length > 1) {
		const pattern = `^(?:${contentTypes.map((type) => type.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})\\b`;
		lines.push(
			`pm.test("answers one of ${contentTypes.join(", ")}", () => pm.expect(pm.response.headers.get("Content-Type") || "").to.match(/${pattern}/));`,
		);
	} else {
		lines.push('pm.test("answers no body", () => pm.expect(pm.response.text()).to.equal(""));');
	}
	const schema = isJson ? content[contentTypes[0]]?.schema : undefined;
	if (schema !== undefined) {
		lines.push(`const schema = ${JSON.stringify(resolveSchema(schema, document))};`);
		// Postman validates with Ajv (draft-07): formats it does not know are not a failure of the answer
		lines.push('pm.test("matches the documented schema", () => pm.response.to.have.jsonSchema(schema, { unknownFormats: "ignore" }));');
	}
	const needsBody = step.capture || step.script || step.poll;
	if (needsBody && isJson) {
		lines.push(`if (pm.response.code === ${status}) {`);
		lines.push("\tconst body = pm.response.json();");
		for (const [variable, property] of Object.entries(step.capture ?? {})) lines.push(`\t${saveVariable(variable, `body.${property}`)}`);
		for (const line of step.script ?? []) lines.push(`\t${line}`);
		if (step.poll) {
			lines.push(
				`\tconst polls = Number(pm.collectionVariables.get("polls") || 0);`,
				`\tif (!(${step.poll.until}) && polls < Number(pm.variables.get("pollAttempts"))) {`,
				`\t\tpm.collectionVariables.set("polls", polls + 1);`,
				"\t\tpm.execution.setNextRequest(pm.info.requestId);",
				`\t\tsetTimeout(() => {}, Number(pm.variables.get("pollIntervalMs")));`,
				"\t} else {",
				`\t\tpm.collectionVariables.set("polls", 0);`,
				`\t\tpm.test(${JSON.stringify(step.poll.what)}, () => pm.expect(${step.poll.expect}, JSON.stringify(body)).to.equal(true));`,
				"\t}",
			);
		}
		lines.push("}");
	}
	return lines;
}

function requestOf(request: PlannedRequest, pathVariables: Set<string>): JsonObject {
	const { operation, step } = request;
	const segments = request.path
		.split("/")
		.filter(Boolean)
		.map((segment) => {
			const match = /^\{(.+)\}$/.exec(segment);
			if (!match) return segment;
			const value = step.path?.[match[1]] ?? `{{${pathVariable(request.path, match[1])}}}`;
			for (const used of value.matchAll(/\{\{([^}]+)\}\}/g)) pathVariables.add(used[1]);
			return value;
		});
	const query: JsonObject[] = [];
	for (const parameter of operation.parameters ?? []) {
		if (parameter.in !== "query") continue;
		const chosen = step.query?.[parameter.name];
		const value = chosen ?? String(parameter.example ?? sampleValue(parameter.schema));
		const entry: JsonObject = { key: parameter.name, value };
		if (parameter.description) entry.description = parameter.description;
		if (chosen === undefined && !parameter.required) entry.disabled = true;
		query.push(entry);
	}
	for (const name of Object.keys(step.query ?? {})) {
		if (!query.some((entry) => entry.key === name)) throw new Error(`${step.operation} has no query parameter ${name}`);
	}
	const enabled = query.filter((entry) => !entry.disabled).map((entry) => `${entry.key}=${entry.value}`);
	const url: JsonObject = {
		raw: `{{baseUrl}}/${segments.join("/")}${enabled.length > 0 ? `?${enabled.join("&")}` : ""}`,
		host: ["{{baseUrl}}"],
		path: segments,
	};
	if (query.length > 0) url.query = query;

	const credential = credentialOf(operation, step);
	const auth: JsonObject =
		credential === "none" ? { type: "noauth" } : { type: "bearer", bearer: [{ key: "token", value: `{{${credential}}}`, type: "string" }] };
	const header: JsonObject[] = [];
	const result: JsonObject = { method: request.method.toUpperCase(), header, auth };
	const media = operation.requestBody?.content?.["application/json"];
	if (media) {
		const body = step.body ?? media.example ?? sampleValue(media.schema);
		header.push({ key: "Content-Type", value: "application/json" });
		result.body = { mode: "raw", raw: JSON.stringify(body, null, 2), options: { raw: { language: "json" } } };
	} else if (step.body !== undefined) {
		throw new Error(`${step.operation} takes no JSON body`);
	}
	result.url = url;
	if (operation.description) result.description = operation.description;
	return result;
}

/** Orders the document's operations as the scenario runs them; operations without a step go where UNSCHEDULED stands. */
function plan(document: OpenApiDocument): { requests: PlannedRequest[]; unscheduled: string[]; stale: string[] } {
	const operations = new Map<string, { method: string; path: string; operation: OpenApiOperation }>();
	for (const [pathTemplate, methods] of Object.entries(document.paths)) {
		for (const [method, operation] of Object.entries(methods)) {
			if (!METHOD_ORDER.includes(method)) continue;
			operations.set(`${method.toUpperCase()} ${pathTemplate}`, { method, path: pathTemplate, operation });
		}
	}
	const scheduled = new Set(SCENARIO.filter((step): step is ScenarioStep => step !== UNSCHEDULED).map((step) => step.operation));
	const unscheduled = [...operations.keys()].filter((key) => !scheduled.has(key)).sort();
	const stale = [...scheduled].filter((key) => !operations.has(key)).sort();
	const requests: PlannedRequest[] = [];
	const ids = new Set<string>();
	const add = (step: ScenarioStep, isScheduled: boolean) => {
		const found = operations.get(step.operation);
		if (!found) return;
		const id = step.variant ? `${found.operation.operationId}~${slug(step.variant)}` : found.operation.operationId;
		if (ids.has(id)) throw new Error(`two scenario steps for ${step.operation} need distinct variants`);
		ids.add(id);
		requests.push({ id, ...found, step, scheduled: isScheduled });
	};
	for (const step of SCENARIO) {
		if (step === UNSCHEDULED) for (const key of unscheduled) add({ operation: key }, false);
		else add(step, true);
	}
	return { requests, unscheduled, stale };
}

/** Builds the collection and environment from an OpenAPI document (pure: document in, files out). */
export function generatePostman(document: OpenApiDocument): GeneratedFiles {
	const { requests, unscheduled, stale } = plan(document);
	const pathVariables = new Set<string>();
	const folders = new Map<string, JsonObject[]>();
	requests.forEach((request, index) => {
		const { operation, step } = request;
		const next = requests[index + 1]?.id ?? null;
		const name = `${operation.summary ?? operation.operationId}${step.variant ? ` (${step.variant})` : ""}`;
		const event: JsonObject[] = [];
		if (step.prerequest) event.push({ listen: "prerequest", script: { type: "text/javascript", exec: step.prerequest } });
		event.push({ listen: "test", script: { type: "text/javascript", exec: testScript(request, next, document) } });
		const item: JsonObject = { id: request.id, name, event, request: requestOf(request, pathVariables), response: [] };
		const tag = operation.tags?.[0] ?? "other";
		folders.set(tag, [...(folders.get(tag) ?? []), item]);
	});

	const variables: JsonObject[] = [];
	for (const name of [...pathVariables].filter((name) => !SAVED_IN_ENVIRONMENT.has(name) && !(name in SETTINGS)).sort()) {
		variables.push({ key: name, value: PATH_DEFAULTS[name] ?? "" });
	}
	for (const [key, value] of Object.entries(SETTINGS)) variables.push({ key, value });

	const description = [
		document.info?.description ?? "",
		"Generated by `npm run postman` (scripts/postman.ts) from the OpenAPI document: do not edit by hand.",
		"Run the whole collection in order with the PixCrawler environment selected: each request names the next one, so the requests form one scenario (sign up → token → project → dataset → build → images → export → administration → clean-up) even though the folders group them by tag. See postman/README.md.",
	]
		.filter(Boolean)
		.join("\n\n");

	const collection: JsonObject = {
		info: {
			_postman_id: stableId("pixcrawler-collection"),
			name: "PixCrawler API",
			description,
			schema: "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
		},
		item: [...folders].map(([tag, item]) => ({ name: tag, item })),
		variable: variables,
	};
	const environment: JsonObject = {
		id: stableId("pixcrawler-environment"),
		name: "PixCrawler",
		values: ENVIRONMENT.map((variable) => ({
			key: variable.key,
			value: variable.value,
			type: variable.secret ? "secret" : "default",
			enabled: true,
		})),
		_postman_variable_scope: "environment",
	};
	return { collection, environment, unscheduled, stale };
}

export const POSTMAN_DIR = path.resolve(__dirname, "..", "postman");
export const COLLECTION_FILE = path.join(POSTMAN_DIR, "pixcrawler.postman_collection.json");
export const ENVIRONMENT_FILE = path.join(POSTMAN_DIR, "pixcrawler.postman_environment.json");

function fileContents(generated: GeneratedFiles): Map<string, string> {
	const text = (value: Json) => `${JSON.stringify(value, null, "\t")}\n`;
	return new Map([
		[COLLECTION_FILE, text(generated.collection)],
		[ENVIRONMENT_FILE, text(generated.environment)],
	]);
}

/** What is wrong with the committed files for this document: one line per problem, none when all is well. */
export function checkPostman(document: OpenApiDocument): string[] {
	const generated = generatePostman(document);
	const problems: string[] = [];
	for (const key of generated.unscheduled) problems.push(`${key} has no step in the scenario of scripts/postman.ts`);
	for (const key of generated.stale)
		problems.push(`the scenario of scripts/postman.ts has a step for ${key}, which the document no longer has`);
	for (const [file, contents] of fileContents(generated)) {
		const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
		if (committed !== contents) problems.push(`${path.relative(process.cwd(), file)} is out of date: run npm run postman`);
	}
	return problems;
}

export function writePostman(document: OpenApiDocument): GeneratedFiles {
	const generated = generatePostman(document);
	fs.mkdirSync(POSTMAN_DIR, { recursive: true });
	for (const [file, contents] of fileContents(generated)) fs.writeFileSync(file, contents);
	return generated;
}

export interface RunningPlatform {
	url: string;
	broker: ServiceBroker;
	config: Config;
	stop(): Promise<void>;
}

/**
 * Every service in this process, on an in-memory database and a free port: the route table (and so
 * the document) is the one a full deployment publishes. `env` is the whole configuration environment.
 */
export async function startPlatform(env: Environment): Promise<RunningPlatform> {
	// Loaded here rather than at the top: the service modules read the process configuration when they load.
	const [{ ServiceBroker }, { loadConfig }, { brokerOptions }, api, auth, storage, dataset, crawl, worker, notify] = await Promise.all([
		import("moleculer"),
		import("../lib/config"),
		import("../moleculer.config"),
		import("../services/api.service"),
		import("../services/auth.service"),
		import("../services/storage.service"),
		import("../services/dataset.service"),
		import("../services/crawl.service"),
		import("../services/crawl-worker.service"),
		import("../services/notify.service"),
	]);
	const config = loadConfig(env);
	const broker = new ServiceBroker({ ...brokerOptions(config), logger: false });
	for (const service of [
		auth.createAuthService(config),
		storage.createStorageService(config),
		dataset.createDatasetService(config),
		crawl.createCrawlService(config),
		worker.createCrawlWorkerService(config),
		notify.createNotifyService(config),
	]) {
		broker.createService(service);
	}
	const gateway = broker.createService(api.createApiService(config)) as unknown as { server: { address(): { port: number } } };
	await broker.start();
	const url = `http://127.0.0.1:${gateway.server.address().port}`;
	for (let attempt = 0; (await fetch(`${url}/health/ready`)).status !== 200; attempt++) {
		if (attempt > 100) throw new Error("the platform did not become ready");
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return { url, broker, config, stop: () => broker.stop() };
}

/** The configuration the generator starts the platform with: embedded, in memory, every optional route on. */
export function platformEnvironment(dataDir: string, overrides: Environment = {}): Environment {
	return {
		PIXCRAWLER_ENV: "test",
		PIXCRAWLER_LOG_LEVEL: "warn",
		PIXCRAWLER_DB_IN_MEMORY: "true",
		PIXCRAWLER_DATA_DIR: dataDir,
		PIXCRAWLER_METRICS_ENABLED: "true",
		GATEWAY_PORT: "0",
		GATEWAY_HOST: "127.0.0.1",
		GATEWAY_DOCS_ENABLED: "true",
		...overrides,
	};
}

export async function fetchDocument(url: string): Promise<OpenApiDocument> {
	const response = await fetch(`${url}/api/v1/openapi.json`);
	if (response.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${response.status}`);
	return (await response.json()) as OpenApiDocument;
}

async function main(args: string[]): Promise<number> {
	// The generator's platform ignores the developer's .env and servers: the document depends on the code only.
	process.env.PIXCRAWLER_ENV = "test";
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-postman-"));
	const platform = await startPlatform(platformEnvironment(dataDir));
	let document: OpenApiDocument;
	try {
		document = await fetchDocument(platform.url);
	} finally {
		await platform.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	if (args.includes("--check")) {
		const problems = checkPostman(document);
		for (const problem of problems) process.stderr.write(`postman: ${problem}\n`);
		if (problems.length === 0) process.stdout.write("postman: the collection and environment match the OpenAPI document\n");
		return problems.length === 0 ? 0 : 1;
	}
	const generated = writePostman(document);
	const folders = generated.collection.item as { item: unknown[] }[];
	process.stdout.write(
		`postman: wrote ${folders.reduce((total, folder) => total + folder.item.length, 0)} requests in ${folders.length} folders to ${path.relative(process.cwd(), POSTMAN_DIR)}/\n`,
	);
	for (const key of generated.unscheduled) process.stderr.write(`postman: ${key} has no scenario step; it runs before the clean-up\n`);
	for (const key of generated.stale) process.stderr.write(`postman: the scenario step for ${key} was skipped: no such operation\n`);
	return 0;
}

if (require.main === module) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error: Error) => {
			process.stderr.write(`postman: ${error.stack ?? error.message}\n`);
			process.exit(1);
		},
	);
}
