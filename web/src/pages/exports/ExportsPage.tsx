import { useState } from "react";
import { useParams } from "wouter";
import { useApi } from "../../auth/AuthContext";
import { PageHeader } from "../../components/PageHeader";
import { ErrorState, Loading, Notice } from "../../components/States";
import { useResource } from "../../components/useResource";
import { DatasetTabs } from "../datasets/DatasetTabs";
import { ExportForm } from "./ExportForm";
import { ExportList } from "./ExportList";
import { MetadataCharts } from "./MetadataCharts";
import "./exports.css";

/** `/datasets/:id/exports`: create an export, watch it, download it; and what the dataset holds, in charts. */
export function ExportsPage() {
	const { id } = useParams<{ id: string }>();
	const api = useApi();
	const dataset = useResource((signal) => api.datasets.get(id, signal), [api, id]);
	const metadata = useResource((signal) => api.datasets.metadata(id, signal), [api, id]);
	const [refreshKey, setRefreshKey] = useState(0);
	const current = dataset.data?.id === id ? dataset.data : null;
	const summary = metadata.data?.datasetId === id ? metadata.data : null;
	const building = current?.status === "queued" || current?.status === "running";

	return (
		<section>
			<PageHeader title={current ? `${current.name}: exports` : "Exports"} />
			<DatasetTabs datasetId={id} />
			{dataset.state === "error" ? (
				<ErrorState error={dataset.error} onRetry={dataset.reload} title="The dataset could not be loaded" />
			) : !current ? (
				<Loading label="Loading the dataset…" />
			) : (
				<>
					<section className="card">
						{building && <Notice kind="info">A build of this dataset is running: exports can be created once it has finished.</Notice>}
						{summary && summary.perStatus.valid === 0 && !building && (
							<Notice kind="info">The dataset has no valid images yet: build it before exporting.</Notice>
						)}
						<ExportForm datasetId={id} perLicense={summary?.perLicense} onCreated={() => setRefreshKey((key) => key + 1)} />
					</section>
					<section className="card" aria-labelledby="exports-list-title">
						<h2 id="exports-list-title">Exports</h2>
						<ExportList datasetId={id} refreshKey={refreshKey} />
					</section>
					<section aria-labelledby="exports-metadata-title">
						<h2 id="exports-metadata-title">What the dataset holds</h2>
						{metadata.state === "error" ? (
							<ErrorState error={metadata.error} onRetry={metadata.reload} title="The dataset's summary could not be loaded" />
						) : !summary ? (
							<Loading label="Loading the dataset's summary…" />
						) : (
							<MetadataCharts metadata={summary} />
						)}
					</section>
				</>
			)}
		</section>
	);
}
