import type { Config } from "../../lib/config";
import { defineMixin } from "../../lib/define-service";
import { type Document, trusted } from "../../mixins/db.mixin";
import { TASK_TYPES } from "../crawl/tasks/registry";
import { type AttemptRecord, afterAttempt, deliveryHeaders } from "./delivery";
import { type DeliveryEvent, type PlatformEvent, TEST_EVENT_TYPE, webhookBody, webhookDisabledEvent } from "./events";

const TASK = TASK_TYPES["notify.deliver"];
/** A claimed delivery stays its replica's for the attempt's timeout and this much more; then another may take it over. */
const LEASE_MARGIN_MS = 5_000;
/** A queued delivery whose message went unanswered this long is published again. */
const REPUBLISH_AFTER_MS = 60_000;
const PER_TICK = 200;

type RawDelivery = Record<string, unknown> & {
	_id: unknown;
	webhookId: string;
	ownerId: string;
	event: DeliveryEvent;
	eventType: string;
	status: string;
	attempts: number;
	maxAttempts: number;
	attemptLog?: AttemptRecord[];
};
type RawWebhook = Record<string, unknown> & { _id: unknown; ownerId: string; url: string; secret: string; enabled: boolean };

/**
 * Webhook deliveries as durable tasks (`notify.deliver` in the task registry): each delivery is a record
 * in the database — the source of truth — and a message on its channel. A replica claims the delivery by a
 * conditional update (a redelivered message never sends twice at once), makes one attempt, records it, and
 * either ends the delivery or schedules the next attempt; a scheduler publishes due retries and whatever
 * went quiet, so a lost message or a crashed replica delays a delivery but never loses it.
 */
export function deliveryActions(config: Config) {
	const settings = config.global;
	const policy = { retryBaseMs: settings.webhookRetryBaseMs, retryCapMs: settings.webhookRetryCapMs };
	const leaseMs = settings.webhookTimeoutMs + LEASE_MARGIN_MS;
	return defineMixin({
		channels: {
			[TASK.channel]: {
				group: "notify",
				handler(this: { runDelivery(id: string): Promise<void> }, payload: { deliveryId: string }) {
					return this.runDelivery(payload.deliveryId);
				},
			},
		},

		methods: {
			/** Records a delivery of the event to the webhook; null when that webhook already has this event. */
			async createDelivery(webhook: RawWebhook, event: DeliveryEvent, maxAttempts: number): Promise<Document | null> {
				try {
					return await this.deliveries.createOwned(webhook.ownerId, {
						webhookId: this.webhooks.encodeID(webhook._id),
						eventId: event.id,
						eventType: event.type,
						event,
						status: "queued",
						attempts: 0,
						maxAttempts,
						nextRunAt: null,
						leaseUntil: null,
						publishedAt: null,
						lastStatusCode: null,
						lastError: null,
						attemptLog: [],
						deliveredAt: null,
						finishedAt: null,
					});
				} catch (error) {
					if ((error as { code?: number }).code === 409) return null;
					throw error;
				}
			},

			/** One delivery for each of the owner's enabled webhooks that asked for the event's type. */
			async deliverEvent(event: PlatformEvent) {
				const webhooks = (await this.webhooks.adapter.find({
					query: { ownerId: event.ownerId, enabled: true, events: event.type },
				})) as RawWebhook[];
				const payload: DeliveryEvent = {
					id: event.id,
					type: event.type as DeliveryEvent["type"],
					occurredAt: event.occurredAt,
					data: event.data,
				};
				for (const webhook of webhooks) {
					const delivery = await this.createDelivery(webhook, payload, settings.webhookMaxAttempts);
					if (delivery) await this.publishDelivery(delivery);
				}
			},

			/** Sends the delivery to its channel; when the queue cannot take it now, the scheduler sends it again. */
			async publishDelivery(delivery: Document) {
				if (delivery.status !== "queued") return;
				try {
					await this.broker.sendToChannel(TASK.channel, { deliveryId: delivery.id });
				} catch (error) {
					this.logger.warn({ deliveryId: delivery.id, err: error }, "could not publish a webhook delivery; the scheduler will try again");
					return;
				}
				await this.deliveries.updateWhere({ _id: this.deliveries.decodeID(delivery.id), status: "queued" }, { publishedAt: new Date() });
			},

			/** The channel's work: claim, one attempt, record it, decide what follows. */
			async runDelivery(deliveryId: string) {
				const running = this.attemptDelivery(deliveryId).catch((error: Error) =>
					this.logger.warn({ deliveryId, err: error }, "a webhook delivery attempt could not be recorded; the scheduler will retry it"),
				);
				this.deliveriesInFlight.add(running);
				try {
					await running;
				} finally {
					this.deliveriesInFlight.delete(running);
				}
			},

			async attemptDelivery(deliveryId: string) {
				const delivery = (await this.deliveries.findRawById(deliveryId)) as RawDelivery | null;
				if (!delivery) return;
				const now = new Date();
				const claimable = trusted(
					{
						_id: delivery._id,
						attempts: delivery.attempts,
						$or: [{ status: "queued" }, { status: "delivering", leaseUntil: { $lt: now } }],
					},
					config,
				);
				const attempt = delivery.attempts + 1;
				const claimed = await this.deliveries.updateWhere(claimable, {
					status: "delivering",
					attempts: attempt,
					nextRunAt: null,
					leaseUntil: new Date(now.getTime() + leaseMs),
				});
				if (claimed === 0) return;
				const isTest = delivery.eventType === TEST_EVENT_TYPE;
				const webhook = (await this.webhooks.findRawById(delivery.webhookId)) as RawWebhook | null;
				if (!webhook || (!webhook.enabled && !isTest)) {
					await this.deliveries.updateWhere(
						{ _id: delivery._id, status: "delivering" },
						{
							status: "cancelled",
							leaseUntil: null,
							lastError: webhook ? "the webhook is disabled" : "the webhook was deleted",
							finishedAt: now,
						},
					);
					return;
				}
				const body = webhookBody(delivery.event);
				const startedAt = new Date();
				const result = await this.webhookClient.post(
					webhook.url,
					body,
					deliveryHeaders(webhook.secret, delivery.event, deliveryId, body, startedAt),
				);
				const outcome = afterAttempt(attempt, delivery.maxAttempts, result, policy, startedAt);
				const finishedAt = new Date();
				const recorded = await this.deliveries.updateWhere(
					{ _id: delivery._id, status: "delivering", attempts: attempt },
					{
						status: outcome.status,
						attemptLog: [...(delivery.attemptLog ?? []), outcome.record],
						lastStatusCode: result.statusCode,
						lastError: result.error,
						leaseUntil: null,
						nextRunAt: outcome.nextRunAt,
						...(outcome.status === "delivered" ? { deliveredAt: finishedAt } : {}),
						...(outcome.status === "retrying" ? {} : { finishedAt }),
					},
				);
				// deleted with its webhook while the attempt ran
				if (recorded === 0) return;
				const log = {
					deliveryId,
					webhookId: delivery.webhookId,
					eventType: delivery.eventType,
					attempt,
					statusCode: result.statusCode,
					durationMs: result.durationMs,
					outcome: outcome.status,
				};
				if (result.ok) this.logger.info(log, "webhook delivered");
				else this.logger.warn({ ...log, error: result.error, nextRunAt: outcome.nextRunAt }, "webhook delivery attempt failed");
				if (!isTest && outcome.status !== "retrying") await this.webhookSettled(webhook, outcome.status === "delivered", finishedAt);
			},

			/**
			 * A delivery of the webhook ended: success clears its failure count; a failure adds to it, and the
			 * one that reaches PIXCRAWLER_WEBHOOK_DISABLE_AFTER_FAILURES disables the webhook (exactly once: a
			 * conditional update), ends its waiting deliveries and tells the owner.
			 */
			async webhookSettled(webhook: RawWebhook, delivered: boolean, at: Date) {
				const webhookId = this.webhooks.encodeID(webhook._id);
				if (delivered) {
					await this.webhooks.updateWhere(
						{ _id: webhook._id },
						{ consecutiveFailures: 0, lastDeliveryAt: at, lastDeliveryStatus: "delivered" },
					);
					return;
				}
				await this.webhooks.incrementWhere({ _id: webhook._id }, { consecutiveFailures: 1 });
				await this.webhooks.updateWhere({ _id: webhook._id }, { lastDeliveryAt: at, lastDeliveryStatus: "failed" });
				const current = (await this.webhooks.findRawById(webhookId)) as (RawWebhook & { consecutiveFailures: number }) | null;
				if (!current?.enabled || current.consecutiveFailures < settings.webhookDisableAfterFailures) return;
				const disabledAt = new Date();
				const won = await this.webhooks.updateWhere(
					{ _id: webhook._id, enabled: true },
					{
						enabled: false,
						disabledAt,
						disabledReason: `${current.consecutiveFailures} deliveries in a row failed`,
					},
				);
				if (won === 0) return;
				await this.deliveries.updateWhere(
					trusted({ webhookId, status: { $in: ["queued", "retrying"] }, eventType: { $ne: TEST_EVENT_TYPE } }, config),
					{ status: "cancelled", lastError: "the webhook is disabled", nextRunAt: null, finishedAt: disabledAt },
				);
				this.logger.warn(
					{ webhookId, ownerId: webhook.ownerId, failures: current.consecutiveFailures },
					"webhook disabled after repeated failures",
				);
				await this.recordNotification(
					webhookDisabledEvent({ id: webhookId, ownerId: webhook.ownerId, url: webhook.url }, current.consecutiveFailures, disabledAt),
				);
			},

			/** Publishes due retries, and deliveries whose message or replica went quiet; the database says which. */
			async scheduleDeliveries() {
				const now = new Date();
				const due = (await this.deliveries.adapter.find({
					query: trusted({ status: "retrying", nextRunAt: { $lte: now } }, config),
					limit: PER_TICK,
				})) as RawDelivery[];
				for (const delivery of due) {
					const won = await this.deliveries.updateWhere({ _id: delivery._id, status: "retrying" }, { status: "queued", nextRunAt: null });
					if (won > 0) await this.publishDelivery({ id: this.deliveries.encodeID(delivery._id), status: "queued" });
				}
				// a fresh process publishes everything queued once: an in-process queue forgot it all in the restart
				const quietSince = this.publishedAllDeliveries ? new Date(now.getTime() - REPUBLISH_AFTER_MS) : now;
				this.publishedAllDeliveries = true;
				const quiet = (await this.deliveries.adapter.find({
					query: trusted(
						{
							$or: [
								{ status: "queued", publishedAt: { $lt: quietSince } },
								{ status: "queued", publishedAt: null },
								{ status: "delivering", leaseUntil: { $lt: now } },
							],
						},
						config,
					),
					limit: PER_TICK,
				})) as RawDelivery[];
				for (const delivery of quiet) await this.publishDelivery({ id: this.deliveries.encodeID(delivery._id), status: "queued" });
			},
		},

		events: {
			// after every local service has started, so the deliveries repository is connected
			async "$broker.started"() {
				// an embedded (NeDB) collection has exactly one owner process: an attempt it had under way died with it
				if (!config.mongo.uri) await this.deliveries.updateWhere({ status: "delivering" }, { status: "queued", leaseUntil: null });
			},
		},

		created() {
			this.deliveriesInFlight = new Set<Promise<void>>();
			this.publishedAllDeliveries = false;
		},

		started() {
			this.deliveryScheduler = setInterval(() => {
				if (this.deliverySchedulerBusy) return;
				this.deliverySchedulerBusy = true;
				this.scheduleDeliveries()
					.catch((error: Error) => this.logger.warn({ err: error }, "webhook scheduler tick failed"))
					.finally(() => {
						this.deliverySchedulerBusy = false;
					});
			}, settings.webhookSchedulerIntervalMs);
		},

		async stopped() {
			clearInterval(this.deliveryScheduler);
			// graceful: attempts under way finish and are recorded; the database holds everything else
			await Promise.allSettled([...this.deliveriesInFlight]);
		},
	});
}
