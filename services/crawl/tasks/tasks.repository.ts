import type { Config } from "../../../lib/config";
import { defineService } from "../../../lib/define-service";
import { DbMixin } from "../../../mixins/db.mixin";

export const TASKS_SERVICE = "crawl-tasks";

export const TASK_FIELDS = [
	"id",
	"jobId",
	"ownerId",
	"type",
	"key",
	"groupId",
	"payload",
	"status",
	"attempts",
	"maxAttempts",
	"nextRunAt",
	"leaseUntil",
	"lastError",
	"result",
	"createdAt",
	"startedAt",
	"finishedAt",
	"updatedAt",
];

/**
 * Every unit of background work with its id. `key` is unique within a job, so creating the same step
 * twice (a redelivered parent, a restarted saga) finds the task that exists instead of adding another.
 */
export function tasksRepository(config: Config) {
	return defineService({
		name: TASKS_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "tasks",
					indexes: [
						{ fields: ["jobId", "key"], unique: true },
						{ fields: ["jobId"] },
						{ fields: ["groupId"] },
						{ fields: ["status"] },
						{ fields: ["nextRunAt"] },
					],
				},
				config,
			),
		],
		settings: { fields: TASK_FIELDS },
	});
}
