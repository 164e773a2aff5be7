import type { Document, Query } from "../../../mixins/db.mixin";
import { ENDED, type TaskStatus, type TaskType } from "./registry";

/**
 * Workflow primitives over the tasks collection — the database, not the queue, is the source of truth:
 *
 * - a **group** is a set of tasks sharing a `groupId`;
 * - a **chord** is a group plus a callback task created up front in status `waiting`, with
 *   `waitsFor: groupId`; when the last member ends, the callback moves `waiting → queued` by a
 *   conditional update, which succeeds for exactly one caller however often the members' endings are
 *   delivered, so the callback runs exactly once;
 * - a **chain** is a sequence of one-member chords: each step waits for the one before it and is
 *   cancelled instead if that step did not succeed.
 *
 * Creating a task is idempotent on (jobId, key): a redelivered parent creates nothing twice.
 */

/** What the workflow needs from the tasks repository (the DbMixin methods). */
export interface TaskRepository {
	createOwned(ownerId: string | null, data: Record<string, unknown>): Promise<Document>;
	findOneWhere(query: Query): Promise<Document | null>;
	updateWhere(query: Query, changes: Record<string, unknown>): Promise<number>;
	countWhere(query: Query): Promise<number>;
	adapter: { find(params: { query: Query }): Promise<Record<string, unknown>[]> };
	encodeID(id: unknown): string;
}

export interface TaskSpec {
	type: TaskType;
	/** Unique within the job: the same key is the same task. */
	key: string;
	payload?: Record<string, unknown>;
	maxAttempts?: number;
}

export interface JobScope {
	jobId: string;
	ownerId: string;
	/** How many attempts a task gets unless its spec says otherwise. */
	maxAttempts: number;
	/** Operator filters on MongoDB (`trusted`); identity on NeDB. */
	trusted?: <T extends object>(filter: T) => T;
}

export type Task = Document & {
	jobId: string;
	type: TaskType;
	key: string;
	status: TaskStatus;
	groupId: string | null;
	waitsFor: string | null;
	runIf: "ended" | "allDone" | null;
	attempts: number;
	maxAttempts: number;
	payload: Record<string, unknown>;
};

/** Creates the task, or finds the one this job already has under the key. */
export async function createTask(
	repository: TaskRepository,
	scope: JobScope,
	spec: TaskSpec,
	placement: { status?: "queued" | "waiting"; groupId?: string | null; waitsFor?: string | null; runIf?: "ended" | "allDone" | null } = {},
): Promise<{ task: Task; created: boolean }> {
	const fields = {
		jobId: scope.jobId,
		type: spec.type,
		key: spec.key,
		payload: spec.payload ?? {},
		status: placement.status ?? "queued",
		groupId: placement.groupId ?? null,
		waitsFor: placement.waitsFor ?? null,
		runIf: placement.runIf ?? null,
		attempts: 0,
		maxAttempts: spec.maxAttempts ?? scope.maxAttempts,
		nextRunAt: null,
		leaseUntil: null,
		lastError: null,
		result: null,
		startedAt: null,
		finishedAt: null,
	};
	try {
		return { task: (await repository.createOwned(scope.ownerId, fields)) as Task, created: true };
	} catch (error) {
		if ((error as { code?: number }).code !== 409) throw error;
		const existing = await repository.findOneWhere({ jobId: scope.jobId, key: spec.key });
		if (!existing) throw error;
		return { task: existing as Task, created: false };
	}
}

/**
 * A chord: the members run now, the callback once every member has ended (whatever the outcome).
 * Returns the tasks to publish: the members, or the callback at once when there are no members.
 */
export async function chord(
	repository: TaskRepository,
	scope: JobScope,
	groupKey: string,
	members: TaskSpec[],
	callback: TaskSpec,
): Promise<Task[]> {
	const groupId = `${scope.jobId}:${groupKey}`;
	// the callback exists before any member can end, so no ending can miss it
	await createTask(repository, scope, callback, { status: "waiting", waitsFor: groupId, runIf: "ended" });
	const created: Task[] = [];
	for (const member of members) created.push((await createTask(repository, scope, member, { groupId })).task);
	if (members.length === 0) return releaseWaiting(repository, scope, groupId);
	return created.filter((task) => task.status === "queued");
}

/** A chain: the first step runs now, each next one after the step before it succeeded. */
export async function chain(repository: TaskRepository, scope: JobScope, steps: TaskSpec[]): Promise<Task[]> {
	const tasks: Task[] = [];
	for (const [index, step] of steps.entries()) {
		const groupId = `${scope.jobId}:chain:${step.key}`;
		const previous = index > 0 ? `${scope.jobId}:chain:${steps[index - 1].key}` : null;
		const placement = previous ? { status: "waiting" as const, waitsFor: previous, runIf: "allDone" as const, groupId } : { groupId };
		tasks.push((await createTask(repository, scope, step, placement)).task);
	}
	return tasks.filter((task) => task.status === "queued");
}

/**
 * Called after a task reached an ended status. When it was the last of its group to end, the tasks
 * waiting for the group are released; the answer holds those this call released (and must publish).
 */
export async function taskEnded(repository: TaskRepository, scope: JobScope, task: Pick<Task, "groupId">): Promise<Task[]> {
	if (!task.groupId) return [];
	const trusted = scope.trusted ?? (<T>(filter: T) => filter);
	const open = await repository.countWhere(trusted({ groupId: task.groupId, status: { $nin: [...ENDED] } }));
	if (open > 0) return [];
	return releaseWaiting(repository, scope, task.groupId);
}

async function releaseWaiting(repository: TaskRepository, scope: JobScope, groupId: string): Promise<Task[]> {
	const trusted = scope.trusted ?? (<T>(filter: T) => filter);
	const waiting = await repository.adapter.find({ query: { jobId: scope.jobId, waitsFor: groupId, status: "waiting" } });
	const released: Task[] = [];
	for (const candidate of waiting) {
		let status: TaskStatus = "queued";
		if (candidate.runIf === "allDone") {
			const unsuccessful = await repository.countWhere(trusted({ groupId, status: { $ne: "done" } }));
			if (unsuccessful > 0) status = "cancelled";
		}
		const changes = status === "queued" ? { status } : { status, lastError: "a step before it did not succeed", finishedAt: new Date() };
		// the conditional update is the once-only gate: concurrent or repeated endings race here and one wins
		const won = await repository.updateWhere({ _id: candidate._id, status: "waiting" }, changes);
		if (won === 0) continue;
		const task = { ...candidate, ...changes, id: repository.encodeID(candidate._id) } as unknown as Task;
		if (status === "queued") released.push(task);
		// a cancelled step ends its own group, so the steps after it are cancelled too
		else released.push(...(await taskEnded(repository, scope, task)));
	}
	return released;
}
