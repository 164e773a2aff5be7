import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, page, signedInRoutes } from "../../test/fake-api";
import { datasetFixture } from "../../test/fixtures";
import { renderAt } from "../../test/render";
import { filtersFromSearch, listParams, searchFromFilters } from "./list-query";

const PROJECTS = page([
	{ id: "p1", ownerId: "user-1", name: "Pets", description: "", createdAt: "", updatedAt: "" },
	{ id: "p2", ownerId: "user-1", name: "Birds", description: "", createdAt: "", updatedAt: "" },
]);

describe("the datasets list", () => {
	it("keeps its filters in the address and turns them into the API's query", () => {
		const filters = filtersFromSearch("project=p1&status=ready&name=cat&page=3");
		expect(filters).toEqual({ project: "p1", status: "ready", name: "cat", page: 3 });
		expect(searchFromFilters(filters)).toBe("?project=p1&status=ready&name=cat&page=3");
		expect(listParams(filters)).toEqual({ projectId: "p1", status: "ready", name: "cat", sort: "-updatedAt", page: 3, pageSize: 12 });
		expect(filtersFromSearch("status=deleting&page=-2")).toEqual({ project: "", status: "", name: "", page: 1 });
	});

	it("shows each dataset with its status badge, project and image counts", async () => {
		const { api } = fakeApi(
			signedInRoutes({
				"GET /projects": { body: PROJECTS },
				"GET /datasets": {
					body: page([
						datasetFixture({
							status: "ready",
							projectId: "p1",
							stats: { images: 1300, valid: 1200, duplicates: 40, rejected: 60, bytes: 5 * 1024 * 1024 },
						}),
						datasetFixture({ id: "ds2", name: "owls", status: "running" }),
					]),
				},
			}),
		);
		renderAt("/datasets", api);
		const card = (await screen.findByRole("link", { name: "cats vs dogs" })).closest("li") as HTMLElement;
		expect(within(card).getByText("ready")).toHaveClass("badge-success");
		expect(within(card).getByText(/Pets · 2 labels/)).toBeInTheDocument();
		const stats = within(card).getByLabelText("Images of cats vs dogs");
		expect(
			within(stats)
				.getAllByRole("definition")
				.map((value) => value.textContent),
		).toEqual(["1,300", "1,200", "40", "60", "5.0 MB"]);
		const other = screen.getByRole("link", { name: "owls" }).closest("li") as HTMLElement;
		expect(within(other).getByText("running")).toHaveClass("badge-progress");
		expect(screen.getByText("2 datasets")).toBeInTheDocument();
	});

	it("filters by project through the address and the API", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi(
			signedInRoutes({ "GET /projects": { body: PROJECTS }, "GET /datasets": { body: page([datasetFixture()]) } }),
		);
		const { location } = renderAt("/datasets", api);
		await screen.findByRole("link", { name: "cats vs dogs" });
		await user.selectOptions(screen.getByLabelText("Project"), "Birds");
		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets?project=p2"));
		await waitFor(() =>
			expect(
				requests
					.filter((request) => request.path === "/datasets")
					.at(-1)
					?.query.get("projectId"),
			).toBe("p2"),
		);
	});

	it("invites to create a first dataset when there is none, and says when filters match nothing", async () => {
		const { api } = fakeApi(signedInRoutes({ "GET /projects": { body: page([]) }, "GET /datasets": { body: page([]) } }));
		renderAt("/datasets", api);
		expect(await screen.findByText("No datasets yet")).toBeInTheDocument();
		expect(screen.getByRole("link", { name: "Create your first dataset" })).toHaveAttribute("href", "/datasets/new");
	});

	it("shows an error with a way to try again", async () => {
		const user = userEvent.setup();
		let calls = 0;
		const { api } = fakeApi(
			signedInRoutes({
				"GET /projects": { body: page([]) },
				"GET /datasets": () =>
					++calls === 1
						? { status: 503, body: { status: 503, detail: "The service is temporarily unavailable; try again later", requestId: "req-42" } }
						: { body: page([datasetFixture()]) },
			}),
		);
		renderAt("/datasets?status=ready", api);
		expect(await screen.findByText("The service is temporarily unavailable; try again later")).toBeInTheDocument();
		expect(screen.getByText("Request id: req-42")).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Try again" }));
		expect(await screen.findByRole("link", { name: "cats vs dogs" })).toBeInTheDocument();
	});
});

describe("the datasets list while a build runs", () => {
	it("reads the list again every few seconds, so the counts grow on screen", async () => {
		vi.useFakeTimers({ shouldAdvanceTime: true });
		try {
			let valid = 10;
			const { api } = fakeApi(
				signedInRoutes({
					"GET /projects": { body: page([]) },
					"GET /datasets": () => {
						valid += 10;
						return {
							body: page([
								datasetFixture({
									status: valid > 30 ? "ready" : "running",
									stats: { images: valid, valid, duplicates: 0, rejected: 0, bytes: 0 },
								}),
							]),
						};
					},
				}),
			);
			renderAt("/datasets", api);
			const badge = () => document.querySelector(".dataset-card .badge")?.textContent;
			const images = () => within(screen.getByLabelText("Images of cats vs dogs")).getAllByRole("definition")[0].textContent;
			await waitFor(() => expect(badge()).toBe("running"));
			expect(images()).toBe("20");
			await vi.advanceTimersByTimeAsync(6000);
			await waitFor(() => expect(images()).toBe("30"));
			await vi.advanceTimersByTimeAsync(6000);
			await waitFor(() => expect(badge()).toBe("ready"));
			expect(images()).toBe("40");
			// nothing runs any more: no further reads
			await vi.advanceTimersByTimeAsync(15_000);
			expect(images()).toBe("40");
		} finally {
			vi.useRealTimers();
		}
	});
});
