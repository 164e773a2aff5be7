import { createHash } from "node:crypto";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import {
	csvText,
	EXPORT_FORMATS,
	type ExportContext,
	type ExportFormat,
	type ExportImage,
	fileNameOf,
	jsonLines,
	layoutOf,
	manifestRow,
	type PlacedImage,
	placeImages,
} from "../../../../../services/dataset/exports/formats";
import type { SplitName } from "../../../../../services/dataset/exports/splits";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const LABELS = ["dog", "cat", "bird"];
const CONTEXT: ExportContext = {
	name: "Pets: dogs, cats & birds",
	description: 'A "small" set\nover two lines',
	labels: LABELS,
	exportedAt: new Date("2024-05-06T07:08:09.000Z"),
};

function imageOf(label: string, n: number, extra: Partial<ExportImage> = {}): ExportImage {
	const sha = sha256(`${label}-${n}`);
	return {
		label,
		sha256: sha,
		storageKey: `datasets/d1/${sha}.jpg`,
		format: "jpeg",
		width: 640,
		height: 480,
		bytes: 1000 + n,
		source: "bing",
		sourceUrl: `https://img.example/${n}.jpg`,
		pageUrl: `https://page.example/${n}`,
		license: "cc-by",
		author: `author ${n}`,
		...extra,
	};
}

/** Two dogs, two cats and a bird, each with a split: given out of order. */
const SPLIT_IMAGES: (ExportImage & { split: SplitName | null })[] = [
	{ ...imageOf("cat", 1), split: "val" },
	{ ...imageOf("bird", 1, { license: null, author: null }), split: "train" },
	{ ...imageOf("dog", 2, { format: "png" }), split: "train" },
	{ ...imageOf("cat", 2, { license: "cc0" }), split: "train" },
	{ ...imageOf("dog", 1), split: "test" },
];
const UNSPLIT_IMAGES = SPLIT_IMAGES.map((image) => ({ ...image, split: null }));

/** The order placeImages promises: split (train, val, test), then label in the labels' order, then content hash. */
function expectedOrder<T extends { split: SplitName | null; label: string; sha256: string }>(images: T[]): T[] {
	const splitRank = (split: SplitName | null) => (split === null ? 0 : ["train", "val", "test"].indexOf(split));
	return [...images].sort(
		(a, b) =>
			splitRank(a.split) - splitRank(b.split) ||
			LABELS.indexOf(a.label) - LABELS.indexOf(b.label) ||
			(a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0),
	);
}

function expectedPath(format: ExportFormat, image: ExportImage & { split: SplitName | null }): string {
	const file = fileNameOf(image);
	const split = image.split ? `${image.split}/` : "";
	switch (format) {
		case "imagefolder":
		case "huggingface":
			return `${split}${image.label}/${file}`;
		case "yolo":
			return `${image.split ?? "train"}/${image.label}/${file}`;
		default:
			return `images/${split}${file}`;
	}
}

/** A small RFC 4180 reader, to read the CSV back. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = "";
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (quoted) {
			if (char === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ",") {
			row.push(field);
			field = "";
		} else if (char === "\r" && text[i + 1] === "\n") {
			row.push(field);
			rows.push(row);
			row = [];
			field = "";
			i++;
		} else field += char;
	}
	if (field !== "" || row.length > 0) throw new Error("the CSV does not end with CRLF");
	return rows;
}

const parseLines = (content: string) =>
	content
		.split("\n")
		.filter((line) => line !== "")
		.map((line) => JSON.parse(line));

describe("fileNameOf", () => {
	it("names an image by its content hash and its format's extension", () => {
		const image = imageOf("cat", 1);
		expect(fileNameOf({ ...image, format: "jpeg" })).toBe(`${image.sha256}.jpg`);
		expect(fileNameOf({ ...image, format: "JPEG" })).toBe(`${image.sha256}.jpg`);
		expect(fileNameOf({ ...image, format: "png" })).toBe(`${image.sha256}.png`);
		expect(fileNameOf({ ...image, format: "WebP" })).toBe(`${image.sha256}.webp`);
	});

	it("falls back to the storage key's extension, then to .bin, when the format is missing or not a plain extension", () => {
		const image = imageOf("cat", 1);
		expect(fileNameOf({ ...image, format: null, storageKey: "datasets/d/x.gif" })).toBe(`${image.sha256}.gif`);
		expect(fileNameOf({ ...image, format: undefined, storageKey: "datasets/d/x.tiff" })).toBe(`${image.sha256}.tiff`);
		expect(fileNameOf({ ...image, format: "svg+xml", storageKey: "datasets/d/x.svg" })).toBe(`${image.sha256}.svg`);
		expect(fileNameOf({ ...image, format: "../../etc", storageKey: "datasets/d/x.png" })).toBe(`${image.sha256}.png`);
		expect(fileNameOf({ ...image, format: null, storageKey: "datasets/d/noextension" })).toBe(`${image.sha256}.bin`);
		expect(fileNameOf({ ...image, format: "", storageKey: "datasets/d/x" })).toBe(`${image.sha256}.bin`);
	});
});

describe("manifestRow", () => {
	it("carries the image's place, label, hash, size, source and licence", () => {
		const image: PlacedImage = { ...imageOf("cat", 3), split: "val", file: "val/cat/x.jpg" };
		expect(manifestRow(image)).toEqual({
			file: "val/cat/x.jpg",
			label: "cat",
			split: "val",
			sha256: image.sha256,
			width: 640,
			height: 480,
			bytes: 1003,
			source: "bing",
			source_url: "https://img.example/3.jpg",
			page_url: "https://page.example/3",
			license: "cc-by",
			author: "author 3",
		});
	});

	it("fills what the source did not report with null, and the licence with unknown", () => {
		const row = manifestRow({
			label: "cat",
			sha256: "a".repeat(64),
			storageKey: "k",
			source: "upload",
			split: null,
			file: "images/x.bin",
		});
		expect(row).toEqual({
			file: "images/x.bin",
			label: "cat",
			split: null,
			sha256: "a".repeat(64),
			width: null,
			height: null,
			bytes: null,
			source: "upload",
			source_url: null,
			page_url: null,
			license: "unknown",
			author: null,
		});
		expect(Object.keys(row)).toEqual([
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
		]);
	});
});

describe("jsonLines", () => {
	it("writes one JSON object per line, each line ending in a newline", () => {
		expect(jsonLines([{ a: 1 }, { b: "x\ny" }])).toBe('{"a":1}\n{"b":"x\\ny"}\n');
		expect(jsonLines([])).toBe("");
	});
});

describe("csvText", () => {
	it("writes a header and CRLF-terminated rows, quoting fields with commas, quotes or line breaks (RFC 4180)", () => {
		const text = csvText(
			[
				{ a: "plain", b: "with, comma", c: 'say "hi"' },
				{ a: "line\nbreak", b: "carriage\rreturn", c: "crlf\r\nend" },
				{ a: null, b: undefined, c: 42 },
			],
			["a", "b", "c"],
		);
		expect(text).toBe(
			["a,b,c", 'plain,"with, comma","say ""hi"""', '"line\nbreak","carriage\rreturn","crlf\r\nend"', ",,42", ""].join("\r\n"),
		);
	});

	it("writes the columns in the order given, leaving out fields that are not columns", () => {
		expect(csvText([{ x: 1, y: 2, z: 3 }], ["z", "x"])).toBe("z,x\r\n3,1\r\n");
	});

	it("writes only the header when there are no rows", () => {
		expect(csvText([], ["file", "label"])).toBe("file,label\r\n");
	});

	it("reads back field for field with an RFC 4180 reader (property)", () => {
		const cell = fc.string({ unit: fc.constantFrom("a", "b", " ", ",", '"', "\n", "\r", "é", ";") });
		fc.assert(
			fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 10 }), (rows) => {
				const text = csvText(
					rows.map(([a, b, c]) => ({ a, b, c })),
					["a", "b", "c"],
				);
				expect(parseCsv(text)).toEqual([["a", "b", "c"], ...rows]);
			}),
			{ numRuns: 300 },
		);
	});
});

describe("placeImages", () => {
	describe.each(EXPORT_FORMATS)("%s", (format) => {
		it("places split images at the format's paths, ordered by split, label order and content hash", () => {
			const placed = placeImages(SPLIT_IMAGES, format, LABELS);
			const expected = expectedOrder(SPLIT_IMAGES).map((image) => ({ ...image, file: expectedPath(format, image) }));
			expect(placed).toEqual(expected);
		});

		it("places unsplit images at the format's paths, ordered by label order and content hash", () => {
			const placed = placeImages(UNSPLIT_IMAGES, format, LABELS);
			const expected = expectedOrder(UNSPLIT_IMAGES).map((image) => ({ ...image, file: expectedPath(format, image) }));
			expect(placed).toEqual(expected);
			expect(placed.every((image) => image.split === null)).toBe(true);
		});

		it("gives every image its own path", () => {
			expect(new Set(placeImages(SPLIT_IMAGES, format, LABELS).map((image) => image.file)).size).toBe(SPLIT_IMAGES.length);
		});
	});

	it("spells out the paths of each layout", () => {
		const dog = { ...imageOf("dog", 1), split: "val" as const };
		const file = `${dog.sha256}.jpg`;
		const pathIn = (format: ExportFormat, image: ExportImage & { split: SplitName | null }) => placeImages([image], format, LABELS)[0].file;
		expect(pathIn("imagefolder", dog)).toBe(`val/dog/${file}`);
		expect(pathIn("imagefolder", { ...dog, split: null })).toBe(`dog/${file}`);
		expect(pathIn("huggingface", dog)).toBe(`val/dog/${file}`);
		expect(pathIn("csv", dog)).toBe(`images/val/${file}`);
		expect(pathIn("coco", { ...dog, split: null })).toBe(`images/${file}`);
		expect(pathIn("yolo", dog)).toBe(`val/dog/${file}`);
		// Ultralytics needs a split folder: without a split everything is train
		expect(pathIn("yolo", { ...dog, split: null })).toBe(`train/dog/${file}`);
	});

	it("orders by the labels as given, not alphabetically", () => {
		const images = [imageOf("bird", 1), imageOf("cat", 1), imageOf("dog", 1)].map((image) => ({ ...image, split: null }));
		expect(placeImages(images, "csv", LABELS).map((image) => image.label)).toEqual(["dog", "cat", "bird"]);
		expect(placeImages(images, "csv", ["bird", "cat", "dog"]).map((image) => image.label)).toEqual(["bird", "cat", "dog"]);
	});

	it("gives the same result whatever order the images come in", () => {
		const reversed = [...SPLIT_IMAGES].reverse();
		expect(placeImages(reversed, "huggingface", LABELS)).toEqual(placeImages(SPLIT_IMAGES, "huggingface", LABELS));
	});
});

describe("layoutOf", () => {
	const placed = (format: ExportFormat, split: boolean) => placeImages(split ? SPLIT_IMAGES : UNSPLIT_IMAGES, format, LABELS);

	it("marks the formats whose folders are the labels", () => {
		expect(EXPORT_FORMATS.filter((format) => layoutOf(format).labelFolders)).toEqual(["imagefolder", "huggingface", "yolo"]);
	});

	it.each(["imagefolder", "yolo"] as const)("%s needs no label files: the folders are the labels", (format) => {
		expect(layoutOf(format).labelFiles(placed(format, true), CONTEXT)).toEqual([]);
		expect(layoutOf(format).labelFiles(placed(format, false), CONTEXT)).toEqual([]);
	});

	describe("huggingface", () => {
		it("writes one metadata.jsonl per split folder, its file_name relative to that folder", () => {
			const images = placed("huggingface", true);
			const files = layoutOf("huggingface").labelFiles(images, CONTEXT);
			expect(files.map((file) => file.path)).toEqual(["train/metadata.jsonl", "val/metadata.jsonl", "test/metadata.jsonl"]);
			for (const file of files) {
				const split = file.path.split("/")[0];
				const ofSplit = images.filter((image) => image.split === split);
				const rows = parseLines(file.content);
				expect(rows).toEqual(
					ofSplit.map((image) => {
						const { file: path, ...rest } = manifestRow(image);
						return { file_name: path.slice(split.length + 1), ...rest };
					}),
				);
				for (const row of rows) {
					expect(row.file_name).toMatch(new RegExp(`^${row.label}/[0-9a-f]{64}\\.[a-z]+$`));
					expect(Object.keys(row)[0]).toBe("file_name");
					expect(row).not.toHaveProperty("file");
				}
			}
		});

		it("writes one metadata.jsonl at the root when there is no split, file_name being the whole path", () => {
			const images = placed("huggingface", false);
			const files = layoutOf("huggingface").labelFiles(images, CONTEXT);
			expect(files.map((file) => file.path)).toEqual(["metadata.jsonl"]);
			expect(parseLines(files[0].content).map((row) => row.file_name)).toEqual(images.map((image) => image.file));
		});

		it("leaves out the metadata of splits without images", () => {
			const images = placed("huggingface", true).filter((image) => image.split !== "val");
			expect(
				layoutOf("huggingface")
					.labelFiles(images, CONTEXT)
					.map((file) => file.path),
			).toEqual(["train/metadata.jsonl", "test/metadata.jsonl"]);
		});
	});

	describe("csv", () => {
		it("writes labels.csv: the manifest columns, one row per image", () => {
			const images = placed("csv", true);
			const files = layoutOf("csv").labelFiles(images, CONTEXT);
			expect(files.map((file) => file.path)).toEqual(["labels.csv"]);
			const [header, ...rows] = parseCsv(files[0].content);
			expect(header).toEqual(Object.keys(manifestRow(images[0])));
			expect(rows).toEqual(images.map((image) => Object.values(manifestRow(image)).map((value) => (value === null ? "" : String(value)))));
		});

		it("quotes the fields that need it", () => {
			const image = { ...imageOf("cat", 1, { author: 'Doe, "J."', pageUrl: "https://p.example/?a=1,2" }), split: null };
			const content = layoutOf("csv").labelFiles(placeImages([image], "csv", LABELS), CONTEXT)[0].content;
			expect(content).toContain(',"https://p.example/?a=1,2",cc-by,"Doe, ""J."""\r\n');
			expect(parseCsv(content)[1].at(-1)).toBe('Doe, "J."');
		});
	});

	describe("json", () => {
		it("writes annotations.json that parses back to the dataset and its manifest rows", () => {
			const images = placed("json", true);
			const files = layoutOf("json").labelFiles(images, CONTEXT);
			expect(files.map((file) => file.path)).toEqual(["annotations.json"]);
			expect(JSON.parse(files[0].content)).toEqual({
				name: CONTEXT.name,
				description: CONTEXT.description,
				exported_at: "2024-05-06T07:08:09.000Z",
				labels: LABELS,
				images: images.map(manifestRow),
			});
			expect(files[0].content.endsWith("}\n")).toBe(true);
		});
	});

	describe("yaml", () => {
		it("writes annotations.yaml that parses back (with the yaml package) to the same document as the JSON", () => {
			const tricky = [
				{ ...imageOf("cat", 7, { author: "yes", license: "null", sourceUrl: "- not a list: really" }), split: null },
				{ ...imageOf("dog", 8, { author: "# not a comment\n'quoted' \"both\"", license: "0x10" }), split: null },
				{ ...imageOf("bird", 9, { author: "  padded  ", license: "true" }), split: null },
			];
			for (const images of [placed("yaml", true), placed("yaml", false), placeImages(tricky, "yaml", LABELS)]) {
				const [file] = layoutOf("yaml").labelFiles(images, CONTEXT);
				const [json] = layoutOf("json").labelFiles(images, CONTEXT);
				expect(file.path).toBe("annotations.yaml");
				expect(parseYaml(file.content)).toEqual(JSON.parse(json.content));
			}
		});
	});

	describe("txt", () => {
		it("writes classes.txt in label order and one labels/<split>/<sha256>.txt per image holding its label", () => {
			const images = placed("txt", true);
			const files = layoutOf("txt").labelFiles(images, CONTEXT);
			expect(files[0]).toEqual({ path: "classes.txt", content: "dog\ncat\nbird\n" });
			expect(files.slice(1)).toEqual(
				images.map((image) => ({ path: `labels/${image.split}/${image.sha256}.txt`, content: `${image.label}\n` })),
			);
		});

		it("puts the label files next to the image paths: labels/ mirrors images/", () => {
			for (const split of [true, false]) {
				const images = placed("txt", split);
				const labelFiles = layoutOf("txt").labelFiles(images, CONTEXT).slice(1);
				expect(labelFiles.map((file) => file.path)).toEqual(
					images.map((image) => image.file.replace(/^images\//, "labels/").replace(/\.[a-z]+$/, ".txt")),
				);
			}
		});
	});

	describe("coco", () => {
		type Coco = {
			info: Record<string, unknown>;
			licenses: { id: number; name: string; url: string }[];
			categories: { id: number; name: string; supercategory: string }[];
			images: { id: number; file_name: string; width: number; height: number; license: number; sha256: string; coco_url: string }[];
			annotations: { id: number; image_id: number; category_id: number }[];
		};

		it("writes one instances file per split", () => {
			expect(
				layoutOf("coco")
					.labelFiles(placed("coco", true), CONTEXT)
					.map((file) => file.path),
			).toEqual(["annotations/instances_train.json", "annotations/instances_val.json", "annotations/instances_test.json"]);
			expect(
				layoutOf("coco")
					.labelFiles(placed("coco", false), CONTEXT)
					.map((file) => file.path),
			).toEqual(["annotations/instances.json"]);
		});

		it("writes a COCO document: categories from the labels, images with their licence, one annotation per image", () => {
			for (const split of [true, false]) {
				const images = placed("coco", split);
				for (const file of layoutOf("coco").labelFiles(images, CONTEXT)) {
					const document = JSON.parse(file.content) as Coco;
					const ofFile = split ? images.filter((image) => file.path === `annotations/instances_${image.split}.json`) : images;
					expect(document.info).toEqual({
						description: CONTEXT.name,
						version: "1.0",
						year: 2024,
						contributor: "PixCrawler",
						date_created: "2024-05-06T07:08:09.000Z",
					});
					// every label is a category, numbered from 1 in label order, in every split's file
					expect(document.categories).toEqual([
						{ id: 1, name: "dog", supercategory: "none" },
						{ id: 2, name: "cat", supercategory: "none" },
						{ id: 3, name: "bird", supercategory: "none" },
					]);
					// the licences of the file's images, sorted, numbered from 1; a missing licence is "unknown"
					const licenceNames = [...new Set(ofFile.map((image) => image.license ?? "unknown"))].sort();
					expect(document.licenses).toEqual(licenceNames.map((name, index) => ({ id: index + 1, name, url: "" })));
					expect(document.images.map((image) => image.file_name)).toEqual(ofFile.map((image) => image.file));
					expect(document.images.map((image) => image.id)).toEqual(ofFile.map((_, index) => index + 1));
					const licenceName = new Map(document.licenses.map((licence) => [licence.id, licence.name]));
					const categoryName = new Map(document.categories.map((category) => [category.id, category.name]));
					const imageById = new Map(document.images.map((image) => [image.id, image]));
					for (const [index, image] of ofFile.entries()) {
						const entry = document.images[index];
						expect(entry).toMatchObject({ width: 640, height: 480, sha256: image.sha256, coco_url: image.sourceUrl });
						expect(licenceName.get(entry.license)).toBe(image.license ?? "unknown");
					}
					expect(document.annotations).toHaveLength(ofFile.length);
					expect(new Set(document.annotations.map((annotation) => annotation.id)).size).toBe(ofFile.length);
					for (const annotation of document.annotations) {
						const image = imageById.get(annotation.image_id);
						expect(image).toBeDefined();
						const source = ofFile.find((candidate) => candidate.file === image?.file_name);
						expect(categoryName.get(annotation.category_id)).toBe(source?.label);
					}
				}
			}
		});

		it("writes 0 for unknown sizes and an empty coco_url without a source URL", () => {
			const image = { ...imageOf("cat", 1, { width: null, height: undefined, sourceUrl: null, license: null }), split: null };
			const [file] = layoutOf("coco").labelFiles(placeImages([image], "coco", LABELS), CONTEXT);
			const document = JSON.parse(file.content) as Coco;
			expect(document.images[0]).toMatchObject({ width: 0, height: 0, coco_url: "", license: 1 });
			expect(document.licenses).toEqual([{ id: 1, name: "unknown", url: "" }]);
		});
	});
});
