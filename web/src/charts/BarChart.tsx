import type { Chart } from "chart.js";
import { useEffect, useId, useRef, useState } from "react";
import { barChartConfig, coloursOf } from "./bar-chart-config";
import { type Bar, chartHeight, describeBars, shareOf, totalOf } from "./chart-data";
import { loadChart } from "./load-chart";
import "./charts.css";

const numberFormat = new Intl.NumberFormat("en");

function prefersReducedMotion(): boolean {
	return typeof window.matchMedia === "function" && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/**
 * A horizontal bar chart with its text alternative: the canvas is an image whose label sums the chart
 * up and whose description is the table of every number (under "Show the numbers"). Where no canvas
 * can be drawn, the table is all there is, open.
 */
export function BarChart({
	title,
	bars,
	categoryLabel,
	valueLabel = "Images",
	unit = "images",
	empty,
}: {
	title: string;
	bars: Bar[];
	/** The table's first column: Label, Source, Reason. */
	categoryLabel: string;
	valueLabel?: string;
	unit?: string;
	/** What to say when there is nothing to chart. */
	empty: string;
}) {
	const id = useId();
	const canvasRef = useRef<HTMLCanvasElement>(null);
	const boxRef = useRef<HTMLDivElement>(null);
	const [drawn, setDrawn] = useState<"pending" | "drawn" | "unavailable">("pending");
	// the chart is rebuilt when what it shows changes, not on every render of its page
	const signature = JSON.stringify(bars);
	const height = chartHeight(bars.length);

	// set through the CSSOM: the dashboard's Content-Security-Policy refuses style attributes
	useEffect(() => {
		boxRef.current?.style.setProperty("height", `${height}px`);
	});

	// biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for `bars`
	useEffect(() => {
		if (bars.length === 0) return;
		let chart: Chart | null = null;
		let cancelled = false;
		loadChart().then(
			(ChartClass) => {
				const canvas = canvasRef.current;
				if (cancelled || !canvas) return;
				const context = canvas.getContext("2d");
				if (!context) {
					setDrawn("unavailable");
					return;
				}
				chart = new ChartClass(
					context,
					barChartConfig(bars, { valueLabel, colours: coloursOf(canvas), reducedMotion: prefersReducedMotion() }),
				);
				setDrawn("drawn");
			},
			() => {
				if (!cancelled) setDrawn("unavailable");
			},
		);
		return () => {
			cancelled = true;
			chart?.destroy();
		};
	}, [signature, valueLabel]);

	const titleId = `${id}-title`;
	const tableId = `${id}-table`;
	const total = totalOf(bars);
	return (
		<figure className="chart" aria-labelledby={titleId}>
			<figcaption id={titleId} className="chart-title">
				{title}
			</figcaption>
			{bars.length === 0 ? (
				<p className="muted">{empty}</p>
			) : (
				<>
					{drawn !== "unavailable" && (
						<div className="chart-canvas" ref={boxRef}>
							<canvas ref={canvasRef} role="img" aria-label={describeBars(title, bars, unit)} aria-describedby={tableId}>
								{describeBars(title, bars, unit)}
							</canvas>
						</div>
					)}
					<details className="chart-table" open={drawn === "unavailable"}>
						<summary>Show the numbers</summary>
						<div className="table-scroll">
							<table id={tableId}>
								<caption className="visually-hidden">{title}</caption>
								<thead>
									<tr>
										<th scope="col">{categoryLabel}</th>
										<th scope="col" className="num">
											{valueLabel}
										</th>
										<th scope="col" className="num">
											Share
										</th>
									</tr>
								</thead>
								<tbody>
									{bars.map((bar) => (
										<tr key={bar.label}>
											<th scope="row">{bar.label}</th>
											<td className="num">{numberFormat.format(bar.value)}</td>
											<td className="num">{shareOf(bar.value, total)}</td>
										</tr>
									))}
								</tbody>
								<tfoot>
									<tr>
										<th scope="row">Total</th>
										<td className="num">{numberFormat.format(total)}</td>
										<td className="num">{total > 0 ? "100%" : "0%"}</td>
									</tr>
								</tfoot>
							</table>
						</div>
					</details>
				</>
			)}
		</figure>
	);
}
