import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin, trusted } from "../../mixins/db.mixin";
import { ACTIVITY_FIELDS, ACTIVITY_SERVICE, type ActivityFilters, activityQuery, ENTRY_RULE, retentionCutoff } from "./activity";

/** How often entries past the retention period are removed. */
export const ACTIVITY_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** The first prune waits for the start-up to settle. */
const FIRST_PRUNE_AFTER_MS = 60 * 1000;
/** The gateway sends entries in batches; one batch is at most this long. */
export const MAX_ENTRIES_PER_BATCH = 500;

/**
 * The activity log's repository. The gateway records into it (`recordMany`, over the bus from any
 * gateway replica); the auth service's facades list it (GET /activity, GET /admin/activity).
 */
export function activityRepository(config: Config) {
	return defineService({
		name: ACTIVITY_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "activity",
					ownerField: "userId",
					indexes: [{ fields: ["userId"] }, { fields: ["at"] }, { fields: ["action"] }, { fields: ["resourceId"] }],
				},
				config,
			),
		],
		settings: { fields: ACTIVITY_FIELDS },
		actions: {
			/** From the gateway: the entries of the requests it answered in the last moments. */
			recordMany: {
				visibility: "public",
				params: { entries: { type: "array", min: 1, max: MAX_ENTRIES_PER_BATCH, items: ENTRY_RULE } },
				async handler(ctx) {
					const entities = [];
					for (const entry of ctx.params.entries as Record<string, unknown>[])
						entities.push(await this.beforeEntityChange("create", { ...entry }));
					await this.adapter.insertMany(entities);
					return { recorded: entities.length };
				},
			},

			listPage: {
				visibility: "protected",
				handler(ctx) {
					const { page, pageSize, ...filters } = ctx.params as ActivityFilters & { page?: number; pageSize?: number };
					const query = activityQuery(filters, (filter) => trusted(filter, config));
					return this.findPage({ query, page, pageSize, sort: "-at" }, ctx);
				},
			},

			/** Removes the entries past the retention period (AUTH_ACTIVITY_RETENTION_DAYS); run every hour, and by operators. */
			prune: {
				visibility: "public",
				async handler() {
					return { removed: await this.pruneExpired() };
				},
			},
		},

		methods: {
			pruneExpired(): Promise<number> {
				const cutoff = retentionCutoff(new Date(), config.auth.activityRetentionDays);
				return this.removeWhere(trusted({ at: { $lt: cutoff } }, config));
			},

			schedulePrune(delayMs: number) {
				this.pruneTimer = setTimeout(() => {
					this.pruneExpired()
						.catch((error: Error) => this.logger.warn({ err: error }, "pruning the activity log failed; the next run tries again"))
						.finally(() => {
							if (this.pruneTimer) this.schedulePrune(ACTIVITY_PRUNE_INTERVAL_MS);
						});
				}, delayMs);
				this.pruneTimer.unref();
			},
		},

		started() {
			this.schedulePrune(FIRST_PRUNE_AFTER_MS);
		},

		stopped() {
			clearTimeout(this.pruneTimer);
			this.pruneTimer = null;
		},
	});
}
