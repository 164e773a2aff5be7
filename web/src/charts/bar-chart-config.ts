import type { ChartConfiguration } from "chart.js";
import type { Bar } from "./chart-data";

export interface ChartColours {
	bar: string;
	text: string;
	grid: string;
}

/** The dashboard's light-theme colours, for when the stylesheet's variables cannot be read. */
export const FALLBACK_COLOURS: ChartColours = { bar: "#2f5bd3", text: "#5a6275", grid: "#d5dae6" };

/** The stylesheet's colours (they follow the light or dark theme), read from the element the chart sits in. */
export function coloursOf(element: Element): ChartColours {
	const style = getComputedStyle(element);
	const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
	return {
		bar: read("--accent", FALLBACK_COLOURS.bar),
		text: read("--muted", FALLBACK_COLOURS.text),
		grid: read("--border", FALLBACK_COLOURS.grid),
	};
}

/**
 * Horizontal bars (labels of any length stay readable on a phone), whole-number axis from 0, no
 * legend (one series, named by the figure's caption), no animation for readers who asked for less motion.
 */
export function barChartConfig(
	bars: Bar[],
	options: { valueLabel: string; colours: ChartColours; reducedMotion: boolean },
): ChartConfiguration<"bar", number[], string> {
	const { colours } = options;
	return {
		type: "bar",
		data: {
			labels: bars.map((bar) => bar.label),
			datasets: [
				{
					label: options.valueLabel,
					data: bars.map((bar) => bar.value),
					backgroundColor: colours.bar,
					borderRadius: 3,
					maxBarThickness: 22,
				},
			],
		},
		options: {
			indexAxis: "y",
			responsive: true,
			maintainAspectRatio: false,
			animation: options.reducedMotion ? false : { duration: 250 },
			plugins: { legend: { display: false }, tooltip: { enabled: true } },
			scales: {
				x: { beginAtZero: true, ticks: { precision: 0, color: colours.text }, grid: { color: colours.grid } },
				y: { ticks: { color: colours.text, autoSkip: false }, grid: { display: false } },
			},
		},
	};
}
