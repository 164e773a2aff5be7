import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { fakeApi, page, signedInRoutes } from "../../test/fake-api";
import { renderAt } from "../../test/render";
import { tokenRequest } from "./TokensSection";

const SECRET = "pxc_abcdefghijklmnopqrstuvwxyz012345aB3dE9";
const STORED = {
	id: "t1",
	name: "laptop",
	prefix: "pxc_abcdef",
	scopes: ["datasets:read", "exports:read"],
	expiresAt: null,
	lastUsedAt: null,
	revokedAt: null,
	createdAt: "2026-11-01T10:00:00.000Z",
	updatedAt: "2026-11-01T10:00:00.000Z",
};

describe("API tokens on the account page", () => {
	it("builds the request from the ticked scopes in the API's order, with a lifetime only when given", () => {
		expect(tokenRequest({ name: " ci ", scopes: ["exports:read", "datasets:read"], expiresInDays: "" })).toEqual({
			name: "ci",
			scopes: ["datasets:read", "exports:read"],
		});
		expect(tokenRequest({ name: "ci", scopes: ["crawl:run"], expiresInDays: "30" })).toEqual({
			name: "ci",
			scopes: ["crawl:run"],
			expiresInDays: 30,
		});
	});

	it("creates a token with the chosen scopes and shows it once, with a copy button", async () => {
		const user = userEvent.setup();
		const writeText = vi.fn().mockResolvedValue(undefined);
		Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
		let created = false;
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /tokens": () => ({ body: page(created ? [STORED] : []) }),
				"POST /tokens": () => {
					created = true;
					return { status: 201, body: { ...STORED, token: SECRET } };
				},
			}),
		);
		renderAt("/account", api);
		expect(await screen.findByText("No API tokens yet")).toBeInTheDocument();
		await user.type(screen.getByLabelText("Name", { selector: "#token-name" }), "laptop");
		await user.click(screen.getByRole("checkbox", { name: /exports:read/ }));
		await user.click(screen.getByRole("button", { name: "Create token" }));

		expect(await screen.findByText(SECRET)).toBeInTheDocument();
		expect(screen.getByText(/shown only this once/)).toBeInTheDocument();
		expect(requests.find((request) => request.method === "POST" && request.path === "/tokens")?.body).toEqual({
			name: "laptop",
			scopes: ["datasets:read", "exports:read"],
		});
		await user.click(screen.getByRole("button", { name: "Copy token" }));
		expect(writeText).toHaveBeenCalledWith(SECRET);
		expect(await screen.findByText("Copied")).toBeInTheDocument();

		// the list shows the stored token by its prefix, never the secret
		const table = await screen.findByRole("table", { name: "API tokens" });
		expect(within(table).getByText("pxc_abcdef…")).toBeInTheDocument();
		expect(within(table).queryByText(SECRET)).toBeNull();

		await user.click(screen.getByRole("button", { name: "I have stored it" }));
		expect(screen.queryByText(SECRET)).toBeNull();
		expect(document.body.textContent).not.toContain(SECRET);
	});

	it("falls back to a selected textarea when the Clipboard API is missing", async () => {
		const user = userEvent.setup();
		Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
		const execCommand = vi.fn().mockReturnValue(true);
		Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
		const { api } = fakeApi(
			signedInRoutes({ "GET /tokens": { body: page([]) }, "POST /tokens": { status: 201, body: { ...STORED, token: SECRET } } }),
		);
		renderAt("/account", api);
		await user.type(await screen.findByLabelText("Name", { selector: "#token-name" }), "laptop");
		await user.click(screen.getByRole("button", { name: "Create token" }));
		await user.click(await screen.findByRole("button", { name: "Copy token" }));
		expect(execCommand).toHaveBeenCalledWith("copy");
		expect(await screen.findByText("Copied")).toBeInTheDocument();
	});

	it("asks for a scope before sending, and shows the API's field errors", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /tokens": { body: page([]) },
				"POST /tokens": { status: 422, body: { status: 422, errors: [{ field: "name", message: "The 'name' field must not be empty." }] } },
			}),
		);
		renderAt("/account", api);
		await user.click(await screen.findByRole("checkbox", { name: /datasets:read/ }));
		await user.click(screen.getByRole("button", { name: "Create token" }));
		expect(screen.getByText("Choose at least one scope.")).toBeInTheDocument();
		expect(requests.some((request) => request.method === "POST" && request.path === "/tokens")).toBe(false);
		await user.click(screen.getByRole("checkbox", { name: /crawl:run/ }));
		await user.click(screen.getByRole("button", { name: "Create token" }));
		expect(await screen.findByLabelText("Name", { selector: "#token-name" })).toHaveAccessibleDescription(
			/What it is for.*The 'name' field must not be empty\./,
		);
	});

	it("revokes a token after confirmation", async () => {
		const user = userEvent.setup();
		let revoked = false;
		const { api, requests } = fakeApi(
			signedInRoutes({
				"GET /tokens": () => ({ body: page([{ ...STORED, revokedAt: revoked ? STORED.updatedAt : null }]) }),
				"DELETE /tokens/t1": () => {
					revoked = true;
					return { status: 204 };
				},
			}),
		);
		renderAt("/account", api);
		await user.click(await screen.findByRole("button", { name: "Revoke laptop" }));
		expect(screen.getByText("Revoke “laptop”?")).toBeInTheDocument();
		await user.click(screen.getByRole("button", { name: "Revoke" }));
		await waitFor(() => expect(screen.getByText("revoked")).toBeInTheDocument());
		expect(requests.filter((request) => request.method === "DELETE")).toHaveLength(1);
	});
});
