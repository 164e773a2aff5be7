import { stringify as toYaml } from "yaml";
import type { SplitName } from "./splits";

export const EXPORT_FORMATS = ["imagefolder", "huggingface", "csv", "json", "yaml", "txt", "coco", "yolo"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An image record as the export needs it (the dataset service's image fields). */
export interface ExportImage {
	label: string;
	sha256: string;
	storageKey: string;
	format?: string | null;
	width?: number | null;
	height?: number | null;
	bytes?: number | null;
	source: string;
	sourceUrl?: string | null;
	pageUrl?: string | null;
	license?: string | null;
	author?: string | null;
}

/** An image with its place in the archive. */
export interface PlacedImage extends ExportImage {
	split: SplitName | null;
	file: string;
}

export interface TextFile {
	path: string;
	content: string;
}

export interface ExportContext {
	name: string;
	description: string;
	labels: string[];
	exportedAt: Date;
}

interface Layout {
	/** Where the image goes in the archive. */
	imagePath(image: ExportImage & { split: SplitName | null }, fileName: string): string;
	/** The label files of the format, written after the images. */
	labelFiles(images: PlacedImage[], context: ExportContext): TextFile[];
	/** Whether the folder names carry the labels (torchvision's ImageFolder reads it as it is). */
	labelFolders: boolean;
}

function extensionOf(image: ExportImage): string {
	const format = image.format?.toLowerCase();
	if (format === "jpeg") return "jpg";
	if (format && /^[a-z0-9]{1,10}$/.test(format)) return format;
	return /\.([a-z0-9]{1,10})$/.exec(image.storageKey)?.[1] ?? "bin";
}

/** Images are named by their content hash: unique in the dataset and checkable by anyone. */
export function fileNameOf(image: ExportImage): string {
	return `${image.sha256}.${extensionOf(image)}`;
}

/** One manifest row: what every format carries, whatever its own label files look like. */
export function manifestRow(image: PlacedImage) {
	return {
		file: image.file,
		label: image.label,
		split: image.split,
		sha256: image.sha256,
		width: image.width ?? null,
		height: image.height ?? null,
		bytes: image.bytes ?? null,
		source: image.source,
		source_url: image.sourceUrl ?? null,
		page_url: image.pageUrl ?? null,
		license: image.license ?? "unknown",
		author: image.author ?? null,
	};
}

export function jsonLines(rows: unknown[]): string {
	return rows.map((row) => `${JSON.stringify(row)}\n`).join("");
}

/** RFC 4180: quote a field when it holds a comma, quote or line break, doubling inner quotes. */
function csvField(value: unknown): string {
	const text = value === null || value === undefined ? "" : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvText(rows: Record<string, unknown>[], columns: string[]): string {
	const lines = [columns.join(","), ...rows.map((row) => columns.map((column) => csvField(row[column])).join(","))];
	return `${lines.join("\r\n")}\r\n`;
}

const splitDir = (split: SplitName | null) => (split ? `${split}/` : "");

const labelTree = (image: { label: string; split: SplitName | null }, fileName: string) =>
	`${splitDir(image.split)}${image.label}/${fileName}`;
const flatImages = (image: { split: SplitName | null }, fileName: string) => `images/${splitDir(image.split)}${fileName}`;

/** The images of each split (or of the one unsplit set, keyed ""). */
function bySplit(images: PlacedImage[]): Map<SplitName | "", PlacedImage[]> {
	const groups = new Map<SplitName | "", PlacedImage[]>();
	for (const image of images) {
		const key = image.split ?? "";
		const group = groups.get(key);
		if (group) group.push(image);
		else groups.set(key, [image]);
	}
	return groups;
}

function describe(images: PlacedImage[], context: ExportContext) {
	return {
		name: context.name,
		description: context.description,
		exported_at: context.exportedAt.toISOString(),
		labels: context.labels,
		images: images.map(manifestRow),
	};
}

function cocoDocument(images: PlacedImage[], context: ExportContext) {
	const licenses = [...new Set(images.map((image) => image.license ?? "unknown"))].sort();
	const licenseId = new Map(licenses.map((name, index) => [name, index + 1]));
	const categoryId = new Map(context.labels.map((label, index) => [label, index + 1]));
	return {
		info: {
			description: context.name,
			version: "1.0",
			year: context.exportedAt.getUTCFullYear(),
			contributor: "PixCrawler",
			date_created: context.exportedAt.toISOString(),
		},
		// the sources report licence families without versions, so no deed URL is claimed
		licenses: licenses.map((name) => ({ id: licenseId.get(name), name, url: "" })),
		categories: context.labels.map((label) => ({ id: categoryId.get(label), name: label, supercategory: "none" })),
		images: images.map((image, index) => ({
			id: index + 1,
			file_name: image.file,
			width: image.width ?? 0,
			height: image.height ?? 0,
			license: licenseId.get(image.license ?? "unknown"),
			coco_url: image.sourceUrl ?? "",
			flickr_url: "",
			date_captured: "",
			sha256: image.sha256,
			author: image.author ?? null,
		})),
		// classification: one whole-image annotation per image, no boxes
		annotations: images.map((image, index) => ({ id: index + 1, image_id: index + 1, category_id: categoryId.get(image.label) })),
	};
}

const CSV_COLUMNS = [
	"file",
	"label",
	"split",
	"sha256",
	"width",
	"height",
	"bytes",
	"source",
	"source_url",
	"page_url",
	"license",
	"author",
];

const LAYOUTS: Record<ExportFormat, Layout> = {
	imagefolder: { imagePath: labelTree, labelFiles: () => [], labelFolders: true },
	huggingface: {
		imagePath: labelTree,
		labelFolders: true,
		// one metadata.jsonl per split folder, its file_name relative to that folder, as the imagefolder loader reads it
		labelFiles: (images) =>
			[...bySplit(images)].map(([split, group]) => ({
				path: `${split ? `${split}/` : ""}metadata.jsonl`,
				content: jsonLines(
					group.map((image) => {
						const { file, ...row } = manifestRow(image);
						return { file_name: file.slice(splitDir(image.split).length), ...row };
					}),
				),
			})),
	},
	csv: {
		imagePath: flatImages,
		labelFolders: false,
		labelFiles: (images) => [{ path: "labels.csv", content: csvText(images.map(manifestRow), CSV_COLUMNS) }],
	},
	json: {
		imagePath: flatImages,
		labelFolders: false,
		labelFiles: (images, context) => [{ path: "annotations.json", content: `${JSON.stringify(describe(images, context), null, 2)}\n` }],
	},
	yaml: {
		imagePath: flatImages,
		labelFolders: false,
		labelFiles: (images, context) => [{ path: "annotations.yaml", content: toYaml(describe(images, context)) }],
	},
	txt: {
		imagePath: flatImages,
		labelFolders: false,
		labelFiles: (images, context) => [
			{ path: "classes.txt", content: context.labels.map((label) => `${label}\n`).join("") },
			...images.map((image) => ({ path: `labels/${splitDir(image.split)}${image.sha256}.txt`, content: `${image.label}\n` })),
		],
	},
	coco: {
		imagePath: flatImages,
		labelFolders: false,
		labelFiles: (images, context) =>
			[...bySplit(images)].map(([split, group]) => ({
				path: `annotations/instances${split ? `_${split}` : ""}.json`,
				content: `${JSON.stringify(cocoDocument(group, context))}\n`,
			})),
	},
	// Ultralytics' classification layout: split/label/file, with everything in train when there is no split
	yolo: {
		imagePath: (image, fileName) => labelTree({ ...image, split: image.split ?? "train" }, fileName),
		labelFiles: () => [],
		labelFolders: true,
	},
};

export function layoutOf(format: ExportFormat): Layout {
	return LAYOUTS[format];
}

/** Gives each image its archive path, in a stable order: split, label, content hash. */
export function placeImages(images: (ExportImage & { split: SplitName | null })[], format: ExportFormat, labels: string[]): PlacedImage[] {
	const layout = layoutOf(format);
	const splitOrder = (split: SplitName | null) => (split === null ? 0 : ["train", "val", "test"].indexOf(split));
	const labelOrder = new Map(labels.map((label, index) => [label, index]));
	return images
		.map((image) => ({ ...image, file: layout.imagePath(image, fileNameOf(image)) }))
		.sort(
			(a, b) =>
				splitOrder(a.split) - splitOrder(b.split) ||
				(labelOrder.get(a.label) ?? 0) - (labelOrder.get(b.label) ?? 0) ||
				(a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0),
		);
}
