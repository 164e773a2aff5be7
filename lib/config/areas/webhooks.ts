import { boundedInt, variable } from "../variable";

/**
 * Webhook deliveries of the notify service. They belong to the global area (`PIXCRAWLER_` prefix): the
 * configuration has one prefix per area and no other area fits — webhooks carry every service's events
 * (builds, exports), and their address rules come from CRAWL_ALLOW_PRIVATE_NETWORKS as the crawler's do.
 */
export const webhookVariables = {
	webhookMaxPerUser: variable({
		env: "PIXCRAWLER_WEBHOOK_MAX_PER_USER",
		schema: boundedInt(1, 100),
		default: "10",
		description: "Webhooks one user may register",
	}),
	webhookTimeoutMs: variable({
		env: "PIXCRAWLER_WEBHOOK_TIMEOUT_MS",
		schema: boundedInt(100, 30_000),
		default: "10000",
		description: "Time one webhook delivery attempt may take, connection and answer included, in milliseconds",
	}),
	webhookMaxAttempts: variable({
		env: "PIXCRAWLER_WEBHOOK_MAX_ATTEMPTS",
		schema: boundedInt(1, 20),
		default: "8",
		description: "Attempts of a webhook delivery before it counts as failed",
	}),
	webhookRetryBaseMs: variable({
		env: "PIXCRAWLER_WEBHOOK_RETRY_BASE_MS",
		schema: boundedInt(1, 3_600_000),
		default: "30000",
		description: "First retry delay of a failed webhook delivery; each retry doubles it (full jitter), a receiver's Retry-After is a floor",
	}),
	webhookRetryCapMs: variable({
		env: "PIXCRAWLER_WEBHOOK_RETRY_CAP_MS",
		schema: boundedInt(1, 86_400_000),
		default: "3600000",
		description: "Longest delay between two attempts of a webhook delivery",
	}),
	webhookDisableAfterFailures: variable({
		env: "PIXCRAWLER_WEBHOOK_DISABLE_AFTER_FAILURES",
		schema: boundedInt(1, 1000),
		default: "5",
		description: "Consecutive failed deliveries (each after all its attempts) after which a webhook is disabled and its owner notified",
	}),
	webhookSchedulerIntervalMs: variable({
		env: "PIXCRAWLER_WEBHOOK_SCHEDULER_INTERVAL_MS",
		schema: boundedInt(20, 60_000),
		default: "1000",
		description: "How often the notify service publishes due webhook retries and re-publishes deliveries whose message went quiet",
	}),
};
