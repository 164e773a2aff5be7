import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const NOTIFICATIONS_SERVICE = "notify-notifications";

export const NOTIFICATION_FIELDS = ["id", "ownerId", "type", "title", "message", "data", "readAt", "createdAt", "updatedAt"];

/**
 * A user's in-app notifications. `eventKey` (never answered) is unique: the same happening delivered to
 * two replicas of the notify service (a broadcast reaches both) makes one notification.
 */
export function notificationsRepository(config: Config) {
	return defineService({
		name: NOTIFICATIONS_SERVICE,
		mixins: [
			DbMixin(
				{ collection: "notifications", indexes: [{ fields: ["ownerId"] }, { fields: ["eventKey"], unique: true }, { fields: ["readAt"] }] },
				config,
			),
		],
		settings: { fields: NOTIFICATION_FIELDS },
	});
}
