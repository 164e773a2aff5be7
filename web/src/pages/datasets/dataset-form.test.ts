import { describe, expect, it } from "vitest";
import { datasetFixture } from "../../test/fixtures";
import { controlIds, emptyForm, formFromDataset, mapFieldErrors, newRow, requestFromForm, splitKeywords, splitUrls } from "./dataset-form";

describe("the dataset form's request", () => {
	it("splits keywords on commas and lines, URLs on any space, and drops empty ones", () => {
		expect(splitKeywords(" tabby cat, kitten\n\nginger cat ,")).toEqual(["tabby cat", "kitten", "ginger cat"]);
		expect(splitUrls("https://a.example/1.jpg\n  https://b.example/2.png https://c.example/3.gif\n")).toEqual([
			"https://a.example/1.jpg",
			"https://b.example/2.png",
			"https://c.example/3.gif",
		]);
	});

	it("sends every row in order, the sources and only the options that were filled in", () => {
		const form = emptyForm();
		form.name = "  birds ";
		form.categories = [
			newRow({ label: "owl ", keywords: "barn owl, snowy owl" }),
			newRow({ label: "crow", urls: "https://x.example/c.jpg" }),
		];
		form.sources = ["wikimedia", "urls"];
		form.options.minWidth = "128";
		form.options.dedupThreshold = "6";
		form.options.validationLevel = "strict";
		expect(requestFromForm(form)).toEqual({
			name: "birds",
			description: "",
			projectId: null,
			categories: [
				{ label: "owl", keywords: ["barn owl", "snowy owl"], urls: [] },
				{ label: "crow", keywords: [], urls: ["https://x.example/c.jpg"] },
			],
			sources: ["wikimedia", "urls"],
			options: { minWidth: 128, dedupThreshold: 6, validationLevel: "strict" },
		});
	});

	it("sends a number the user mistyped as it is, so the API names the field", () => {
		const form = emptyForm();
		form.options.maxImagesPerKeyword = "2.5";
		expect(requestFromForm(form).options).toEqual({ maxImagesPerKeyword: 2.5 });
	});

	it("fills the form from a dataset and gives back the same definition", () => {
		const dataset = datasetFixture({ projectId: "p1", description: "pets" });
		const request = requestFromForm(formFromDataset(dataset));
		expect(request).toMatchObject({
			name: dataset.name,
			description: "pets",
			projectId: "p1",
			categories: dataset.categories,
			sources: dataset.sources,
			options: { minWidth: 64, minHeight: 64, dedupThreshold: 8, maxImagesPerKeyword: 100, validationLevel: "standard" },
		});
	});
});

describe("the API's field errors on the form", () => {
	const rows = [newRow({ label: "cat" }), newRow({ label: "" }), newRow({ label: "dog" })];

	it("puts category errors beside the row's label, keywords or URLs, whatever the item index", () => {
		const { byControl, summary } = mapFieldErrors(
			[
				{ field: "categories[1].label", message: "Use 1-100 letters" },
				{ field: "categories[0].keywords", message: "Give keywords to search for, or URLs" },
				{ field: "categories[2].urls[3]", message: "The 'categories[2].urls[3]' field must be a valid URL." },
				{ field: "categories[2].extra", message: "not allowed" },
			],
			rows,
		);
		expect(byControl).toEqual({
			[controlIds.category(rows[1].key, "label")]: "Use 1-100 letters",
			[controlIds.category(rows[0].key, "keywords")]: "Give keywords to search for, or URLs",
			[controlIds.category(rows[2].key, "urls")]: "The 'categories[2].urls[3]' field must be a valid URL.",
			[controlIds.category(rows[2].key, "label")]: "not allowed",
		});
		expect(summary.map((item) => item.label)).toEqual([
			"Category 2 label",
			"Category 1 (cat) keywords",
			"Category 3 (dog) URLs",
			"Category 3 (dog) label",
		]);
		expect(summary.every((item) => item.fieldId !== null)).toBe(true);
	});

	it("maps the dataset's own fields, sources and options, joining two messages of one field", () => {
		const { byControl } = mapFieldErrors(
			[
				{ field: "name", message: "The 'name' field is required." },
				{ field: "sources[0]", message: "Unknown source." },
				{ field: "sources", message: "Choose at least one." },
				{ field: "options.minWidth", message: "Too big." },
				{ field: "options.dedupThreshold", message: "0–16." },
				{ field: "categories", message: "At least one category." },
				{ field: "projectId", message: "No such project." },
			],
			rows,
		);
		expect(byControl).toEqual({
			[controlIds.name]: "The 'name' field is required.",
			[controlIds.sources]: "Unknown source. Choose at least one.",
			[controlIds.option("minWidth")]: "Too big.",
			[controlIds.option("dedupThreshold")]: "0–16.",
			[controlIds.categories]: "At least one category.",
			[controlIds.projectId]: "No such project.",
		});
	});

	it("lists errors of fields the form does not show in the summary, without a link", () => {
		const { byControl, summary } = mapFieldErrors(
			[
				{ field: "options.formats[0]", message: "Unknown format." },
				{ field: "ownerId", message: "not allowed" },
				{ field: "categories[9].label", message: "Beyond the rows." },
			],
			rows,
		);
		expect(summary).toEqual([
			{ fieldId: null, label: "Option formats", message: "Unknown format." },
			{ fieldId: null, label: "ownerId", message: "not allowed" },
			{ fieldId: controlIds.categories, label: "Category 10 label", message: "Beyond the rows." },
		]);
		expect(Object.keys(byControl)).toEqual([controlIds.categories]);
	});
});
