import { useEffect, useState } from "react";
import { Link, useLocation, useSearch } from "wouter";
import type { Dataset, Project } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { formatBytes, formatDate, formatNumber } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";
import {
	DATASET_STATUSES,
	DATASETS_PAGE_SIZE,
	type DatasetListFilters,
	filtersFromSearch,
	listParams,
	searchFromFilters,
} from "./list-query";

const REFRESH_WHILE_BUILDING_MS = 5000;

function DatasetCard({ dataset, project }: { dataset: Dataset; project: Project | undefined }) {
	const { stats } = dataset;
	return (
		<li className="card dataset-card">
			<div className="row">
				<h2>
					<Link href={`/datasets/${encodeURIComponent(dataset.id)}`}>{dataset.name}</Link>
				</h2>
				<StatusBadge status={dataset.status} />
			</div>
			<p className="muted small">
				{project ? `${project.name} · ` : ""}
				{dataset.categories.length} {dataset.categories.length === 1 ? "label" : "labels"} · updated {formatDate(dataset.updatedAt)}
			</p>
			<dl className="stats" aria-label={`Images of ${dataset.name}`}>
				<div>
					<dt>Images</dt>
					<dd>{formatNumber(stats.images)}</dd>
				</div>
				<div>
					<dt>Valid</dt>
					<dd>{formatNumber(stats.valid)}</dd>
				</div>
				<div>
					<dt>Duplicates</dt>
					<dd>{formatNumber(stats.duplicates)}</dd>
				</div>
				<div>
					<dt>Rejected</dt>
					<dd>{formatNumber(stats.rejected)}</dd>
				</div>
				<div>
					<dt>Size</dt>
					<dd>{formatBytes(stats.bytes)}</dd>
				</div>
			</dl>
		</li>
	);
}

export function DatasetsPage() {
	const api = useApi();
	const search = useSearch();
	const [, navigate] = useLocation();
	const filters = filtersFromSearch(search);
	const [name, setName] = useState(filters.name);
	useEffect(() => setName(filters.name), [filters.name]);

	const projects = useResource((signal) => api.projects.list({ pageSize: 100 }, signal), [api]);
	const datasets = useResource((signal) => api.datasets.list(listParams(filters), signal), [api, search]);
	// a build in progress changes the counts: read the list again every few seconds while one runs
	const building = datasets.data?.items.some((dataset) => dataset.status === "queued" || dataset.status === "running") ?? false;
	const reloadDatasets = datasets.reload;
	const loaded = datasets.data;
	// each answer (a new `loaded`) schedules the next read; a failed read shows its error and stops
	useEffect(() => {
		if (!building || !loaded) return;
		const timer = setTimeout(reloadDatasets, REFRESH_WHILE_BUILDING_MS);
		return () => clearTimeout(timer);
	}, [building, loaded, reloadDatasets]);
	const projectById = new Map((projects.data?.items ?? []).map((project) => [project.id, project]));
	const filtered = Boolean(filters.project || filters.status || filters.name);

	const apply = (changes: Partial<DatasetListFilters>) =>
		navigate(`/datasets${searchFromFilters({ ...filters, page: 1, ...changes })}`, { replace: changes.page === undefined });

	return (
		<section>
			<PageHeader title="Datasets">
				<Link href="/datasets/new" className="button button-primary">
					New dataset
				</Link>
			</PageHeader>
			<form
				className="filters"
				aria-label="Filter datasets"
				onSubmit={(event) => {
					event.preventDefault();
					apply({ name });
				}}
			>
				<div className="field">
					<label htmlFor="filter-project">Project</label>
					<select id="filter-project" value={filters.project} onChange={(event) => apply({ project: event.target.value })}>
						<option value="">All projects</option>
						{(projects.data?.items ?? []).map((project) => (
							<option key={project.id} value={project.id}>
								{project.name}
							</option>
						))}
					</select>
				</div>
				<div className="field">
					<label htmlFor="filter-status">Status</label>
					<select id="filter-status" value={filters.status} onChange={(event) => apply({ status: event.target.value })}>
						<option value="">Any status</option>
						{DATASET_STATUSES.map((status) => (
							<option key={status} value={status}>
								{status}
							</option>
						))}
					</select>
				</div>
				<div className="field">
					<label htmlFor="filter-name">Name contains</label>
					<input id="filter-name" type="search" value={name} onChange={(event) => setName(event.target.value)} />
				</div>
				<button type="submit" className="button">
					Search
				</button>
				{filtered && (
					<button type="button" className="button" onClick={() => navigate("/datasets")}>
						Clear filters
					</button>
				)}
			</form>

			{datasets.state === "error" && (
				<ErrorState error={datasets.error} onRetry={datasets.reload} title="The datasets could not be loaded" />
			)}
			{datasets.state === "loading" && !datasets.data && <Loading label="Loading datasets…" />}
			{datasets.data && datasets.data.items.length === 0 && datasets.state !== "error" && (
				<EmptyState title={filtered ? "No dataset matches these filters" : "No datasets yet"}>
					{filtered ? (
						<p>Change or clear the filters to see more.</p>
					) : (
						<p>
							A dataset names the labels you want and where to look for them. <Link href="/datasets/new">Create your first dataset</Link>.
						</p>
					)}
				</EmptyState>
			)}
			{datasets.data && datasets.data.items.length > 0 && (
				<>
					<p className="muted small" aria-live="polite">
						{formatNumber(datasets.data.total)} {datasets.data.total === 1 ? "dataset" : "datasets"}
						{datasets.state === "loading" ? " · updating…" : ""}
					</p>
					<ul className="dataset-list grid">
						{datasets.data.items.map((dataset) => (
							<DatasetCard
								key={dataset.id}
								dataset={dataset}
								project={dataset.projectId ? projectById.get(dataset.projectId) : undefined}
							/>
						))}
					</ul>
					<Pager
						page={filters.page}
						pageSize={DATASETS_PAGE_SIZE}
						total={datasets.data.total}
						onPage={(page) => apply({ page })}
						label="Dataset pages"
					/>
				</>
			)}
		</section>
	);
}
