import type { FieldError } from "../../api/errors";
import type { CreateDatasetRequest, Dataset, DatasetOptionsInput, Source, ValidationLevel } from "../../api/types";

/** One category row of the form; `key` stays with the row when others are added or removed. */
export interface CategoryRow {
	key: string;
	label: string;
	/** Comma- or line-separated. */
	keywords: string;
	/** One per line (or separated by spaces). */
	urls: string;
}

/** The quality options the form edits; empty text keeps the API's default (or, on edit, the current value). */
export interface OptionFields {
	minWidth: string;
	minHeight: string;
	validationLevel: ValidationLevel | "";
	dedupThreshold: string;
	maxImagesPerKeyword: string;
}

export interface DatasetForm {
	name: string;
	description: string;
	projectId: string;
	categories: CategoryRow[];
	sources: Source[];
	options: OptionFields;
}

export const OPTION_LABELS: Record<keyof OptionFields, string> = {
	minWidth: "Minimum width (px)",
	minHeight: "Minimum height (px)",
	validationLevel: "Validation level",
	dedupThreshold: "Duplicate threshold",
	maxImagesPerKeyword: "Images per keyword",
};

let rowCounter = 0;
export function newRow(values: Partial<Omit<CategoryRow, "key">> = {}): CategoryRow {
	rowCounter += 1;
	return { key: `row-${rowCounter}`, label: "", keywords: "", urls: "", ...values };
}

export function emptyForm(): DatasetForm {
	return {
		name: "",
		description: "",
		projectId: "",
		categories: [newRow()],
		sources: ["wikimedia", "openverse"],
		options: { minWidth: "", minHeight: "", validationLevel: "", dedupThreshold: "", maxImagesPerKeyword: "" },
	};
}

export function formFromDataset(dataset: Dataset): DatasetForm {
	return {
		name: dataset.name,
		description: dataset.description,
		projectId: dataset.projectId ?? "",
		categories: dataset.categories.map((category) =>
			newRow({ label: category.label, keywords: category.keywords.join(", "), urls: category.urls.join("\n") }),
		),
		sources: [...dataset.sources],
		options: {
			minWidth: String(dataset.options.minWidth),
			minHeight: String(dataset.options.minHeight),
			validationLevel: dataset.options.validationLevel,
			dedupThreshold: String(dataset.options.dedupThreshold),
			maxImagesPerKeyword: String(dataset.options.maxImagesPerKeyword),
		},
	};
}

/** "tabby cat, kitten\nginger cat" → three keywords. */
export function splitKeywords(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((keyword) => keyword.trim())
		.filter(Boolean);
}

export function splitUrls(text: string): string[] {
	return text
		.split(/\s+/)
		.map((url) => url.trim())
		.filter(Boolean);
}

/** A number field's value: empty is "not given"; anything else goes as typed, so the API names what is wrong with it. */
function numberOf(text: string): number | undefined {
	const trimmed = text.trim();
	if (trimmed === "") return undefined;
	return Number(trimmed);
}

/** The API request of the form, categories in row order (so `categories[i]` in an error is row i). */
export function requestFromForm(form: DatasetForm): CreateDatasetRequest {
	const options: DatasetOptionsInput = {};
	const width = numberOf(form.options.minWidth);
	const height = numberOf(form.options.minHeight);
	const threshold = numberOf(form.options.dedupThreshold);
	const perKeyword = numberOf(form.options.maxImagesPerKeyword);
	if (width !== undefined) options.minWidth = width;
	if (height !== undefined) options.minHeight = height;
	if (threshold !== undefined) options.dedupThreshold = threshold;
	if (perKeyword !== undefined) options.maxImagesPerKeyword = perKeyword;
	if (form.options.validationLevel) options.validationLevel = form.options.validationLevel;
	return {
		name: form.name.trim(),
		description: form.description.trim(),
		projectId: form.projectId || null,
		categories: form.categories.map((row) => ({
			label: row.label.trim(),
			keywords: splitKeywords(row.keywords),
			urls: splitUrls(row.urls),
		})),
		sources: form.sources,
		options,
	};
}

export interface MappedErrors {
	/** Message per form control id, shown beside it. */
	byControl: Record<string, string>;
	/** Every error, in the API's order, for the summary; `fieldId` is the control to jump to (null: none on the form). */
	summary: { fieldId: string | null; label: string; message: string }[];
}

export const controlIds = {
	name: "dataset-name",
	description: "dataset-description",
	projectId: "dataset-project",
	categories: "dataset-add-category",
	sources: "dataset-sources",
	category: (key: string, part: "label" | "keywords" | "urls") => `dataset-${key}-${part}`,
	option: (name: keyof OptionFields) => `dataset-option-${name}`,
};

/**
 * Puts each of the API's field errors beside the control it names: `categories[2].keywords[0]` → the
 * keywords of the third row, `options.minWidth` → its input, `sources[1]` → the sources group. Errors
 * naming nothing on the form (options it does not show, unknown fields) go to the summary only.
 */
export function mapFieldErrors(errors: FieldError[], rows: CategoryRow[]): MappedErrors {
	const byControl: Record<string, string> = {};
	const summary: MappedErrors["summary"] = [];
	const place = (fieldId: string | null, label: string, message: string) => {
		if (fieldId) byControl[fieldId] = byControl[fieldId] ? `${byControl[fieldId]} ${message}` : message;
		summary.push({ fieldId, label, message });
	};
	for (const { field, message } of errors) {
		const category = /^categories\[(\d+)\](?:\.(\w+))?/.exec(field);
		if (category) {
			const index = Number(category[1]);
			const row = rows[index];
			const part = category[2] === "keywords" || category[2] === "urls" ? category[2] : "label";
			const label = `Category ${index + 1}${row?.label.trim() ? ` (${row.label.trim()})` : ""} ${part === "label" ? "label" : part === "keywords" ? "keywords" : "URLs"}`;
			place(row ? controlIds.category(row.key, part) : controlIds.categories, label, message);
			continue;
		}
		const root = field.split(/[.[]/)[0];
		if (root === "categories") place(controlIds.categories, "Categories", message);
		else if (root === "sources") place(controlIds.sources, "Sources", message);
		else if (root === "name") place(controlIds.name, "Name", message);
		else if (root === "description") place(controlIds.description, "Description", message);
		else if (root === "projectId") place(controlIds.projectId, "Project", message);
		else if (root === "options") {
			const option = field.split(".")[1]?.split("[")[0] as keyof OptionFields | undefined;
			if (option && option in OPTION_LABELS) place(controlIds.option(option), OPTION_LABELS[option], message);
			else place(null, `Option ${option ?? ""}`.trim(), message);
		} else place(null, field, message);
	}
	return { byControl, summary };
}
