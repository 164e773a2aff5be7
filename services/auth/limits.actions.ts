import type { Config } from "../../lib/config";
import { type AnyContext, defineMixin } from "../../lib/define-service";
import { NotFound } from "../../lib/errors";
import { objectId } from "../../lib/params";
import {
	defaultLimits,
	effectiveLimits,
	type LimitOverrides,
	nextUtcMidnight,
	overrideRules,
	type PlanLimits,
	type PlanUsage,
	patchOverrides,
	storedOverrides,
} from "./limits";

/** A usage figure is a courtesy of another service: it must not hold up the answer for long. */
const USAGE_TIMEOUT_MS = 2000;

export const LIMITS_EXAMPLE: PlanLimits = {
	concurrentJobs: 2,
	imagesPerDay: 100000,
	datasets: 100,
	storageBytes: 10737418240,
	apiRequestsPerMinute: 120,
};
export const USAGE_EXAMPLE: PlanUsage = {
	concurrentJobs: 1,
	imagesPerDay: 310,
	imagesPerDayResetsAt: "2026-11-27T00:00:00.000Z",
	datasets: 3,
	storageBytes: 52428800,
};

/**
 * The auth service's side of plan limits: it stores each user's overrides, tells the enforcing
 * services a user's limits (`auth.limitsOf`), gathers the usage they count, and lets superusers read
 * and change one user's limits.
 */
export function limitsActions(config: Config) {
	const defaults = defaultLimits(config);
	const view = {
		auth: "superuser" as const,
		tag: "users",
		response: "UserLimits" as const,
		responseExample: { userId: "kQ3ZrV9sF2aXhT1c", limits: LIMITS_EXAMPLE, overrides: {}, defaults: LIMITS_EXAMPLE, usage: USAGE_EXAMPLE },
	};
	return defineMixin({
		actions: {
			/** For the services that enforce limits (through PlanLimitsLookup): the user's limits now. */
			limitsOf: {
				visibility: "public",
				params: { userId: objectId },
				handler(ctx) {
					return this.limitsOfUser(ctx.params.userId);
				},
			},

			userLimits: {
				...view,
				rest: "GET /admin/users/:id/limits",
				summary: "A user's plan limits and usage",
				description:
					"The limits that apply to the user (null: no limit), the overrides set for them, the configured defaults, and what the user uses of each.",
				params: { id: objectId },
				async handler(ctx) {
					return this.limitsView(ctx, ctx.params.id, storedOverrides((await this.storedUser(ctx.params.id)).limitOverrides));
				},
			},

			updateUserLimits: {
				...view,
				rest: "PATCH /admin/users/:id/limits",
				summary: "Override a user's plan limits",
				description:
					"A merge patch: a number sets that limit for the user (0 means no limit, except for concurrentJobs, at least 1), null returns it to the configured default, and a limit left out stays as it is. The enforcing services apply a change within 5 seconds.",
				example: { datasets: 500, storageBytes: 53687091200, imagesPerDay: null },
				params: { $$strict: true, id: objectId, ...overrideRules() },
				async handler(ctx) {
					const { id, ...patch } = ctx.params;
					const overrides = patchOverrides(storedOverrides((await this.storedUser(id)).limitOverrides), patch);
					await this.updateInternal(id, { limitOverrides: overrides }, ctx);
					return this.limitsView(ctx, id, overrides);
				},
			},
		},

		methods: {
			async storedUser(id: string): Promise<Record<string, unknown>> {
				const user = await this.findRawById(id);
				if (!user) throw new NotFound("user", id);
				return user;
			},

			async limitsOfUser(id: string): Promise<PlanLimits> {
				return this.limitsFromStored(await this.storedUser(id));
			},

			/** The limits of a user as stored (with the overrides, which answers never show). */
			limitsFromStored(user: Record<string, unknown>): PlanLimits {
				return effectiveLimits(defaults, storedOverrides(user.limitOverrides));
			},

			async limitsView(ctx: AnyContext, id: string, overrides: LimitOverrides) {
				return { userId: id, limits: effectiveLimits(defaults, overrides), overrides, defaults, usage: await this.usageOf(ctx, id) };
			},

			/** Each figure from the service that counts it; null for a service that does not answer in time. */
			async usageOf(ctx: AnyContext, ownerId: string): Promise<PlanUsage> {
				const options = { timeout: USAGE_TIMEOUT_MS };
				const [jobs, datasets, storage] = await Promise.allSettled([
					ctx.call<{ activeJobs: number }, { ownerId: string }>("crawl.usageOf", { ownerId }, options),
					ctx.call<{ datasets: number; imagesToday: number }, { ownerId: string }>("dataset.usageOf", { ownerId }, options),
					ctx.call<{ bytes: number }, { ownerId: string }>("storage.usageOf", { ownerId }, options),
				]);
				const value = <T>(result: PromiseSettledResult<T>) => (result.status === "fulfilled" ? result.value : null);
				return {
					concurrentJobs: value(jobs)?.activeJobs ?? null,
					imagesPerDay: value(datasets)?.imagesToday ?? null,
					imagesPerDayResetsAt: nextUtcMidnight(new Date()).toISOString(),
					datasets: value(datasets)?.datasets ?? null,
					storageBytes: value(storage)?.bytes ?? null,
				};
			},
		},
	});
}
