import { loadConfig } from "../../../../lib/config";
import { limitDetailsOf, RateLimited } from "../../../../lib/errors";
import { toProblem } from "../../../../lib/http/problem";
import {
	apiRequestsReached,
	concurrentJobsReached,
	datasetsReached,
	defaultLimits,
	effectiveLimits,
	imagesPerDayReached,
	limitStoppedBuild,
	nextUtcMidnight,
	patchOverrides,
	storageBytesReached,
	storedOverrides,
	utcDay,
} from "../../../../services/auth/limits";

const ENV = {
	CRAWL_MAX_CONCURRENT_JOBS_PER_USER: "3",
	DATASET_MAX_IMAGES_PER_USER_PER_DAY: "500",
	DATASET_MAX_PER_USER: "0",
	STORAGE_QUOTA_BYTES_PER_USER: "2048",
	RATE_LIMIT_API_TOKEN_PER_MINUTE: "60",
};

describe("plan limits", () => {
	it("takes the defaults from each area's variable, 0 meaning no limit", () => {
		expect(defaultLimits(loadConfig(ENV))).toEqual({
			concurrentJobs: 3,
			imagesPerDay: 500,
			datasets: null,
			storageBytes: 2048,
			apiRequestsPerMinute: 60,
		});
		expect(defaultLimits(loadConfig({}))).toEqual({
			concurrentJobs: 2,
			imagesPerDay: 100000,
			datasets: 100,
			storageBytes: 10737418240,
			apiRequestsPerMinute: null,
		});
	});

	it("puts a user's overrides on top of the defaults; an override of 0 lifts the limit", () => {
		const defaults = defaultLimits(loadConfig(ENV));
		expect(effectiveLimits(defaults, { datasets: 10, storageBytes: 0, concurrentJobs: 1 })).toEqual({
			concurrentJobs: 1,
			imagesPerDay: 500,
			datasets: 10,
			storageBytes: null,
			apiRequestsPerMinute: 60,
		});
		expect(effectiveLimits(defaults, {})).toEqual(defaults);
	});

	it("applies a change as a merge patch: numbers set, null removes, absent names stay", () => {
		const current = { datasets: 10, imagesPerDay: 50 };
		expect(patchOverrides(current, { datasets: null, storageBytes: 4096 })).toEqual({ imagesPerDay: 50, storageBytes: 4096 });
		expect(patchOverrides(current, {})).toEqual(current);
		expect(current).toEqual({ datasets: 10, imagesPerDay: 50 });
	});

	it("reads stored overrides defensively: unknown names, wrong types and out-of-bounds values are dropped", () => {
		expect(storedOverrides(undefined)).toEqual({});
		expect(storedOverrides("datasets")).toEqual({});
		expect(
			storedOverrides({ datasets: 5, concurrentJobs: 0, imagesPerDay: "7", storageBytes: 1.5, apiRequestsPerMinute: 0, role: "superuser" }),
		).toEqual({ datasets: 5, apiRequestsPerMinute: 0 });
	});

	it("counts days in UTC and resets at the next UTC midnight", () => {
		const lateEvening = new Date("2026-11-26T23:59:59.500Z");
		expect(utcDay(lateEvening)).toBe("2026-11-26");
		expect(nextUtcMidnight(lateEvening).toISOString()).toBe("2026-11-27T00:00:00.000Z");
		expect(nextUtcMidnight(new Date("2026-12-31T00:00:00.000Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
	});

	it("refuses quantity limits with 403 and rate or daily limits with 429, naming the limit in the problem body", () => {
		const now = new Date("2026-11-26T23:00:00.000Z");
		const cases = [
			[datasetsReached(2, 2), 403, { limit: "datasets", max: 2, used: 2 }],
			[storageBytesReached(1000, 900), 403, { limit: "storageBytes", max: 1000, used: 900 }],
			[concurrentJobsReached(1, 1), 429, { limit: "concurrentJobs", max: 1, used: 1, retryAfter: 30 }],
			[
				imagesPerDayReached(3, 3, now),
				429,
				{ limit: "imagesPerDay", max: 3, used: 3, resetsAt: "2026-11-27T00:00:00.000Z", retryAfter: 3600 },
			],
			[
				apiRequestsReached(5, 6, 42, now),
				429,
				{ limit: "apiRequestsPerMinute", max: 5, used: 6, resetsAt: "2026-11-26T23:00:42.000Z", retryAfter: 42 },
			],
		] as const;
		for (const [error, status, fields] of cases) {
			const problem = toProblem(error, "req-1");
			expect(problem).toMatchObject({ status, requestId: "req-1", ...fields });
			expect(problem.detail).toBe(error.message);
			expect(limitDetailsOf(error)).toMatchObject({ limit: fields.limit, max: fields.max, used: fields.used });
		}
	});

	it("leaves other refusals' problem bodies as they were (route budgets, login attempts)", () => {
		const routeBudget = toProblem(new RateLimited(9, { limit: 600, routeClass: "default" }), "req-2");
		expect(routeBudget).not.toHaveProperty("limit");
		expect(routeBudget.retryAfter).toBe(9);
		expect(limitDetailsOf(new RateLimited(60, { limit: "login attempts" }))).toBeNull();
		expect(toProblem(new RateLimited(60, { limit: "login attempts" }))).not.toHaveProperty("max");
	});

	it("says why a limit stopped a build", () => {
		expect(limitStoppedBuild({ limit: "imagesPerDay", max: 3, used: 3, resetsAt: "2026-11-27T00:00:00.000Z" })).toBe(
			"the imagesPerDay plan limit (3) was reached, so the build stopped adding images; it resets at 2026-11-27T00:00:00.000Z",
		);
		expect(limitStoppedBuild({ limit: "storageBytes", max: 100, used: 90 })).toBe(
			"the storageBytes plan limit (100) was reached, so the build stopped adding images",
		);
	});
});
