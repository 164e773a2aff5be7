import { formatTable } from "../../manage/table";
import { asOperator, type ReplCommand } from "./command";

interface Job {
	id: string;
	datasetId: string;
	ownerId: string;
	status: string;
	step: string | null;
	round: number;
	progress: Record<string, number>;
	targets: Record<string, number>;
	error: string | null;
	createdAt: string | Date;
	startedAt: string | Date | null;
	finishedAt: string | Date | null;
}

interface Task {
	id: string;
	jobId: string;
	type: string;
	key: string;
	status: string;
	attempts: number;
	maxAttempts: number;
	lastError: string | null;
	updatedAt: string | Date;
}

interface Page<T> {
	items: T[];
	total: number;
}

/** Dates arrive as Date objects from a local service and as ISO strings over the bus. */
const shortTime = (value: string | Date | null) =>
	value
		? new Date(value)
				.toISOString()
				.replace("T", " ")
				.replace(/\.\d+Z$/, "Z")
		: "-";

/** `job <id>`: a build of any user — state, counters and its tasks by type and status. */
export const jobCommand: ReplCommand = {
	command: "job <id>",
	description: "PixCrawler: a build's status, progress, targets and its tasks by type and status",
	async run(broker, args, out) {
		const job = await broker.call<Job, { id: string }>("crawl.adminJob", { id: String(args.id) }, asOperator);
		const tasks: Task[] = [];
		for (let page = 1; ; page++) {
			const found = await broker.call<Page<Task>, object>("crawl.adminTasks", { jobId: job.id, page, pageSize: 100 }, asOperator);
			tasks.push(...found.items);
			if (found.items.length === 0 || tasks.length >= found.total) break;
		}
		out(
			formatTable(
				["FIELD", "VALUE"],
				[
					["job", job.id],
					["dataset", job.datasetId],
					["owner", job.ownerId],
					["status", job.status],
					["step", `${job.step ?? "-"} (round ${job.round})`],
					[
						"progress",
						Object.entries(job.progress)
							.map(([name, count]) => `${name} ${count}`)
							.join(", "),
					],
					[
						"targets",
						Object.entries(job.targets)
							.map(([label, count]) => `${label} ${count}`)
							.join(", ") || "-",
					],
					["created", shortTime(job.createdAt)],
					["started", shortTime(job.startedAt)],
					["finished", shortTime(job.finishedAt)],
					["error", job.error ?? "-"],
				],
			),
		);
		const counts = new Map<string, number>();
		for (const task of tasks) counts.set(`${task.type}\t${task.status}`, (counts.get(`${task.type}\t${task.status}`) ?? 0) + 1);
		out("\n");
		out(
			formatTable(
				["TASK TYPE", "STATUS", "COUNT"],
				[...counts].sort().map(([key, count]) => [...key.split("\t"), String(count)]),
			),
		);
	},
};

/** `dead-tasks`: tasks that ran out of attempts, newest first, with why. */
export const deadTasksCommand: ReplCommand = {
	command: "dead-tasks",
	description: "PixCrawler: tasks that ran out of attempts (requeue one with `requeue <taskId>`)",
	options: [
		{ option: "--job <jobId>", description: "only this build's" },
		{ option: "--type <type>", description: "only this task type (crawl.plan, crawl.search, crawl.download, crawl.finalize)" },
		{ option: "--status <status>", description: "another status than dead (failed, retrying, running…)" },
	],
	async run(broker, args, out) {
		const params = {
			status: String(args.options.status ?? "dead"),
			...(args.options.job ? { jobId: String(args.options.job) } : {}),
			...(args.options.type ? { type: String(args.options.type) } : {}),
			pageSize: 100,
		};
		const found = await broker.call<Page<Task>, object>("crawl.adminTasks", params, asOperator);
		out(
			formatTable(
				["TASK", "JOB", "TYPE", "ATTEMPTS", "UPDATED", "LAST ERROR"],
				found.items.map((task) => [
					task.id,
					task.jobId,
					task.type,
					`${task.attempts}/${task.maxAttempts}`,
					shortTime(task.updatedAt),
					(task.lastError ?? "").slice(0, 80),
				]),
			),
		);
		out(`${found.total} ${params.status} task(s)${found.total > found.items.length ? `, the newest ${found.items.length} shown` : ""}\n`);
	},
};

/** `requeue <taskId>`: runs a failed or dead task again with fresh attempts. */
export const requeueCommand: ReplCommand = {
	command: "requeue <taskId>",
	description: "PixCrawler: run a failed or dead task again with fresh attempts (its build resumes if it had ended)",
	async run(broker, args, out) {
		const task = await broker.call<Task, { id: string }>("crawl.requeueTask", { id: String(args.taskId) }, asOperator);
		out(`requeued ${task.id} (${task.type}, job ${task.jobId}): now ${task.status}\n`);
	},
};
