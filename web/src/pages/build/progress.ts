import type { Job, JobStep } from "../../api/types";

/** The steps of a round, in order (a build may go through several rounds before `done`). */
export const STEPS: { step: JobStep; label: string }[] = [
	{ step: "plan", label: "Planning" },
	{ step: "search", label: "Searching" },
	{ step: "download", label: "Downloading" },
	{ step: "finalize", label: "Finalizing" },
	{ step: "done", label: "Done" },
];

export const ENDED_STATUSES = new Set(["done", "failed", "cancelled"]);

export function isActive(job: Job | null | undefined): boolean {
	return job?.status === "queued" || job?.status === "running";
}

/** One observation of the images kept so far. */
export interface Sample {
	at: number;
	done: number;
}

/** How far back the rate is measured: long enough to smooth bursts, short enough to follow a change of pace. */
export const RATE_WINDOW_MS = 60_000;

/** Adds an observation, keeping the window (and at least the two latest, for a rate). */
export function addSample(samples: Sample[], sample: Sample, windowMs = RATE_WINDOW_MS): Sample[] {
	const last = samples.at(-1);
	// the same count again does not say more than the first time it was seen, unless time passed
	if (last && last.at === sample.at) return [...samples.slice(0, -1), sample];
	const kept = [...samples, sample].filter((one) => one.at >= sample.at - windowMs);
	return kept.length >= 2 ? kept : [...samples.slice(-1), sample];
}

export interface Estimate {
	/** Images kept per minute over the window; null before two observations some time apart. */
	perMinute: number | null;
	/** Seconds until the target at that rate; null when unknown (no rate, no target) or reached. */
	secondsLeft: number | null;
}

/** Rate and ETA from the observations: remaining images over the recent rate. */
export function estimate(samples: Sample[], target: number): Estimate {
	if (samples.length < 2) return { perMinute: null, secondsLeft: null };
	const first = samples[0];
	const last = samples[samples.length - 1];
	const elapsedMs = last.at - first.at;
	if (elapsedMs < 1000) return { perMinute: null, secondsLeft: null };
	const perMs = (last.done - first.done) / elapsedMs;
	const perMinute = perMs * 60_000;
	if (perMs <= 0) return { perMinute: 0, secondsLeft: null };
	const remaining = target - last.done;
	if (target <= 0 || remaining <= 0) return { perMinute, secondsLeft: null };
	return { perMinute, secondsLeft: remaining / perMs / 1000 };
}

/** Images wanted across labels (the build's targets). */
export function targetTotal(job: Job): number {
	return Object.values(job.targets ?? {}).reduce((sum, value) => sum + value, 0);
}

/** Share of the target kept so far, 0–1. */
export function completion(job: Job): number {
	if (job.status === "done") return 1;
	const target = targetTotal(job);
	return target > 0 ? Math.min(1, job.progress.valid / target) : 0;
}

export interface LabelRow {
	label: string;
	target: number | null;
	valid: number;
}

/**
 * Per-label progress: the build's target for each label and the valid images it has now (from the
 * dataset's metadata, live; or the build's counts at the end of its last round).
 */
export function labelRows(labels: string[], job: Job | null, perLabel: Record<string, number> | null): LabelRow[] {
	return labels.map((label) => ({
		label,
		target: job?.targets?.[label] ?? null,
		valid: perLabel?.[label] ?? job?.counts?.[label] ?? 0,
	}));
}

/** A Server-Sent Event of a build stream: its kind and the job it carries, or null for anything else. */
export function jobFromEvent(event: {
	event: string;
	data: string;
}): { kind: "snapshot" | "progress" | "step" | "completed"; job: Job } | null {
	if (!["snapshot", "progress", "step", "completed"].includes(event.event)) return null;
	try {
		const job = JSON.parse(event.data) as Job;
		return typeof job?.id === "string" ? { kind: event.event as "snapshot" | "progress" | "step" | "completed", job } : null;
	} catch {
		return null;
	}
}

/** Keeps the newer of two states of the same job (events can overtake a polled answer). */
export function newerJob(current: Job | null, next: Job): Job {
	if (!current || current.id !== next.id) return next;
	if ((next.eventSeq ?? 0) < (current.eventSeq ?? 0)) return current;
	return next;
}
