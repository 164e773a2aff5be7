/** Where the CLI writes; the process's streams in production, buffers in tests. */
export interface Writer {
	write(text: string): unknown;
	isTTY?: boolean;
	columns?: number;
}

const MAX_CELL = 60;

function cell(value: unknown): string {
	if (value === null || value === undefined || value === "") return "-";
	const text = Array.isArray(value) ? value.join(",") : String(value);
	const line = text.replace(/\s+/g, " ");
	return line.length > MAX_CELL ? `${line.slice(0, MAX_CELL - 1)}…` : line;
}

/** Rows as columns aligned on the widest cell, a header in capitals; the last column is not padded. */
export function table(headers: string[], rows: unknown[][]): string {
	const cells = [headers.map((header) => header.toUpperCase()), ...rows.map((row) => row.map(cell))];
	const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
	return cells
		.map((row) =>
			row
				.map((text, column) => (column === row.length - 1 ? text : text.padEnd(widths[column])))
				.join("  ")
				.trimEnd(),
		)
		.join("\n")
		.concat("\n");
}

/** `key: value` lines with the values aligned. */
export function details(pairs: [string, unknown][]): string {
	const width = Math.max(...pairs.map(([key]) => key.length)) + 1;
	return pairs
		.map(([key, value]) => {
			const text = value === null || value === undefined || value === "" ? "-" : Array.isArray(value) ? value.join(", ") : String(value);
			return `${`${key}:`.padEnd(width)}  ${text}`;
		})
		.join("\n")
		.concat("\n");
}

export function json(value: unknown): string {
	return `${JSON.stringify(value ?? null, null, 2)}\n`;
}

export function formatBytes(bytes: number | null | undefined): string {
	if (bytes === null || bytes === undefined) return "-";
	const units = ["B", "KiB", "MiB", "GiB", "TiB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${value} ${units[unit]}` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A progress bar on stderr. On a terminal it redraws one line (at most every 100 ms); elsewhere (a log,
 * a pipe, CI) it writes one line per milestone: the first update, each quarter, each new stage, the end.
 */
export class Progress {
	private lastDraw = 0;
	private lastQuarter = -1;
	private lastStage: string | undefined;
	private drawn = false;
	private readonly interactive: boolean;

	constructor(
		private readonly stream: Writer,
		private readonly label: string,
		private readonly enabled: boolean,
		private readonly formatCount: (value: number) => string = String,
	) {
		this.interactive = Boolean(stream.isTTY);
	}

	update(done: number, total: number | null, stage?: string): void {
		if (!this.enabled) return;
		const fraction = total && total > 0 ? Math.min(1, done / total) : null;
		const amount = total && total > 0 ? `${this.formatCount(done)}/${this.formatCount(total)}` : this.formatCount(done);
		const suffix = stage ? ` ${stage}` : "";
		if (this.interactive) {
			const now = Date.now();
			if (now - this.lastDraw < 100 && fraction !== 1 && stage === this.lastStage) return;
			this.lastDraw = now;
			this.lastStage = stage;
			const width = Math.max(10, Math.min(30, (this.stream.columns ?? 80) - this.label.length - amount.length - suffix.length - 12));
			const filled = fraction === null ? 0 : Math.round(fraction * width);
			const bar = fraction === null ? "?".repeat(width) : `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
			const percent = fraction === null ? "  ?%" : `${String(Math.floor(fraction * 100)).padStart(3)}%`;
			this.stream.write(`\r\x1b[2K${this.label} [${bar}] ${percent} ${amount}${suffix}`);
			this.drawn = true;
			return;
		}
		const quarter = fraction === null ? 0 : Math.floor(fraction * 4);
		if (quarter === this.lastQuarter && stage === this.lastStage) return;
		this.lastQuarter = quarter;
		this.lastStage = stage;
		const percent = fraction === null ? "" : ` ${Math.floor(fraction * 100)}%`;
		this.stream.write(`${this.label}:${percent} ${amount}${suffix}\n`);
	}

	/** Ends the bar's line (terminal) or writes the closing milestone. */
	finish(message?: string): void {
		if (!this.enabled) return;
		if (this.interactive && this.drawn) this.stream.write("\n");
		if (message) this.stream.write(`${this.label}: ${message}\n`);
	}
}
