import type { Config } from "../../lib/config";
import { defineMixin } from "../../lib/define-service";
import type { LimitDetails } from "../../lib/errors";
import { trusted } from "../../mixins/db.mixin";
import { limitStoppedBuild } from "../auth/limits";
import { ACTIVE_JOB_STATUSES } from "./jobs.repository";
import { retryDelayMs } from "./tasks/backoff";
import { ENDED, TASK_TYPES } from "./tasks/registry";
import { createTask, type JobScope, type Task, type TaskSpec, taskEnded } from "./tasks/workflow";

/**
 * A quiet task (its message lost) is published again after this long. A claim lasts CRAWL_TASK_LEASE_MS;
 * the worker's heartbeats renew it, so only a dead worker lets it lapse and the task is published again.
 */
const REPUBLISH_AFTER_MS = 60_000;
const PER_TICK = 200;
const taskSpec = {
	type: "object",
	props: {
		type: { type: "enum", values: Object.keys(TASK_TYPES) },
		key: { type: "string", min: 1, max: 300 },
		payload: { type: "object", optional: true },
	},
};
const progress = { type: "object", optional: true };
/** The plan limit that refused a task's image (lib/errors.ts LimitDetails). */
const limitReached = {
	type: "object",
	optional: true,
	props: {
		limit: { type: "string", max: 64 },
		max: { type: "number", integer: true, min: 0 },
		used: { type: "number", integer: true, min: 0 },
		resetsAt: { type: "string", max: 40, optional: true },
	},
};

/**
 * The saga owner's side of every task: workers claim, report and finish tasks through these actions;
 * the scheduler publishes due retries and re-publishes tasks that went quiet. The database decides:
 * a claim is a conditional update, so a redelivered message never runs a task twice at once, and a
 * finished task is never finished again.
 */
export function taskStateActions(config: Config) {
	const settings = config.crawl;
	return defineMixin({
		actions: {
			claimTask: {
				visibility: "public",
				params: { taskId: "string", worker: { type: "string", max: 200 } },
				async handler(ctx) {
					const task = (await this.tasks.findRawById(ctx.params.taskId)) as (Task & { _id: unknown; leaseUntil?: Date }) | null;
					if (!task) return null;
					const job = await this.jobs.findRawById(task.jobId);
					if (!job || job.status === "cancelled") {
						await this.tasks.updateWhere(trusted({ _id: task._id, status: { $nin: [...ENDED] } }, config), {
							status: "cancelled",
							finishedAt: new Date(),
						});
						return null;
					}
					// a plan limit stopped the build: the rest of its work ends unrun, and the round's finalize still ends the job
					if (job.limitReached && task.type !== "crawl.finalize") {
						const won = await this.tasks.updateWhere(trusted({ _id: task._id, status: { $nin: [...ENDED] } }, config), {
							status: "cancelled",
							lastError: limitStoppedBuild(job.limitReached as LimitDetails),
							finishedAt: new Date(),
						});
						if (won > 0)
							for (const released of await taskEnded(this.tasks, await this.scopeOf(task.jobId), task)) await this.publishTask(released);
						return null;
					}
					const now = new Date();
					const claimable = trusted(
						{
							_id: task._id,
							attempts: task.attempts,
							$or: [{ status: "queued" }, { status: "running", leaseUntil: { $lt: now } }],
						},
						config,
					);
					const won = await this.tasks.updateWhere(claimable, {
						status: "running",
						attempts: task.attempts + 1,
						startedAt: now,
						leaseUntil: new Date(now.getTime() + settings.taskLeaseMs),
						worker: ctx.params.worker,
					});
					if (won === 0) return null;
					await this.jobStarted(job, task.type);
					const definition = await ctx.call("dataset.definitionOf", { id: job.datasetId });
					return {
						task: { ...(await this.tasks.toDocuments(ctx, task)), attempts: task.attempts + 1, result: task.result ?? null },
						job: { id: task.jobId, datasetId: job.datasetId, ownerId: job.ownerId },
						definition,
					};
				},
			},

			/** A running task's sign of life: extends its lease and tells the worker whether to stop. */
			heartbeat: {
				visibility: "public",
				params: { taskId: "string" },
				async handler(ctx) {
					const task = await this.tasks.findRawById(ctx.params.taskId);
					if (!task) return { cancelled: true };
					const job = await this.jobs.findRawById(task.jobId);
					if (!job || job.status === "cancelled" || job.limitReached || task.status !== "running") return { cancelled: true };
					await this.tasks.updateWhere({ _id: task._id, status: "running" }, { leaseUntil: new Date(Date.now() + settings.taskLeaseMs) });
					return { cancelled: false };
				},
			},

			/** Records a task's success: its follow-up tasks first (so its group cannot end early), then itself. */
			completeTask: {
				visibility: "public",
				params: {
					taskId: "string",
					result: { type: "any", optional: true },
					spawn: { type: "array", optional: true, items: taskSpec },
					progress,
				},
				async handler(ctx) {
					const task = (await this.tasks.findRawById(ctx.params.taskId)) as (Task & { _id: unknown }) | null;
					if (task?.status !== "running") return { accepted: false };
					const scope = await this.scopeOf(task.jobId);
					const spawned: Task[] = [];
					for (const spec of (ctx.params.spawn ?? []) as TaskSpec[]) {
						const { task: child, created } = await createTask(this.tasks, scope, spec, { groupId: task.groupId });
						if (created) spawned.push(child);
					}
					const won = await this.tasks.updateWhere(
						{ _id: task._id, status: "running" },
						{ status: "done", result: ctx.params.result ?? null, lastError: null, leaseUntil: null, finishedAt: new Date() },
					);
					if (won === 0) return { accepted: false };
					await this.countProgress(task.jobId, ctx.params.progress);
					for (const child of spawned) await this.publishTask(child);
					for (const released of await taskEnded(this.tasks, scope, task)) await this.publishTask(released);
					return { accepted: true, spawned: spawned.length };
				},
			},

			/** Records a failure: a transient one is retried later with backoff, a permanent or exhausted one ends the task. */
			failTask: {
				visibility: "public",
				params: {
					taskId: "string",
					message: { type: "string", max: 2000 },
					transient: "boolean",
					retryAfterMs: { type: "number", min: 0, optional: true },
					cancelled: { type: "boolean", optional: true },
					partial: { type: "any", optional: true },
					progress,
					limitReached,
				},
				async handler(ctx) {
					const task = (await this.tasks.findRawById(ctx.params.taskId)) as (Task & { _id: unknown }) | null;
					if (task?.status !== "running") return { accepted: false };
					await this.countProgress(task.jobId, ctx.params.progress);
					// a plan limit refused an image: the build stops adding images, and this task ends as cancelled
					if (ctx.params.limitReached) await this.stopForLimit(task.jobId, ctx.params.limitReached);
					const cancelled = Boolean(ctx.params.cancelled || ctx.params.limitReached);
					const base = { lastError: ctx.params.message, leaseUntil: null, result: ctx.params.partial ?? task.result ?? null };
					if (!cancelled && ctx.params.transient && task.attempts < task.maxAttempts) {
						const delay = retryDelayMs(
							task.attempts,
							{ baseMs: settings.retryBaseMs, capMs: settings.retryCapMs },
							ctx.params.retryAfterMs,
						);
						await this.tasks.updateWhere(
							{ _id: task._id, status: "running" },
							{ ...base, status: "retrying", nextRunAt: new Date(Date.now() + delay) },
						);
						await this.logJob(
							task.jobId,
							"warn",
							`${task.type} failed (attempt ${task.attempts}), retrying in ${delay} ms: ${ctx.params.message}`,
							{
								taskId: this.tasks.encodeID(task._id),
							},
						);
						return { accepted: true, retryInMs: delay };
					}
					const status = cancelled ? "cancelled" : ctx.params.transient ? "dead" : "failed";
					const won = await this.tasks.updateWhere({ _id: task._id, status: "running" }, { ...base, status, finishedAt: new Date() });
					if (won === 0) return { accepted: false };
					if (status !== "cancelled") {
						// without its finalize a round can never end: the job has failed
						if (task.type === "crawl.finalize") await this.jobFailed(task.jobId, `finalizing failed: ${ctx.params.message}`);
						await this.countProgress(task.jobId, { failedTasks: 1 });
						await this.logJob(task.jobId, "error", `${task.type} ${status} after ${task.attempts} attempt(s): ${ctx.params.message}`, {
							taskId: this.tasks.encodeID(task._id),
						});
					}
					const scope = await this.scopeOf(task.jobId);
					for (const released of await taskEnded(this.tasks, scope, task)) await this.publishTask(released);
					return { accepted: true, status };
				},
			},
		},

		methods: {
			/**
			 * Marks the build as stopped by a plan limit (once, however many tasks report it) and cancels its
			 * work not yet running; running tasks learn it from their heartbeat. The round's finalize then
			 * ends the job with what it kept.
			 */
			async stopForLimit(jobId: string, details: LimitDetails) {
				const notYet = { $or: [{ limitReached: null }, { limitReached: { $exists: false } }] };
				const won = await this.jobs.updateWhere(
					trusted({ _id: this.jobs.decodeID(jobId), status: { $in: ACTIVE_JOB_STATUSES }, ...notYet }, config),
					{ limitReached: details },
				);
				if (won === 0) return;
				const reason = limitStoppedBuild(details);
				await this.tasks.updateWhere(trusted({ jobId, type: { $ne: "crawl.finalize" }, status: { $in: ["queued", "retrying"] } }, config), {
					status: "cancelled",
					lastError: reason,
					finishedAt: new Date(),
				});
				await this.logJob(jobId, "warn", reason, { ...details });
			},

			async scopeOf(jobId: string): Promise<JobScope> {
				const job = await this.jobs.findRawById(jobId);
				return {
					jobId,
					ownerId: String(job?.ownerId ?? ""),
					maxAttempts: settings.maxAttempts,
					trusted: (filter) => trusted(filter, config),
				};
			},

			/** Sends the task to its channel; when the queue cannot take it now, the scheduler sends it again. */
			async publishTask(task: Task) {
				if (task.status !== "queued") return;
				try {
					if (!this.queuesProvisioned) await this.provisionQueues();
					await this.broker.sendToChannel(TASK_TYPES[task.type].channel, { taskId: task.id });
				} catch (error) {
					this.logger.warn({ taskId: task.id, err: error }, "could not publish a task; the scheduler will try again");
					return;
				}
				await this.tasks.updateWhere({ _id: this.tasks.decodeID(task.id), status: "queued" }, { publishedAt: new Date() });
			},

			/**
			 * Creates the JetStream streams of every task channel, so tasks can be published before any worker
			 * has subscribed. Idempotent: replicas starting together all ask, and the stream is made once.
			 */
			async provisionQueues() {
				const adapter = this.broker.channelAdapter as
					| {
							createStream?: (name: string, subjects: string[], options: object) => Promise<unknown>;
							addPrefixTopic(name: string): string;
							manager?: unknown;
					  }
					| undefined;
				if (!adapter?.createStream) {
					this.queuesProvisioned = true;
					return;
				}
				// the adapter connects once the broker has started; until then there is nothing to ask
				if (!adapter.manager) return;
				for (const { channel } of Object.values(TASK_TYPES)) {
					const subject = adapter.addPrefixTopic(channel);
					await adapter.createStream(subject.split(".").join("_"), [subject], {});
				}
				this.queuesProvisioned = true;
			},

			/** Publishes due retries, and tasks whose message or worker went quiet; the database says which. */
			async scheduleTick() {
				if (!this.queuesProvisioned) await this.provisionQueues();
				const now = new Date();
				const due = await this.tasks.adapter.find({
					query: trusted({ status: "retrying", nextRunAt: { $lte: now } }, config),
					limit: PER_TICK,
				});
				for (const task of due) {
					const won = await this.tasks.updateWhere({ _id: task._id, status: "retrying" }, { status: "queued", nextRunAt: null });
					if (won > 0) await this.publishTask({ ...task, id: this.tasks.encodeID(task._id), status: "queued" });
				}
				// a fresh process publishes everything queued once: an in-process queue forgot it all in the restart
				const quietSince = this.publishedAllQueued ? new Date(now.getTime() - REPUBLISH_AFTER_MS) : now;
				this.publishedAllQueued = true;
				const quiet = await this.tasks.adapter.find({
					query: trusted(
						{
							$or: [
								{ status: "queued", publishedAt: { $lt: quietSince } },
								{ status: "queued", publishedAt: null },
								{ status: "running", leaseUntil: { $lt: now } },
							],
						},
						config,
					),
					limit: PER_TICK,
				});
				for (const task of quiet) await this.publishTask({ ...task, id: this.tasks.encodeID(task._id), status: "queued" });
			},
		},

		started() {
			this.schedulerTimer = setInterval(() => {
				if (this.schedulerBusy) return;
				this.schedulerBusy = true;
				this.scheduleTick()
					.catch((error: Error) => this.logger.warn({ err: error }, "task scheduler tick failed"))
					.finally(() => {
						this.schedulerBusy = false;
					});
			}, settings.schedulerIntervalMs);
		},

		stopped() {
			clearInterval(this.schedulerTimer);
		},
	});
}
