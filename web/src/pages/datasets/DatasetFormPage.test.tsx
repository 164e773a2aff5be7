import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeApi, page, signedInRoutes } from "../../test/fake-api";
import { datasetFixture } from "../../test/fixtures";
import { renderAt } from "../../test/render";

const PROJECTS = page([{ id: "p1", ownerId: "user-1", name: "Pets", description: "", createdAt: "", updatedAt: "" }]);
const INVALID = {
	status: 422,
	body: {
		type: "https://pixcrawler.dev/problems/validation-failed",
		title: "Unprocessable Entity",
		status: 422,
		detail: "The request has invalid fields",
		errors: [
			{ field: "categories[1].label", message: "The label 'cat' is used twice" },
			{ field: "categories[0].keywords", message: "Give keywords to search for, or URLs" },
			{ field: "options.dedupThreshold", message: "The 'options.dedupThreshold' field must be less than or equal to 16." },
		],
	},
};

describe("the dataset form", () => {
	it("creates a dataset from the rows, sources and options filled in, then opens it", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /projects": { body: PROJECTS },
				"POST /datasets": { status: 201, body: datasetFixture({ id: "ds9" }) },
				"GET /datasets/ds9": { body: datasetFixture({ id: "ds9" }) },
			}),
		);
		const { location } = renderAt("/datasets/new", api);
		await user.type(await screen.findByLabelText("Name"), "birds");
		await user.selectOptions(screen.getByLabelText("Project"), "Pets");
		await user.type(screen.getByLabelText("Label 1"), "owl");
		await user.type(screen.getAllByLabelText("Keywords")[0], "barn owl, snowy owl");
		await user.click(screen.getByRole("button", { name: "Add a category" }));
		// the new row's label takes focus
		await waitFor(() => expect(screen.getByLabelText("Label 2")).toHaveFocus());
		await user.keyboard("crow");
		await user.type(screen.getAllByLabelText("URLs")[1], "https://x.example/crow.jpg");
		await user.click(screen.getByRole("checkbox", { name: "Openverse" }));
		await user.click(screen.getByRole("checkbox", { name: "Bing" }));
		await user.type(screen.getByLabelText(/Minimum width/), "256");
		await user.selectOptions(screen.getByLabelText("Validation level"), "strict");
		await user.click(screen.getByRole("button", { name: "Create dataset" }));

		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets/ds9"));
		const sent = requests.find((request) => request.method === "POST" && request.path === "/datasets");
		expect(sent?.body).toEqual({
			name: "birds",
			description: "",
			projectId: "p1",
			categories: [
				{ label: "owl", keywords: ["barn owl", "snowy owl"], urls: [] },
				{ label: "crow", keywords: [], urls: ["https://x.example/crow.jpg"] },
			],
			sources: ["bing", "wikimedia"],
			options: { minWidth: 256, validationLevel: "strict" },
		});
	});

	it("shows the API's 422 errors beside their fields and in a summary linking to them", async () => {
		const user = userEvent.setup();
		const { api } = fakeApi(signedInRoutes({ "GET /projects": { body: page([]) }, "POST /datasets": INVALID }));
		renderAt("/datasets/new", api);
		await user.type(await screen.findByLabelText("Name"), "pets");
		await user.type(screen.getByLabelText("Label 1"), "cat");
		await user.click(screen.getByRole("button", { name: "Add a category" }));
		await user.type(screen.getByLabelText("Label 2"), "cat");
		await user.type(screen.getByLabelText(/Duplicate threshold/), "40");
		await user.click(screen.getByRole("button", { name: "Create dataset" }));

		const summary = await screen.findByRole("alert");
		expect(within(summary).getByText("Please correct these fields")).toBeInTheDocument();
		expect(summary).toHaveFocus();
		const links = within(summary).getAllByRole("link");
		expect(links.map((link) => link.textContent)).toEqual([
			"Category 2 (cat) label: The label 'cat' is used twice",
			"Category 1 (cat) keywords: Give keywords to search for, or URLs",
			"Duplicate threshold: The 'options.dedupThreshold' field must be less than or equal to 16.",
		]);
		// beside each field, and read with it
		expect(screen.getByLabelText("Label 2")).toHaveAccessibleDescription("The label 'cat' is used twice");
		expect(screen.getByLabelText("Label 2")).toHaveAttribute("aria-invalid", "true");
		expect(screen.getAllByLabelText("Keywords")[0]).toHaveAccessibleDescription("Give keywords to search for, or URLs");
		expect(screen.getByLabelText("Label 1")).not.toHaveAttribute("aria-invalid");
		// a summary link takes the user to the field
		await user.click(links[2]);
		expect(screen.getByLabelText(/Duplicate threshold/)).toHaveFocus();
	});

	it("keeps errors on the right row after another row is removed", async () => {
		const user = userEvent.setup();
		const { api } = fakeApi(signedInRoutes({ "GET /projects": { body: page([]) }, "POST /datasets": INVALID }));
		renderAt("/datasets/new", api);
		await user.type(await screen.findByLabelText("Label 1"), "cat");
		await user.click(screen.getByRole("button", { name: "Add a category" }));
		await user.type(screen.getByLabelText("Label 2"), "cat");
		await user.click(screen.getByRole("button", { name: "Create dataset" }));
		await screen.findByRole("alert");
		await user.click(screen.getByRole("button", { name: "Remove category 1 (cat)" }));
		// the row that was second is now the only one, with its own error still beside it
		expect(screen.getByLabelText("Label 1")).toHaveValue("cat");
		expect(screen.getByLabelText("Label 1")).toHaveAccessibleDescription("The label 'cat' is used twice");
		expect(screen.getByRole("button", { name: "Remove category 1 (cat)" })).toBeDisabled();
	});

	it("edits a dataset: fills the form, sends the change and returns to the dataset", async () => {
		const user = userEvent.setup();
		const dataset = datasetFixture();
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /projects": { body: page([]) },
				"GET /datasets/ds1": { body: dataset },
				"PATCH /datasets/ds1": { body: { ...dataset, name: "cats and dogs" } },
			}),
		);
		const { location } = renderAt("/datasets/ds1/edit", api);
		const name = await screen.findByLabelText("Name");
		expect(name).toHaveValue("cats vs dogs");
		expect(screen.getByLabelText("Label 2")).toHaveValue("dog");
		await user.clear(name);
		await user.type(name, "cats and dogs");
		await user.click(screen.getByRole("button", { name: "Save changes" }));
		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets/ds1"));
		const sent = requests.find((request) => request.method === "PATCH");
		expect(sent?.body).toMatchObject({ name: "cats and dogs", categories: dataset.categories, sources: dataset.sources });
	});

	it("does not let the definition change while a build runs", async () => {
		const { api } = fakeApi(
			signedInRoutes({ "GET /projects": { body: page([]) }, "GET /datasets/ds1": { body: datasetFixture({ status: "running" }) } }),
		);
		renderAt("/datasets/ds1/edit", api);
		expect(await screen.findByText(/A build is running/)).toBeInTheDocument();
		expect(screen.getByLabelText("Name")).toBeDisabled();
		expect(screen.getByRole("button", { name: "Save changes" })).toBeDisabled();
	});
});
