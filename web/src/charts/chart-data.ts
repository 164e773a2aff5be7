/** Counts turned into what a bar chart and its text alternative show (pure: counts in, bars out). */

export interface Bar {
	label: string;
	value: number;
}

export interface BarOptions {
	/** At most this many bars; the rest are summed into one "Other (n)" bar. */
	limit?: number;
	/** Keep categories counted 0 (every label of a dataset is worth seeing, empty ones too). */
	keepZero?: boolean;
	/** Turns a key into what a reader sees (reason codes such as `too_small` → `too small`). */
	labelOf?: (key: string) => string;
}

const byName = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Largest first, ties by name; beyond `limit`, the smallest are summed as "Other (n categories)". */
export function barsFromCounts(counts: Record<string, number>, options: BarOptions = {}): Bar[] {
	const { limit = 20, keepZero = false, labelOf = (key: string) => key } = options;
	const bars = Object.entries(counts)
		.filter(([, value]) => Number.isFinite(value) && (keepZero || value > 0))
		.map(([key, value]) => ({ label: labelOf(key), value }))
		.sort((a, b) => b.value - a.value || byName.compare(a.label, b.label));
	if (bars.length <= limit) return bars;
	const kept = bars.slice(0, Math.max(1, limit - 1));
	const rest = bars.slice(kept.length);
	return [...kept, { label: `Other (${rest.length} more)`, value: rest.reduce((sum, bar) => sum + bar.value, 0) }];
}

export function totalOf(bars: Bar[]): number {
	return bars.reduce((sum, bar) => sum + bar.value, 0);
}

/** A share as a reader sees it: "42%", "< 1%" for a sliver, "0%" for nothing. */
export function shareOf(value: number, total: number): string {
	if (total <= 0 || value <= 0) return "0%";
	const percent = (value / total) * 100;
	if (percent < 1) return "< 1%";
	return `${Math.round(percent)}%`;
}

const numberFormat = new Intl.NumberFormat("en");

/**
 * One sentence a screen reader reads for the chart: what it counts, how many bars, and the largest
 * ones. The full numbers are in the table beside it.
 */
export function describeBars(title: string, bars: Bar[], unit = "images", shown = 3): string {
	if (bars.length === 0) return `${title}: nothing to show.`;
	const top = bars
		.slice(0, shown)
		.map((bar) => `${bar.label} ${numberFormat.format(bar.value)}`)
		.join(", ");
	const more = bars.length > shown ? `, and ${bars.length - shown} more` : "";
	return `${title}: bar chart of ${numberFormat.format(totalOf(bars))} ${unit} in ${bars.length} ${bars.length === 1 ? "category" : "categories"}. ${top}${more}.`;
}

/** `too_small` → `too small`: reason codes as words. */
export function reasonLabel(code: string): string {
	const words = code.replace(/[_-]+/g, " ").trim();
	return words || code;
}

/** Height the chart needs for horizontal bars: enough per bar that labels never overlap. */
export function chartHeight(bars: number, perBar = 28, axis = 40): number {
	return Math.max(1, bars) * perBar + axis;
}
