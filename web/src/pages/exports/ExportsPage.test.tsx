import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Export } from "../../api/types";
import { fakeApi, page, type RecordedRequest, signedInRoutes } from "../../test/fake-api";
import { renderAt } from "../../test/render";
import { anExport, dataset, metadata } from "../gallery/fixtures";
import { metadataBars } from "./MetadataCharts";

const drawn = vi.hoisted(() => [] as { config: { data: { labels: string[] } } }[]);
vi.mock("chart.js", () => {
	class Chart {
		static register() {}
		constructor(
			readonly context: unknown,
			readonly config: (typeof drawn)[number]["config"],
		) {
			drawn.push(this);
		}
		destroy() {}
	}
	return { Chart, BarController: {}, BarElement: {}, CategoryScale: {}, LinearScale: {}, Tooltip: {} };
});

// jsdom has no canvas: every chart of the page gets a stand-in context (restored after each test)
beforeEach(() => {
	vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue({} as CanvasRenderingContext2D);
});

function setup(routes: Parameters<typeof signedInRoutes>[0] = {}) {
	return fakeApi(
		signedInRoutes({
			"GET /datasets/d1": { body: dataset() },
			"GET /datasets/d1/metadata": { body: metadata() },
			"GET /datasets/d1/exports": { body: page([]) },
			...routes,
		}),
	);
}

const posts = (requests: RecordedRequest[]) =>
	requests.filter((request) => request.method === "POST" && request.path === "/datasets/d1/exports");

async function openPage(routes: Parameters<typeof signedInRoutes>[0] = {}) {
	const fake = setup(routes);
	const view = renderAt("/datasets/d1/exports", fake.api);
	await screen.findByRole("heading", { level: 1, name: "Pets: exports" });
	return { ...fake, ...view };
}

/** user-event that also moves fake timers on, when a test uses them. */
const user = () => userEvent.setup(vi.isFakeTimers() ? { advanceTimers: vi.advanceTimersByTime } : {});

describe("the exports page: a new export", () => {
	it("checks that the split adds up to 100 before sending anything", async () => {
		const { requests } = await openPage();
		const u = user();
		const test = screen.getByLabelText("Test %");
		await u.clear(test);
		await u.type(test, "5");
		expect(screen.getByText("Total: 95% (must be 100%)")).toBeInTheDocument();
		await u.click(screen.getByRole("button", { name: "Create export" }));
		const message = "Train, validation and test must add up to 100% (they add up to 95%)";
		expect(screen.getByText(message, { selector: ".field-error" })).toBeInTheDocument();
		expect(screen.getByRole("link", { name: `Split: ${message}` })).toBeInTheDocument();
		expect(test).toHaveAttribute("aria-invalid", "true");
		expect(test.getAttribute("aria-describedby")).toContain(screen.getByText(message, { selector: ".field-error" }).id);
		expect(posts(requests)).toHaveLength(0);

		await u.clear(screen.getByLabelText("Train %"));
		await u.click(screen.getByRole("button", { name: "Create export" }));
		expect(screen.getByText(/Train must be a percentage/, { selector: ".field-error" })).toBeInTheDocument();
		expect(posts(requests)).toHaveLength(0);
	});

	it("sends the chosen format, the split as fractions with its seed, and the licences", async () => {
		const created = anExport("e9", { status: "queued", progress: { done: 0, total: 6 }, format: "huggingface" });
		const { requests } = await openPage({ "POST /datasets/d1/exports": { status: 202, body: created } });
		const u = user();
		await u.click(screen.getByRole("radio", { name: /Hugging Face/ }));
		for (const [field, value] of [
			["Train %", "70"],
			["Validation %", "20"],
			["Test %", "10"],
			["Seed (optional)", "7"],
		]) {
			await u.clear(screen.getByLabelText(field));
			await u.type(screen.getByLabelText(field), value);
		}
		// the counts of valid images per licence come from the dataset's metadata
		await u.click(await screen.findByRole("checkbox", { name: "CC0 (no rights reserved) (2)" }));
		await u.click(screen.getByRole("button", { name: "Create export" }));
		expect(await screen.findByText(/Export Pets-e9.zip started: 6 images to write/)).toBeInTheDocument();
		expect(posts(requests).map((request) => request.body)).toEqual([
			{ format: "huggingface", split: { train: 0.7, val: 0.2, test: 0.1, seed: 7 }, licences: ["cc0"] },
		]);
		// the list is read again to show the new export
		await waitFor(() =>
			expect(requests.filter((request) => request.path === "/datasets/d1/exports" && request.method === "GET")).toHaveLength(2),
		);
	});

	it("sends no split when splitting is switched off", async () => {
		const { requests } = await openPage({ "POST /datasets/d1/exports": { status: 202, body: anExport("e1", { status: "queued" }) } });
		const u = user();
		await u.click(screen.getByRole("checkbox", { name: "Split into train, validation and test sets" }));
		expect(screen.queryByLabelText("Train %")).not.toBeInTheDocument();
		await u.click(screen.getByRole("button", { name: "Create export" }));
		await waitFor(() => expect(posts(requests)).toHaveLength(1));
		expect(posts(requests)[0].body).toEqual({ format: "imagefolder" });
	});

	it("shows the API's field errors beside their fields and its other refusals above the form", async () => {
		let answer = 0;
		await openPage({
			"POST /datasets/d1/exports": () =>
				++answer === 1
					? {
							status: 422,
							body: {
								status: 422,
								title: "Unprocessable Entity",
								detail: "The request has invalid fields",
								errors: [{ field: "split.train", message: "The train split cannot be empty" }],
							},
						}
					: { status: 409, body: { status: 409, title: "Conflict", detail: "You have 2 exports in progress; wait for one to finish" } },
		});
		const u = user();
		await u.click(screen.getByRole("button", { name: "Create export" }));
		const beside = await screen.findByText("The train split cannot be empty", { selector: ".field-error" });
		expect(screen.getByLabelText("Train %")).toHaveAttribute("aria-describedby", expect.stringContaining(beside.id));
		await u.click(screen.getByRole("button", { name: "Create export" }));
		expect(
			await screen.findByText("The export was not created: You have 2 exports in progress; wait for one to finish"),
		).toBeInTheDocument();
	});
});

describe("the exports page: the list", () => {
	beforeEach(() => {
		vi.useFakeTimers({ shouldAdvanceTime: true });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it("shows an export's progress and reads it again until it is ready, then says so", async () => {
		const answers: Export[][] = [
			[anExport("e1", { status: "queued", progress: { done: 0, total: 8 }, bytes: null, sha256: null, imageCount: null })],
			[anExport("e1", { status: "running", progress: { done: 3, total: 8 }, bytes: null, sha256: null, imageCount: null })],
			[anExport("e1")],
		];
		let read = 0;
		const { requests } = await openPage({
			"GET /datasets/d1/exports": () => ({ body: page(answers[Math.min(read++, answers.length - 1)]) }),
		});
		const progress = await screen.findByRole("progressbar", { name: "Progress of Pets-e1.zip" });
		expect(screen.getByText("Waiting to start (8 images)")).toBeInTheDocument();
		expect(progress).toHaveAttribute("value", "0");
		expect(screen.getByText("Updating every 2 seconds while an export is being written.")).toBeInTheDocument();

		await act(() => vi.advanceTimersByTimeAsync(2000));
		expect(await screen.findByText("3 of 8 images written (37%)")).toBeInTheDocument();
		expect(screen.getByRole("progressbar", { name: "Progress of Pets-e1.zip" })).toHaveAttribute("value", "3");
		expect(screen.getByRole("progressbar", { name: "Progress of Pets-e1.zip" })).toHaveAttribute("max", "8");

		await act(() => vi.advanceTimersByTimeAsync(2000));
		expect(await screen.findByText("8 images in the archive")).toBeInTheDocument();
		expect(screen.getByText("Pets-e1.zip is ready to download.")).toBeInTheDocument();
		expect(screen.getByText("c".repeat(64))).toBeInTheDocument();
		expect(screen.getByRole("button", { name: "Download (2.0 MB)" })).toBeInTheDocument();

		// nothing is being written any more: no more reads
		const reads = requests.filter((request) => request.path === "/datasets/d1/exports").length;
		await act(() => vi.advanceTimersByTimeAsync(6000));
		expect(requests.filter((request) => request.path === "/datasets/d1/exports")).toHaveLength(reads);
	});

	it("shows why an export failed", async () => {
		await openPage({
			"GET /datasets/d1/exports": {
				body: page([
					anExport("e2", { status: "failed", error: "The archive does not fit in your storage quota", bytes: null, sha256: null }),
				]),
			},
		});
		expect(await screen.findByText("Failed: The archive does not fit in your storage quota")).toBeInTheDocument();
		expect(screen.queryByRole("button", { name: /Download/ })).not.toBeInTheDocument();
	});

	it("downloads through a freshly signed link", async () => {
		const clicked: string[] = [];
		vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
			clicked.push(`${this.getAttribute("href")} as ${this.download}`);
		});
		const { requests } = await openPage({
			"GET /datasets/d1/exports": { body: page([anExport("e1")]) },
			"GET /exports/e1": { body: { ...anExport("e1"), url: "/api/v1/files/signed-e1", urlExpiresAt: "2026-01-04T00:00:00.000Z" } },
		});
		await user().click(await screen.findByRole("button", { name: "Download (2.0 MB)" }));
		await waitFor(() => expect(clicked).toEqual(["/api/v1/files/signed-e1 as Pets-e1.zip"]));
		expect(requests.some((request) => request.path === "/exports/e1")).toBe(true);
	});

	it("deletes an export after confirmation", async () => {
		let listed = [anExport("e1"), anExport("e2")];
		const { requests } = await openPage({
			"GET /datasets/d1/exports": () => ({ body: page(listed) }),
			"DELETE /exports/e1": () => {
				listed = listed.filter((item) => item.id !== "e1");
				return { status: 204 };
			},
		});
		const u = user();
		const card = (await screen.findByRole("heading", { name: "Pets-e1.zip" })).closest("li") as HTMLElement;
		await u.click(within(card).getByRole("button", { name: "Delete" }));
		await u.click(within(card).getByRole("button", { name: "Delete export" }));
		await waitFor(() => expect(screen.queryByRole("heading", { name: "Pets-e1.zip" })).not.toBeInTheDocument());
		expect(requests.filter((request) => request.method === "DELETE").map((request) => request.path)).toEqual(["/exports/e1"]);
		expect(screen.getByRole("heading", { name: "Pets-e2.zip" })).toBeInTheDocument();
	});

	it("says when there is no export yet", async () => {
		await openPage();
		expect(await screen.findByText("No exports yet")).toBeInTheDocument();
	});
});

describe("the exports page: what the dataset holds", () => {
	it("prepares the bars of each chart from the metadata", () => {
		const bars = metadataBars(metadata({ perLabel: { cat: 5, dog: 3, bird: 0 }, rejectionReasons: { too_small: 4, not_an_image: 1 } }));
		expect(bars.perLabel).toEqual([
			{ label: "cat", value: 5 },
			{ label: "dog", value: 3 },
			{ label: "bird", value: 0 },
		]);
		expect(bars.perSource).toEqual([
			{ label: "wikimedia", value: 6 },
			{ label: "openverse", value: 2 },
		]);
		expect(bars.rejectionReasons).toEqual([
			{ label: "too small", value: 4 },
			{ label: "not an image", value: 1 },
		]);
	});

	it("draws counts per label, per source and rejection reasons, each with its table", async () => {
		drawn.length = 0;
		await openPage();
		for (const title of ["Valid images per label", "Valid images per source", "Rejected images per reason"]) {
			const figure = await screen.findByRole("figure", { name: title });
			expect(within(figure).getByRole("table", { name: title })).toBeInTheDocument();
			expect(within(figure).getByRole("img")).toHaveAccessibleName(expect.stringContaining(`${title}: bar chart`));
		}
		await waitFor(() =>
			expect(drawn.map((chart) => chart.config.data.labels)).toEqual([["cat", "dog"], ["wikimedia", "openverse"], ["too small"]]),
		);
		expect(screen.getByText("200–1,024 px")).toBeInTheDocument();
	});

	it("shows an error with a way to try again when the summary cannot be loaded", async () => {
		await openPage({ "GET /datasets/d1/metadata": { status: 500, body: { status: 500, title: "Internal Server Error" } } });
		expect(await screen.findByText("The dataset's summary could not be loaded")).toBeInTheDocument();
	});
});
