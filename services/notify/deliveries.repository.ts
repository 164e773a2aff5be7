import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const DELIVERIES_SERVICE = "notify-deliveries";

export const DELIVERY_FIELDS = [
	"id",
	"webhookId",
	"ownerId",
	"eventId",
	"eventType",
	"event",
	"status",
	"attempts",
	"maxAttempts",
	"nextRunAt",
	"lastStatusCode",
	"lastError",
	"attemptLog",
	"deliveredAt",
	"finishedAt",
	"createdAt",
	"updatedAt",
];

/**
 * Webhook deliveries: each is the durable task of sending one event to one webhook (its id is the task id),
 * with every attempt's status code, duration and error. Unique on (webhookId, eventId): an event reaching
 * two replicas is delivered once.
 */
export function deliveriesRepository(config: Config) {
	return defineService({
		name: DELIVERIES_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "webhookDeliveries",
					indexes: [
						{ fields: ["webhookId", "eventId"], unique: true },
						{ fields: ["webhookId"] },
						{ fields: ["status"] },
						{ fields: ["nextRunAt"] },
					],
				},
				config,
			),
		],
		settings: { fields: DELIVERY_FIELDS },
	});
}
