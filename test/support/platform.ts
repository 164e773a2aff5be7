import type { Environment } from "../../lib/config";
import { createAuthService } from "../../services/auth.service";
import { createCrawlService } from "../../services/crawl.service";
import { createCrawlWorkerService } from "../../services/crawl-worker.service";
import { createDatasetService } from "../../services/dataset.service";
import { createNotifyService } from "../../services/notify.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig } from "./gateway";

/** Crawl settings that let a test build against the fixture web finish in a second or two. */
export const FAST_CRAWL_ENV: Environment = {
	CRAWL_ALLOW_PRIVATE_NETWORKS: "true",
	CRAWL_RETRY_BASE_MS: "50",
	CRAWL_RETRY_CAP_MS: "500",
	CRAWL_MAX_ATTEMPTS: "2",
	CRAWL_SCHEDULER_INTERVAL_MS: "50",
	CRAWL_CONNECT_TIMEOUT_MS: "1000",
};

/**
 * Every service in-process behind the gateway, the real auth service included (register, login, API
 * tokens), as `npm start` runs them; `env` comes on top of FAST_CRAWL_ENV.
 */
export function startPlatform(options: { env: Environment; waitFor: string[] }): Promise<RunningGateway> {
	const env = { ...FAST_CRAWL_ENV, ...options.env };
	const config = testConfig(env);
	return startGateway({
		env,
		services: [
			createAuthService(config),
			createStorageService(config),
			createDatasetService(config),
			createCrawlService(config),
			createCrawlWorkerService(config),
			createNotifyService(config),
		],
		waitFor: options.waitFor,
	});
}
