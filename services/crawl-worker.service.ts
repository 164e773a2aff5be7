import { type Config, getConfig } from "../lib/config";
import { defineService } from "../lib/define-service";
import { limitDetailsOf } from "../lib/errors";
import { Downloader } from "./crawl/downloader";
import { isTransient } from "./crawl/errors";
import { type Claim, type PartialFailure, WORKER_HANDLERS } from "./crawl/handlers";
import { TASK_TYPES } from "./crawl/tasks/registry";

/** How often a running task tells the saga owner it is alive, and learns whether its job was cancelled. */
const HEARTBEAT_MS = 1000;
/** When the saga owner cannot be reached, the task's message comes back after this long. */
const CLAIM_RETRY_MS = 2000;

/** A failure worth another attempt: not one of ours marked permanent, and not a refusal (4xx) from a service. */
function worthRetrying(error: unknown): boolean {
	const code = (error as { code?: unknown }).code;
	if (typeof code === "number" && code >= 400 && code < 500) return false;
	return isTransient(error);
}

/**
 * Stateless task executors: any number of replicas take plan, search and download tasks from the
 * durable queue, run them, and report to the saga owner (`crawl`), which alone changes task state.
 */
export function createCrawlWorkerService(config: Config) {
	const taskChannel = {
		group: "crawl-workers",
		handler(this: { runTask(taskId: string, raw: unknown): Promise<void> }, payload: { taskId: string }, raw: unknown) {
			return this.runTask(payload.taskId, raw);
		},
	};
	return defineService({
		name: "crawl-worker",
		// tasks are claimed from the saga owner and write through dataset and storage: take none before they are up
		dependencies: ["crawl", "dataset", "storage"],
		channels: {
			[TASK_TYPES["crawl.plan"].channel]: taskChannel,
			[TASK_TYPES["crawl.search"].channel]: taskChannel,
			[TASK_TYPES["crawl.download"].channel]: taskChannel,
		},

		methods: {
			async runTask(taskId: string, raw: unknown) {
				let claim: Claim | null;
				try {
					claim = (await this.broker.call("crawl.claimTask", { taskId, worker: this.broker.nodeID })) as Claim | null;
				} catch (error) {
					// the saga owner is unreachable: JetStream brings the message back later (the database would too)
					this.logger.warn({ taskId, err: error }, "could not claim a task; it will be delivered again");
					(raw as { nak?: (delayMs: number) => void } | undefined)?.nak?.(CLAIM_RETRY_MS);
					return;
				}
				if (!claim) return;
				const handler = WORKER_HANDLERS[claim.task.type];
				if (!handler) return;
				const controller = new AbortController();
				let cancelled = false;
				const deadline = setTimeout(() => controller.abort(new Error("the task ran out of time")), TASK_TYPES[claim.task.type].timeoutMs);
				const heartbeat = setInterval(() => {
					// JetStream: still working, do not redeliver
					(raw as { working?: () => void } | undefined)?.working?.();
					this.broker
						.call("crawl.heartbeat", { taskId })
						.then((answer: { cancelled: boolean }) => {
							if (answer.cancelled && !controller.signal.aborted) {
								cancelled = true;
								controller.abort(new Error("the build was cancelled"));
							}
						})
						.catch(() => undefined);
				}, HEARTBEAT_MS);
				const running = (async () => {
					try {
						const outcome = await handler(claim, {
							config: config.crawl,
							downloader: this.downloader,
							call: (action, params, options) => this.broker.call(action, params, options),
							signal: controller.signal,
						});
						await this.broker.call("crawl.completeTask", { taskId, ...outcome });
					} catch (error) {
						const failure = error as PartialFailure;
						const limitReached = limitDetailsOf(failure);
						await this.broker.call("crawl.failTask", {
							taskId,
							message: String(failure.message ?? failure).slice(0, 2000),
							transient: !cancelled && worthRetrying(failure),
							cancelled,
							...(failure.retryAfterMs ? { retryAfterMs: failure.retryAfterMs } : {}),
							...(failure.partial ? { partial: failure.partial } : {}),
							...(failure.progress ? { progress: failure.progress } : {}),
							...(limitReached ? { limitReached } : {}),
						});
					} finally {
						clearInterval(heartbeat);
						clearTimeout(deadline);
					}
				})();
				this.inFlight.add(running);
				try {
					await running;
				} finally {
					this.inFlight.delete(running);
				}
			},
		},

		created() {
			this.downloader = new Downloader(config.crawl);
			this.inFlight = new Set<Promise<void>>();
		},

		async stopped() {
			// graceful: what is running finishes (or fails and is retried); the queue holds the rest
			await Promise.allSettled([...this.inFlight]);
			await this.downloader.close();
		},
	});
}

export default createCrawlWorkerService(getConfig());
