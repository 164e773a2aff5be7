import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const JOBS_SERVICE = "crawl-jobs";

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export const ACTIVE_JOB_STATUSES = ["queued", "running"];

export const JOB_FIELDS = [
	"id",
	"datasetId",
	"ownerId",
	"status",
	"step",
	"round",
	"progress",
	"targets",
	"counts",
	"error",
	"limitReached",
	"eventSeq",
	"createdAt",
	"startedAt",
	"finishedAt",
	"updatedAt",
];

/** One build of a dataset: the saga's state, counters and timings. */
export function jobsRepository(config: Config) {
	return defineService({
		name: JOBS_SERVICE,
		mixins: [
			DbMixin({ collection: "jobs", indexes: [{ fields: ["ownerId"] }, { fields: ["datasetId"] }, { fields: ["status"] }] }, config),
		],
		settings: { fields: JOB_FIELDS },
	});
}
