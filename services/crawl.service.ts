import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict, type LimitDetails, NotFound } from "../lib/errors";
import { filtersFrom, objectId, page, pageSize } from "../lib/params";
import type { Principal } from "../lib/types";
import { trusted } from "../mixins/db.mixin";
import { concurrentJobsReached, imagesPerDayReached, limitStoppedBuild } from "./auth/limits";
import { PlanLimitsLookup } from "./auth/limits-client";
import { jobLogsRepository } from "./crawl/job-logs.repository";
import { ACTIVE_JOB_STATUSES, JOB_STATUSES, jobsRepository } from "./crawl/jobs.repository";
import { type BuildDefinition, type EndedSearch, labelTargets, nextRound, type SearchPayload } from "./crawl/saga";
import { taskStateActions } from "./crawl/task-state.actions";
import { CRAWL_TASK_TYPES, TASK_STATUSES, TASK_TYPES } from "./crawl/tasks/registry";
import { tasksRepository } from "./crawl/tasks/tasks.repository";
import { chord, createTask, type Task } from "./crawl/tasks/workflow";

const EMPTY_PROGRESS = { found: 0, downloaded: 0, valid: 0, duplicates: 0, rejected: 0, failedTasks: 0 };
const PROGRESS_KEYS = Object.keys(EMPTY_PROGRESS);

const JOB_EXAMPLE = {
	id: "Zr8QmX2kLp0sVb7T",
	datasetId: "kQ3ZrV9sF2aXhT1c",
	status: "running",
	step: "download",
	round: 1,
	progress: { found: 240, downloaded: 180, valid: 151, duplicates: 12, rejected: 17, failedTasks: 0 },
	targets: { cat: 200, dog: 200 },
	error: null,
	createdAt: "2026-11-26T09:00:00.000Z",
	startedAt: "2026-11-26T09:00:01.000Z",
	finishedAt: null,
};

function principal(ctx: AnyContext): Principal {
	return ctx.meta.user as Principal;
}

/**
 * The crawl saga's owner: jobs and their tasks, the jobs API, and the decisions between rounds.
 * Task execution happens in the stateless `crawl-worker` service, any number of replicas.
 */
export function createCrawlService(config: Config) {
	return defineService({
		name: "crawl",
		mixins: [taskStateActions(config)],
		settings: { rest: "/" },
		// finalize decides the job's fate, so it runs here, next to the state it changes
		channels: {
			[TASK_TYPES["crawl.finalize"].channel]: {
				group: "crawl-owner",
				async handler(this: { runFinalize(taskId: string): Promise<void> }, payload: { taskId: string }) {
					await this.runFinalize(payload.taskId);
				},
			},
		},

		actions: {
			build: {
				rest: "POST /datasets/:id/build",
				auth: "user",
				scopes: ["crawl:run"],
				rateLimit: "expensive",
				summary: "Build a dataset",
				description:
					"Starts a crawl of the dataset's definition and answers 202 with the job id at once. 409 while a build of the dataset is queued or running; 429 when you already run as many builds as your plan allows (`concurrentJobs`) or your builds stored today's images (`imagesPerDay`).",
				tag: "jobs",
				response: "BuildStarted",
				successStatus: 202,
				errors: [404, 409, 429],
				responseExample: { jobId: JOB_EXAMPLE.id, status: "queued" },
				params: { id: objectId },
				async handler(ctx) {
					const user = principal(ctx);
					const dataset = (await ctx.call("dataset.getDataset", { id: ctx.params.id })) as BuildDefinition & {
						id: string;
						ownerId: string;
					};
					const limits = await this.planLimits.of(ctx, user.id);
					const active = await this.jobs.countWhere(trusted({ ownerId: user.id, status: { $in: ACTIVE_JOB_STATUSES } }, config));
					if (limits.concurrentJobs !== null && active >= limits.concurrentJobs) throw concurrentJobsReached(limits.concurrentJobs, active);
					if (limits.imagesPerDay !== null) {
						// a build that could not keep a single image today would only spend the sources' patience
						const { imagesToday } = (await ctx.call("dataset.usageOf", { ownerId: user.id })) as { imagesToday: number };
						if (imagesToday >= limits.imagesPerDay) throw imagesPerDayReached(limits.imagesPerDay, imagesToday);
					}
					const job = await this.jobs.createOwned(user.id, {
						datasetId: dataset.id,
						status: "queued",
						step: "plan",
						round: 1,
						progress: EMPTY_PROGRESS,
						targets: labelTargets(dataset),
						counts: null,
						error: null,
						limitReached: null,
						eventSeq: 0,
						startedAt: null,
						finishedAt: null,
					});
					try {
						await ctx.call("dataset.startBuild", { id: dataset.id, ownerId: user.id, jobId: job.id });
					} catch (error) {
						await this.jobs.removeWhere({ _id: this.jobs.decodeID(job.id) });
						throw error;
					}
					await this.logJob(job.id, "info", "build queued", { targets: job.targets });
					const scope = await this.scopeOf(job.id);
					const first = await chord(this.tasks, scope, "work:1", [{ type: "crawl.plan", key: "plan" }], {
						type: "crawl.finalize",
						key: "finalize:1",
					});
					for (const task of first) await this.publishTask(task);
					return { jobId: job.id, status: "queued" };
				},
			},
			cancelDatasetBuild: {
				rest: "POST /datasets/:id/cancel",
				auth: "user",
				scopes: ["crawl:run"],
				summary: "Cancel a dataset's build",
				tag: "jobs",
				response: "Job",
				errors: [404, 409],
				params: { id: objectId },
				async handler(ctx) {
					const dataset = (await ctx.call("dataset.getDataset", { id: ctx.params.id })) as { currentJobId: string | null };
					if (!dataset.currentJobId) throw new Conflict("The dataset has no build to cancel");
					return this.cancel(dataset.currentJobId, principal(ctx).id);
				},
			},
			listJobs: {
				rest: "GET /jobs",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your builds",
				tag: "jobs",
				response: { page: "Job" },
				params: {
					page,
					pageSize,
					datasetId: { type: "string", max: 64, optional: true },
					status: { type: "enum", values: [...JOB_STATUSES], optional: true },
				},
				handler(ctx) {
					const query = filtersFrom(ctx.params, ["datasetId", "status"]);
					return this.jobs.findOwned(
						principal(ctx).id,
						{ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" },
						ctx,
					);
				},
			},
			getJob: {
				rest: "GET /jobs/:id",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A build: status, step, counters and timings",
				tag: "jobs",
				response: "Job",
				responseExample: JOB_EXAMPLE,
				params: { id: objectId },
				handler(ctx) {
					return this.jobs.getOwned(principal(ctx).id, ctx.params.id, ctx);
				},
			},
			listTasks: {
				rest: "GET /jobs/:id/tasks",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A build's tasks",
				description: "Each with its id, type, status, attempts and last error; filter by type and status.",
				tag: "jobs",
				response: { page: "Task" },
				params: {
					id: objectId,
					page,
					pageSize,
					type: { type: "enum", values: CRAWL_TASK_TYPES, optional: true },
					status: { type: "enum", values: [...TASK_STATUSES], optional: true },
				},
				async handler(ctx) {
					await this.jobs.getOwned(principal(ctx).id, ctx.params.id, ctx);
					const query = { jobId: ctx.params.id, ...filtersFrom(ctx.params, ["type", "status"]) };
					return this.tasks.findPage({ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "createdAt" }, ctx);
				},
			},
			jobLogs: {
				rest: "GET /jobs/:id/logs",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "What happened during a build, newest first",
				tag: "jobs",
				response: { page: "JobLog" },
				params: { id: objectId, page, pageSize },
				async handler(ctx) {
					await this.jobs.getOwned(principal(ctx).id, ctx.params.id, ctx);
					return this.jobLogs.findPage(
						{ query: { jobId: ctx.params.id }, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" },
						ctx,
					);
				},
			},
			cancelJob: {
				rest: "POST /jobs/:id/cancel",
				auth: "user",
				scopes: ["crawl:run"],
				summary: "Cancel a build",
				description: "No new work starts; running downloads stop within seconds. 409 when the build has already ended.",
				tag: "jobs",
				response: "Job",
				errors: [404, 409],
				params: { id: objectId },
				handler(ctx) {
					return this.cancel(ctx.params.id, principal(ctx).id);
				},
			},
			retryJob: {
				rest: "POST /jobs/:id/retry",
				auth: "user",
				scopes: ["crawl:run"],
				summary: "Retry a build's failed tasks",
				description: "Requeues its failed and dead tasks with fresh attempts; a build that had ended runs again to finish them.",
				tag: "jobs",
				response: "RetryResult",
				errors: [404, 409],
				params: { id: objectId },
				async handler(ctx) {
					const job = await this.jobs.getRawOwned(principal(ctx).id, ctx.params.id);
					const failed = (await this.tasks.adapter.find({
						query: trusted({ jobId: ctx.params.id, status: { $in: ["failed", "dead"] } }, config),
					})) as Record<string, unknown>[];
					if (failed.length === 0) throw new Conflict("The build has no failed tasks");
					return { requeued: await this.requeue(job, failed) };
				},
			},
			adminJobs: {
				rest: "GET /admin/jobs",
				auth: "superuser",
				summary: "Builds of every user",
				description: "Filter by status, owner and dataset; newest first.",
				tag: "jobs",
				response: { page: "Job" },
				params: {
					page,
					pageSize,
					status: { type: "enum", values: [...JOB_STATUSES], optional: true },
					ownerId: { type: "string", max: 64, optional: true },
					datasetId: { type: "string", max: 64, optional: true },
				},
				handler(ctx) {
					const query = filtersFrom(ctx.params, ["status", "ownerId", "datasetId"]);
					return this.jobs.findPage({ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" }, ctx);
				},
			},
			adminJob: {
				rest: "GET /admin/jobs/:id",
				auth: "superuser",
				summary: "Any user's build",
				tag: "jobs",
				response: "Job",
				params: { id: objectId },
				handler(ctx) {
					return this.jobs.getOwned(null, ctx.params.id, ctx);
				},
			},
			adminTasks: {
				rest: "GET /admin/tasks",
				auth: "superuser",
				summary: "Tasks across all builds",
				description: "Filter by status (e.g. dead), type and build.",
				tag: "jobs",
				response: { page: "Task" },
				params: {
					page,
					pageSize,
					status: { type: "enum", values: [...TASK_STATUSES], optional: true },
					type: { type: "enum", values: CRAWL_TASK_TYPES, optional: true },
					jobId: { type: "string", max: 64, optional: true },
				},
				handler(ctx) {
					const query = filtersFrom(ctx.params, ["status", "type", "jobId"]);
					return this.tasks.findPage({ query, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-updatedAt" }, ctx);
				},
			},
			requeueTask: {
				rest: "POST /admin/tasks/:id/requeue",
				auth: "superuser",
				summary: "Requeue a failed or dead task",
				tag: "jobs",
				response: "Task",
				errors: [404, 409],
				params: { id: objectId },
				async handler(ctx) {
					const task = await this.tasks.findRawById(ctx.params.id);
					if (!task) throw new NotFound("task", ctx.params.id);
					if (!["failed", "dead", "cancelled"].includes(String(task.status)))
						throw new Conflict(`The task is ${task.status}, not failed or dead`);
					const job = await this.jobs.findRawById(String(task.jobId));
					if (!job) throw new NotFound("job", String(task.jobId));
					await this.requeue(job, [task]);
					return this.tasks.getOwned(null, ctx.params.id, ctx);
				},
			},

			/** For the auth service (GET /auth/me): the owner's builds queued or running. */
			usageOf: {
				visibility: "public",
				params: { ownerId: objectId },
				async handler(ctx) {
					return {
						activeJobs: await this.jobs.countWhere(trusted({ ownerId: ctx.params.ownerId, status: { $in: ACTIVE_JOB_STATUSES } }, config)),
					};
				},
			},

			/** Cancels the dataset's running build, if any (the dataset service calls it before a delete). */
			cancelForDataset: {
				visibility: "public",
				params: { datasetId: objectId },
				async handler(ctx) {
					const jobs = (await this.jobs.adapter.find({
						query: trusted({ datasetId: ctx.params.datasetId, status: { $in: ACTIVE_JOB_STATUSES } }, config),
					})) as { _id: unknown; ownerId: string }[];
					for (const job of jobs) await this.cancel(this.jobs.encodeID(job._id), job.ownerId, { datasetGone: true });
					return { cancelled: jobs.length };
				},
			},
		},

		methods: {
			async cancel(jobId: string, ownerId: string, options: { datasetGone?: boolean } = {}) {
				const job = await this.jobs.getRawOwned(ownerId, jobId);
				const won = await this.jobs.updateWhere(trusted({ _id: job._id, status: { $in: ACTIVE_JOB_STATUSES } }, config), {
					status: "cancelled",
					finishedAt: new Date(),
				});
				if (won === 0) throw new Conflict(`The build has already ended (${job.status})`);
				// nothing new starts: every task not yet running ends here; running ones stop at their next heartbeat
				await this.tasks.updateWhere(trusted({ jobId, status: { $in: ["queued", "retrying", "waiting"] } }, config), {
					status: "cancelled",
					finishedAt: new Date(),
				});
				if (!options.datasetGone) await this.broker.call("dataset.setBuildStatus", { id: job.datasetId, jobId, status: "cancelled" });
				await this.logJob(jobId, "info", "build cancelled");
				await this.emitJobEvent(jobId, "completed");
				return this.jobs.getOwned(ownerId, jobId);
			},

			async jobFailed(jobId: string, error: string) {
				const job = await this.jobs.findRawById(jobId);
				if (!job) return;
				const won = await this.jobs.updateWhere(trusted({ _id: job._id, status: { $in: ACTIVE_JOB_STATUSES } }, config), {
					status: "failed",
					error,
					finishedAt: new Date(),
				});
				if (won === 0) return;
				await this.broker.call("dataset.setBuildStatus", { id: job.datasetId, jobId, status: "failed" });
				await this.logJob(jobId, "error", error);
				await this.emitJobEvent(jobId, "completed");
			},

			async requeue(job: Record<string, unknown> & { _id: unknown }, tasks: Record<string, unknown>[]) {
				const jobId = this.jobs.encodeID(job._id);
				const ended = !ACTIVE_JOB_STATUSES.includes(String(job.status));
				let groupId: string | null = null;
				if (ended) {
					// the build had finished: the requeued tasks form a new round whose finalize ends it again
					const round = Number(job.round ?? 1) + 1;
					groupId = `${jobId}:work:${round}`;
					await this.jobs.updateWhere(
						{ _id: job._id },
						{ status: "running", step: "download", round, error: null, limitReached: null, finishedAt: null },
					);
					await this.broker.call("dataset.setBuildStatus", { id: job.datasetId, jobId, status: "running" });
					await createTask(
						this.tasks,
						await this.scopeOf(jobId),
						{ type: "crawl.finalize", key: `finalize:${round}` },
						{
							status: "waiting",
							waitsFor: groupId,
							runIf: "ended",
						},
					);
				}
				let requeued = 0;
				for (const task of tasks) {
					const changes: Record<string, unknown> = { status: "queued", attempts: 0, lastError: null, nextRunAt: null, finishedAt: null };
					if (groupId) changes.groupId = groupId;
					const won = await this.tasks.updateWhere(
						trusted({ _id: task._id, status: { $in: ["failed", "dead", "cancelled"] } }, config),
						changes,
					);
					if (won === 0) continue;
					requeued += 1;
					await this.publishTask({ ...task, ...changes, id: this.tasks.encodeID(task._id) } as Task);
				}
				await this.logJob(jobId, "info", `${requeued} task(s) requeued`);
				return requeued;
			},

			async jobStarted(job: Record<string, unknown> & { _id: unknown }, taskType: string) {
				const step = taskType.replace(/^crawl\./, "");
				if (job.status === "queued") {
					const won = await this.jobs.updateWhere({ _id: job._id, status: "queued" }, { status: "running", startedAt: new Date(), step });
					if (won > 0) {
						await this.broker.call("dataset.setBuildStatus", { id: job.datasetId, jobId: this.jobs.encodeID(job._id), status: "running" });
						await this.logJob(this.jobs.encodeID(job._id), "info", "build started");
					}
				}
				if (job.step !== step && step !== "plan") {
					const won = await this.jobs.updateWhere(trusted({ _id: job._id, status: "running", step: { $ne: step } }, config), { step });
					if (won > 0) await this.emitJobEvent(this.jobs.encodeID(job._id), "step");
				}
			},

			async countProgress(jobId: string, increments?: Record<string, number>) {
				const changes: Record<string, number> = {};
				for (const [key, value] of Object.entries(increments ?? {})) {
					if (PROGRESS_KEYS.includes(key) && Number.isInteger(value) && value !== 0) changes[`progress.${key}`] = value;
				}
				if (Object.keys(changes).length === 0) return;
				await this.jobs.incrementWhere({ _id: this.jobs.decodeID(jobId) }, changes);
				await this.emitJobEvent(jobId, "progress");
			},

			/** Every change a client may watch, numbered per job so a reconnecting stream knows where it was. */
			async emitJobEvent(jobId: string, type: "progress" | "step" | "completed") {
				await this.jobs.incrementWhere({ _id: this.jobs.decodeID(jobId) }, { eventSeq: 1 });
				const job = await this.jobs.findRawById(jobId);
				if (!job) return;
				const shaped = await this.jobs.toDocuments(undefined, job);
				await this.broker.broadcast("crawl.job.changed", { type, seq: job.eventSeq, job: shaped });
			},

			async logJob(jobId: string, level: "info" | "warn" | "error", message: string, data: Record<string, unknown> = {}) {
				const job = await this.jobs.findRawById(jobId);
				await this.jobLogs.createOwned(String(job?.ownerId ?? ""), { jobId, level, message, data });
			},

			/** The chord callback of a round: settles duplicates, then either starts the next round or ends the job. */
			async runFinalize(taskId: string) {
				const claimed = (await this.broker.call("crawl.claimTask", { taskId, worker: this.broker.nodeID })) as {
					task: Task;
					job: { id: string; datasetId: string };
					definition: BuildDefinition & { options: { dedupThreshold: number } };
				} | null;
				if (!claimed) return;
				const { task, job, definition } = claimed;
				try {
					const settled = (await this.broker.call("dataset.settleNearDuplicates", {
						datasetId: job.datasetId,
						threshold: definition.options.dedupThreshold,
					})) as { settled: number };
					if (settled.settled > 0) await this.countProgress(job.id, { valid: -settled.settled, duplicates: settled.settled });
					const counts = (await this.broker.call("dataset.countValid", { datasetId: job.datasetId })) as Record<string, number>;
					const targets = labelTargets(definition);
					const round = Number(task.key.split(":")[1] ?? 1);
					const searches = (await this.tasks.adapter.find({
						query: { jobId: job.id, type: "crawl.search", status: "done", "payload.round": round },
					})) as { payload: SearchPayload; result?: { next?: unknown } }[];
					const ended: EndedSearch[] = searches.map((search) => ({
						payload: search.payload,
						next: (search.result?.next ?? null) as EndedSearch["next"],
					}));
					// a plan limit that stopped the build (services/crawl/task-state.actions.ts) also ends its rounds
					const stoppedBy = ((await this.jobs.findRawById(job.id))?.limitReached ?? null) as LimitDetails | null;
					const more = stoppedBy ? [] : nextRound(round, ended, counts, targets);
					if (more.length > 0) {
						await this.jobs.updateWhere({ _id: this.jobs.decodeID(job.id) }, { round: round + 1, counts });
						await this.logJob(job.id, "info", `round ${round} left labels short; fetching further result pages`, { counts, targets });
						const next = await chord(this.tasks, await this.scopeOf(job.id), `work:${round + 1}`, more, {
							type: "crawl.finalize",
							key: `finalize:${round + 1}`,
						});
						await this.broker.call("crawl.completeTask", { taskId, result: { counts, nextRound: round + 1 } });
						for (const queued of next) await this.publishTask(queued);
						return;
					}
					const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
					const status = total > 0 ? "done" : "failed";
					const error =
						total > 0
							? null
							: stoppedBy
								? `No image was kept: ${limitStoppedBuild(stoppedBy)}`
								: "No valid image was found; see the rejected images and the job's log";
					await this.broker.call("crawl.completeTask", { taskId, result: { counts } });
					const won = await this.jobs.updateWhere(
						trusted({ _id: this.jobs.decodeID(job.id), status: { $in: ACTIVE_JOB_STATUSES } }, config),
						{
							status,
							step: "done",
							counts,
							error,
							finishedAt: new Date(),
						},
					);
					if (won === 0) return;
					await this.broker.call("dataset.setBuildStatus", {
						id: job.datasetId,
						jobId: job.id,
						status: status === "done" ? "ready" : "failed",
					});
					await this.logJob(job.id, status === "done" ? "info" : "error", status === "done" ? "build finished" : String(error), {
						counts,
						targets,
					});
					await this.emitJobEvent(job.id, "completed");
				} catch (error) {
					await this.broker.call("crawl.failTask", { taskId, message: (error as Error).message, transient: true });
				}
			},
		},

		created() {
			this.jobs = this.broker.createService(jobsRepository(config));
			this.tasks = this.broker.createService(tasksRepository(config));
			this.jobLogs = this.broker.createService(jobLogsRepository(config));
			this.planLimits = new PlanLimitsLookup(config, this.logger);
		},
	});
}

export default createCrawlService(getConfig());
