import { afterAttempt } from "../../../../services/notify/delivery";
import { eventId, exportEvent, jobEvent, webhookBody } from "../../../../services/notify/events";

const job = {
	id: "job-1",
	datasetId: "dataset-1",
	ownerId: "alice",
	status: "done",
	step: "done",
	round: 1,
	progress: { found: 4, downloaded: 4, valid: 3, duplicates: 0, rejected: 1, failedTasks: 0 },
	counts: { cat: 2, dog: 1 },
	error: null,
	startedAt: "2026-11-26T09:00:00.000Z",
	finishedAt: "2026-11-26T09:01:00.000Z",
};

describe("platform events", () => {
	it("makes one event of a build's completion, typed by how it ended, and none of its progress", () => {
		expect(jobEvent({ type: "progress", seq: 3, job: { ...job, status: "running" } })).toBeNull();
		expect(jobEvent({ type: "step", seq: 4, job: { ...job, status: "running" } })).toBeNull();
		const done = jobEvent({ type: "completed", seq: 9, job });
		expect(done).toMatchObject({
			id: eventId("job:job-1:9"),
			key: "job:job-1:9",
			type: "job.completed",
			ownerId: "alice",
			occurredAt: "2026-11-26T09:01:00.000Z",
			message: "The build of dataset dataset-1 finished with 3 valid images.",
			data: { jobId: "job-1", datasetId: "dataset-1", status: "done", counts: { cat: 2, dog: 1 } },
		});
		expect(jobEvent({ type: "completed", seq: 9, job: { ...job, status: "failed", error: "No valid image" } })).toMatchObject({
			type: "job.failed",
			message: "The build of dataset dataset-1 failed: No valid image.",
		});
		expect(jobEvent({ type: "completed", seq: 9, job: { ...job, status: "cancelled" } })?.type).toBe("job.cancelled");
		// a build requeued after it ended completes again: a new event
		expect(jobEvent({ type: "completed", seq: 12, job })?.id).not.toBe(done?.id);
		expect(jobEvent({ type: "completed", seq: 9, job: { ...job, ownerId: undefined } })).toBeNull();
		expect(jobEvent({ type: "completed", seq: 9, job: { ...job, status: "toString" } })).toBeNull();
	});

	it("makes one event of an export that became ready or failed", () => {
		const record = { id: "export-1", datasetId: "dataset-1", ownerId: "alice", format: "csv", status: "ready", imageCount: 1, bytes: 2048 };
		expect(exportEvent(record)).toMatchObject({
			type: "export.ready",
			key: "export:export-1:ready",
			message: "The csv export of dataset dataset-1 is ready: 1 image, 2048 bytes.",
		});
		expect(exportEvent({ ...record, status: "failed", error: "over quota" })).toMatchObject({ type: "export.failed" });
		expect(exportEvent({ ...record, status: "running" })).toBeNull();
	});

	it("writes the same body for every attempt of a delivery", () => {
		const event = { id: "evt_1", type: "job.completed" as const, occurredAt: "2026-11-26T09:01:00.000Z", data: { jobId: "job-1" } };
		expect(webhookBody(event)).toBe(
			'{"id":"evt_1","type":"job.completed","createdAt":"2026-11-26T09:01:00.000Z","data":{"jobId":"job-1"}}',
		);
		expect(webhookBody({ ...event })).toBe(webhookBody(event));
	});
});

describe("what follows a delivery attempt", () => {
	const policy = { retryBaseMs: 1000, retryCapMs: 8000 };
	const at = new Date("2026-11-26T09:00:00.000Z");
	const failed = { ok: false, statusCode: 500, durationMs: 20, error: "HTTP 500" };

	it("waits a jittered, doubling backoff between attempts, capped, and fails after the last", () => {
		const waits = [1, 2, 3, 4, 5].map((attempt) => afterAttempt(attempt, 6, failed, policy, at, () => 0.999999).record.retryInMs);
		expect(waits).toEqual([999, 1999, 3999, 7999, 7999]);
		const retrying = afterAttempt(2, 6, failed, policy, at, () => 0.5);
		expect(retrying).toMatchObject({ status: "retrying", nextRunAt: new Date(at.getTime() + 20 + 1000) });
		expect(afterAttempt(6, 6, failed, policy, at)).toMatchObject({ status: "failed", nextRunAt: null, record: { retryInMs: null } });
	});

	it("never comes back sooner than a receiver's Retry-After asked, nor later than the cap", () => {
		const busy = { ...failed, statusCode: 503, retryAfterMs: 5000 };
		expect(afterAttempt(1, 6, busy, policy, at, () => 0).record.retryInMs).toBe(5000);
		expect(afterAttempt(1, 6, { ...busy, retryAfterMs: 60_000 }, policy, at, () => 0).record.retryInMs).toBe(8000);
	});

	it("ends a delivery at its first 2xx", () => {
		expect(afterAttempt(1, 6, { ok: true, statusCode: 204, durationMs: 12, error: null }, policy, at)).toEqual({
			status: "delivered",
			nextRunAt: null,
			record: { attempt: 1, at, statusCode: 204, durationMs: 12, error: null, retryInMs: null },
		});
	});
});
