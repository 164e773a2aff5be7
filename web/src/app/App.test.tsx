import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { fakeApi, signedInRoutes } from "../test/fake-api";
import { renderAt } from "../test/render";
import { safeNext } from "./App";

describe("the shell", () => {
	it("sends a visitor without a session to the sign-in page, remembering where they were going", async () => {
		const { api } = fakeApi({ "POST /auth/refresh": { status: 401, body: { status: 401, title: "Unauthorized" } } });
		const { location } = renderAt("/account", api);
		expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
		expect(location.history.at(-1)).toBe(`/login?next=${encodeURIComponent("/account")}`);
	});

	it("has a skip link to the main content as the first thing to tab to", async () => {
		const { api } = fakeApi({ "POST /auth/refresh": { status: 401 } });
		renderAt("/login", api);
		await screen.findByRole("heading", { name: "Sign in" });
		await userEvent.tab();
		expect(screen.getByRole("link", { name: "Skip to content" })).toHaveFocus();
		expect(document.querySelector("main#main")).not.toBeNull();
	});

	it("restores a session from the refresh cookie and shows the account in the header", async () => {
		const { api, requests } = fakeApi(signedInRoutes());
		renderAt("/login", api);
		expect(await screen.findByRole("button", { name: "Sign out" })).toBeInTheDocument();
		expect(screen.getByText("Ada")).toBeInTheDocument();
		const refresh = requests.find((request) => request.path === "/auth/refresh");
		expect(refresh?.headers["X-PixCrawler-Session"]).toBe("cookie");
		const me = requests.find((request) => request.path === "/auth/me");
		expect(me?.headers.Authorization).toBe("Bearer access-1");
	});

	it("answers unknown paths with a page saying so", async () => {
		const { api } = fakeApi(signedInRoutes());
		renderAt("/no/such/page", api);
		expect(await screen.findByRole("heading", { name: "Page not found" })).toBeInTheDocument();
	});

	it("signs out: the server ends the session and the sign-in page comes back", async () => {
		const { api, requests } = fakeApi(signedInRoutes({ "POST /auth/logout": { status: 204 } }));
		renderAt("/login", api);
		await userEvent.click(await screen.findByRole("button", { name: "Sign out" }));
		await waitFor(() => expect(screen.getByRole("heading", { name: "Sign in" })).toBeInTheDocument());
		expect(requests.some((request) => request.method === "POST" && request.path === "/auth/logout")).toBe(true);
	});

	it.each([
		["?next=%2Fdatasets%2Fabc", "/datasets/abc"],
		["?next=https%3A%2F%2Fevil.example", "/datasets"],
		["?next=%2F%2Fevil.example", "/datasets"],
		["?next=%2Fapi%2Fv1%2Ftokens", "/datasets"],
		["", "/datasets"],
	])("after sign-in goes to %s → %s, never off the site", (search, expected) => {
		expect(safeNext(search)).toBe(expected);
	});
});
