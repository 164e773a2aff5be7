import { retryDelayMs } from "../crawl/tasks/backoff";
import type { DeliveryEvent } from "./events";
import { DELIVERY_ID_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signing";
import type { AttemptResult } from "./webhook-client";

/**
 * A webhook delivery's life, as pure decisions: queued → delivering (one attempt, claimed by one replica)
 * → delivered, or retrying (after a backoff) → … → failed once its attempts are spent. A delivery whose
 * webhook was disabled or deleted before its turn ends cancelled.
 */
export const DELIVERY_STATUSES = ["queued", "delivering", "retrying", "delivered", "failed", "cancelled"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const OPEN_DELIVERY_STATUSES: readonly DeliveryStatus[] = ["queued", "delivering", "retrying"];

export interface RetryPolicy {
	maxAttempts: number;
	retryBaseMs: number;
	retryCapMs: number;
}

/** One attempt as the delivery records it (`attemptLog`). */
export interface AttemptRecord {
	attempt: number;
	at: Date;
	statusCode: number | null;
	durationMs: number;
	error: string | null;
	/** The backoff before the next attempt; null when none follows. */
	retryInMs: number | null;
}

export interface AttemptOutcome {
	status: Extract<DeliveryStatus, "delivered" | "retrying" | "failed">;
	/** When a retrying delivery runs again. */
	nextRunAt: Date | null;
	record: AttemptRecord;
}

/**
 * What follows attempt number `attempt` (1-based): success ends the delivery; a failure waits the crawl
 * tasks' backoff (exponential, full jitter, the receiver's Retry-After as a floor) while attempts remain.
 */
export function afterAttempt(
	attempt: number,
	maxAttempts: number,
	result: AttemptResult,
	policy: Pick<RetryPolicy, "retryBaseMs" | "retryCapMs">,
	startedAt: Date,
	random: () => number = Math.random,
): AttemptOutcome {
	const record: AttemptRecord = {
		attempt,
		at: startedAt,
		statusCode: result.statusCode,
		durationMs: result.durationMs,
		error: result.error,
		retryInMs: null,
	};
	if (result.ok) return { status: "delivered", nextRunAt: null, record };
	if (attempt >= maxAttempts) return { status: "failed", nextRunAt: null, record };
	const delay = retryDelayMs(attempt, { baseMs: policy.retryBaseMs, capMs: policy.retryCapMs }, result.retryAfterMs, random);
	return {
		status: "retrying",
		nextRunAt: new Date(startedAt.getTime() + result.durationMs + delay),
		record: { ...record, retryInMs: delay },
	};
}

/** The headers of one attempt: a fresh timestamp and signature each time, the same event and delivery ids. */
export function deliveryHeaders(
	secret: string,
	event: Pick<DeliveryEvent, "id" | "type">,
	deliveryId: string,
	body: string,
	now: Date,
): Record<string, string> {
	const timestamp = Math.floor(now.getTime() / 1000);
	return {
		[SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body),
		[EVENT_ID_HEADER]: event.id,
		[EVENT_TYPE_HEADER]: event.type,
		[DELIVERY_ID_HEADER]: deliveryId,
	};
}
