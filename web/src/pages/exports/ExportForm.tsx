import { type FormEvent, useId, useState } from "react";
import { errorMessage, fieldErrorMap, isApiError } from "../../api/errors";
import type { CreateExportRequest, Export, ExportFormat, License } from "../../api/types";
import { useApi } from "../../auth/AuthContext";
import { ErrorSummary } from "../../components/Field";
import { formatNumber } from "../../components/format";
import { Notice } from "../../components/States";
import { EXPORT_FORMATS, FORMATS, LICENCE_NAMES, LICENCES } from "./options";
import { DEFAULT_SPLIT, parsePercent, type SplitField, type SplitInput, splitFractions, validateSplit } from "./split";

type FieldName = "format" | "licences" | SplitField;

const SPLIT_PARTS = [
	{ key: "train", label: "Train %" },
	{ key: "val", label: "Validation %" },
	{ key: "test", label: "Test %" },
] as const;

/** The API's field paths (`split.train`, `licences[0]`) onto the form's fields. */
export function formFieldOf(path: string): FieldName | null {
	if (path === "format") return "format";
	if (path.startsWith("licences")) return "licences";
	const split = /^split(?:\.(train|val|test|seed))?$/.exec(path);
	if (split) return (split[1] as SplitField | undefined) ?? "split";
	return null;
}

/** The running total of the three percentages, or null while one is not a number. */
function splitTotal(input: SplitInput): number | null {
	const values = [input.train, input.val, input.test].map(parsePercent);
	if (values.some((value) => value === null)) return null;
	return Math.round((values as number[]).reduce((sum, value) => sum + value * 100, 0)) / 100;
}

/**
 * A new export: format, an optional stratified split in percentages (checked here to add up to 100
 * before it is sent), and an optional licence filter. The API's own refusals show beside the field
 * they name, or above the form.
 */
export function ExportForm({
	datasetId,
	perLicense,
	onCreated,
}: {
	datasetId: string;
	/** Valid images per licence (the dataset's metadata), shown beside each licence. */
	perLicense?: Record<string, number>;
	onCreated: (created: Export) => void;
}) {
	const api = useApi();
	const id = useId();
	const [format, setFormat] = useState<ExportFormat>("imagefolder");
	const [splitting, setSplitting] = useState(true);
	const [split, setSplit] = useState<SplitInput>(DEFAULT_SPLIT);
	const [licences, setLicences] = useState<License[]>([]);
	const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
	const [failure, setFailure] = useState<unknown>(null);
	const [summary, setSummary] = useState<{ fieldId: string | null; label: string; message: string }[]>([]);
	const [busy, setBusy] = useState(false);
	const [created, setCreated] = useState<Export | null>(null);

	const fieldId = (field: FieldName) => `${id}-${field}`;
	const errorId = (field: FieldName) => `${id}-${field}-error`;
	const describedBy = (...fields: FieldName[]) =>
		fields
			.filter((field) => errors[field])
			.map(errorId)
			.join(" ") || undefined;
	const total = splitTotal(split);

	const labelOf: Record<FieldName, string> = {
		format: "Format",
		licences: "Licences",
		split: "Split",
		train: "Train",
		val: "Validation",
		test: "Test",
		seed: "Seed",
	};
	/** Where a field's error takes the keyboard: its control, or the first control of its group. */
	const focusTarget = (field: FieldName): string =>
		field === "format"
			? `${id}-format-${format}`
			: field === "licences"
				? `${id}-licence-${LICENCES[0]}`
				: field === "split"
					? fieldId("train")
					: fieldId(field);

	async function submit(event: FormEvent) {
		event.preventDefault();
		setFailure(null);
		setCreated(null);
		const found: Partial<Record<FieldName, string>> = splitting ? validateSplit(split) : {};
		setErrors(found);
		const entries = Object.entries(found) as [FieldName, string][];
		setSummary(entries.map(([field, message]) => ({ fieldId: focusTarget(field), label: labelOf[field], message })));
		if (entries.length > 0) return;
		const request: CreateExportRequest = {
			format,
			...(splitting ? { split: splitFractions(split) } : {}),
			...(licences.length > 0 ? { licences } : {}),
		};
		setBusy(true);
		try {
			const answer = await api.exports.create(datasetId, request);
			setCreated(answer);
			onCreated(answer);
		} catch (error) {
			const fromApi: Partial<Record<FieldName, string>> = {};
			const unplaced: string[] = [];
			if (isApiError(error)) {
				for (const [path, message] of Object.entries(fieldErrorMap(error.fields))) {
					const field = formFieldOf(path);
					if (field) fromApi[field] = fromApi[field] ? `${fromApi[field]} ${message}` : message;
					else unplaced.push(message);
				}
			}
			setErrors(fromApi);
			const placed = Object.keys(fromApi).length > 0;
			setSummary(
				(Object.entries(fromApi) as [FieldName, string][]).map(([field, message]) => ({
					fieldId: focusTarget(field),
					label: labelOf[field],
					message,
				})),
			);
			// a refusal without fields (409: a build running, nothing to export, too many exports) goes above the form
			if (!placed || unplaced.length > 0) setFailure(error);
		} finally {
			setBusy(false);
		}
	}

	const setPart = (key: keyof SplitInput) => (event: { target: { value: string } }) => setSplit({ ...split, [key]: event.target.value });

	return (
		<form
			onSubmit={submit}
			noValidate
			aria-labelledby={`${id}-title`}
			// the summary speaks for the last attempt: once a field changes it would point at old errors
			onChange={() => summary.length > 0 && setSummary([])}
		>
			<h2 id={`${id}-title`}>New export</h2>
			<ErrorSummary items={summary} />
			{failure !== null && <Notice kind="error">The export was not created: {errorMessage(failure)}</Notice>}
			{created && (
				<Notice kind="success">
					Export {created.fileName} started: {formatNumber(created.progress.total)} images to write. Its progress shows below.
				</Notice>
			)}

			<fieldset aria-describedby={describedBy("format")}>
				<legend>Format</legend>
				<div className="format-options">
					{FORMATS.map((value) => (
						<label key={value} className="format-option" htmlFor={`${id}-format-${value}`}>
							<input
								type="radio"
								id={`${id}-format-${value}`}
								name={`${id}-format`}
								value={value}
								checked={format === value}
								onChange={() => setFormat(value)}
							/>
							<span>
								<span className="format-name">{EXPORT_FORMATS[value].name}</span>
								<span className="muted small format-layout">{EXPORT_FORMATS[value].layout}</span>
							</span>
						</label>
					))}
				</div>
				{errors.format && (
					<p className="field-error" id={errorId("format")}>
						{errors.format}
					</p>
				)}
			</fieldset>

			<fieldset aria-describedby={[`${id}-split-hint`, errors.split ? errorId("split") : ""].filter(Boolean).join(" ")}>
				<legend>Split</legend>
				<div className="checks">
					<label>
						<input type="checkbox" checked={splitting} onChange={(event) => setSplitting(event.target.checked)} />
						Split into train, validation and test sets
					</label>
				</div>
				<p className="field-hint" id={`${id}-split-hint`}>
					Percentages that add up to 100, applied to each label on its own. The same seed always gives the same split.
				</p>
				{splitting && (
					<>
						<div className="split-grid">
							{SPLIT_PARTS.map(({ key, label }) => (
								<div key={key} className={`field${errors[key] ? " field-invalid" : ""}`}>
									<label htmlFor={fieldId(key)}>{label}</label>
									<input
										id={fieldId(key)}
										type="number"
										inputMode="decimal"
										min={0}
										max={100}
										step="any"
										value={split[key]}
										onChange={setPart(key)}
										aria-invalid={errors[key] || errors.split ? true : undefined}
										aria-describedby={describedBy(key, "split")}
									/>
									{errors[key] && (
										<p className="field-error" id={errorId(key)}>
											{errors[key]}
										</p>
									)}
								</div>
							))}
							<div className={`field${errors.seed ? " field-invalid" : ""}`}>
								<label htmlFor={fieldId("seed")}>Seed (optional)</label>
								<input
									id={fieldId("seed")}
									type="number"
									inputMode="numeric"
									min={0}
									step={1}
									placeholder="42"
									value={split.seed}
									onChange={setPart("seed")}
									aria-invalid={errors.seed ? true : undefined}
									aria-describedby={describedBy("seed")}
								/>
								{errors.seed && (
									<p className="field-error" id={errorId("seed")}>
										{errors.seed}
									</p>
								)}
							</div>
						</div>
						<p className={total === 100 ? "muted small" : "small split-total-off"} aria-live="polite">
							Total: {total === null ? "—" : `${total}%`}
							{total !== null && total !== 100 ? " (must be 100%)" : ""}
						</p>
						{errors.split && (
							<p className="field-error" id={errorId("split")}>
								{errors.split}
							</p>
						)}
					</>
				)}
			</fieldset>

			<fieldset aria-describedby={[`${id}-licences-hint`, errors.licences ? errorId("licences") : ""].filter(Boolean).join(" ")}>
				<legend>Licences</legend>
				<p className="field-hint" id={`${id}-licences-hint`}>
					Keep only the images under the ticked licences. Tick none to export every licence.
				</p>
				<div className="checks">
					{LICENCES.map((licence) => (
						<label key={licence} htmlFor={`${id}-licence-${licence}`}>
							<input
								type="checkbox"
								id={`${id}-licence-${licence}`}
								checked={licences.includes(licence)}
								onChange={(event) =>
									setLicences(event.target.checked ? [...licences, licence] : licences.filter((item) => item !== licence))
								}
							/>
							{perLicense ? `${LICENCE_NAMES[licence]} (${formatNumber(perLicense[licence] ?? 0)})` : LICENCE_NAMES[licence]}
						</label>
					))}
				</div>
				{errors.licences && (
					<p className="field-error" id={errorId("licences")}>
						{errors.licences}
					</p>
				)}
			</fieldset>

			<div className="form-actions">
				<button type="submit" className="button button-primary" disabled={busy}>
					{busy ? "Creating…" : "Create export"}
				</button>
			</div>
		</form>
	);
}
