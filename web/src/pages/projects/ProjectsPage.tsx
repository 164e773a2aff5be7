import { type FormEvent, useState } from "react";
import { Link } from "wouter";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import type { Project } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Field } from "../../components/Field";
import { formatDate, formatNumber } from "../../components/format";
import { PageHeader } from "../../components/PageHeader";
import { Pager } from "../../components/Pager";
import { EmptyState, ErrorState, Loading, Notice } from "../../components/States";
import { useResource } from "../../components/useResource";

const PAGE_SIZE = 20;

function ProjectForm({ project, onSaved, onCancel }: { project?: Project; onSaved: (project: Project) => void; onCancel?: () => void }) {
	const api = useApi();
	const prefix = project ? `project-${project.id}` : "project-new";
	const [name, setName] = useState(project?.name ?? "");
	const [description, setDescription] = useState(project?.description ?? "");
	const [fields, setFields] = useState<Record<string, string>>({});
	const [failure, setFailure] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setFields({});
		setFailure(null);
		try {
			const body = { name: name.trim(), description: description.trim() };
			const saved = project ? await api.projects.update(project.id, body) : await api.projects.create(body);
			if (!project) {
				setName("");
				setDescription("");
			}
			onSaved(saved);
		} catch (error) {
			if (isApiError(error) && error.status === 422) setFields(fieldErrorMap(error.fields));
			else setFailure(errorMessage(error));
		} finally {
			setBusy(false);
		}
	}

	return (
		<form onSubmit={submit} noValidate className="form-narrow">
			{failure && <Notice kind="error">{failure}</Notice>}
			<Field id={`${prefix}-name`} label="Name" error={fields.name}>
				{(control) => <input {...control} type="text" maxLength={120} value={name} onChange={(event) => setName(event.target.value)} />}
			</Field>
			<Field id={`${prefix}-description`} label="Description" hint="Optional." error={fields.description}>
				{(control) => <textarea {...control} rows={2} value={description} onChange={(event) => setDescription(event.target.value)} />}
			</Field>
			<div className="form-actions">
				<button type="submit" className="button button-primary" disabled={busy}>
					{project ? "Save" : "Create project"}
				</button>
				{onCancel && (
					<button type="button" className="button" onClick={onCancel}>
						Cancel
					</button>
				)}
			</div>
		</form>
	);
}

function ProjectCard({ project, onChanged }: { project: Project; onChanged: () => void }) {
	const api = useApi();
	const [editing, setEditing] = useState(false);
	const [failure, setFailure] = useState<string | null>(null);
	const datasets = project.datasets;
	return (
		<li className="card">
			{editing ? (
				<ProjectForm
					project={project}
					onSaved={() => {
						setEditing(false);
						onChanged();
					}}
					onCancel={() => setEditing(false)}
				/>
			) : (
				<>
					<h2>{project.name}</h2>
					{project.description && <p>{project.description}</p>}
					<p className="muted small">
						<Link href={`/datasets?project=${encodeURIComponent(project.id)}`}>
							{`${formatNumber(datasets)} ${datasets === 1 ? "dataset" : "datasets"}`}
						</Link>{" "}
						· created {formatDate(project.createdAt)}
					</p>
					{failure && <Notice kind="error">{failure}</Notice>}
					<div className="form-actions">
						<button type="button" className="button" aria-label={`Edit ${project.name}`} onClick={() => setEditing(true)}>
							Edit
						</button>
						<ConfirmButton
							question={`Delete “${project.name}” and its ${formatNumber(datasets)} ${datasets === 1 ? "dataset" : "datasets"} with their images?`}
							confirmLabel="Delete project"
							label={`Delete ${project.name}`}
							onConfirm={async () => {
								try {
									await api.projects.delete(project.id);
									onChanged();
								} catch (error) {
									setFailure(errorMessage(error));
								}
							}}
						>
							Delete
						</ConfirmButton>
					</div>
				</>
			)}
		</li>
	);
}

export function ProjectsPage() {
	const api = useApi();
	const [page, setPage] = useState(1);
	const [reloadKey, setReloadKey] = useState(0);
	const projects = useResource((signal) => api.projects.list({ page, pageSize: PAGE_SIZE }, signal), [api, page, reloadKey]);
	const reload = () => setReloadKey((key) => key + 1);
	return (
		<section>
			<PageHeader title="Projects" />
			<section className="card" aria-labelledby="new-project-title">
				<h2 id="new-project-title">New project</h2>
				<p className="muted small">Projects group datasets; deleting one deletes its datasets.</p>
				<ProjectForm onSaved={reload} />
			</section>
			{projects.state === "error" && (
				<ErrorState error={projects.error} onRetry={projects.reload} title="The projects could not be loaded" />
			)}
			{projects.state === "loading" && !projects.data && <Loading label="Loading projects…" />}
			{projects.data && projects.data.items.length === 0 && (
				<EmptyState title="No projects yet">
					<p>Datasets do not need one; create a project to group several.</p>
				</EmptyState>
			)}
			{projects.data && projects.data.items.length > 0 && (
				<>
					<ul className="dataset-list grid">
						{projects.data.items.map((project) => (
							<ProjectCard key={project.id} project={project} onChanged={reload} />
						))}
					</ul>
					<Pager page={page} pageSize={PAGE_SIZE} total={projects.data.total} onPage={setPage} label="Project pages" />
				</>
			)}
		</section>
	);
}
