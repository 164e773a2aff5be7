import { useEffect, useId, useRef, useState } from "react";
import { errorMessage } from "../../api/errors";
import type { Export, ExportStatus } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ConfirmButton } from "../../components/ConfirmButton";
import { CopyButton } from "../../components/CopyButton";
import { formatBytes, formatDate } from "../../components/format";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading, Notice } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";
import { finishedSince, isActive, progressOf } from "./export-progress";
import { EXPORT_FORMATS, licenceName } from "./options";
import { describeSplit } from "./split";

/** How often the list is read again while an export is queued or running. */
export const POLL_INTERVAL_MS = 2000;
const PAGE_SIZE = 10;

/** Starts a browser download of `url` (a signed link that needs no token). */
function startDownload(url: string, fileName: string) {
	const link = document.createElement("a");
	link.href = url;
	link.download = fileName;
	link.rel = "noopener";
	document.body.appendChild(link);
	link.click();
	link.remove();
}

function ExportCard({ item, onDeleted }: { item: Export; onDeleted: (item: Export) => void }) {
	const api = useApi();
	const titleId = useId();
	const progressId = useId();
	const [problem, setProblem] = useState<string | null>(null);
	const [downloading, setDownloading] = useState(false);
	const progress = progressOf(item);

	async function download() {
		setProblem(null);
		setDownloading(true);
		try {
			// the list carries no link: ask for the export, whose answer signs a fresh one
			const fresh = await api.exports.get(item.id);
			if (!fresh.url) throw new Error("The export has no download link yet");
			startDownload(fresh.url, fresh.fileName);
		} catch (error) {
			setProblem(`The download could not start: ${errorMessage(error)}`);
		} finally {
			setDownloading(false);
		}
	}

	async function remove() {
		setProblem(null);
		try {
			await api.exports.delete(item.id);
			onDeleted(item);
		} catch (error) {
			setProblem(`The export was not deleted: ${errorMessage(error)}`);
		}
	}

	return (
		<li className="card export-card">
			<div className="export-head">
				<h3 id={titleId} className="export-title">
					{item.fileName}
				</h3>
				<StatusBadge status={item.status} />
			</div>
			<dl className="export-facts">
				<div>
					<dt>Format</dt>
					<dd>{EXPORT_FORMATS[item.format]?.name ?? item.format}</dd>
				</div>
				<div>
					<dt>Split</dt>
					<dd>
						{describeSplit(item.split)}
						{item.split && <span className="muted"> (seed {item.split.seed})</span>}
					</dd>
				</div>
				<div>
					<dt>Licences</dt>
					<dd>{item.licences ? item.licences.map(licenceName).join(", ") : "Every licence"}</dd>
				</div>
				<div>
					<dt>Created</dt>
					<dd>{formatDate(item.createdAt)}</dd>
				</div>
				{item.status === "ready" && (
					<>
						<div>
							<dt>Size</dt>
							<dd>{formatBytes(item.bytes)}</dd>
						</div>
						<div className="export-checksum">
							<dt>SHA-256</dt>
							<dd>
								<code>{item.sha256}</code> {item.sha256 && <CopyButton text={item.sha256} label="Copy checksum" />}
							</dd>
						</div>
					</>
				)}
			</dl>
			<div className="export-progress">
				{/* a bar only while it moves; a finished export says what it holds, a failed one why */}
				{isActive(item) && (
					<progress
						id={progressId}
						value={progress.value}
						max={progress.max}
						aria-label={`Progress of ${item.fileName}`}
						aria-describedby={`${progressId}-text`}
					>
						{progress.percent}%
					</progress>
				)}
				<p id={`${progressId}-text`} className={item.status === "failed" ? "field-error" : "muted small"}>
					{progress.text}
				</p>
			</div>
			{problem && <Notice kind="error">{problem}</Notice>}
			<div className="row">
				{item.status === "ready" && (
					<button type="button" className="button button-primary" onClick={download} disabled={downloading}>
						{downloading ? "Preparing…" : `Download (${formatBytes(item.bytes)})`}
					</button>
				)}
				<ConfirmButton question={`Delete ${item.fileName}?`} confirmLabel="Delete export" onConfirm={remove}>
					{isActive(item) ? "Stop and delete" : "Delete"}
				</ConfirmButton>
			</div>
		</li>
	);
}

/**
 * A dataset's exports, newest first, read again every two seconds while one is queued or running so
 * its progress moves; finished ones are announced to screen readers.
 */
export function ExportList({ datasetId, refreshKey }: { datasetId: string; refreshKey: number }) {
	const api = useApi();
	const [page, setPage] = useState(1);
	const [announcement, setAnnouncement] = useState("");
	const list = useResource(
		(signal) => api.exports.list(datasetId, { page, pageSize: PAGE_SIZE }, signal),
		[api, datasetId, page, refreshKey],
	);
	const items = list.data?.items ?? [];
	const polling = items.some(isActive);
	// a new export was created: it is first in the first page
	// biome-ignore lint/correctness/useExhaustiveDependencies: runs when the parent says the list changed
	useEffect(() => setPage(1), [refreshKey]);

	// each answer schedules the next read while something is still being written
	useEffect(() => {
		if (list.state !== "ready" || !list.data.items.some(isActive)) return;
		const timer = setTimeout(list.reload, POLL_INTERVAL_MS);
		return () => clearTimeout(timer);
	}, [list.state, list.data, list.reload]);

	const statuses = useRef(new Map<string, ExportStatus>());
	useEffect(() => {
		if (!list.data) return;
		const finished = finishedSince(statuses.current, list.data.items);
		if (finished.length > 0) {
			setAnnouncement(finished.map((item) => `${item.fileName} ${item.status === "ready" ? "is ready to download" : "failed"}.`).join(" "));
		}
		statuses.current = new Map(list.data.items.map((item) => [item.id, item.status]));
	}, [list.data]);

	const deleted = (item: Export) => {
		setAnnouncement(`${item.fileName} was deleted.`);
		// the last export of a later page: go back one page rather than show an empty one
		if (items.length === 1 && page > 1) setPage(page - 1);
		else list.reload();
	};

	return (
		<>
			<p className="visually-hidden" role="status" aria-live="polite">
				{announcement}
			</p>
			{list.state === "error" && !list.data ? (
				<ErrorState error={list.error} onRetry={list.reload} title="The exports could not be loaded" />
			) : !list.data ? (
				<Loading label="Loading exports…" />
			) : list.data.total === 0 ? (
				<EmptyState title="No exports yet">
					<p>Create one above: it is written in the background and appears here with its progress.</p>
				</EmptyState>
			) : (
				<>
					{list.state === "error" && (
						<Notice kind="error">
							The list could not be refreshed: {errorMessage(list.error)}{" "}
							<button type="button" className="button-link" onClick={list.reload}>
								Try again
							</button>
						</Notice>
					)}
					{polling && <p className="muted small">Updating every {POLL_INTERVAL_MS / 1000} seconds while an export is being written.</p>}
					<ul className="export-list">
						{items.map((item) => (
							<ExportCard key={item.id} item={item} onDeleted={deleted} />
						))}
					</ul>
					<Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} label="Pages of exports" />
				</>
			)}
		</>
	);
}
