import { PLAN_LIMITS } from "../../services/auth/limits";
import { JOB_STATUSES } from "../../services/crawl/jobs.repository";
import { CRAWL_TASK_TYPES, TASK_STATUSES } from "../../services/crawl/tasks/registry";
import {
	DATASET_STATUSES,
	IMAGE_FORMATS,
	KEYWORD_EXPANSION,
	LICENSES,
	SOURCES,
	VALIDATION_LEVELS,
} from "../../services/dataset/definition";
import { EXPORT_FORMATS } from "../../services/dataset/exports/formats";
import { EXPORT_STATUSES } from "../../services/dataset/exports.repository";
import { DELIVERY_STATUSES } from "../../services/notify/delivery";
import { DELIVERY_EVENT_TYPES, NOTIFICATION_TYPES, WEBHOOK_EVENT_TYPES } from "../../services/notify/events";
import { email as emailRule } from "../params";
import { API_TOKEN_SCOPES } from "../scopes";
import type { JsonSchema } from "./fastest-validator-to-json-schema";

/**
 * The JSON answers of the API as named JSON Schemas (OpenAPI 3.1): the OpenAPI document puts each in
 * `components.schemas`, and an action names the one it answers in its `response` field, so a misspelt
 * name is a compile error. They describe what the handlers really send — the repositories' `fields`
 * and the shaping functions — and test/api/response-schemas.test.ts validates live answers against them.
 *
 * Objects are closed (`additionalProperties: false`) unless the answer is an open map (counts per
 * label); `required` lists what every answer carries; a value that can be null says so in its type.
 */
export const RESPONSE_SCHEMA_NAMES = [
	"User",
	"PlanLimits",
	"PlanUsage",
	"Account",
	"UserLimits",
	"ActivityEntry",
	"AuthTokens",
	"SessionTokens",
	"ApiToken",
	"CreatedApiToken",
	"Project",
	"Category",
	"DatasetOptions",
	"DatasetStats",
	"Dataset",
	"SizeRange",
	"DatasetMetadata",
	"Image",
	"ExportSplit",
	"ExportProgress",
	"Export",
	"BuildStarted",
	"JobProgress",
	"Job",
	"Task",
	"JobLog",
	"RetryResult",
	"StorageUsage",
	"StorageUser",
	"StorageOverview",
	"ComponentHealth",
	"Health",
	"DetailedHealth",
	"Liveness",
	"Readiness",
	"Notification",
	"NotificationsMarked",
	"Webhook",
	"CreatedWebhook",
	"WebhookAttempt",
	"WebhookDelivery",
	"OpenApiDocument",
] as const;

export type ResponseSchemaName = (typeof RESPONSE_SCHEMA_NAMES)[number];

/** A `$ref` to a named schema in the document's components. */
export function schemaRef(name: string): JsonSchema {
	return { $ref: `#/components/schemas/${name}` };
}

/** The component name of a page of `name`s (`{items, total, page, pageSize}`). */
export function pageSchemaName(name: ResponseSchemaName): string {
	return `${name}Page`;
}

/** A page of items, as every list answers (see `findPage` in mixins/db.mixin.ts). */
export function pageSchema(name: ResponseSchemaName): JsonSchema {
	return closed(
		{
			items: { type: "array", items: schemaRef(name) },
			total: { type: "integer", minimum: 0, description: "Items across all pages" },
			page: { type: "integer", minimum: 1 },
			pageSize: { type: "integer", minimum: 1, maximum: 100 },
		},
		{ description: `One page of ${name} items.` },
	);
}

/** An object with exactly these properties; all required but the `optional` ones. */
function closed(properties: Record<string, JsonSchema>, options: { optional?: string[]; description?: string } = {}): JsonSchema {
	const optional = new Set(options.optional ?? []);
	for (const name of optional) if (!(name in properties)) throw new Error(`optional property ${name} is not a property`);
	return {
		type: "object",
		...(options.description ? { description: options.description } : {}),
		required: Object.keys(properties).filter((name) => !optional.has(name)),
		properties,
		additionalProperties: false,
	};
}

const string = (description?: string): JsonSchema => ({ type: "string", ...(description ? { description } : {}) });
const nullableString = (description?: string): JsonSchema => ({ type: ["string", "null"], ...(description ? { description } : {}) });
const count = (description?: string): JsonSchema => ({ type: "integer", minimum: 0, ...(description ? { description } : {}) });
const nullableCount = (description?: string): JsonSchema => ({
	type: ["integer", "null"],
	minimum: 0,
	...(description ? { description } : {}),
});
const timestamp = (description?: string): JsonSchema => ({ type: "string", format: "date-time", ...(description ? { description } : {}) });
const nullableTimestamp = (description?: string): JsonSchema => ({
	type: ["string", "null"],
	format: "date-time",
	...(description ? { description } : {}),
});
const oneOf = (values: readonly string[], description?: string): JsonSchema => ({
	type: "string",
	enum: [...values],
	...(description ? { description } : {}),
});
const listOf = (items: JsonSchema, description?: string): JsonSchema => ({ type: "array", items, ...(description ? { description } : {}) });
/** An open map from a name (label, source, licence, reason) to a count: its keys are the data's own. */
const countsBy = (description: string): JsonSchema => ({ type: "object", description, additionalProperties: count() });
const sha256 = (description: string): JsonSchema => ({ type: "string", pattern: "^[0-9a-f]{64}$", description });
/** Signed links are absolute with GATEWAY_PUBLIC_URL (or for S3), else relative to the API's origin. */
const signedUrl = (description: string): JsonSchema => ({ type: "string", format: "uri-reference", description });

const stored = { createdAt: timestamp(), updatedAt: timestamp() };

const USER_PROPERTIES = {
	id: string(),
	// what sign-up accepts (lib/params.ts), lower-cased: not every such address is one JSON Schema's `email` format takes
	email: { type: "string", pattern: emailRule.pattern.source },
	name: string(),
	role: oneOf(["user", "superuser"]),
	active: { type: "boolean", description: "A deactivated user cannot sign in" },
	lastLoginAt: nullableTimestamp(),
	...stored,
};
const USER = closed(USER_PROPERTIES, { description: "An account; never its password hash." });

const PLAN_LIMIT_DESCRIPTIONS: Record<(typeof PLAN_LIMITS)[number], string> = {
	concurrentJobs: "Builds queued or running at once",
	imagesPerDay: "Images the user's builds store per UTC day",
	datasets: "Datasets",
	storageBytes: "Bytes stored (images and exports)",
	apiRequestsPerMinute: "Requests per minute, per API token",
};
const planLimitsOf = (value: (description: string) => JsonSchema) =>
	Object.fromEntries(PLAN_LIMITS.map((name) => [name, value(PLAN_LIMIT_DESCRIPTIONS[name])]));

const API_TOKEN_PROPERTIES = {
	id: string(),
	name: string(),
	prefix: string("The token's first characters, to recognise it"),
	scopes: listOf(oneOf(API_TOKEN_SCOPES)),
	expiresAt: nullableTimestamp("Null: the token does not expire"),
	lastUsedAt: nullableTimestamp("To the minute"),
	revokedAt: nullableTimestamp(),
	...stored,
};

const CATEGORY = closed({
	label: string("Unique within the dataset; the folder name in exports"),
	keywords: listOf(string()),
	urls: listOf({ type: "string", format: "uri" }),
});

const DATASET_OPTIONS = closed(
	{
		maxImagesPerKeyword: { type: "integer", minimum: 1 },
		minWidth: count(),
		minHeight: count(),
		formats: listOf(oneOf(IMAGE_FORMATS)),
		validationLevel: oneOf(VALIDATION_LEVELS),
		dedupThreshold: { type: "integer", minimum: 0, maximum: 16, description: "Hamming distance of perceptual hashes" },
		licenses: listOf(oneOf(LICENSES), "Empty: any licence"),
		keywordExpansion: oneOf(KEYWORD_EXPANSION),
	},
	{ description: "Quality options, defaults filled in." },
);

const SIZE_RANGE = { ...closed({ min: count(), max: count() }), type: ["object", "null"], description: "Null while no image has a size" };

const JOB_PROGRESS = closed({
	found: count(),
	downloaded: count(),
	valid: count(),
	duplicates: count(),
	rejected: count(),
	failedTasks: count(),
});

const WEBHOOK_PROPERTIES = {
	id: string(),
	ownerId: string(),
	url: { type: "string", format: "uri" },
	description: string(),
	events: listOf(oneOf(WEBHOOK_EVENT_TYPES)),
	enabled: { type: "boolean", description: "False once the platform disabled it after repeated failed deliveries" },
	consecutiveFailures: count("Deliveries in a row that failed after all their attempts"),
	disabledAt: nullableTimestamp(),
	disabledReason: nullableString(),
	lastDeliveryAt: nullableTimestamp("When the last delivery ended"),
	lastDeliveryStatus: { type: ["string", "null"], enum: ["delivered", "failed", null], description: "How the last delivery ended" },
	...stored,
};

const COMPONENT_HEALTH = closed(
	{
		name: string(),
		status: oneOf(["up", "down"]),
		latencyMs: { type: "number", minimum: 0 },
		detail: string("Why it is down"),
	},
	{ optional: ["detail"] },
);

export const RESPONSE_SCHEMAS: Record<ResponseSchemaName, JsonSchema> = {
	User: USER,

	PlanLimits: closed(
		planLimitsOf((description) => nullableCount(`${description}; null: no limit`)),
		{ description: "What a user may have or do: the configured defaults with a superuser's overrides on top." },
	),

	PlanUsage: closed(
		{
			concurrentJobs: nullableCount("Builds queued or running now"),
			imagesPerDay: nullableCount("Images stored today (UTC)"),
			imagesPerDayResetsAt: timestamp("When today's image count starts again from zero"),
			datasets: nullableCount("Datasets"),
			storageBytes: nullableCount("Bytes stored"),
		},
		{
			description:
				"How much of each limit a user uses; null when the service counting it did not answer. Requests per minute show in each API token answer's RateLimit headers.",
		},
	),

	Account: closed(
		{ ...USER_PROPERTIES, limits: schemaRef("PlanLimits"), usage: schemaRef("PlanUsage") },
		{ description: "The signed-in account with its plan limits and usage." },
	),

	UserLimits: closed(
		{
			userId: string(),
			limits: schemaRef("PlanLimits"),
			overrides: {
				type: "object",
				description: "The limits a superuser set for this user (0: no limit); the others are the defaults",
				properties: planLimitsOf((description) => count(description)),
				additionalProperties: false,
			},
			defaults: schemaRef("PlanLimits"),
			usage: schemaRef("PlanUsage"),
		},
		{ description: "One user's plan limits as a superuser manages them." },
	),

	ActivityEntry: closed(
		{
			id: string(),
			at: timestamp("When the answer was sent"),
			userId: nullableString(
				"Who: the signed-in user, or the account a sign-up, sign-in, refresh or sign-out was for; null for anonymous callers",
			),
			via: { type: ["string", "null"], enum: ["jwt", "apiToken", null], description: "How the user signed in" },
			tokenId: nullableString("The API token used"),
			action: string("The action the route runs, e.g. dataset.createDataset"),
			method: oneOf(["POST", "PUT", "PATCH", "DELETE"]),
			route: string("The route with its parameters' names, e.g. /api/v1/datasets/:id"),
			resourceType: nullableString("e.g. dataset, image, export, job, token, user"),
			resourceId: nullableString(),
			status: { type: "integer", minimum: 100, maximum: 599, description: "The answer's HTTP status (499: the client left first)" },
			requestId: string(),
			clientAddress: string(),
		},
		{ description: "One state-changing request: who, what, on which resource, when, from where and how it ended." },
	),

	AuthTokens: closed(
		{
			accessToken: string("A JWT for the Authorization header"),
			refreshToken: string("Works once, with POST /auth/refresh"),
			tokenType: { type: "string", const: "Bearer" },
			expiresIn: { type: "integer", minimum: 1, description: "Seconds the access token lasts" },
		},
		{ description: "The answer of sign-in and refresh." },
	),
	SessionTokens: closed(
		{
			accessToken: string("A JWT for the Authorization header"),
			tokenType: { type: "string", const: "Bearer" },
			expiresIn: { type: "integer", minimum: 1, description: "Seconds the access token lasts" },
		},
		{
			description:
				"The answer of sign-in and refresh with `X-PixCrawler-Session: cookie`: the refresh token is in the httpOnly `pixcrawler_refresh` cookie, not in the body.",
		},
	),

	ApiToken: closed(API_TOKEN_PROPERTIES, { description: "An API token as its owner sees it: never the token itself." }),

	CreatedApiToken: closed(
		{ ...API_TOKEN_PROPERTIES, token: string("The token, shown this once: store it now") },
		{ description: "A new API token with its text." },
	),

	Project: closed({
		id: string(),
		ownerId: string(),
		name: string(),
		description: string(),
		datasets: count("Datasets in the project"),
		...stored,
	}),

	Category: CATEGORY,
	DatasetOptions: DATASET_OPTIONS,

	DatasetStats: closed(
		{ images: count(), valid: count(), duplicates: count(), rejected: count(), bytes: count("Bytes of the stored images") },
		{ description: "Counters kept in step with the dataset's images." },
	),

	Dataset: closed({
		id: string(),
		ownerId: string(),
		projectId: nullableString(),
		name: string(),
		description: string(),
		categories: listOf(schemaRef("Category")),
		sources: listOf(oneOf(SOURCES)),
		options: schemaRef("DatasetOptions"),
		status: oneOf([...DATASET_STATUSES, "deleting"], "`deleting` while a delete is under way"),
		stats: schemaRef("DatasetStats"),
		currentJobId: nullableString("The latest build"),
		...stored,
	}),

	SizeRange: SIZE_RANGE,

	DatasetMetadata: closed(
		{
			datasetId: string(),
			status: oneOf([...DATASET_STATUSES, "deleting"]),
			currentJobId: nullableString(),
			images: count("Image records of every status"),
			perLabel: countsBy("Valid images per label (every label of the dataset, 0 included)"),
			perStatus: closed({ valid: count(), duplicate: count(), rejected: count() }),
			perSource: countsBy("Valid images per source"),
			perLicense: countsBy("Valid images per licence"),
			duplicates: count(),
			rejectionReasons: countsBy("Rejected images per reason"),
			bytes: count("Bytes of the valid and duplicate images"),
			width: schemaRef("SizeRange"),
			height: schemaRef("SizeRange"),
		},
		{ description: "What a dataset holds, summarised from its images." },
	),

	Image: closed(
		{
			id: string(),
			datasetId: string(),
			label: string(),
			keyword: string("The search that found it"),
			source: string(),
			sourceUrl: string("Where the bytes came from"),
			pageUrl: string("The page showing the image"),
			license: string("A licence code, `unknown` when the source gave none"),
			author: string(),
			storageKey: nullableString("Where the file is stored; null once a near-duplicate's file was removed"),
			sha256: sha256("Of the bytes; for a rejected download, of its URL"),
			phash: { type: "string", pattern: "^[0-9a-f]{16}$", description: "Perceptual hash (64 bits, hex)" },
			width: count(),
			height: count(),
			format: string(),
			bytes: count(),
			status: oneOf(["valid", "duplicate", "rejected"]),
			reason: string("Why it was rejected or is a duplicate"),
			duplicateOf: string("The kept image it duplicates"),
			url: { ...signedUrl("Downloads the file without a token until urlExpiresAt; null without a stored file"), type: ["string", "null"] },
			urlExpiresAt: timestamp(),
			...stored,
		},
		{
			optional: [
				"keyword",
				"sourceUrl",
				"pageUrl",
				"author",
				"storageKey",
				"phash",
				"width",
				"height",
				"format",
				"bytes",
				"reason",
				"duplicateOf",
				"urlExpiresAt",
			],
			description: "An image record with its provenance and, when a file is stored, a signed download link.",
		},
	),

	ExportSplit: closed(
		{
			train: { type: "number", minimum: 0, maximum: 1 },
			val: { type: "number", minimum: 0, maximum: 1 },
			test: { type: "number", minimum: 0, maximum: 1 },
			seed: { type: "integer", minimum: 0 },
		},
		{ description: "Fractions adding up to 1, stratified per label; the same seed gives the same split." },
	),

	ExportProgress: closed({ done: count(), total: count() }),

	Export: closed(
		{
			id: string(),
			datasetId: string(),
			ownerId: string(),
			format: oneOf(EXPORT_FORMATS),
			split: { anyOf: [schemaRef("ExportSplit"), { type: "null" }] },
			licences: { type: ["array", "null"], items: oneOf(LICENSES), description: "Null: every licence" },
			status: oneOf(EXPORT_STATUSES),
			taskId: string(),
			attempts: count(),
			progress: schemaRef("ExportProgress"),
			imageCount: nullableCount("Images in the archive, once ready"),
			skipped: nullableCount("Images whose file could not be read, once ready"),
			bytes: nullableCount("Size of the archive, once ready"),
			sha256: { type: ["string", "null"], pattern: "^[0-9a-f]{64}$", description: "Of the archive, once ready" },
			fileName: string(),
			error: nullableString("Why the last attempt failed"),
			url: signedUrl("Downloads the archive without a token until urlExpiresAt (GET /exports/:id when ready)"),
			urlExpiresAt: timestamp(),
			startedAt: nullableTimestamp(),
			finishedAt: nullableTimestamp(),
			...stored,
		},
		{
			optional: ["url", "urlExpiresAt"],
			description: "An export archive: what was asked for, how far it got and, once ready, where it is.",
		},
	),

	BuildStarted: closed({ jobId: string(), status: { type: "string", const: "queued" } }),

	JobProgress: JOB_PROGRESS,

	Job: closed(
		{
			id: string(),
			datasetId: string(),
			ownerId: string(),
			status: oneOf(JOB_STATUSES),
			step: oneOf(["plan", "search", "download", "finalize", "done"]),
			round: { type: "integer", minimum: 1, description: "Rounds fetch further result pages for labels left short" },
			progress: schemaRef("JobProgress"),
			targets: countsBy("Images wanted per label"),
			counts: { ...countsBy("Valid images per label at the end of the last round"), type: ["object", "null"] },
			error: nullableString(),
			limitReached: {
				...closed(
					{
						limit: oneOf(["imagesPerDay", "storageBytes"]),
						max: count(),
						used: count(),
						resetsAt: timestamp("When the limit starts afresh"),
					},
					{ optional: ["resetsAt"] },
				),
				type: ["object", "null"],
				description: "The plan limit that stopped the build adding images, or null",
			},
			eventSeq: count("Number of the latest event (Server-Sent Events ids)"),
			startedAt: nullableTimestamp(),
			finishedAt: nullableTimestamp(),
			...stored,
		},
		{ optional: ["limitReached"], description: "A build of a dataset: status, step, counters and timings." },
	),

	Task: closed(
		{
			id: string(),
			jobId: string(),
			ownerId: string(),
			type: oneOf(CRAWL_TASK_TYPES),
			key: string("Unique within the job"),
			groupId: nullableString(),
			payload: { type: "object", description: "What the task works on (depends on its type)" },
			status: oneOf(TASK_STATUSES),
			attempts: count(),
			maxAttempts: { type: "integer", minimum: 1 },
			nextRunAt: nullableTimestamp("When a retrying task runs again"),
			leaseUntil: nullableTimestamp("Until when a running task's worker holds it"),
			lastError: nullableString(),
			result: { description: "What the task produced (depends on its type), or null" },
			startedAt: nullableTimestamp(),
			finishedAt: nullableTimestamp(),
			...stored,
		},
		{ description: "One unit of a build's background work." },
	),

	JobLog: closed({
		id: string(),
		jobId: string(),
		level: oneOf(["info", "warn", "error"]),
		message: string(),
		data: { type: "object", description: "Details (counts, targets, task id)" },
		createdAt: timestamp(),
	}),

	RetryResult: closed({ requeued: count("Tasks requeued") }),

	StorageUsage: closed({
		bytes: count(),
		objects: count("Files stored"),
		quotaBytes: nullableCount("Null: no quota"),
		remainingBytes: nullableCount("Null: no quota"),
	}),

	StorageUser: closed({ userId: string(), bytes: count(), objects: count() }),

	StorageOverview: closed(
		{
			bytes: count(),
			objects: count(),
			users: count("Users storing anything"),
			largestUsers: listOf(schemaRef("StorageUser"), "Largest first"),
		},
		{ description: "Storage across all users." },
	),

	ComponentHealth: COMPONENT_HEALTH,

	Health: closed({ status: { type: "string", const: "ok" }, version: string(), uptimeSeconds: count() }),

	DetailedHealth: closed({
		status: oneOf(["ok", "degraded"]),
		version: string(),
		uptimeSeconds: count(),
		components: listOf(schemaRef("ComponentHealth")),
		nodes: listOf(
			closed({ id: string(), available: { type: "boolean" }, local: { type: "boolean" }, services: listOf(string()) }),
			"Nodes on the bus with their services",
		),
	}),

	Liveness: closed({ status: { type: "string", const: "ok" } }),

	Readiness: closed(
		{
			status: oneOf(["ok", "down"]),
			failed: listOf(string(), "Components that are down"),
			components: listOf(closed({ name: string(), status: oneOf(["up", "down"]) })),
		},
		{ description: "Answered with 200 when ready, 503 when not." },
	),

	Notification: closed(
		{
			id: string(),
			ownerId: string(),
			type: oneOf(NOTIFICATION_TYPES),
			title: string(),
			message: string(),
			data: { type: "object", description: "Ids to follow (jobId, datasetId, exportId, webhookId) and the facts of the outcome" },
			readAt: nullableTimestamp("Null while unread"),
			...stored,
		},
		{ description: "Something that happened to one of your builds, exports or webhooks." },
	),

	NotificationsMarked: closed({ updated: count("Notifications marked read by this call") }),

	Webhook: closed(WEBHOOK_PROPERTIES, { description: "Where events are POSTed; never its secret." }),

	CreatedWebhook: closed(
		{
			...WEBHOOK_PROPERTIES,
			secret: { type: "string", pattern: "^whsec_[A-Za-z0-9_-]{43}$", description: "Signs every delivery; shown this once: store it now" },
		},
		{ description: "A new webhook with its signing secret." },
	),

	WebhookAttempt: closed(
		{
			attempt: { type: "integer", minimum: 1 },
			at: timestamp("When it was sent"),
			statusCode: nullableCount("The receiver's answer; null when none came (refused, blocked, timed out)"),
			durationMs: { type: "number", minimum: 0 },
			error: nullableString("Why it failed; null when it succeeded"),
			retryInMs: nullableCount("The backoff before the next attempt (exponential, full jitter); null when none followed"),
		},
		{ description: "One attempt of a webhook delivery." },
	),

	WebhookDelivery: closed(
		{
			id: string("Also the id of its task"),
			webhookId: string(),
			ownerId: string(),
			eventId: string("The PixCrawler-Event-Id header: the same for every attempt"),
			eventType: oneOf(DELIVERY_EVENT_TYPES),
			event: closed(
				{
					id: string(),
					type: oneOf(DELIVERY_EVENT_TYPES),
					occurredAt: timestamp(),
					data: { type: "object", description: "As the JSON body's `data`" },
				},
				{ description: "What the receiver gets (as the body's id, type, createdAt and data)" },
			),
			status: oneOf(DELIVERY_STATUSES),
			attempts: count(),
			maxAttempts: { type: "integer", minimum: 1 },
			nextRunAt: nullableTimestamp("When a retrying delivery is attempted again"),
			lastStatusCode: nullableCount(),
			lastError: nullableString(),
			attemptLog: listOf(schemaRef("WebhookAttempt"), "Every attempt, oldest first"),
			deliveredAt: nullableTimestamp(),
			finishedAt: nullableTimestamp(),
			...stored,
		},
		{ description: "One event sent (or being sent) to one webhook: the durable task and its attempts." },
	),

	OpenApiDocument: {
		type: "object",
		description: "An OpenAPI 3.1 document (this one).",
		required: ["openapi", "info", "paths"],
		properties: { openapi: { type: "string" }, info: { type: "object" }, paths: { type: "object" } },
	},
};
