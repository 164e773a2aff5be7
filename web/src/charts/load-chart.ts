import type { Chart } from "chart.js";

let loading: Promise<typeof Chart> | null = null;

/**
 * Chart.js with only what a bar chart needs (tree-shaken: about 53 kB gzipped instead of the whole
 * library), fetched the first time a chart is drawn so pages without charts never load it.
 */
export function loadChart(): Promise<typeof Chart> {
	loading ??= import("chart.js").then(({ BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip }) => {
		Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
		return Chart;
	});
	// a failed fetch (a new deployment replaced the chunk, the network dropped) is tried again next time
	loading.catch(() => {
		loading = null;
	});
	return loading;
}
