import { createHash } from "node:crypto";

/**
 * What the platform tells its users about, as pure functions: a finished build (the crawl service's
 * `crawl.job.changed` broadcast of type `completed`) or a finished export (the dataset service's
 * `dataset.export.finished` event) becomes one event, which the notify service turns into a notification
 * and into a delivery for each webhook that asked for its type.
 */

/** The event types a webhook may subscribe to: a fixed list, validated on registration. */
export const WEBHOOK_EVENT_TYPES = ["job.completed", "job.failed", "job.cancelled", "export.ready", "export.failed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST /webhooks/:id/test` only; nobody subscribes to it. */
export const TEST_EVENT_TYPE = "webhook.test";
export const DELIVERY_EVENT_TYPES = [...WEBHOOK_EVENT_TYPES, TEST_EVENT_TYPE] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

/** What an in-app notification can be about: the webhook events, and a webhook the platform disabled. */
export const NOTIFICATION_TYPES = [...WEBHOOK_EVENT_TYPES, "webhook.disabled"] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a webhook receives (as the JSON body `webhookBody` writes). */
export interface DeliveryEvent {
	/** `evt_…`, derived from the happening: the same one always gets the same id (receivers deduplicate on it). */
	id: string;
	type: DeliveryEventType;
	occurredAt: string;
	/** Ids a client follows (jobId, datasetId, exportId, webhookId) and the facts of the outcome. */
	data: Record<string, unknown>;
}

/** A happening its owner is told about: in-app, and (for the webhook event types) to their webhooks. */
export interface PlatformEvent extends Omit<DeliveryEvent, "type"> {
	type: NotificationType;
	/** Unique per happening: a replica receiving the same broadcast finds the notification already made. */
	key: string;
	ownerId: string;
	title: string;
	message: string;
}

export function isWebhookEventType(type: string): type is WebhookEventType {
	return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** A build as `crawl.job.changed` carries it (the Job answer of the API). */
export interface JobSnapshot {
	id: string;
	datasetId: string;
	ownerId?: string;
	status: string;
	step?: string;
	round?: number;
	progress?: Record<string, number>;
	counts?: Record<string, number> | null;
	error?: string | null;
	startedAt?: string | Date | null;
	finishedAt?: string | Date | null;
}

/** An export as `dataset.export.finished` carries it (the Export answer of the API, without its link). */
export interface ExportSnapshot {
	id: string;
	datasetId: string;
	ownerId?: string;
	format: string;
	status: string;
	imageCount?: number | null;
	bytes?: number | null;
	sha256?: string | null;
	fileName?: string;
	error?: string | null;
	finishedAt?: string | Date | null;
}

export function eventId(key: string): string {
	return `evt_${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

const iso = (value: string | Date | null | undefined): string | null => (value ? new Date(value).toISOString() : null);

const JOB_OUTCOMES: Record<string, { type: WebhookEventType; title: string; message(job: JobSnapshot): string }> = {
	done: {
		type: "job.completed",
		title: "Build finished",
		message(job) {
			const valid = Object.values(job.counts ?? {}).reduce((sum, count) => sum + count, 0);
			return `The build of dataset ${job.datasetId} finished with ${valid} valid image${valid === 1 ? "" : "s"}.`;
		},
	},
	failed: {
		type: "job.failed",
		title: "Build failed",
		message: (job) => `The build of dataset ${job.datasetId} failed: ${job.error ?? "see the job's log"}.`,
	},
	cancelled: {
		type: "job.cancelled",
		title: "Build cancelled",
		message: (job) => `The build of dataset ${job.datasetId} was cancelled.`,
	},
};

/**
 * The event of a build's `completed` change; null for progress and step changes. A build that was retried
 * after it ended completes again with a higher `seq`: that is a new event.
 */
export function jobEvent(change: { type: string; seq: number; job: JobSnapshot }, now = new Date()): PlatformEvent | null {
	const { job } = change;
	const outcome = Object.hasOwn(JOB_OUTCOMES, job.status) ? JOB_OUTCOMES[job.status] : undefined;
	if (change.type !== "completed" || !outcome || !job.ownerId) return null;
	const key = `job:${job.id}:${change.seq}`;
	return {
		id: eventId(key),
		key,
		type: outcome.type,
		ownerId: job.ownerId,
		occurredAt: iso(job.finishedAt) ?? now.toISOString(),
		title: outcome.title,
		message: outcome.message(job),
		data: {
			jobId: job.id,
			datasetId: job.datasetId,
			status: job.status,
			step: job.step ?? null,
			round: job.round ?? null,
			progress: job.progress ?? null,
			counts: job.counts ?? null,
			error: job.error ?? null,
			startedAt: iso(job.startedAt),
			finishedAt: iso(job.finishedAt),
		},
	};
}

/** The event of an export that became ready or failed; null for any other status. */
export function exportEvent(record: ExportSnapshot, now = new Date()): PlatformEvent | null {
	if (!record.ownerId || (record.status !== "ready" && record.status !== "failed")) return null;
	const ready = record.status === "ready";
	const key = `export:${record.id}:${record.status}`;
	const images = record.imageCount ?? 0;
	return {
		id: eventId(key),
		key,
		type: ready ? "export.ready" : "export.failed",
		ownerId: record.ownerId,
		occurredAt: iso(record.finishedAt) ?? now.toISOString(),
		title: ready ? "Export ready" : "Export failed",
		message: ready
			? `The ${record.format} export of dataset ${record.datasetId} is ready: ${images} image${images === 1 ? "" : "s"}, ${record.bytes ?? 0} bytes.`
			: `The ${record.format} export of dataset ${record.datasetId} failed: ${record.error ?? "unknown error"}.`,
		data: {
			exportId: record.id,
			datasetId: record.datasetId,
			format: record.format,
			status: record.status,
			imageCount: record.imageCount ?? null,
			bytes: record.bytes ?? null,
			sha256: record.sha256 ?? null,
			fileName: record.fileName ?? null,
			error: record.error ?? null,
			finishedAt: iso(record.finishedAt),
		},
	};
}

/** The notification its owner gets when the platform disables a webhook that kept failing. */
export function webhookDisabledEvent(
	webhook: { id: string; ownerId: string; url: string },
	failures: number,
	disabledAt: Date,
): PlatformEvent {
	const key = `webhook:${webhook.id}:disabled:${disabledAt.getTime()}`;
	return {
		id: eventId(key),
		key,
		type: "webhook.disabled",
		ownerId: webhook.ownerId,
		occurredAt: disabledAt.toISOString(),
		title: "Webhook disabled",
		message: `The webhook to ${webhook.url} failed ${failures} deliveries in a row and was disabled; no more events are sent to it.`,
		data: { webhookId: webhook.id, url: webhook.url, consecutiveFailures: failures },
	};
}

/** The test ping `POST /webhooks/:id/test` sends: its own id every time, so a receiver never drops it as a repeat. */
export function testEvent(webhookId: string, nonce: string, now = new Date()): DeliveryEvent {
	return {
		id: eventId(`webhook:${webhookId}:test:${nonce}`),
		type: TEST_EVENT_TYPE,
		occurredAt: now.toISOString(),
		data: { webhookId, message: "A test event sent from PixCrawler" },
	};
}

/** The JSON body a webhook receives: the same bytes for every attempt of a delivery (its signature covers them). */
export function webhookBody(event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> }): string {
	return JSON.stringify({ id: event.id, type: event.type, createdAt: event.occurredAt, data: event.data });
}
