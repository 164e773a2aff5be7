import { describe, expect, it } from "vitest";
import { jobFixture } from "../../test/fixtures";
import { addSample, completion, estimate, jobFromEvent, labelRows, newerJob, RATE_WINDOW_MS, type Sample } from "./progress";

const samples = (...pairs: [number, number][]): Sample[] => pairs.map(([at, done]) => ({ at, done }));

describe("build progress", () => {
	it("has no rate or ETA before two observations a second apart", () => {
		expect(estimate([], 200)).toEqual({ perMinute: null, secondsLeft: null });
		expect(estimate(samples([0, 10]), 200)).toEqual({ perMinute: null, secondsLeft: null });
		expect(estimate(samples([0, 10], [500, 20]), 200)).toEqual({ perMinute: null, secondsLeft: null });
	});

	it("computes the ETA from the rate: 60 images a minute with 120 to go is 2 minutes", () => {
		const { perMinute, secondsLeft } = estimate(samples([0, 20], [30_000, 50], [60_000, 80]), 200);
		expect(perMinute).toBeCloseTo(60);
		expect(secondsLeft).toBeCloseTo(120);
	});

	it("says nothing about the time left when nothing is kept any more, or the target is reached", () => {
		expect(estimate(samples([0, 50], [10_000, 50]), 200)).toEqual({ perMinute: 0, secondsLeft: null });
		expect(estimate(samples([0, 150], [10_000, 210]), 200).secondsLeft).toBeNull();
		expect(estimate(samples([0, 0], [10_000, 10]), 0).secondsLeft).toBeNull();
	});

	it("measures the rate over the last minute only, so a change of pace shows", () => {
		let kept: Sample[] = [];
		// fast at first (10 a second), then slow (1 a second) for more than the window
		for (let second = 0; second <= 30; second++) kept = addSample(kept, { at: second * 1000, done: second * 10 });
		for (let second = 31; second <= 120; second++) kept = addSample(kept, { at: second * 1000, done: 300 + (second - 30) });
		expect(kept[0].at).toBeGreaterThanOrEqual(120_000 - RATE_WINDOW_MS);
		expect(estimate(kept, 1000).perMinute).toBeCloseTo(60);
	});

	it("keeps the last two observations even when they are further apart than the window", () => {
		const kept = addSample(samples([0, 10]), { at: 5 * 60_000, done: 40 });
		expect(kept).toHaveLength(2);
		expect(estimate(kept, 100).perMinute).toBeCloseTo(6);
	});

	it("reports completion as images kept over the targets, and a finished build as complete", () => {
		expect(completion(jobFixture())).toBeCloseTo(40 / 200);
		expect(completion(jobFixture({ targets: {} }))).toBe(0);
		expect(completion(jobFixture({ status: "done", progress: { ...jobFixture().progress, valid: 10 } }))).toBe(1);
	});

	it("lists every label with its target and the valid images it has, from the live metadata first", () => {
		const job = jobFixture({ counts: { cat: 3, dog: 4 } });
		expect(labelRows(["cat", "dog", "bird"], job, { cat: 12, dog: 9 })).toEqual([
			{ label: "cat", target: 100, valid: 12 },
			{ label: "dog", target: 100, valid: 9 },
			{ label: "bird", target: null, valid: 0 },
		]);
		expect(labelRows(["cat"], job, null)).toEqual([{ label: "cat", target: 100, valid: 3 }]);
		expect(labelRows(["cat"], null, null)).toEqual([{ label: "cat", target: null, valid: 0 }]);
	});

	it("reads the job out of snapshot, progress, step and completed events and ignores anything else", () => {
		const job = jobFixture();
		expect(jobFromEvent({ event: "progress", data: JSON.stringify(job) })).toEqual({ kind: "progress", job });
		expect(jobFromEvent({ event: "completed", data: JSON.stringify(job) })?.kind).toBe("completed");
		expect(jobFromEvent({ event: "message", data: JSON.stringify(job) })).toBeNull();
		expect(jobFromEvent({ event: "progress", data: "{not json" })).toBeNull();
		expect(jobFromEvent({ event: "progress", data: "{}" })).toBeNull();
	});

	it("keeps the newer state of a build when an older one arrives late", () => {
		const newer = jobFixture({ eventSeq: 9 });
		const older = jobFixture({ eventSeq: 8 });
		expect(newerJob(newer, older)).toBe(newer);
		expect(newerJob(older, newer)).toBe(newer);
		const other = jobFixture({ id: "job2", eventSeq: 1 });
		expect(newerJob(newer, other)).toBe(other);
	});
});
