import { createHash } from "node:crypto";
import { type ExportContext, type ExportFormat, layoutOf, type PlacedImage, type TextFile } from "./formats";
import { SPLIT_NAMES, type SplitRatios } from "./splits";

export interface CardInput {
	context: ExportContext;
	format: ExportFormat;
	split: SplitRatios | null;
	licenceFilter: string[] | null;
	images: PlacedImage[];
	/** The label files and manifest, whose checksums the card lists. */
	files: TextFile[];
}

function count<T>(items: T[], key: (item: T) => string): [string, number][] {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
	return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function table(header: string[], rows: (string | number)[][]): string {
	const cellText = (cell: string | number) => String(cell).replaceAll("|", "\\|").replaceAll("\n", " ");
	return [
		`| ${header.join(" | ")} |`,
		`| ${header.map(() => "---").join(" | ")} |`,
		...rows.map((row) => `| ${row.map(cellText).join(" | ")} |`),
	].join("\n");
}

function sizeCategory(total: number): string {
	if (total < 1_000) return "n<1K";
	if (total < 10_000) return "1K<n<10K";
	if (total < 100_000) return "10K<n<100K";
	if (total < 1_000_000) return "100K<n<1M";
	return "1M<n<10M";
}

/** Hugging Face reads the card's YAML header; licences vary per image, so the header says "other". */
function frontMatter(input: CardInput): string {
	const lines = [
		"---",
		`pretty_name: ${JSON.stringify(input.context.name)}`,
		"license: other",
		"task_categories:",
		"  - image-classification",
		"size_categories:",
		`  - ${sizeCategory(input.images.length)}`,
		"tags:",
		"  - pixcrawler",
		"---",
	];
	return lines.join("\n");
}

function loadingGuide(input: CardInput): string {
	const splitDirs = input.split !== null || input.format === "yolo";
	const folderRoot = splitDirs ? "dataset/train" : "dataset";
	const folders = layoutOf(input.format).labelFolders
		? [
				"The folders are the labels, so the standard loaders read the archive as it is (unzipped into `dataset/`):",
				"",
				"```python",
				"from torchvision import datasets, transforms",
				"",
				`train = datasets.ImageFolder("${folderRoot}", transform=transforms.ToTensor())`,
				"```",
				"",
				"```python",
				"from datasets import load_dataset",
				"",
				`ds = load_dataset("imagefolder", data_dir="dataset")${input.format === "huggingface" ? "  # reads metadata.jsonl too" : ""}`,
				"```",
				...(input.format === "yolo"
					? ["", "```python", "from ultralytics import YOLO", "", 'YOLO("yolo11n-cls.pt").train(data="dataset")', "```"]
					: []),
				"",
			]
		: [];
	return [
		"## How to load it",
		"",
		...folders,
		"Every format carries `manifest.jsonl` (one JSON object per image: `file`, `label`, `split`, `sha256`, size, source and licence), which loads anywhere:",
		"",
		"```python",
		"import json",
		"from pathlib import Path",
		"",
		"from PIL import Image",
		"from torch.utils.data import Dataset",
		"",
		`LABELS = ${JSON.stringify(input.context.labels)}`,
		"",
		"",
		"class PixCrawlerDataset(Dataset):",
		'    def __init__(self, root="dataset", split=None, transform=None):',
		"        self.root = Path(root)",
		'        rows = [json.loads(line) for line in (self.root / "manifest.jsonl").open(encoding="utf-8")]',
		'        self.rows = [row for row in rows if split is None or row["split"] == split]',
		"        self.transform = transform",
		"",
		"    def __len__(self):",
		"        return len(self.rows)",
		"",
		"    def __getitem__(self, index):",
		"        row = self.rows[index]",
		'        image = Image.open(self.root / row["file"]).convert("RGB")',
		"        if self.transform:",
		"            image = self.transform(image)",
		'        return image, LABELS.index(row["label"])',
		"```",
		"",
		"```python",
		"from datasets import ClassLabel, Image, load_dataset",
		"",
		'ds = load_dataset("json", data_files="dataset/manifest.jsonl", split="train")',
		'ds = ds.map(lambda row: {"image": "dataset/" + row["file"]})',
		`ds = ds.cast_column("image", Image()).cast_column("label", ClassLabel(names=LABELS))`,
		"```",
	].join("\n");
}

/** The README.md dataset card of an export: what it is, where it came from, what it may be used for. */
export function datasetCard(input: CardInput): string {
	const { context, images } = input;
	const splits = input.split ? SPLIT_NAMES.filter((name) => images.some((image) => image.split === name)) : [];
	const labelRows = context.labels.map((label) => {
		const ofLabel = images.filter((image) => image.label === label);
		return [label, ofLabel.length, ...splits.map((split) => ofLabel.filter((image) => image.split === split).length)];
	});
	const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
	const sections = [
		frontMatter(input),
		"",
		`# ${context.name}`,
		"",
		context.description || "An image classification dataset built with PixCrawler.",
		"",
		`- Exported: ${context.exportedAt.toISOString()} by PixCrawler, format \`${input.format}\``,
		`- Images: ${images.length} in ${context.labels.length} labels`,
		input.split
			? `- Splits: train ${input.split.train}, val ${input.split.val}, test ${input.split.test}, stratified per label, seed ${input.split.seed} (the same seed gives the same split)`
			: "- Splits: none",
		input.licenceFilter ? `- Only images under: ${input.licenceFilter.join(", ")}` : "- Licences: every licence the images came with",
		"",
		"## Labels",
		"",
		table(["label", "images", ...splits], labelRows),
		"",
		"## Sources",
		"",
		table(
			["source", "images"],
			count(images, (image) => image.source),
		),
		"",
		"## Licences",
		"",
		"Each image keeps the licence its source reported; `manifest.jsonl` names it with the author and the page it came from. Check each licence before you redistribute or train on the images; `unknown` means the source did not say.",
		"",
		table(
			["licence", "images"],
			count(images, (image) => image.license ?? "unknown"),
		),
		"",
		"## Checksums",
		"",
		"Every image is named by the SHA-256 of its bytes, which `manifest.jsonl` repeats. The other files:",
		"",
		table(
			["file", "sha256"],
			input.files.map((file) => [file.path, sha256(file.content)]),
		),
		"",
		loadingGuide(input),
		"",
	];
	return sections.join("\n");
}
