/** Colour families of statuses across datasets, builds, tasks, images and exports. */
const TONES: Record<string, "neutral" | "progress" | "success" | "danger" | "warning"> = {
	draft: "neutral",
	waiting: "neutral",
	queued: "progress",
	running: "progress",
	retrying: "warning",
	deleting: "warning",
	ready: "success",
	done: "success",
	valid: "success",
	delivered: "success",
	failed: "danger",
	dead: "danger",
	rejected: "danger",
	cancelled: "warning",
	duplicate: "warning",
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
	return <span className={`badge badge-${TONES[status] ?? "neutral"}`}>{label ?? status}</span>;
}
