import { useState } from "react";
import type { JobLog } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { formatDate } from "../../components/format";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { useResource } from "../../components/useResource";

const PAGE_SIZE = 20;

/** Details of a log line worth showing inline (counts, a task id), as `key: value` pairs. */
export function logDetails(data: JobLog["data"]): string {
	return Object.entries(data ?? {})
		.filter(([, value]) => value !== null && value !== undefined && typeof value !== "object")
		.map(([key, value]) => `${key}: ${String(value)}`)
		.join(", ");
}

/** A build's log, a page at a time; `refreshKey` reloads it (a step ended, the build completed). */
export function JobLogTable({ jobId, refreshKey }: { jobId: string; refreshKey: string }) {
	const api = useApi();
	const [page, setPage] = useState(1);
	const logs = useResource((signal) => api.jobs.logs(jobId, { page, pageSize: PAGE_SIZE }, signal), [api, jobId, page, refreshKey]);
	return (
		<section className="card" aria-labelledby="job-log-title">
			<div className="row">
				<h2 id="job-log-title">Build log</h2>
				<button type="button" className="button" onClick={logs.reload}>
					Refresh
				</button>
			</div>
			{logs.state === "error" && <ErrorState error={logs.error} onRetry={logs.reload} title="The log could not be loaded" />}
			{logs.state === "loading" && !logs.data && <Loading label="Loading the log…" />}
			{logs.data && logs.data.items.length === 0 && <EmptyState title="Nothing logged yet" />}
			{logs.data && logs.data.items.length > 0 && (
				<>
					<div className="table-wrap">
						<table>
							<caption className="visually-hidden">Build log, page {page}</caption>
							<thead>
								<tr>
									<th scope="col">Time</th>
									<th scope="col">Level</th>
									<th scope="col">Message</th>
								</tr>
							</thead>
							<tbody>
								{logs.data.items.map((entry) => (
									<tr key={entry.id}>
										<td>{formatDate(entry.createdAt)}</td>
										<td className={`log-level-${entry.level}`}>{entry.level}</td>
										<td>
											{entry.message}
											{logDetails(entry.data) && <div className="muted small">{logDetails(entry.data)}</div>}
										</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager page={page} pageSize={PAGE_SIZE} total={logs.data.total} onPage={setPage} label="Log pages" />
				</>
			)}
		</section>
	);
}
