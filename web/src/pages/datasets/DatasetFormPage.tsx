import { type FormEvent, useState } from "react";
import { Link, useLocation, useParams } from "wouter";
import { errorMessage, isApiError } from "../../api/errors";
import type { Dataset, ValidationLevel } from "../../api/types";
import { SOURCES } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ErrorSummary, Field } from "../../components/Field";
import { PageHeader } from "../../components/PageHeader";
import { ErrorState, Loading, Notice } from "../../components/States";
import { useResource } from "../../components/useResource";
import { DatasetTabs } from "./DatasetTabs";
import {
	type CategoryRow,
	controlIds,
	type DatasetForm,
	emptyForm,
	formFromDataset,
	type MappedErrors,
	mapFieldErrors,
	newRow,
	OPTION_LABELS,
	type OptionFields,
	requestFromForm,
} from "./dataset-form";

const SOURCE_NAMES: Record<string, string> = {
	bing: "Bing",
	duckduckgo: "DuckDuckGo",
	google: "Google",
	baidu: "Baidu",
	wikimedia: "Wikimedia Commons",
	openverse: "Openverse",
	urls: "My own URLs",
};

const VALIDATION_LEVELS: { value: ValidationLevel; label: string }[] = [
	{ value: "basic", label: "Basic: a readable image of an accepted format" },
	{ value: "standard", label: "Standard: also the minimum size, the aspect ratio and a clean decode" },
	{ value: "strict", label: "Strict: also refuses blank images and re-encodes each one" },
];

const NO_ERRORS: MappedErrors = { byControl: {}, summary: [] };

/** The definition form, for a new dataset (`dataset` absent) or to change one. */
export function DatasetFormView({ dataset, onSaved }: { dataset?: Dataset; onSaved: (saved: Dataset) => void }) {
	const api = useApi();
	const [form, setForm] = useState<DatasetForm>(() => (dataset ? formFromDataset(dataset) : emptyForm()));
	const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
	const [failure, setFailure] = useState<unknown>(null);
	const [busy, setBusy] = useState(false);
	const projects = useResource((signal) => api.projects.list({ pageSize: 100 }, signal), [api]);
	const locked = dataset?.status === "queued" || dataset?.status === "running";

	const setOption = (name: keyof OptionFields, value: string) => setForm({ ...form, options: { ...form.options, [name]: value } });
	const setRow = (key: string, changes: Partial<CategoryRow>) =>
		setForm({ ...form, categories: form.categories.map((row) => (row.key === key ? { ...row, ...changes } : row)) });

	async function submit(event: FormEvent) {
		event.preventDefault();
		setBusy(true);
		setFailure(null);
		setErrors(NO_ERRORS);
		try {
			const request = requestFromForm(form);
			onSaved(dataset ? await api.datasets.update(dataset.id, request) : await api.datasets.create(request));
		} catch (error) {
			if (isApiError(error) && error.status === 422 && error.fields.length > 0) setErrors(mapFieldErrors(error.fields, form.categories));
			else setFailure(error);
		} finally {
			setBusy(false);
		}
	}

	const e = errors.byControl;
	return (
		<form onSubmit={submit} noValidate aria-describedby={locked ? "dataset-locked" : undefined}>
			<ErrorSummary items={errors.summary} />
			{failure !== null && (
				<Notice kind="error">
					{isApiError(failure) && failure.status === 409
						? "The dataset cannot change while a build is queued or running."
						: errorMessage(failure)}
				</Notice>
			)}
			{locked && (
				<Notice kind="info">
					<span id="dataset-locked">A build is {dataset?.status}: the definition can change once it ends or is cancelled.</span>
				</Notice>
			)}
			<fieldset disabled={locked || busy}>
				<legend>Dataset</legend>
				<Field id={controlIds.name} label="Name" error={e[controlIds.name]}>
					{(control) => (
						<input
							{...control}
							type="text"
							required
							maxLength={120}
							value={form.name}
							onChange={(event) => setForm({ ...form, name: event.target.value })}
						/>
					)}
				</Field>
				<Field id={controlIds.description} label="Description" hint="Optional." error={e[controlIds.description]}>
					{(control) => (
						<textarea
							{...control}
							maxLength={2000}
							value={form.description}
							onChange={(event) => setForm({ ...form, description: event.target.value })}
						/>
					)}
				</Field>
				<Field id={controlIds.projectId} label="Project" error={e[controlIds.projectId]}>
					{(control) => (
						<select {...control} value={form.projectId} onChange={(event) => setForm({ ...form, projectId: event.target.value })}>
							<option value="">No project</option>
							{(projects.data?.items ?? []).map((project) => (
								<option key={project.id} value={project.id}>
									{project.name}
								</option>
							))}
						</select>
					)}
				</Field>
			</fieldset>

			<fieldset disabled={locked || busy}>
				<legend>Categories</legend>
				<p className="field-hint">
					Each label becomes a folder of the dataset. Give keywords to search for (separated by commas or lines), URLs of images (one per
					line), or both.
				</p>
				{form.categories.map((row, index) => (
					<div className="category-row" key={row.key}>
						<Field id={controlIds.category(row.key, "label")} label={`Label ${index + 1}`} error={e[controlIds.category(row.key, "label")]}>
							{(control) => (
								<input
									{...control}
									type="text"
									maxLength={100}
									value={row.label}
									onChange={(event) => setRow(row.key, { label: event.target.value })}
								/>
							)}
						</Field>
						<Field id={controlIds.category(row.key, "keywords")} label="Keywords" error={e[controlIds.category(row.key, "keywords")]}>
							{(control) => (
								<textarea
									{...control}
									rows={2}
									value={row.keywords}
									onChange={(event) => setRow(row.key, { keywords: event.target.value })}
								/>
							)}
						</Field>
						<Field id={controlIds.category(row.key, "urls")} label="URLs" error={e[controlIds.category(row.key, "urls")]}>
							{(control) => (
								<textarea {...control} rows={2} value={row.urls} onChange={(event) => setRow(row.key, { urls: event.target.value })} />
							)}
						</Field>
						<button
							type="button"
							className="button category-remove"
							disabled={form.categories.length === 1}
							aria-label={`Remove category ${index + 1}${row.label.trim() ? ` (${row.label.trim()})` : ""}`}
							onClick={() => setForm({ ...form, categories: form.categories.filter((other) => other.key !== row.key) })}
						>
							Remove
						</button>
					</div>
				))}
				<button
					type="button"
					className="button"
					id={controlIds.categories}
					aria-describedby={e[controlIds.categories] ? `${controlIds.categories}-error` : undefined}
					disabled={form.categories.length >= 100}
					onClick={() => {
						const row = newRow();
						setForm({ ...form, categories: [...form.categories, row] });
						// the new row's label is where the user types next
						requestAnimationFrame(() => document.getElementById(controlIds.category(row.key, "label"))?.focus());
					}}
				>
					Add a category
				</button>
				{e[controlIds.categories] && (
					<p className="field-error" id={`${controlIds.categories}-error`}>
						{e[controlIds.categories]}
					</p>
				)}
			</fieldset>

			<fieldset
				disabled={locked || busy}
				id={controlIds.sources}
				tabIndex={-1}
				aria-describedby={e[controlIds.sources] ? `${controlIds.sources}-error` : undefined}
			>
				<legend>Sources</legend>
				<div className="checks">
					{SOURCES.map((source) => (
						<label key={source}>
							<input
								type="checkbox"
								checked={form.sources.includes(source)}
								onChange={(event) =>
									setForm({
										...form,
										sources: event.target.checked
											? SOURCES.filter((one) => one === source || form.sources.includes(one))
											: form.sources.filter((one) => one !== source),
									})
								}
							/>
							{SOURCE_NAMES[source] ?? source}
						</label>
					))}
				</div>
				{e[controlIds.sources] && (
					<p className="field-error" id={`${controlIds.sources}-error`}>
						{e[controlIds.sources]}
					</p>
				)}
			</fieldset>

			<fieldset disabled={locked || busy}>
				<legend>Quality</legend>
				<p className="field-hint">Empty fields keep {dataset ? "their current values" : "the defaults"}.</p>
				<div className="options-grid">
					{(["minWidth", "minHeight", "maxImagesPerKeyword", "dedupThreshold"] as const).map((name) => (
						<Field
							key={name}
							id={controlIds.option(name)}
							label={OPTION_LABELS[name]}
							hint={
								name === "dedupThreshold"
									? "0–16: how different two images may be and still count as the same."
									: name === "maxImagesPerKeyword"
										? "1–10,000."
										: "0–10,000."
							}
							error={e[controlIds.option(name)]}
						>
							{(control) => (
								<input
									{...control}
									type="number"
									inputMode="numeric"
									min={name === "maxImagesPerKeyword" ? 1 : 0}
									max={name === "dedupThreshold" ? 16 : 10000}
									step={1}
									value={form.options[name]}
									onChange={(event) => setOption(name, event.target.value)}
								/>
							)}
						</Field>
					))}
					<Field
						id={controlIds.option("validationLevel")}
						label={OPTION_LABELS.validationLevel}
						error={e[controlIds.option("validationLevel")]}
					>
						{(control) => (
							<select
								{...control}
								value={form.options.validationLevel}
								onChange={(event) => setOption("validationLevel", event.target.value)}
							>
								<option value="">{dataset ? "Keep" : "Default (standard)"}</option>
								{VALIDATION_LEVELS.map((level) => (
									<option key={level.value} value={level.value}>
										{level.label}
									</option>
								))}
							</select>
						)}
					</Field>
				</div>
			</fieldset>

			<div className="form-actions">
				<button type="submit" className="button button-primary" disabled={busy || locked}>
					{busy ? "Saving…" : dataset ? "Save changes" : "Create dataset"}
				</button>
				<Link href={dataset ? `/datasets/${encodeURIComponent(dataset.id)}` : "/datasets"} className="button">
					Cancel
				</Link>
			</div>
		</form>
	);
}

export function DatasetNewPage() {
	const [, navigate] = useLocation();
	return (
		<section>
			<PageHeader title="New dataset" />
			<DatasetFormView onSaved={(saved) => navigate(`/datasets/${encodeURIComponent(saved.id)}`)} />
		</section>
	);
}

export function DatasetEditPage() {
	const api = useApi();
	const { id = "" } = useParams<{ id: string }>();
	const [, navigate] = useLocation();
	const dataset = useResource((signal) => api.datasets.get(id, signal), [api, id]);
	return (
		<section>
			<PageHeader title={dataset.data ? `${dataset.data.name}: definition` : "Dataset definition"} />
			<DatasetTabs datasetId={id} />
			{dataset.state === "error" && <ErrorState error={dataset.error} onRetry={dataset.reload} title="The dataset could not be loaded" />}
			{dataset.state === "loading" && !dataset.data && <Loading label="Loading the dataset…" />}
			{dataset.data && (
				<DatasetFormView
					key={dataset.data.updatedAt}
					dataset={dataset.data}
					onSaved={() => navigate(`/datasets/${encodeURIComponent(id)}`)}
				/>
			)}
		</section>
	);
}
