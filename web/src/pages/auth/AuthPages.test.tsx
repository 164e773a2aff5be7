import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import { ACCOUNT, fakeApi, page } from "../../test/fake-api";
import { renderAt } from "../../test/render";
import { loginFailure } from "./LoginPage";
import { signupProblems } from "./SignupPage";

const SIGNED_OUT = { "POST /auth/refresh": { status: 401, body: { status: 401 } } };
const SESSION = { body: { accessToken: "access-1", tokenType: "Bearer", expiresIn: 900 } };

describe("sign-in and sign-up", () => {
	it("signs in and goes on to the page the user wanted", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi({
			...SIGNED_OUT,
			"POST /auth/login": SESSION,
			"GET /auth/me": { body: ACCOUNT },
			"GET /tokens": { body: page([]) },
		});
		const { location } = renderAt(`/login?next=${encodeURIComponent("/account")}`, api);
		expect(await screen.findByText("Sign in to continue.")).toBeInTheDocument();
		await user.type(screen.getByLabelText("Email"), "ada@example.com");
		await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
		await user.click(screen.getByRole("button", { name: "Sign in" }));
		await waitFor(() => expect(location.history.at(-1)).toBe("/account"));
		expect(await screen.findByRole("heading", { name: "Account" })).toBeInTheDocument();
		expect(requests.find((request) => request.path === "/auth/login")?.body).toEqual({
			email: "ada@example.com",
			password: "correct horse battery staple",
		});
	});

	it("says what a refused sign-in means", async () => {
		const user = userEvent.setup();
		const { api } = fakeApi({
			...SIGNED_OUT,
			"POST /auth/login": { status: 401, body: { status: 401, detail: "Invalid email or password" } },
		});
		renderAt("/login", api);
		await user.type(await screen.findByLabelText("Email"), "ada@example.com");
		await user.type(screen.getByLabelText("Password"), "wrong password");
		await user.click(screen.getByRole("button", { name: "Sign in" }));
		expect(await screen.findByRole("alert")).toHaveTextContent("The email or the password is wrong.");
		expect(loginFailure(new ApiError("x", { status: 429, retryAfter: 600 }))).toBe("Too many attempts. Try again in 10 min.");
		expect(loginFailure(new ApiError("x", { status: 403 }))).toBe("This account is deactivated.");
	});

	it("checks the sign-up form as the API does before sending it", () => {
		expect(signupProblems({ name: " ", email: "ada", password: "short" })).toEqual({
			name: "Enter your name.",
			email: "Enter an email address such as ada@example.com.",
			password: "Use at least 10 characters.",
		});
		expect(signupProblems({ name: "Ada", email: "ada@example.com", password: "ADA@example.com" })).toEqual({
			password: "The password cannot be your email.",
		});
		expect(signupProblems({ name: "Ada", email: "ada@example.com", password: "correct horse battery staple" })).toEqual({});
	});

	it("creates the account, signs in with it and opens the datasets", async () => {
		const user = userEvent.setup();
		const { api, requests } = fakeApi({
			...SIGNED_OUT,
			"POST /auth/register": { status: 201, body: ACCOUNT },
			"POST /auth/login": SESSION,
			"GET /auth/me": { body: ACCOUNT },
			"GET /projects": { body: page([]) },
			"GET /datasets": { body: page([]) },
		});
		const { location } = renderAt("/signup", api);
		await user.type(await screen.findByLabelText("Name"), "Ada");
		await user.type(screen.getByLabelText("Email"), "ada@example.com");
		await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
		await user.click(screen.getByRole("button", { name: "Sign up" }));
		await waitFor(() => expect(location.history.at(-1)).toBe("/datasets"));
		expect(requests.map((request) => `${request.method} ${request.path}`).slice(1, 4)).toEqual([
			"POST /auth/register",
			"POST /auth/login",
			"GET /auth/me",
		]);
	});

	it("puts a taken email and the API's field errors beside the fields", async () => {
		const user = userEvent.setup();
		const { api } = fakeApi({ ...SIGNED_OUT, "POST /auth/register": { status: 409, body: { status: 409, detail: "exists" } } });
		renderAt("/signup", api);
		await user.type(await screen.findByLabelText("Name"), "Ada");
		await user.type(screen.getByLabelText("Email"), "ada@example.com");
		await user.type(screen.getByLabelText("Password"), "correct horse battery staple");
		await user.click(screen.getByRole("button", { name: "Sign up" }));
		expect(await screen.findByLabelText("Email")).toHaveAccessibleDescription(/An account with this email exists already/);
	});
});
