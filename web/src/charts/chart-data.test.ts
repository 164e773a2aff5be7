import { describe, expect, it } from "vitest";
import { barChartConfig, FALLBACK_COLOURS } from "./bar-chart-config";
import { barsFromCounts, chartHeight, describeBars, reasonLabel, shareOf } from "./chart-data";

describe("chart data", () => {
	it("orders bars largest first, ties by name, and leaves out zeros unless asked", () => {
		expect(barsFromCounts({ dog: 3, cat: 5, bird: 3, fish: 0 })).toEqual([
			{ label: "cat", value: 5 },
			{ label: "bird", value: 3 },
			{ label: "dog", value: 3 },
		]);
		expect(barsFromCounts({ cat: 2, fish: 0 }, { keepZero: true }).map((bar) => bar.label)).toEqual(["cat", "fish"]);
	});

	it("sums the smallest categories into one bar beyond the limit", () => {
		const counts = Object.fromEntries(Array.from({ length: 6 }, (_, index) => [`label ${index}`, 10 - index]));
		expect(barsFromCounts(counts, { limit: 4 })).toEqual([
			{ label: "label 0", value: 10 },
			{ label: "label 1", value: 9 },
			{ label: "label 2", value: 8 },
			{ label: "Other (3 more)", value: 7 + 6 + 5 },
		]);
	});

	it("names reason codes in words", () => {
		expect(barsFromCounts({ too_small: 2, not_an_image: 1 }, { labelOf: reasonLabel })).toEqual([
			{ label: "too small", value: 2 },
			{ label: "not an image", value: 1 },
		]);
	});

	it("sums a chart up in one sentence for screen readers", () => {
		const bars = barsFromCounts({ cat: 1200, dog: 30, bird: 2, fish: 1 });
		expect(describeBars("Valid images per label", bars)).toBe(
			"Valid images per label: bar chart of 1,233 images in 4 categories. cat 1,200, dog 30, bird 2, and 1 more.",
		);
		expect(describeBars("Rejected images per reason", [])).toBe("Rejected images per reason: nothing to show.");
	});

	it("gives shares and a height that fits every bar", () => {
		expect(shareOf(1, 3)).toBe("33%");
		expect(shareOf(1, 1000)).toBe("< 1%");
		expect(shareOf(0, 0)).toBe("0%");
		expect(chartHeight(10)).toBe(10 * 28 + 40);
		expect(chartHeight(0)).toBe(28 + 40);
	});

	it("configures horizontal bars from zero with the bars' labels and values", () => {
		const config = barChartConfig(
			[
				{ label: "cat", value: 5 },
				{ label: "dog", value: 3 },
			],
			{
				valueLabel: "Images",
				colours: FALLBACK_COLOURS,
				reducedMotion: true,
			},
		);
		expect(config.type).toBe("bar");
		expect(config.data.labels).toEqual(["cat", "dog"]);
		expect(config.data.datasets[0]).toMatchObject({ label: "Images", data: [5, 3], backgroundColor: FALLBACK_COLOURS.bar });
		expect(config.options).toMatchObject({ indexAxis: "y", animation: false, scales: { x: { beginAtZero: true } } });
	});
});
