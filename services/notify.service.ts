import dns from "node:dns";
import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { objectId, page, pageSize } from "../lib/params";
import { projectVersion } from "../lib/project";
import type { Principal } from "../lib/types";
import { deliveryActions } from "./notify/deliveries.actions";
import { deliveriesRepository } from "./notify/deliveries.repository";
import {
	type ExportSnapshot,
	exportEvent,
	isWebhookEventType,
	type JobSnapshot,
	jobEvent,
	NOTIFICATION_TYPES,
	type PlatformEvent,
} from "./notify/events";
import { notificationsRepository } from "./notify/notifications.repository";
import { WebhookClient } from "./notify/webhook-client";
import { webhookActions } from "./notify/webhooks.actions";
import { webhooksRepository } from "./notify/webhooks.repository";

const NOTIFICATION_EXAMPLE = {
	id: "n5Gh2QmZr2LsV8aT",
	ownerId: "u1Xk9QmZr2LsV8aT",
	type: "job.completed",
	title: "Build finished",
	message: "The build of dataset kQ3ZrV9sF2aXhT1c finished with 400 valid images.",
	data: { jobId: "Zr8QmX2kLp0sVb7T", datasetId: "kQ3ZrV9sF2aXhT1c", status: "done", counts: { cat: 200, dog: 200 } },
	readAt: null,
	createdAt: "2026-11-26T09:12:00.000Z",
	updatedAt: "2026-11-26T09:12:00.000Z",
};

function ownerOf(ctx: AnyContext): string {
	return (ctx.meta.user as Principal).id;
}

/**
 * Notifications and webhooks. Listens to the platform's outcomes — a build completed (done, failed or
 * cancelled) and an export ready or failed — and for each one stores an in-app notification (broadcast as
 * `notify.notification.created`, which the gateway streams to the owner's `GET /events`) and queues a
 * signed delivery to each of the owner's webhooks that asked for it.
 */
export function createNotifyService(config: Config) {
	return defineService({
		name: "notify",
		mixins: [webhookActions(config), deliveryActions(config)],
		settings: { rest: "/" },

		actions: {
			listNotifications: {
				rest: "GET /notifications",
				auth: "user",
				scopes: ["account:read"],
				summary: "Your notifications",
				description:
					"Newest first: finished, failed and cancelled builds, ready and failed exports, and webhooks the platform disabled. `unread=true` lists only those not yet read; filter by `type`. New ones also arrive on `GET /events` as they happen.",
				tag: "notifications",
				response: { page: "Notification" },
				params: {
					page,
					pageSize,
					unread: { type: "boolean", convert: true, optional: true },
					type: { type: "enum", values: [...NOTIFICATION_TYPES], optional: true },
				},
				handler(ctx) {
					const query: Record<string, unknown> = {};
					if (ctx.params.unread === true) query.readAt = null;
					if (ctx.params.type) query.type = ctx.params.type;
					return this.notifications.findOwned(
						ownerOf(ctx),
						{ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" },
						ctx,
					);
				},
			},
			markNotification: {
				rest: "PATCH /notifications/:id",
				auth: "user",
				scopes: ["account:read"],
				summary: "Mark a notification read or unread",
				description: "`read: true` sets `readAt` (kept when it was already read); `read: false` clears it.",
				tag: "notifications",
				response: "Notification",
				example: { read: true },
				responseExample: { ...NOTIFICATION_EXAMPLE, readAt: "2026-11-26T09:15:00.000Z", updatedAt: "2026-11-26T09:15:00.000Z" },
				params: { $$strict: true, id: objectId, read: "boolean" },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const current = await this.notifications.getRawOwned(owner, ctx.params.id);
					const readAt = ctx.params.read ? (current.readAt ?? new Date()) : null;
					return this.notifications.updateOwned(owner, ctx.params.id, { readAt }, ctx);
				},
			},
			readAllNotifications: {
				rest: "POST /notifications/read-all",
				auth: "user",
				scopes: ["account:read"],
				summary: "Mark every notification read",
				tag: "notifications",
				response: "NotificationsMarked",
				responseExample: { updated: 3 },
				async handler(ctx) {
					return { updated: await this.notifications.updateWhere({ ownerId: ownerOf(ctx), readAt: null }, { readAt: new Date() }) };
				},
			},
		},

		events: {
			async "crawl.job.changed"(ctx) {
				const event = jobEvent(ctx.params as { type: string; seq: number; job: JobSnapshot });
				if (event) await this.publishEvent(event);
			},
			async "dataset.export.finished"(ctx) {
				const event = exportEvent((ctx.params as { export: ExportSnapshot }).export);
				if (event) await this.publishEvent(event);
			},
		},

		methods: {
			/** A notification for the owner and a delivery to each webhook that asked for the type. */
			async publishEvent(event: PlatformEvent) {
				try {
					await this.recordNotification(event);
					if (isWebhookEventType(event.type)) await this.deliverEvent(event);
				} catch (error) {
					this.logger.error({ eventId: event.id, type: event.type, ownerId: event.ownerId, err: error }, "could not record an event");
				}
			},

			/** Stores the notification once per happening and streams it to the owner; null when it existed. */
			async recordNotification(event: PlatformEvent) {
				let created: Record<string, unknown>;
				try {
					created = await this.notifications.createOwned(event.ownerId, {
						type: event.type,
						title: event.title,
						message: event.message,
						data: event.data,
						readAt: null,
						eventKey: event.key,
					});
				} catch (error) {
					// another replica received the same broadcast first
					if ((error as { code?: number }).code === 409) return null;
					throw error;
				}
				await this.broker.broadcast("notify.notification.created", { ownerId: event.ownerId, notification: created });
				return created;
			},
		},

		created() {
			this.notifications = this.broker.createService(notificationsRepository(config));
			this.webhooks = this.broker.createService(webhooksRepository(config));
			this.deliveries = this.broker.createService(deliveriesRepository(config));
			this.resolveHost = (hostname: string) => dns.promises.lookup(hostname, { all: true });
			this.webhookClient = new WebhookClient({
				allowPrivateNetworks: config.crawl.allowPrivateNetworks,
				timeoutMs: config.global.webhookTimeoutMs,
				userAgent: `PixCrawler-Webhooks/${projectVersion} (+https://github.com/pixcrawler/pixcrawler)`,
			});
		},

		async stopped() {
			await this.webhookClient.close();
		},
	});
}

export default createNotifyService(getConfig());
