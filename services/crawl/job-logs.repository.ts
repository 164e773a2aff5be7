import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const JOB_LOGS_SERVICE = "crawl-job-logs";

/** What happened during a job, in order: its steps, failures and outcome, for `GET /jobs/:id/logs`. */
export function jobLogsRepository(config: Config) {
	return defineService({
		name: JOB_LOGS_SERVICE,
		mixins: [DbMixin({ collection: "jobLogs", indexes: [{ fields: ["jobId"] }, { fields: ["ownerId"] }] }, config)],
		settings: { fields: ["id", "jobId", "level", "message", "data", "createdAt"] },
	});
}
