import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiClient } from "../api/client";
import { fakeApi, signedInRoutes } from "../test/fake-api";
import { AuthSession, hasSessionHint, REFRESH_MARGIN_MS } from "./session";

const tokens = (n: number, expiresIn = 900) => ({ body: { accessToken: `access-${n}`, tokenType: "Bearer", expiresIn } });

describe("the browser session", () => {
	afterEach(() => vi.useRealTimers());

	it("signs in with the cookie header, keeps the access token in memory and sends it", async () => {
		const { api, requests } = fakeApi({ "POST /auth/login": tokens(1), "GET /auth/me": { body: { id: "u" } } });
		const session = new AuthSession(api);
		api.setTokens(session);
		await session.login("ada@example.com", "correct horse battery staple");
		await api.auth.me();
		expect(requests[0].headers["X-PixCrawler-Session"]).toBe("cookie");
		expect(requests[0].headers.Authorization).toBeUndefined();
		expect(requests[1].headers.Authorization).toBe("Bearer access-1");
		expect(JSON.stringify(localStorage)).not.toContain("access-1");
		expect(JSON.stringify(sessionStorage)).not.toContain("access-1");
		expect(document.cookie).not.toContain("access-1");
	});

	it("refreshes on a timer shortly before the access token expires", async () => {
		vi.useFakeTimers();
		let refreshes = 0;
		const { api } = fakeApi({ "POST /auth/login": tokens(1, 60), "POST /auth/refresh": () => tokens(++refreshes + 1, 60) });
		const session = new AuthSession(api);
		api.setTokens(session);
		await session.login("a@b.c", "pw");
		await vi.advanceTimersByTimeAsync(60_000 - REFRESH_MARGIN_MS - 1000);
		expect(refreshes).toBe(0);
		await vi.advanceTimersByTimeAsync(2000);
		expect(refreshes).toBe(1);
		expect(await session.accessToken()).toBe("access-2");
	});

	it("refreshes before a request when the token is about to lapse (a tab woken from sleep)", async () => {
		let now = 0;
		const { api, requests } = fakeApi({
			"POST /auth/login": tokens(1, 900),
			"POST /auth/refresh": tokens(2, 900),
			"GET /auth/me": { body: {} },
		});
		const session = new AuthSession(api, () => now);
		api.setTokens(session);
		await session.login("a@b.c", "pw");
		now = 900_000 - REFRESH_MARGIN_MS + 1;
		await api.auth.me();
		expect(requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			"POST /auth/login",
			"POST /auth/refresh",
			"GET /auth/me",
		]);
		expect(requests[2].headers.Authorization).toBe("Bearer access-2");
		session.clear();
	});

	it("after a 401 refreshes once and retries once; concurrent requests share that one refresh", async () => {
		let refreshes = 0;
		const { api, requests } = fakeApi({
			"POST /auth/login": tokens(1),
			"POST /auth/refresh": () => tokens(++refreshes + 1),
			"GET /datasets": (request) =>
				request.headers.Authorization === "Bearer access-1" ? { status: 401, body: { status: 401 } } : { body: { items: [] } },
		});
		const session = new AuthSession(api);
		api.setTokens(session);
		await session.login("a@b.c", "pw");
		await Promise.all([api.datasets.list(), api.datasets.list(), api.datasets.list()]);
		expect(refreshes).toBe(1);
		expect(requests.filter((request) => request.path === "/datasets").map((request) => request.headers.Authorization)).toEqual([
			"Bearer access-1",
			"Bearer access-1",
			"Bearer access-1",
			"Bearer access-2",
			"Bearer access-2",
			"Bearer access-2",
		]);
		session.clear();
	});

	it("gives up after a refused refresh: the session ends and the 401 reaches the caller", async () => {
		const changes: boolean[] = [];
		const { api } = fakeApi({
			"POST /auth/login": tokens(1),
			"POST /auth/refresh": { status: 401, body: { status: 401, detail: "The refresh token was already used; sign in again" } },
			"GET /datasets": { status: 401, body: { status: 401, detail: "expired" } },
		});
		const session = new AuthSession(api);
		api.setTokens(session);
		session.onChange((signedIn) => changes.push(signedIn));
		await session.login("a@b.c", "pw");
		await expect(api.datasets.list()).rejects.toMatchObject({ status: 401 });
		expect(session.signedIn).toBe(false);
		expect(changes).toEqual([true, false]);
	});

	it("keeps the session through a refresh that failed for want of a network", async () => {
		const fetch = vi.fn(async (input: RequestInfo | URL) => {
			if (String(input).endsWith("/auth/login"))
				return new Response(JSON.stringify({ accessToken: "access-1", tokenType: "Bearer", expiresIn: 900 }), {
					headers: { "Content-Type": "application/json" },
				});
			throw new TypeError("Failed to fetch");
		});
		const api = new ApiClient({ fetch: fetch as unknown as typeof globalThis.fetch });
		const session = new AuthSession(api);
		api.setTokens(session);
		await session.login("a@b.c", "pw");
		expect(await session.refresh()).toBe(false);
		expect(session.signedIn).toBe(true);
		session.clear();
	});

	it("sends no refresh on load without the gateway's hint that a refresh cookie exists", async () => {
		const { api, requests } = fakeApi(signedInRoutes());
		expect(await new AuthSession(api, Date.now, () => false).restore()).toBe(false);
		expect(requests).toEqual([]);
		const withHint = new AuthSession(api, Date.now, () => true);
		expect(await withHint.restore()).toBe(true);
		expect(requests.map((request) => request.path)).toEqual(["/auth/refresh"]);
		withHint.clear();
	});

	it("reads the hint from the cookies the page can see", () => {
		expect(hasSessionHint("theme=dark; pixcrawler_session=1")).toBe(true);
		expect(hasSessionHint("pixcrawler_session=")).toBe(false);
		expect(hasSessionHint("")).toBe(false);
	});

	it("restores nothing without a refresh cookie, and signs out through the server", async () => {
		const { api, requests } = fakeApi({
			"POST /auth/refresh": { status: 401, body: { status: 401 } },
			"POST /auth/login": tokens(1),
			"POST /auth/logout": { status: 204 },
		});
		const session = new AuthSession(api);
		api.setTokens(session);
		expect(await session.restore()).toBe(false);
		await session.login("a@b.c", "pw");
		await session.logout();
		expect(session.signedIn).toBe(false);
		const logout = requests.find((request) => request.path === "/auth/logout");
		expect(logout?.headers["X-PixCrawler-Session"]).toBe("cookie");
		expect(logout?.body).toEqual({});
	});
});
