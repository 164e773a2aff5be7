import { useMemo } from "react";
import type { DatasetMetadata } from "../../api/types";
import { BarChart } from "../../charts/BarChart";
import { barsFromCounts, reasonLabel } from "../../charts/chart-data";
import { formatBytes, formatNumber } from "../../components/format";

function range(size: DatasetMetadata["width"]): string {
	if (!size) return "—";
	return size.min === size.max ? `${formatNumber(size.min)} px` : `${formatNumber(size.min)}–${formatNumber(size.max)} px`;
}

/** The three charts' bars from the dataset's metadata (pure, so tests check what is drawn). */
export function metadataBars(metadata: DatasetMetadata) {
	return {
		// every label, empty ones too: a label left at 0 is what a reader most needs to see
		perLabel: barsFromCounts(metadata.perLabel, { keepZero: true, limit: 30 }),
		perSource: barsFromCounts(metadata.perSource),
		rejectionReasons: barsFromCounts(metadata.rejectionReasons, { labelOf: reasonLabel }),
	};
}

/** What the dataset holds: its totals, then valid images per label and per source, and why images were rejected. */
export function MetadataCharts({ metadata }: { metadata: DatasetMetadata }) {
	const bars = useMemo(() => metadataBars(metadata), [metadata]);
	return (
		<>
			<dl className="counters">
				<div>
					<dt>Images</dt>
					<dd>{formatNumber(metadata.images)}</dd>
				</div>
				<div>
					<dt>Valid</dt>
					<dd>{formatNumber(metadata.perStatus.valid)}</dd>
				</div>
				<div>
					<dt>Duplicates</dt>
					<dd>{formatNumber(metadata.perStatus.duplicate)}</dd>
				</div>
				<div>
					<dt>Rejected</dt>
					<dd>{formatNumber(metadata.perStatus.rejected)}</dd>
				</div>
				<div>
					<dt>Stored</dt>
					<dd>{formatBytes(metadata.bytes)}</dd>
				</div>
				<div>
					<dt>Widths</dt>
					<dd>{range(metadata.width)}</dd>
				</div>
				<div>
					<dt>Heights</dt>
					<dd>{range(metadata.height)}</dd>
				</div>
			</dl>
			<div className="chart-grid">
				<div className="card">
					<BarChart title="Valid images per label" bars={bars.perLabel} categoryLabel="Label" empty="The dataset has no labels." />
				</div>
				<div className="card">
					<BarChart title="Valid images per source" bars={bars.perSource} categoryLabel="Source" empty="No valid images yet." />
				</div>
				<div className="card">
					<BarChart title="Rejected images per reason" bars={bars.rejectionReasons} categoryLabel="Reason" empty="No image was rejected." />
				</div>
			</div>
		</>
	);
}
