import { randomUUID } from "node:crypto";
import type { Config } from "../../lib/config";
import { type AnyContext, defineMixin } from "../../lib/define-service";
import { Conflict, ValidationFailed } from "../../lib/errors";
import { filtersFrom, objectId, page, pageSize } from "../../lib/params";
import type { Principal } from "../../lib/types";
import { DELIVERY_STATUSES } from "./delivery";
import { testEvent, WEBHOOK_EVENT_TYPES } from "./events";
import { newWebhookSecret } from "./signing";
import { MAX_WEBHOOK_URL_LENGTH, webhookUrlProblem } from "./webhook-url";

export const MAX_DESCRIPTION_LENGTH = 200;

const WEBHOOK_EXAMPLE = {
	id: "w7RkQ2mZp9LsV3aT",
	ownerId: "u1Xk9QmZr2LsV8aT",
	url: "https://hooks.example.com/pixcrawler",
	description: "Training pipeline trigger",
	events: ["job.completed", "export.ready"],
	enabled: true,
	consecutiveFailures: 0,
	disabledAt: null,
	disabledReason: null,
	lastDeliveryAt: "2026-11-26T09:12:00.000Z",
	lastDeliveryStatus: "delivered",
	createdAt: "2026-11-26T09:00:00.000Z",
	updatedAt: "2026-11-26T09:12:00.000Z",
};

const DELIVERY_EXAMPLE = {
	id: "d4Tn8QmZr2LsV8aX",
	webhookId: WEBHOOK_EXAMPLE.id,
	ownerId: WEBHOOK_EXAMPLE.ownerId,
	eventId: "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
	eventType: "job.completed",
	event: {
		id: "evt_3f1c9a0d2b7e4c5a8d9e0f1a",
		type: "job.completed",
		occurredAt: "2026-11-26T09:11:58.000Z",
		data: { jobId: "Zr8QmX2kLp0sVb7T", datasetId: "kQ3ZrV9sF2aXhT1c", status: "done" },
	},
	status: "delivered",
	attempts: 2,
	maxAttempts: 8,
	nextRunAt: null,
	lastStatusCode: 204,
	lastError: null,
	attemptLog: [
		{ attempt: 1, at: "2026-11-26T09:11:58.120Z", statusCode: 503, durationMs: 84, error: "HTTP 503", retryInMs: 1796 },
		{ attempt: 2, at: "2026-11-26T09:12:00.000Z", statusCode: 204, durationMs: 61, error: null, retryInMs: null },
	],
	deliveredAt: "2026-11-26T09:12:00.061Z",
	finishedAt: "2026-11-26T09:12:00.061Z",
	createdAt: "2026-11-26T09:11:58.100Z",
	updatedAt: "2026-11-26T09:12:00.061Z",
};

function ownerOf(ctx: AnyContext): string {
	return (ctx.meta.user as Principal).id;
}

/**
 * The webhooks API. Every route needs a signed-in session (no API token scope reaches them): where a
 * user's data is sent is an account setting, and a leaked token must not be able to add a receiver.
 */
export function webhookActions(config: Config) {
	const settings = config.global;
	return defineMixin({
		actions: {
			listWebhooks: {
				rest: "GET /webhooks",
				auth: "user",
				summary: "Your webhooks",
				description: "Newest first, never with their secrets. A webhook the platform disabled after repeated failures says when and why.",
				tag: "webhooks",
				response: { page: "Webhook" },
				params: { page, pageSize },
				handler(ctx) {
					return this.webhooks.findOwned(ownerOf(ctx), { page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" }, ctx);
				},
			},
			createWebhook: {
				rest: "POST /webhooks",
				auth: "user",
				summary: "Register a webhook",
				description: `Events of the listed types are POSTed to \`url\` as JSON, signed with the webhook's secret (\`PixCrawler-Signature\`; see the API guide for how to verify it). The answer carries the \`secret\` this once: store it now. \`url\`: https (plain http only where private networks are allowed), at most ${MAX_WEBHOOK_URL_LENGTH} characters, no credentials, no private, loopback or metadata address; \`events\`: one or more of ${WEBHOOK_EVENT_TYPES.map((type) => `\`${type}\``).join(", ")}. 409 when you already have as many webhooks as allowed.`,
				tag: "webhooks",
				response: "CreatedWebhook",
				successStatus: 201,
				errors: [409],
				example: { url: WEBHOOK_EXAMPLE.url, events: WEBHOOK_EXAMPLE.events, description: WEBHOOK_EXAMPLE.description },
				responseExample: {
					...WEBHOOK_EXAMPLE,
					lastDeliveryAt: null,
					lastDeliveryStatus: null,
					updatedAt: WEBHOOK_EXAMPLE.createdAt,
					secret: "whsec_Jx1cJw5oZl3Vb0m2QpK7rT9sYv4nHd8aLf6eGu2iWcE",
				},
				params: {
					$$strict: true,
					url: { type: "string", trim: true, min: 1, max: MAX_WEBHOOK_URL_LENGTH },
					events: {
						type: "array",
						min: 1,
						max: WEBHOOK_EVENT_TYPES.length,
						unique: true,
						items: { type: "enum", values: [...WEBHOOK_EVENT_TYPES] },
					},
					description: { type: "string", trim: true, max: MAX_DESCRIPTION_LENGTH, optional: true },
				},
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const problem = await webhookUrlProblem(ctx.params.url, config.crawl.allowPrivateNetworks, this.resolveHost);
					if (problem) throw new ValidationFailed([{ field: "url", message: problem }]);
					const existing = await this.webhooks.countWhere({ ownerId: owner });
					if (existing >= settings.webhookMaxPerUser) {
						throw new Conflict(`You have ${existing} webhooks, as many as allowed; delete one first`, {
							limit: "webhooks",
							max: settings.webhookMaxPerUser,
						});
					}
					const secret = newWebhookSecret();
					const created = await this.webhooks.createOwned(
						owner,
						{
							url: ctx.params.url,
							description: ctx.params.description ?? "",
							events: ctx.params.events,
							enabled: true,
							consecutiveFailures: 0,
							disabledAt: null,
							disabledReason: null,
							lastDeliveryAt: null,
							lastDeliveryStatus: null,
							secret,
						},
						ctx,
					);
					return { ...created, secret };
				},
			},
			updateWebhook: {
				rest: "PATCH /webhooks/:id",
				auth: "user",
				summary: "Change a webhook",
				description:
					"Change its `url`, `events` or `description`, or switch it on and off with `enabled`. Switching on a webhook the platform disabled after repeated failures clears its failure count; its secret stays the same. A new `url` is checked as at registration.",
				tag: "webhooks",
				response: "Webhook",
				example: { enabled: true },
				params: {
					$$strict: true,
					id: objectId,
					url: { type: "string", trim: true, min: 1, max: MAX_WEBHOOK_URL_LENGTH, optional: true },
					events: {
						type: "array",
						min: 1,
						max: WEBHOOK_EVENT_TYPES.length,
						unique: true,
						items: { type: "enum", values: [...WEBHOOK_EVENT_TYPES] },
						optional: true,
					},
					description: { type: "string", trim: true, max: MAX_DESCRIPTION_LENGTH, optional: true },
					enabled: { type: "boolean", optional: true },
				},
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const { id, url, events, description, enabled } = ctx.params;
					const current = await this.webhooks.getRawOwned(owner, id);
					if (url !== undefined) {
						const problem = await webhookUrlProblem(url, config.crawl.allowPrivateNetworks, this.resolveHost);
						if (problem) throw new ValidationFailed([{ field: "url", message: problem }]);
					}
					const changes: Record<string, unknown> = {};
					if (url !== undefined) changes.url = url;
					if (events !== undefined) changes.events = events;
					if (description !== undefined) changes.description = description;
					if (enabled === true && !current.enabled) {
						Object.assign(changes, { enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null });
					}
					if (enabled === false && current.enabled) {
						Object.assign(changes, { enabled: false, disabledAt: new Date(), disabledReason: "Switched off by its owner" });
					}
					return this.webhooks.updateOwned(owner, id, changes, ctx);
				},
			},
			removeWebhook: {
				rest: "DELETE /webhooks/:id",
				auth: "user",
				summary: "Delete a webhook",
				description: "Nothing more is sent to it; deliveries still waiting are dropped with their records.",
				tag: "webhooks",
				successStatus: 204,
				params: { id: objectId },
				async handler(ctx) {
					await this.webhooks.removeOwned(ownerOf(ctx), ctx.params.id, ctx);
					await this.deliveries.removeWhere({ webhookId: ctx.params.id });
					return null;
				},
			},
			testWebhook: {
				rest: "POST /webhooks/:id/test",
				auth: "user",
				rateLimit: "expensive",
				summary: "Send a test event",
				description:
					"Queues one `webhook.test` event, signed like every delivery, and answers 202 with the delivery: follow it with `GET /webhooks/:id/deliveries`. It is tried once, is sent to a disabled webhook too (to check a fix), and never counts towards disabling.",
				tag: "webhooks",
				response: "WebhookDelivery",
				successStatus: 202,
				responseExample: {
					...DELIVERY_EXAMPLE,
					eventType: "webhook.test",
					status: "queued",
					attempts: 0,
					maxAttempts: 1,
					lastStatusCode: null,
					attemptLog: [],
					deliveredAt: null,
					finishedAt: null,
				},
				params: { id: objectId },
				async handler(ctx) {
					const webhook = await this.webhooks.getRawOwned(ownerOf(ctx), ctx.params.id);
					const delivery = await this.createDelivery(webhook, testEvent(ctx.params.id, randomUUID()), 1);
					await this.publishDelivery(delivery);
					return delivery;
				},
			},
			listDeliveries: {
				rest: "GET /webhooks/:id/deliveries",
				auth: "user",
				summary: "A webhook's deliveries",
				description:
					"Newest first: each event sent (or being sent) with its status, attempts and, per attempt, the receiver's status code, the time it took and the error. Filter by `status`.",
				tag: "webhooks",
				response: { page: "WebhookDelivery" },
				responseExample: { items: [DELIVERY_EXAMPLE], total: 1, page: 1, pageSize: 20 },
				params: { id: objectId, page, pageSize, status: { type: "enum", values: [...DELIVERY_STATUSES], optional: true } },
				async handler(ctx) {
					await this.webhooks.getRawOwned(ownerOf(ctx), ctx.params.id);
					const query = { webhookId: ctx.params.id, ...filtersFrom(ctx.params, ["status"]) };
					return this.deliveries.findPage({ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" }, ctx);
				},
			},
		},
	});
}
