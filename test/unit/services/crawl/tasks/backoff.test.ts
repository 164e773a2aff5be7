import fc from "fast-check";
import { retryDelayMs } from "../../../../../services/crawl/tasks/backoff";

const settings = { baseMs: 1000, capMs: 60_000 };

describe("retryDelayMs", () => {
	it("grows the ceiling exponentially per attempt up to the cap", () => {
		const highest = (attempt: number) => retryDelayMs(attempt, settings, undefined, () => 0.999_999);
		expect([1, 2, 3, 4].map(highest)).toEqual([999, 1999, 3999, 7999]);
		expect(highest(20)).toBe(59_999);
	});

	it("spreads delays over the whole range (full jitter)", () => {
		expect(retryDelayMs(3, settings, undefined, () => 0)).toBe(0);
		expect(retryDelayMs(3, settings, undefined, () => 0.5)).toBe(2000);
	});

	it("never comes back sooner than Retry-After asks, nor later than the cap", () => {
		expect(retryDelayMs(1, settings, 5000, () => 0)).toBe(5000);
		expect(retryDelayMs(1, settings, 120_000, () => 0)).toBe(60_000);
		expect(retryDelayMs(5, settings, 100, () => 0.9)).toBe(14_400);
	});

	it("ignores a Retry-After that is no delay", () => {
		for (const odd of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(retryDelayMs(2, settings, odd, () => 0.5)).toBe(1000);
	});

	it("stays within [0, cap] for any attempt, jitter and Retry-After", () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100 }),
				fc.double({ min: 0, max: 0.999_999, noNaN: true }),
				fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: undefined }),
				(attempt, random, retryAfter) => {
					const delay = retryDelayMs(attempt, settings, retryAfter, () => random);
					expect(delay).toBeGreaterThanOrEqual(retryAfter === undefined ? 0 : Math.min(settings.capMs, retryAfter));
					expect(delay).toBeLessThanOrEqual(settings.capMs);
				},
			),
		);
	});
});
