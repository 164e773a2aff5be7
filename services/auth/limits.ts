import type { Config } from "../../lib/config";
import { type LimitDetails, LimitExceeded, RateLimited } from "../../lib/errors";

/**
 * Plan limits: what one user may have or do. Defaults come from the configuration, each under the
 * area that owns the resource (CRAWL_MAX_CONCURRENT_JOBS_PER_USER, DATASET_MAX_IMAGES_PER_USER_PER_DAY,
 * DATASET_MAX_PER_USER, STORAGE_QUOTA_BYTES_PER_USER, RATE_LIMIT_API_TOKEN_PER_MINUTE); a superuser may
 * override any of them for one user, stored on the user. The services that own the resources enforce
 * them; this module only knows their names, values and refusals.
 */
export const PLAN_LIMITS = ["concurrentJobs", "imagesPerDay", "datasets", "storageBytes", "apiRequestsPerMinute"] as const;
export type PlanLimitName = (typeof PLAN_LIMITS)[number];

/** A user's limits; null means no limit. */
export type PlanLimits = Record<PlanLimitName, number | null>;

/** The values a superuser set for one user; a missing name takes the configured default. */
export type LimitOverrides = Partial<Record<PlanLimitName, number>>;

/** How much of each limit a user uses; null when the service that knows did not answer. */
export interface PlanUsage {
	concurrentJobs: number | null;
	imagesPerDay: number | null;
	/** When the day's image count starts again from zero (the next UTC midnight). */
	imagesPerDayResetsAt: string;
	datasets: number | null;
	storageBytes: number | null;
}

/**
 * The values an override may take, as the variable it overrides: 0 means no limit, except for
 * concurrent builds, where 0 would stop a user from building at all (deactivate the user instead).
 */
export const OVERRIDE_BOUNDS: Record<PlanLimitName, { min: number; max: number }> = {
	concurrentJobs: { min: 1, max: 100 },
	imagesPerDay: { min: 0, max: 100_000_000 },
	datasets: { min: 0, max: 1_000_000 },
	storageBytes: { min: 0, max: Number.MAX_SAFE_INTEGER },
	apiRequestsPerMinute: { min: 0, max: 1_000_000 },
};

/** The parameter rules of an override request: each limit optional, a number, or null for the default again. */
export function overrideRules(): Record<string, Record<string, unknown>> {
	return Object.fromEntries(
		PLAN_LIMITS.map((name) => [name, { type: "number", integer: true, ...OVERRIDE_BOUNDS[name], nullable: true, optional: true }]),
	);
}

const noLimitAtZero = (value: number): number | null => (value === 0 ? null : value);

/** The configured limits every user has unless a superuser set others. */
export function defaultLimits(config: Config): PlanLimits {
	return {
		concurrentJobs: config.crawl.maxConcurrentJobsPerUser,
		imagesPerDay: noLimitAtZero(config.dataset.maxImagesPerUserPerDay),
		datasets: noLimitAtZero(config.dataset.maxDatasetsPerUser),
		storageBytes: noLimitAtZero(config.storage.quotaBytesPerUser),
		apiRequestsPerMinute: noLimitAtZero(config.rateLimit.apiTokenPerMinute),
	};
}

/** The overrides as stored on a user, keeping only known names with values in bounds. */
export function storedOverrides(stored: unknown): LimitOverrides {
	if (typeof stored !== "object" || stored === null) return {};
	const overrides: LimitOverrides = {};
	for (const name of PLAN_LIMITS) {
		const value = (stored as Record<string, unknown>)[name];
		const { min, max } = OVERRIDE_BOUNDS[name];
		if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) overrides[name] = value;
	}
	return overrides;
}

/** A user's limits: the defaults with the user's overrides on top. */
export function effectiveLimits(defaults: PlanLimits, overrides: LimitOverrides): PlanLimits {
	const limits = { ...defaults };
	for (const name of PLAN_LIMITS) {
		const value = overrides[name];
		if (value !== undefined) limits[name] = name === "concurrentJobs" ? value : noLimitAtZero(value);
	}
	return limits;
}

/** Applies a change as a JSON merge patch (RFC 7396): a number sets a limit, null returns it to the default. */
export function patchOverrides(current: LimitOverrides, patch: Partial<Record<PlanLimitName, number | null>>): LimitOverrides {
	const next: LimitOverrides = { ...current };
	for (const name of PLAN_LIMITS) {
		if (!(name in patch)) continue;
		const value = patch[name];
		if (value === null || value === undefined) delete next[name];
		else next[name] = value;
	}
	return next;
}

/** The UTC day a moment falls in, e.g. "2026-11-26": the key of the daily image count. */
export function utcDay(at: Date): string {
	return at.toISOString().slice(0, 10);
}

/** When the UTC day of `at` ends: the daily image count starts again from zero. */
export function nextUtcMidnight(at: Date): Date {
	return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** Seconds until a moment, at least 1 (Retry-After). */
function secondsUntil(moment: Date, now: Date): number {
	return Math.max(1, Math.ceil((moment.getTime() - now.getTime()) / 1000));
}

/** How long a client refused for its concurrent builds should wait: builds end on their own. */
export const CONCURRENT_JOBS_RETRY_SECONDS = 30;

/** 429: the user runs as many builds as allowed; one ending frees a place. */
export function concurrentJobsReached(max: number, used: number): RateLimited {
	return new RateLimited(
		CONCURRENT_JOBS_RETRY_SECONDS,
		{ limit: "concurrentJobs", max, used },
		`You already run ${used} builds, as many as your plan allows (${max}); start this one when one of them has ended`,
	);
}

/** 429: the images the user's builds may store today are stored; the count starts again at the next UTC midnight. */
export function imagesPerDayReached(max: number, used: number, now: Date = new Date()): RateLimited {
	const resetsAt = nextUtcMidnight(now);
	return new RateLimited(
		secondsUntil(resetsAt, now),
		{ limit: "imagesPerDay", max, used, resetsAt: resetsAt.toISOString() },
		`Your builds stored ${used} images today, as many as your plan allows per day (${max}); the count starts again at ${resetsAt.toISOString()}`,
	);
}

/** 429: the API token made as many requests this minute as its owner's plan allows. */
export function apiRequestsReached(max: number, used: number, resetSeconds: number, now: Date = new Date()): RateLimited {
	const resetsAt = new Date(now.getTime() + resetSeconds * 1000);
	return new RateLimited(
		resetSeconds,
		{ limit: "apiRequestsPerMinute", max, used, resetsAt: resetsAt.toISOString() },
		`This API token made ${used} requests this minute; your plan allows ${max} per token`,
	);
}

/** 403: the user has as many datasets as allowed; deleting one makes room. */
export function datasetsReached(max: number, used: number): LimitExceeded {
	return new LimitExceeded(`You have ${used} datasets, as many as your plan allows (${max}); delete one to define another`, {
		limit: "datasets",
		max,
		used,
	});
}

/** 403: the user's stored files use the bytes allowed; deleting datasets or exports frees space. */
export function storageBytesReached(max: number, used: number): LimitExceeded {
	return new LimitExceeded("Your storage quota is used up; delete datasets or exports to free space", {
		limit: "storageBytes",
		max,
		used,
	});
}

/** Why a plan limit stopped a build, for its log, its cancelled tasks and, when it kept nothing, its error. */
export function limitStoppedBuild(details: LimitDetails): string {
	const resets = details.resetsAt ? `; it resets at ${details.resetsAt}` : "";
	return `the ${details.limit} plan limit (${details.max}) was reached, so the build stopped adding images${resets}`;
}
