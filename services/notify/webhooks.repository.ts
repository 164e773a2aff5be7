import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const WEBHOOKS_SERVICE = "notify-webhooks";

/** What answers show of a webhook: never `secret`, which only the creation answer carries. */
export const WEBHOOK_FIELDS = [
	"id",
	"ownerId",
	"url",
	"description",
	"events",
	"enabled",
	"consecutiveFailures",
	"disabledAt",
	"disabledReason",
	"lastDeliveryAt",
	"lastDeliveryStatus",
	"createdAt",
	"updatedAt",
];

/**
 * Webhooks: where a user wants events sent, which ones, and the secret that signs them. The secret is
 * stored as it is (the signer needs it, so it cannot be hashed like an API token; docs/api.md says why it
 * is not encrypted) and read only by the delivery code, through the raw document.
 */
export function webhooksRepository(config: Config) {
	return defineService({
		name: WEBHOOKS_SERVICE,
		mixins: [DbMixin({ collection: "webhooks", indexes: [{ fields: ["ownerId"] }, { fields: ["enabled"] }] }, config)],
		settings: { fields: WEBHOOK_FIELDS },
	});
}
