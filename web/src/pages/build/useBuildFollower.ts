import { useEffect, useRef, useState } from "react";
import type { ApiClient } from "../../api/client";
import { isApiError } from "../../api/errors";
import type { Job } from "../../api/types";
import { addSample, ENDED_STATUSES, isActive, jobFromEvent, newerJob, type Sample } from "./progress";

/**
 * How the page learns about the build: `live` over the dataset's event stream; `polling` when the
 * stream keeps failing (a proxy that buffers it); `ended` once the build has finished; `waiting` while
 * the stream is open and no build has started.
 */
export type Connection = "connecting" | "waiting" | "live" | "polling" | "ended" | "failed";

export interface BuildFollower {
	job: Job | null;
	connection: Connection;
	/** Observations of the images kept, for the rate and the ETA (reset when another build starts). */
	samples: Sample[];
	error: unknown;
}

const POLL_MS = 3000;
/** Failed stream attempts in a row before polling instead. */
const STREAM_ATTEMPTS = 3;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, ms);
		signal.addEventListener("abort", () => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/**
 * Follows a dataset's builds while the page is open: `GET /datasets/:id/events` (a snapshot, then
 * progress, step and completed events), reconnecting with a backoff, polling when the stream cannot be
 * had. Changing `restartKey` (after starting a build or retrying tasks) follows afresh.
 */
export function useBuildFollower(api: ApiClient, datasetId: string, restartKey: number, now: () => number = Date.now): BuildFollower {
	const [state, setState] = useState<BuildFollower>({ job: null, connection: "connecting", samples: [], error: null });
	const nowRef = useRef(now);
	nowRef.current = now;

	// biome-ignore lint/correctness/useExhaustiveDependencies: restartKey asks to follow afresh
	useEffect(() => {
		const controller = new AbortController();
		const { signal } = controller;
		const accept = (job: Job) =>
			setState((previous) => {
				const next = newerJob(previous.job, job);
				const sameBuild = previous.job?.id === next.id;
				const samples =
					isActive(next) || sameBuild
						? addSample(sameBuild ? previous.samples : [], { at: nowRef.current(), done: next.progress.valid })
						: [];
				return { ...previous, job: next, samples, connection: ENDED_STATUSES.has(next.status) ? "ended" : "live", error: null };
			});
		const setConnection = (connection: Connection, error: unknown = null) => setState((previous) => ({ ...previous, connection, error }));

		async function poll() {
			setConnection("polling");
			while (!signal.aborted) {
				try {
					const dataset = await api.datasets.get(datasetId, signal);
					if (!dataset.currentJobId) {
						setConnection("waiting");
						return;
					}
					const job = await api.jobs.get(dataset.currentJobId, signal);
					accept(job);
					if (ENDED_STATUSES.has(job.status)) return;
					setConnection("polling");
				} catch (error) {
					if (signal.aborted) return;
					setConnection("polling", error);
				}
				await sleep(POLL_MS, signal);
			}
		}

		async function follow() {
			let failures = 0;
			while (!signal.aborted) {
				let last: Job | null = null;
				try {
					setConnection("waiting");
					for await (const event of api.datasets.events(datasetId, { signal })) {
						const parsed = jobFromEvent(event);
						if (!parsed) continue;
						failures = 0;
						last = parsed.job;
						accept(parsed.job);
					}
					// the stream ends after a build's completion: nothing more will come until another build starts
					if (last && ENDED_STATUSES.has(last.status)) return;
				} catch (error) {
					if (signal.aborted) return;
					// the dataset is gone or not ours, or we are signed out: retrying will not help
					if (isApiError(error) && [401, 403, 404].includes(error.status)) {
						setConnection("failed", error);
						return;
					}
					failures += 1;
					if (failures >= STREAM_ATTEMPTS) return poll();
				}
				await sleep(Math.min(10_000, 1000 * 2 ** (failures - 1)), signal);
			}
		}

		// the build shown so far stays until the stream says more
		setState((previous) => ({ ...previous, connection: "connecting", error: null }));
		void follow();
		return () => controller.abort();
	}, [api, datasetId, restartKey]);

	return state;
}
