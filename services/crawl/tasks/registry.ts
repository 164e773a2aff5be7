/**
 * Every kind of background work on the bus, registered in one place: its name (what the API, the logs and
 * the operators see), the channel that carries it, and how long one attempt may run before its worker gives
 * it up. Crawl tasks live in the crawl service's tasks collection; a webhook delivery's record is the notify
 * service's delivery (services/notify/). (Export archives are the dataset service's own background work;
 * their records are their tasks.)
 */
export const TASK_TYPES = {
	"crawl.plan": { channel: "crawl.tasks.plan", timeoutMs: 60_000, description: "expands keywords and creates the search tasks" },
	"crawl.search": { channel: "crawl.tasks.search", timeoutMs: 120_000, description: "asks one source for one keyword's results" },
	"crawl.download": { channel: "crawl.tasks.download", timeoutMs: 300_000, description: "downloads, validates, hashes and stores a batch" },
	"crawl.finalize": { channel: "crawl.tasks.finalize", timeoutMs: 300_000, description: "settles duplicates and counts, ends the job" },
	// one attempt is bounded by PIXCRAWLER_WEBHOOK_TIMEOUT_MS (at most 30 s); the rest is recording it
	"notify.deliver": { channel: "notify.tasks.deliver", timeoutMs: 60_000, description: "sends one attempt of a webhook delivery" },
} as const;

export type TaskType = keyof typeof TASK_TYPES;

/** The task types of a build (what a job's tasks can be). */
export const CRAWL_TASK_TYPES = (Object.keys(TASK_TYPES) as TaskType[]).filter((type) => type.startsWith("crawl."));

export const TASK_STATUSES = ["waiting", "queued", "running", "retrying", "done", "failed", "dead", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task in one of these has ended: a group counts it, a chord's callback may follow. */
export const ENDED: readonly TaskStatus[] = ["done", "failed", "dead", "cancelled"];

export function isTaskType(name: string): name is TaskType {
	return Object.hasOwn(TASK_TYPES, name);
}
