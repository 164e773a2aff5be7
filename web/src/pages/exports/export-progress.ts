import type { Export, ExportStatus } from "../../api/types";

/** Statuses that still change: the list is polled while one of its exports is in one of them. */
export const ACTIVE_STATUSES: readonly ExportStatus[] = ["queued", "running"];

export const isActive = (item: Pick<Export, "status">) => ACTIVE_STATUSES.includes(item.status);

const numberFormat = new Intl.NumberFormat("en");

/** How far an export is, as a bar (`value` of `max`) and in words. */
export function progressOf(item: Pick<Export, "status" | "progress" | "imageCount" | "skipped" | "error">): {
	value: number;
	max: number;
	percent: number;
	text: string;
} {
	const total = Math.max(0, item.progress.total);
	const done = Math.min(Math.max(0, item.progress.done), total);
	const percent = total > 0 ? Math.floor((done / total) * 100) : item.status === "ready" ? 100 : 0;
	const max = Math.max(1, total);
	switch (item.status) {
		case "queued":
			return { value: 0, max, percent: 0, text: `Waiting to start (${numberFormat.format(total)} images)` };
		case "running":
			return {
				value: done,
				max,
				percent,
				text: `${numberFormat.format(done)} of ${numberFormat.format(total)} images written (${percent}%)`,
			};
		case "ready": {
			const count = item.imageCount ?? done;
			const skipped = item.skipped ? `; ${numberFormat.format(item.skipped)} could not be read and were left out` : "";
			return { value: max, max, percent: 100, text: `${numberFormat.format(count)} images in the archive${skipped}` };
		}
		case "failed":
			return { value: done, max, percent, text: item.error ? `Failed: ${item.error}` : "Failed" };
	}
}

/** What changed between two polls that a screen reader should hear: exports that finished or failed. */
export function finishedSince(before: Map<string, ExportStatus>, now: Export[]): Export[] {
	return now.filter((item) => {
		const was = before.get(item.id);
		return was !== undefined && ACTIVE_STATUSES.includes(was) && !isActive(item);
	});
}
