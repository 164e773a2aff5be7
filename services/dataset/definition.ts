import { ValidationFailed } from "../../lib/errors";

/** Every image source PixCrawler can search (see SOURCES.md); `urls` takes the user's own list. */
export const SOURCES = ["bing", "duckduckgo", "google", "baidu", "wikimedia", "openverse", "urls"] as const;
export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "avif"] as const;
export const VALIDATION_LEVELS = ["basic", "standard", "strict"] as const;
export const KEYWORD_EXPANSION = ["none", "predefined", "llm"] as const;
export const LICENSES = [
	"cc0",
	"public-domain",
	"cc-by",
	"cc-by-sa",
	"cc-by-nd",
	"cc-by-nc",
	"cc-by-nc-sa",
	"cc-by-nc-nd",
	"unknown",
] as const;
export const DATASET_STATUSES = ["draft", "queued", "running", "ready", "failed", "cancelled"] as const;

/** Labels become folder names in every export: letters, digits, space, dot, dash, underscore. */
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u;

const category = {
	type: "object",
	strict: true,
	props: {
		label: {
			type: "string",
			trim: true,
			pattern: LABEL,
			messages: { stringPattern: "Use 1-100 letters, digits, spaces, dots, dashes or underscores" },
		},
		keywords: { type: "array", max: 50, default: [], items: { type: "string", trim: true, min: 1, max: 200 } },
		urls: { type: "array", max: 10_000, default: [], items: { type: "url", max: 2048 } },
	},
};

export const DEFAULT_OPTIONS = {
	maxImagesPerKeyword: 100,
	minWidth: 64,
	minHeight: 64,
	formats: [...IMAGE_FORMATS],
	validationLevel: "standard",
	dedupThreshold: 8,
	licenses: [] as string[],
	keywordExpansion: "predefined",
};

const options = {
	type: "object",
	strict: true,
	optional: true,
	props: {
		maxImagesPerKeyword: { type: "number", integer: true, min: 1, max: 10_000, optional: true },
		minWidth: { type: "number", integer: true, min: 0, max: 10_000, optional: true },
		minHeight: { type: "number", integer: true, min: 0, max: 10_000, optional: true },
		formats: { type: "array", min: 1, unique: true, optional: true, items: { type: "enum", values: [...IMAGE_FORMATS] } },
		validationLevel: { type: "enum", values: [...VALIDATION_LEVELS], optional: true },
		dedupThreshold: { type: "number", integer: true, min: 0, max: 16, optional: true },
		licenses: { type: "array", unique: true, optional: true, items: { type: "enum", values: [...LICENSES] } },
		keywordExpansion: { type: "enum", values: [...KEYWORD_EXPANSION], optional: true },
	},
};

/** fastest-validator rules of a dataset definition; `required` false makes every field optional (PATCH). */
export function definitionRules(required: boolean) {
	return {
		name: { type: "string", trim: true, min: 1, max: 120, optional: !required },
		description: { type: "string", trim: true, max: 2000, optional: true },
		projectId: { type: "string", min: 1, max: 64, optional: true, nullable: true },
		categories: { type: "array", min: 1, max: 100, optional: !required, items: category },
		sources: { type: "array", min: 1, unique: true, optional: !required, items: { type: "enum", values: [...SOURCES] } },
		options,
	};
}

/** Files every export writes at its root: a label folder of the same name would collide with them. */
const RESERVED_LABELS = new Set(["readme.md", "manifest.jsonl", "metadata.jsonl"]);

interface Category {
	label: string;
	keywords: string[];
	urls: string[];
}

/** Rules that span fields, which the parameter schema cannot express. */
export function checkDefinition(definition: { categories?: Category[]; sources?: string[] }): void {
	const problems: { field: string; message: string }[] = [];
	const seen = new Map<string, number>();
	(definition.categories ?? []).forEach((entry, index) => {
		const key = entry.label.toLowerCase();
		if (seen.has(key)) problems.push({ field: `categories[${index}].label`, message: `The label '${entry.label}' is used twice` });
		seen.set(key, index);
		if (RESERVED_LABELS.has(key))
			problems.push({ field: `categories[${index}].label`, message: `'${entry.label}' is a file name exports use` });
		const searches = (definition.sources ?? []).some((source) => source !== "urls");
		if (searches && entry.keywords.length === 0 && entry.urls.length === 0) {
			problems.push({ field: `categories[${index}].keywords`, message: "Give keywords to search for, or URLs" });
		}
		if (!searches && definition.sources && entry.urls.length === 0) {
			problems.push({ field: `categories[${index}].urls`, message: "With only the urls source, every category needs URLs" });
		}
	});
	if (problems.length > 0) throw new ValidationFailed(problems);
}
