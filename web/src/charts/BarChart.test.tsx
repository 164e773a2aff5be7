import { render, screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { BarChart } from "./BarChart";

/** Chart.js stands in for itself: what the page asks it to draw is recorded, not painted (jsdom has no canvas). */
const drawn = vi.hoisted(() => [] as { config: { data: { labels: string[]; datasets: { data: number[] }[] } }; destroyed: boolean }[]);
vi.mock("chart.js", () => {
	class Chart {
		static register() {}
		destroyed = false;
		constructor(
			readonly context: unknown,
			readonly config: (typeof drawn)[number]["config"],
		) {
			drawn.push(this);
		}
		destroy() {
			this.destroyed = true;
		}
	}
	return { Chart, BarController: {}, BarElement: {}, CategoryScale: {}, LinearScale: {}, Tooltip: {} };
});

const BARS = [
	{ label: "cat", value: 6 },
	{ label: "dog", value: 2 },
];

describe("a bar chart", () => {
	beforeEach(() => {
		drawn.length = 0;
	});

	it("draws the bars with Chart.js and describes them as an image with a table of every number", async () => {
		vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({} as CanvasRenderingContext2D);
		const { unmount } = render(<BarChart title="Valid images per label" bars={BARS} categoryLabel="Label" empty="Nothing" />);
		const figure = screen.getByRole("figure", { name: "Valid images per label" });
		const picture = within(figure).getByRole("img");
		expect(picture).toHaveAccessibleName("Valid images per label: bar chart of 8 images in 2 categories. cat 6, dog 2.");
		const table = within(figure).getByRole("table", { name: "Valid images per label" });
		expect(picture).toHaveAttribute("aria-describedby", table.id);
		const rows = within(table)
			.getAllByRole("row")
			.map((row) => row.textContent);
		expect(rows).toEqual(["LabelImagesShare", "cat675%", "dog225%", "Total8100%"]);
		await waitFor(() => expect(drawn).toHaveLength(1));
		expect(drawn[0].config.data.labels).toEqual(["cat", "dog"]);
		expect(drawn[0].config.data.datasets[0].data).toEqual([6, 2]);
		unmount();
		expect(drawn[0].destroyed).toBe(true);
	});

	it("shows the table open when no canvas can be drawn", async () => {
		vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
		render(<BarChart title="Valid images per source" bars={BARS} categoryLabel="Source" empty="Nothing" />);
		await waitFor(() => expect(screen.queryByRole("img")).not.toBeInTheDocument());
		expect(screen.getByRole("group")).toHaveAttribute("open");
		expect(screen.getByRole("table", { name: "Valid images per source" })).toBeVisible();
		expect(drawn).toHaveLength(0);
	});

	it("says so when there is nothing to chart", () => {
		render(<BarChart title="Rejected images per reason" bars={[]} categoryLabel="Reason" empty="No image was rejected." />);
		expect(screen.getByText("No image was rejected.")).toBeInTheDocument();
		expect(screen.queryByRole("table")).not.toBeInTheDocument();
	});
});
