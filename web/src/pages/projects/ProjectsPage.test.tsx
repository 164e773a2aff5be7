import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Project } from "../../api/types";
import { fakeApi, page, signedInRoutes } from "../../test/fake-api";
import { renderAt } from "../../test/render";

const project = (id: string, name: string, datasets = 0): Project => ({
	id,
	ownerId: "user-1",
	name,
	description: "",
	datasets,
	createdAt: "2026-11-01T10:00:00.000Z",
	updatedAt: "2026-11-01T10:00:00.000Z",
});

describe("the projects page", () => {
	it("lists projects with their dataset counts, creates one and deletes one after confirmation", async () => {
		const user = userEvent.setup();
		let projects = [project("p1", "Pets", 3)];
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /projects": () => ({ body: page(projects) }),
				"POST /projects": (request) => {
					const created = project("p2", (request.body as { name: string }).name);
					projects = [...projects, created];
					return { status: 201, body: created };
				},
				"DELETE /projects/p1": () => {
					projects = projects.filter((one) => one.id !== "p1");
					return { status: 204 };
				},
			}),
		);
		renderAt("/projects", api);
		expect(await screen.findByRole("link", { name: "3 datasets" })).toHaveAttribute("href", "/datasets?project=p1");
		// the counts come with the projects: no request per project
		expect(requests.filter((request) => request.path === "/datasets")).toEqual([]);
		await user.type(screen.getByLabelText("Name"), "Birds");
		await user.click(screen.getByRole("button", { name: "Create project" }));
		expect(await screen.findByRole("heading", { name: "Birds" })).toBeInTheDocument();

		await user.click(screen.getByRole("button", { name: "Delete Pets" }));
		expect(screen.getByText("Delete “Pets” and its 3 datasets with their images?")).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Delete project" }));
		await waitFor(() => expect(screen.queryByRole("heading", { name: "Pets" })).toBeNull());
		expect(requests.filter((request) => request.method === "DELETE")).toHaveLength(1);
	});

	it("shows the API's field errors beside the name", async () => {
		const user = userEvent.setup();
		const { api } = fakeApi(
			signedInRoutes({
				"GET /projects": { body: page([]) },
				"POST /projects": {
					status: 422,
					body: { status: 422, errors: [{ field: "name", message: "The 'name' field must not be empty." }] },
				},
			}),
		);
		renderAt("/projects", api);
		expect(await screen.findByText("No projects yet")).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Create project" }));
		expect(await screen.findByLabelText("Name")).toHaveAccessibleDescription("The 'name' field must not be empty.");
	});
});
