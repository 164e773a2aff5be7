import { createHash } from "node:crypto";
import { parse as parseYaml } from "yaml";
import { type CardInput, datasetCard } from "../../../../../services/dataset/exports/dataset-card";
import {
	EXPORT_FORMATS,
	type ExportContext,
	type ExportFormat,
	type ExportImage,
	type PlacedImage,
	placeImages,
} from "../../../../../services/dataset/exports/formats";
import type { SplitName, SplitRatios } from "../../../../../services/dataset/exports/splits";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const LABELS = ["dog", "cat", "bird"];
const CONTEXT: ExportContext = {
	name: 'Pets: "dogs" & cats',
	description: "Dogs, cats and birds from the web.",
	labels: LABELS,
	exportedAt: new Date("2024-05-06T07:08:09.000Z"),
};
const RATIOS: SplitRatios = { train: 0.6, val: 0.2, test: 0.2, seed: 7 };

function imageOf(label: string, n: number, split: SplitName | null, extra: Partial<ExportImage> = {}) {
	return {
		label,
		sha256: sha256(`${label}-${n}`),
		storageKey: `k/${label}-${n}.jpg`,
		format: "jpeg",
		source: "bing",
		license: "cc-by",
		split,
		...extra,
	};
}

/** 3 dogs (2 train, 1 val), 2 cats (1 train, 1 test), 1 bird (train); sources and licences vary. */
const SPLIT_IMAGES = [
	imageOf("dog", 1, "train"),
	imageOf("dog", 2, "train", { source: "flickr", license: "cc0" }),
	imageOf("dog", 3, "val", { license: null }),
	imageOf("cat", 1, "train", { source: "flickr" }),
	imageOf("cat", 2, "test", { source: "wikimedia", license: "cc0" }),
	imageOf("bird", 1, "train"),
];

const FILES = [
	{ path: "labels.csv", content: "file,label\r\nimages/a.jpg,dog\r\n" },
	{ path: "manifest.jsonl", content: '{"file":"images/a.jpg"}\n' },
];

function input(overrides: Partial<CardInput> = {}): CardInput {
	const format: ExportFormat = overrides.format ?? "csv";
	const split = overrides.split === undefined ? RATIOS : overrides.split;
	const images: PlacedImage[] =
		overrides.images ??
		placeImages(
			split ? SPLIT_IMAGES : SPLIT_IMAGES.map((image) => ({ ...image, split: null })),
			format,
			overrides.context?.labels ?? LABELS,
		);
	return { context: CONTEXT, format, split, licenceFilter: null, files: FILES, ...overrides, images };
}

/** The rows of the markdown table under a heading, as cells (header row first, separator left out). */
function tableUnder(card: string, heading: string): string[][] {
	const lines = card.split("\n");
	const start = lines.indexOf(heading);
	expect(start).toBeGreaterThanOrEqual(0);
	const rows: string[][] = [];
	for (const line of lines.slice(start + 1)) {
		if (line.startsWith("#")) break;
		if (!line.startsWith("|")) continue;
		rows.push(
			line
				.slice(2, -2)
				.split(/(?<!\\) \| /)
				.map((cell) => cell.replaceAll("\\|", "|")),
		);
	}
	return rows.filter((row) => !row.every((cell) => cell === "---"));
}

function frontMatter(card: string): Record<string, unknown> {
	const match = /^---\n([\s\S]*?)\n---\n/.exec(card);
	expect(match).not.toBeNull();
	return parseYaml(match?.[1] ?? "");
}

describe("datasetCard", () => {
	it("opens with YAML front matter that Hugging Face reads: name, licence other, task and size category", () => {
		const card = datasetCard(input());
		expect(frontMatter(card)).toEqual({
			pretty_name: CONTEXT.name,
			license: "other",
			task_categories: ["image-classification"],
			size_categories: ["n<1K"],
			tags: ["pixcrawler"],
		});
	});

	it.each([
		[999, "n<1K"],
		[1000, "1K<n<10K"],
		[9999, "1K<n<10K"],
		[10_000, "10K<n<100K"],
	])("puts %i images in size category %s", (total, category) => {
		const images = Array.from({ length: total }, (_, n) => ({ ...imageOf("dog", n, null), file: `dog/${n}.jpg` }));
		expect(frontMatter(datasetCard(input({ images, split: null }))).size_categories).toEqual([category]);
	});

	it("keeps the front matter valid YAML whatever the name holds", () => {
		for (const name of ["a: b", "- list?", "# hash", "yes", "quote ' and \" both", "back\\slash", "ünï ✓"]) {
			expect(frontMatter(datasetCard(input({ context: { ...CONTEXT, name } }))).pretty_name).toBe(name);
		}
	});

	it("names the dataset, its description, export time, format and size", () => {
		const card = datasetCard(input({ format: "coco" }));
		expect(card).toContain(`\n# ${CONTEXT.name}\n\n${CONTEXT.description}\n`);
		expect(card).toContain("- Exported: 2024-05-06T07:08:09.000Z by PixCrawler, format `coco`");
		expect(card).toContain("- Images: 6 in 3 labels");
	});

	it("falls back to a generic description when there is none", () => {
		expect(datasetCard(input({ context: { ...CONTEXT, description: "" } }))).toContain(
			"\nAn image classification dataset built with PixCrawler.\n",
		);
	});

	it("states the split ratios and seed, or that there is no split", () => {
		expect(datasetCard(input())).toContain(
			"- Splits: train 0.6, val 0.2, test 0.2, stratified per label, seed 7 (the same seed gives the same split)",
		);
		expect(datasetCard(input({ split: null }))).toContain("- Splits: none");
	});

	it("states the licence filter, or that every licence is included", () => {
		expect(datasetCard(input({ licenceFilter: ["cc0", "cc-by"] }))).toContain("- Only images under: cc0, cc-by");
		expect(datasetCard(input())).toContain("- Licences: every licence the images came with");
	});

	it("counts the images of each label, in label order, with a column per split", () => {
		expect(tableUnder(datasetCard(input()), "## Labels")).toEqual([
			["label", "images", "train", "val", "test"],
			["dog", "3", "2", "1", "0"],
			["cat", "2", "1", "0", "1"],
			["bird", "1", "1", "0", "0"],
		]);
	});

	it("has no split columns without a split, and lists labels that have no images", () => {
		const context = { ...CONTEXT, labels: [...LABELS, "fish"] };
		expect(tableUnder(datasetCard(input({ split: null, context })), "## Labels")).toEqual([
			["label", "images"],
			["dog", "3"],
			["cat", "2"],
			["bird", "1"],
			["fish", "0"],
		]);
	});

	it("leaves out the column of a split that holds no image", () => {
		const images = input().images.filter((image) => image.split !== "val");
		expect(tableUnder(datasetCard(input({ images })), "## Labels")[0]).toEqual(["label", "images", "train", "test"]);
	});

	it("escapes pipes and line breaks in table cells", () => {
		const images = [{ ...imageOf("dog", 1, null, { source: "a|b", license: "x\ny" }), file: "dog/1.jpg" }];
		const card = datasetCard(input({ images, split: null }));
		expect(card).toContain("| a\\|b | 1 |");
		expect(card).toContain("| x y | 1 |");
	});

	it("counts the sources, most images first", () => {
		expect(tableUnder(datasetCard(input()), "## Sources")).toEqual([
			["source", "images"],
			["bing", "3"],
			["flickr", "2"],
			["wikimedia", "1"],
		]);
	});

	it("counts the licences, most images first then by name, a missing licence counted as unknown", () => {
		expect(tableUnder(datasetCard(input()), "## Licences")).toEqual([
			["licence", "images"],
			["cc-by", "3"],
			["cc0", "2"],
			["unknown", "1"],
		]);
	});

	it("lists the sha256 of every given file, exactly as the files' contents hash", () => {
		const files = [...FILES, { path: "annotations/instances_train.json", content: '{"images":[]}\nünïcödé ✓\n' }];
		expect(tableUnder(datasetCard(input({ files })), "## Checksums")).toEqual([
			["file", "sha256"],
			...files.map((file) => [file.path, createHash("sha256").update(Buffer.from(file.content, "utf8")).digest("hex")]),
		]);
	});

	it("has an empty checksums table when there are no files", () => {
		expect(tableUnder(datasetCard(input({ files: [] })), "## Checksums")).toEqual([["file", "sha256"]]);
	});

	describe("loading guide", () => {
		const guide = (card: string) => card.slice(card.indexOf("## How to load it"));

		it.each(EXPORT_FORMATS)("%s: explains loading through manifest.jsonl, with the labels in order", (format) => {
			const text = guide(datasetCard(input({ format })));
			expect(text).toContain("Every format carries `manifest.jsonl`");
			expect(text).toContain('(self.root / "manifest.jsonl")');
			expect(text).toContain('data_files="dataset/manifest.jsonl"');
			expect(text).toContain(`LABELS = ${JSON.stringify(LABELS)}`);
		});

		it.each(["imagefolder", "huggingface", "yolo"] as const)("%s: the folders are the labels, so ImageFolder reads it", (format) => {
			const text = guide(datasetCard(input({ format })));
			expect(text).toContain("datasets.ImageFolder(");
			expect(text).toContain('load_dataset("imagefolder", data_dir="dataset")');
		});

		it.each(["csv", "json", "yaml", "txt", "coco"] as const)(
			"%s: does not offer ImageFolder, whose folders would not be labels",
			(format) => {
				const text = guide(datasetCard(input({ format })));
				expect(text).not.toContain("ImageFolder");
				expect(text).not.toContain('load_dataset("imagefolder"');
			},
		);

		it("points ImageFolder at the train folder when there are split folders, at the root otherwise", () => {
			expect(datasetCard(input({ format: "imagefolder" }))).toContain('datasets.ImageFolder("dataset/train"');
			expect(datasetCard(input({ format: "imagefolder", split: null }))).toContain('datasets.ImageFolder("dataset"');
			// YOLO always has split folders: without a split everything is in train
			expect(datasetCard(input({ format: "yolo", split: null }))).toContain('datasets.ImageFolder("dataset/train"');
		});

		it("mentions metadata.jsonl for huggingface and the Ultralytics trainer for yolo only", () => {
			expect(datasetCard(input({ format: "huggingface" }))).toContain("# reads metadata.jsonl too");
			expect(datasetCard(input({ format: "imagefolder" }))).not.toContain("metadata.jsonl");
			expect(datasetCard(input({ format: "yolo" }))).toContain('YOLO("yolo11n-cls.pt").train(data="dataset")');
			expect(datasetCard(input({ format: "imagefolder" }))).not.toContain("ultralytics");
		});
	});

	it("ends with a newline and puts the sections in order", () => {
		const card = datasetCard(input());
		expect(card.endsWith("\n")).toBe(true);
		const headings = card.split("\n").filter((line) => /^#{1,2} /.test(line));
		expect(headings).toEqual([`# ${CONTEXT.name}`, "## Labels", "## Sources", "## Licences", "## Checksums", "## How to load it"]);
	});
});
