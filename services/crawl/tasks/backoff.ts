/**
 * When a failed task runs again: exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"): a uniformly random delay in [0, min(cap, base · 2^(attempt-1))],
 * so retries of many tasks that failed together spread out instead of arriving in waves. A host's own
 * Retry-After is a floor: we never come back sooner than it asked, but never later than the cap.
 */
export interface BackoffSettings {
	baseMs: number;
	capMs: number;
}

export function retryDelayMs(
	attempt: number,
	settings: BackoffSettings,
	retryAfterMs?: number,
	random: () => number = Math.random,
): number {
	const ceiling = Math.min(settings.capMs, settings.baseMs * 2 ** Math.max(0, attempt - 1));
	const jittered = Math.floor(random() * ceiling);
	if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0) return jittered;
	return Math.min(settings.capMs, Math.max(jittered, Math.ceil(retryAfterMs)));
}
