/** Numbers, sizes, dates and durations as the dashboard shows them. */

const numberFormat = new Intl.NumberFormat("en");

export function formatNumber(value: number | null | undefined): string {
	return value === null || value === undefined ? "—" : numberFormat.format(value);
}

export function formatBytes(bytes: number | null | undefined): string {
	if (bytes === null || bytes === undefined) return "—";
	const units = ["B", "KB", "MB", "GB", "TB"];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDate(iso: string | null | undefined): string {
	if (!iso) return "—";
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? "—" : date.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" });
}

/** 75 s → "1 min 15 s"; 3 h 2 min; under a second → "< 1 s". */
export function formatDuration(seconds: number | null | undefined): string {
	if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
	if (seconds < 1) return "< 1 s";
	const whole = Math.round(seconds);
	const hours = Math.floor(whole / 3600);
	const minutes = Math.floor((whole % 3600) / 60);
	const rest = whole % 60;
	if (hours > 0) return `${hours} h ${minutes} min`;
	if (minutes > 0) return rest > 0 ? `${minutes} min ${rest} s` : `${minutes} min`;
	return `${rest} s`;
}
