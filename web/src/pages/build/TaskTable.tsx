import { useState } from "react";
import type { Task, TaskStatus } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { formatDate } from "../../components/format";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading } from "../../components/States";
import { StatusBadge } from "../../components/StatusBadge";
import { useResource } from "../../components/useResource";

const PAGE_SIZE = 20;
const TASK_STATUSES: TaskStatus[] = ["waiting", "queued", "running", "retrying", "done", "failed", "dead", "cancelled"];

/** What a task works on, in a few words: the label, keyword and source of a search or of a batch of downloads. */
export function taskSubject(task: Task): string {
	const payload = task.payload ?? {};
	const pick = (key: string) => (typeof payload[key] === "string" || typeof payload[key] === "number" ? String(payload[key]) : "");
	const parts = [pick("label"), pick("keyword"), pick("source")];
	if (task.type === "crawl.download" && Array.isArray(payload.items))
		parts.push(`${payload.items.length} ${payload.items.length === 1 ? "image" : "images"}`);
	if (task.type === "crawl.search" && pick("round")) parts.push(`round ${pick("round")}`);
	return parts.filter(Boolean).join(" · ");
}

/** A build's tasks, a page at a time, filtered by status. */
export function TaskTable({ jobId, refreshKey }: { jobId: string; refreshKey: string }) {
	const api = useApi();
	const [page, setPage] = useState(1);
	const [status, setStatus] = useState<TaskStatus | "">("");
	const tasks = useResource(
		(signal) => api.jobs.tasks(jobId, { page, pageSize: PAGE_SIZE, status: status || undefined }, signal),
		[api, jobId, page, status, refreshKey],
	);
	return (
		<section className="card" aria-labelledby="tasks-title">
			<div className="row">
				<h2 id="tasks-title">Tasks</h2>
				<div className="field">
					<label htmlFor="task-status" className="visually-hidden">
						Show tasks
					</label>
					<select
						id="task-status"
						value={status}
						onChange={(event) => {
							setStatus(event.target.value as TaskStatus | "");
							setPage(1);
						}}
					>
						<option value="">All tasks</option>
						{TASK_STATUSES.map((one) => (
							<option key={one} value={one}>
								{one}
							</option>
						))}
					</select>
				</div>
				<button type="button" className="button" onClick={tasks.reload}>
					Refresh
				</button>
			</div>
			{tasks.state === "error" && <ErrorState error={tasks.error} onRetry={tasks.reload} title="The tasks could not be loaded" />}
			{tasks.state === "loading" && !tasks.data && <Loading label="Loading tasks…" />}
			{tasks.data && tasks.data.items.length === 0 && <EmptyState title={status ? `No ${status} tasks` : "No tasks yet"} />}
			{tasks.data && tasks.data.items.length > 0 && (
				<>
					<div className="table-wrap">
						<table>
							<caption className="visually-hidden">Tasks, page {page}</caption>
							<thead>
								<tr>
									<th scope="col">Type</th>
									<th scope="col">Subject</th>
									<th scope="col">Status</th>
									<th scope="col" className="num">
										Attempts
									</th>
									<th scope="col">Last error</th>
									<th scope="col">Updated</th>
								</tr>
							</thead>
							<tbody>
								{tasks.data.items.map((task) => (
									<tr key={task.id}>
										<td>{task.type.replace("crawl.", "")}</td>
										<td className="mono">{taskSubject(task)}</td>
										<td>
											<StatusBadge status={task.status} />
										</td>
										<td className="num">
											{task.attempts}/{task.maxAttempts}
										</td>
										<td>{task.lastError ?? ""}</td>
										<td>{formatDate(task.updatedAt)}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager page={page} pageSize={PAGE_SIZE} total={tasks.data.total} onPage={setPage} label="Task pages" />
				</>
			)}
		</section>
	);
}
