import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const EXPORTS_SERVICE = "dataset-exports";

export const EXPORT_STATUSES = ["queued", "running", "ready", "failed"] as const;

export const EXPORT_FIELDS = [
	"id",
	"datasetId",
	"ownerId",
	"format",
	"split",
	"licences",
	"status",
	"taskId",
	"attempts",
	"progress",
	"imageCount",
	"skipped",
	"bytes",
	"sha256",
	"fileName",
	"error",
	"createdAt",
	"startedAt",
	"finishedAt",
	"updatedAt",
];

/** Export archives of every dataset: what was asked for, how far it got, and where the archive is. */
export function exportsRepository(config: Config) {
	return defineService({
		name: EXPORTS_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "exports",
					indexes: [{ fields: ["datasetId"] }, { fields: ["ownerId"] }, { fields: ["status"] }, { fields: ["taskId"] }],
				},
				config,
			),
		],
		settings: { fields: EXPORT_FIELDS },
	});
}
