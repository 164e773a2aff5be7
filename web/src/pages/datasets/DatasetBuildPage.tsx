import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "wouter";
import { errorMessage, isApiError } from "../../api/errors";
import type { Dataset, DatasetMetadata, Job } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ConfirmButton } from "../../components/ConfirmButton";
import { formatBytes, formatDate, formatDuration, formatNumber } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState, Loading, Notice } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";
import { JobLogTable } from "../build/JobLogTable";
import { completion, estimate, isActive, labelRows, STEPS, targetTotal } from "../build/progress";
import { TaskTable } from "../build/TaskTable";
import { type Connection, useBuildFollower } from "../build/useBuildFollower";
import { DatasetTabs } from "./DatasetTabs";

const CONNECTION_TEXT: Record<Connection, string> = {
	connecting: "Connecting…",
	waiting: "Live: waiting for a build",
	live: "Live",
	polling: "Updating every few seconds (the live stream is unavailable)",
	ended: "Finished",
	failed: "Not following",
};

/** Why a build could not start, in the user's terms. */
export function buildRefusal(error: unknown): string {
	if (isApiError(error)) {
		if (error.status === 409) return "A build of this dataset is already queued or running.";
		if (error.status === 429)
			return `${error.problem?.detail ?? "You have reached a limit of your plan."}${error.retryAfter ? ` Try again in ${formatDuration(error.retryAfter)}.` : ""}`;
		if (error.status === 403) return "Your API access does not allow starting builds, or a plan limit is used up.";
	}
	return errorMessage(error);
}

/** The native element: announced with its value by screen readers, no inline style (the CSP allows none). */
function ProgressBar({ value, label }: { value: number; label: string }) {
	const percent = Math.round(Math.min(1, Math.max(0, value)) * 100);
	return (
		<progress className="progress" max={100} value={percent} aria-label={label}>
			{percent}%
		</progress>
	);
}

function Counters({ job }: { job: Job }) {
	const items: [string, number][] = [
		["Found", job.progress.found],
		["Downloaded", job.progress.downloaded],
		["Valid", job.progress.valid],
		["Duplicates", job.progress.duplicates],
		["Rejected", job.progress.rejected],
		["Failed tasks", job.progress.failedTasks],
	];
	return (
		<dl className="counters">
			{items.map(([label, value]) => (
				<div key={label}>
					<dt>{label}</dt>
					<dd>{formatNumber(value)}</dd>
				</div>
			))}
		</dl>
	);
}

function Steps({ job }: { job: Job }) {
	const current = STEPS.findIndex((one) => one.step === job.step);
	return (
		<ol className="steps" aria-label="Steps">
			{STEPS.map((one, index) => (
				<li
					key={one.step}
					aria-current={index === current && job.status !== "done" ? "step" : undefined}
					className={index < current || job.status === "done" ? "step-done" : undefined}
				>
					{one.label}
				</li>
			))}
		</ol>
	);
}

function LabelTable({ dataset, job, metadata }: { dataset: Dataset; job: Job | null; metadata: DatasetMetadata | null }) {
	const rows = labelRows(
		dataset.categories.map((category) => category.label),
		job,
		metadata?.perLabel ?? null,
	);
	return (
		<div className="table-wrap">
			<table>
				<caption>Valid images per label</caption>
				<thead>
					<tr>
						<th scope="col">Label</th>
						<th scope="col" className="num">
							Valid
						</th>
						<th scope="col" className="num">
							Target
						</th>
						<th scope="col">Progress</th>
					</tr>
				</thead>
				<tbody>
					{rows.map((row) => (
						<tr key={row.label}>
							<th scope="row">{row.label}</th>
							<td className="num">{formatNumber(row.valid)}</td>
							<td className="num">{row.target === null ? "—" : formatNumber(row.target)}</td>
							<td>{row.target ? <ProgressBar value={Math.min(1, row.valid / row.target)} label={`${row.label}: progress`} /> : null}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function BuildPanel({
	dataset,
	job,
	connection,
	eta,
	onChanged,
}: {
	dataset: Dataset;
	job: Job | null;
	connection: Connection;
	eta: { perMinute: number | null; secondsLeft: number | null };
	onChanged: () => void;
}) {
	const api = useApi();
	const [message, setMessage] = useState<{ kind: "success" | "error"; text: string } | null>(null);
	const [busy, setBusy] = useState(false);
	const active = isActive(job);

	async function run(action: () => Promise<string>, failure: (error: unknown) => string = errorMessage) {
		setBusy(true);
		setMessage(null);
		try {
			setMessage({ kind: "success", text: await action() });
			onChanged();
		} catch (error) {
			setMessage({ kind: "error", text: failure(error) });
		} finally {
			setBusy(false);
		}
	}
	const start = () =>
		run(async () => {
			await api.datasets.build(dataset.id);
			return "Build started.";
		}, buildRefusal);

	return (
		<section className="card" aria-labelledby="build-title">
			<div className="row">
				<h2 id="build-title">Build</h2>
				{job && <StatusBadge status={job.status} />}
				<span className="muted small" role="status">
					{CONNECTION_TEXT[connection]}
				</span>
			</div>
			{message && <Notice kind={message.kind}>{message.text}</Notice>}
			{!job && (
				<EmptyState title="Not built yet">
					<p>A build searches the sources for every label, downloads, checks and deduplicates the images.</p>
					<button type="button" className="button button-primary" disabled={busy} onClick={start}>
						Start build
					</button>
				</EmptyState>
			)}
			{job && (
				<>
					<Steps job={job} />
					<p className="muted small">
						Round {job.round} · started {formatDate(job.startedAt ?? job.createdAt)}
						{job.finishedAt ? ` · finished ${formatDate(job.finishedAt)}` : ""}
					</p>
					<ProgressBar value={completion(job)} label="Build progress" />
					<p aria-live="polite">
						{formatNumber(job.progress.valid)} of {formatNumber(targetTotal(job)) || "—"} images kept
						{active && eta.perMinute !== null ? ` · ${formatNumber(Math.round(eta.perMinute))} per minute` : ""}
						{active && eta.secondsLeft !== null ? ` · about ${formatDuration(eta.secondsLeft)} left` : ""}
					</p>
					<Counters job={job} />
					{job.error && <Notice kind="error">{job.error}</Notice>}
					{job.limitReached && (
						<Notice kind="info">
							The build stopped adding images at your plan's {job.limitReached.limit === "imagesPerDay" ? "daily image" : "storage"} limit (
							{formatNumber(job.limitReached.used)} of {formatNumber(job.limitReached.max)}).
						</Notice>
					)}
					<div className="form-actions">
						{active && (
							<ConfirmButton
								question="Cancel this build? Images kept so far stay."
								confirmLabel="Cancel build"
								onConfirm={() =>
									run(async () => {
										await api.jobs.cancel(job.id);
										return "Build cancelled.";
									})
								}
							>
								Cancel build
							</ConfirmButton>
						)}
						{job.progress.failedTasks > 0 && (
							<button
								type="button"
								className="button"
								disabled={busy}
								onClick={() =>
									run(async () => {
										const { requeued } = await api.jobs.retry(job.id);
										return `${requeued} failed ${requeued === 1 ? "task" : "tasks"} queued again.`;
									})
								}
							>
								Retry failed tasks
							</button>
						)}
						{!active && (
							<button type="button" className="button button-primary" disabled={busy} onClick={start}>
								Build again
							</button>
						)}
					</div>
				</>
			)}
		</section>
	);
}

export function DatasetBuildPage() {
	const api = useApi();
	const { id = "" } = useParams<{ id: string }>();
	const [restartKey, setRestartKey] = useState(0);
	const dataset = useResource((signal) => api.datasets.get(id, signal), [api, id, restartKey]);
	const follower = useBuildFollower(api, id, restartKey);
	const job = follower.job;

	// per-label counts come from the dataset's metadata, its status and contents from the dataset: both are
	// read again as the build goes, at most every 2 s
	const [metadata, setMetadata] = useState<DatasetMetadata | null>(null);
	const reloadDataset = dataset.reload;
	const lastRead = useRef(0);
	const jobKey = job ? `${job.id}:${job.eventSeq}:${job.status}` : "";
	// biome-ignore lint/correctness/useExhaustiveDependencies: jobKey names the job state that makes a new read worth it
	useEffect(() => {
		const controller = new AbortController();
		const wait = Math.max(0, 2000 - (Date.now() - lastRead.current));
		const timer = setTimeout(
			() => {
				lastRead.current = Date.now();
				api.datasets.metadata(id, controller.signal).then(setMetadata, () => undefined);
				if (job && isActive(job)) reloadDataset();
			},
			job && isActive(job) ? wait : 0,
		);
		return () => {
			clearTimeout(timer);
			controller.abort();
		};
	}, [api, id, jobKey, reloadDataset]);

	// the dataset's status and counts change once more when a build ends
	const ended = job && !isActive(job) ? job.id : null;
	useEffect(() => {
		if (ended) reloadDataset();
	}, [ended, reloadDataset]);

	if (dataset.state === "error" && !dataset.data) {
		return (
			<section>
				<PageHeader title="Dataset" />
				<ErrorState error={dataset.error} onRetry={dataset.reload} title="The dataset could not be loaded" />
			</section>
		);
	}
	if (!dataset.data) return <Loading label="Loading the dataset…" />;
	const data = dataset.data;
	const refreshKey = job ? `${job.id}:${job.step}:${job.round}:${job.status}` : "none";
	const eta = estimate(follower.samples, job ? targetTotal(job) : 0);

	return (
		<section>
			<PageHeader title={data.name}>
				<StatusBadge status={data.status} />
			</PageHeader>
			<DatasetTabs datasetId={id} />
			{data.description && <p>{data.description}</p>}
			<div className="grid build-grid">
				<BuildPanel dataset={data} job={job} connection={follower.connection} eta={eta} onChanged={() => setRestartKey((key) => key + 1)} />
				<section className="card" aria-labelledby="contents-title">
					<h2 id="contents-title">Contents</h2>
					<dl className="stats">
						<div>
							<dt>Images</dt>
							<dd>{formatNumber(data.stats.images)}</dd>
						</div>
						<div>
							<dt>Valid</dt>
							<dd>{formatNumber(data.stats.valid)}</dd>
						</div>
						<div>
							<dt>Duplicates</dt>
							<dd>{formatNumber(data.stats.duplicates)}</dd>
						</div>
						<div>
							<dt>Rejected</dt>
							<dd>{formatNumber(data.stats.rejected)}</dd>
						</div>
						<div>
							<dt>Size</dt>
							<dd>{formatBytes(data.stats.bytes)}</dd>
						</div>
					</dl>
					<p className="muted small">
						Sources: {data.sources.join(", ")} · <Link href={`/datasets/${encodeURIComponent(id)}/edit`}>Change the definition</Link>
					</p>
					<LabelTable dataset={data} job={job} metadata={metadata} />
				</section>
			</div>
			{job && (
				<>
					<JobLogTable jobId={job.id} refreshKey={refreshKey} />
					<TaskTable jobId={job.id} refreshKey={refreshKey} />
				</>
			)}
		</section>
	);
}
