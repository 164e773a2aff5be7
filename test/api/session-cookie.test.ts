import request from "supertest";
import { createAuthService } from "../../services/auth.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

/**
 * Browser sessions (docs/api.md, "Browser sessions"): with `X-PixCrawler-Session: cookie` the refresh
 * token lives in the httpOnly `pixcrawler_refresh` cookie instead of the body; without the header the
 * cookie is never read, so a forged cross-site request cannot use it.
 */

const PASSWORD = "correct horse battery staple";
const ALLOWED_ORIGIN = "https://app.pixcrawler.test";
const ENV = { RATE_LIMIT_AUTH: "1000", CORS_ORIGINS: ALLOWED_ORIGIN, CORS_CREDENTIALS: "true", GATEWAY_TRUST_PROXY: "loopback" };
const SESSION = { "X-PixCrawler-Session": "cookie" };

/** One Set-Cookie of an answer by the cookie's name, split into its value and attributes. */
function cookieOf(res: request.Response, name: string) {
	const header = ([] as string[]).concat(res.headers["set-cookie"] ?? []).find((line) => line.startsWith(`${name}=`));
	if (!header) return null;
	const [pair, ...rest] = header.split(";").map((part) => part.trim());
	const attributes = new Map(rest.map((part) => [part.split("=")[0].toLowerCase(), part.split("=").slice(1).join("=")]));
	return { value: pair.slice(name.length + 1), attributes, header };
}
const refreshCookieOf = (res: request.Response) => cookieOf(res, "pixcrawler_refresh");
const hintCookieOf = (res: request.Response) => cookieOf(res, "pixcrawler_session");

describe("browser sessions in an httpOnly refresh cookie", () => {
	let gateway: RunningGateway;
	let counter = 0;

	beforeAll(async () => {
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(testConfig(ENV))],
			waitFor: ["auth.register", "auth.login", "auth.refresh", "auth.logout", "auth.me"],
		});
	});
	afterAll(() => gateway.stop());

	const api = () => request(gateway.url);
	async function account() {
		const email = `cookie${++counter}-${Date.now()}@example.com`;
		await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201);
		return email;
	}
	async function cookieLogin(email: string) {
		const res = await api().post("/api/v1/auth/login").set(SESSION).send({ email, password: PASSWORD }).expect(200);
		const cookie = refreshCookieOf(res);
		if (!cookie) throw new Error("no refresh cookie");
		return { res, cookie };
	}
	const refreshWith = (cookie: string) =>
		api().post("/api/v1/auth/refresh").set(SESSION).set("Cookie", `pixcrawler_refresh=${cookie}`).send({});

	it("sign-in sets the refresh token as an HttpOnly, SameSite=Strict cookie scoped to /api/v1/auth, and leaves it out of the body", async () => {
		const { res, cookie } = await cookieLogin(await account());
		expect(Object.keys(res.body).sort()).toEqual(["accessToken", "expiresIn", "tokenType"]);
		expect(cookie.attributes.has("httponly")).toBe(true);
		expect(cookie.attributes.get("samesite")).toBe("Strict");
		expect(cookie.attributes.get("path")).toBe("/api/v1/auth");
		expect(Number(cookie.attributes.get("max-age"))).toBe(gateway.config.auth.refreshTokenTtlSeconds);
		// the readable hint that a session exists: no token in it, as long-lived as the cookie it announces
		const hint = hintCookieOf(res);
		expect(hint?.value).toBe("1");
		expect(hint?.attributes.has("httponly")).toBe(false);
		expect(hint?.attributes.get("path")).toBe("/");
		expect(hint?.attributes.get("samesite")).toBe("Strict");
		expect(hint?.attributes.get("max-age")).toBe(cookie.attributes.get("max-age"));
		// plain HTTP: a Secure cookie would never come back
		expect(cookie.attributes.has("secure")).toBe(false);
		expect(res.headers["cache-control"]).toBe("no-store");
		// the access token works
		await api().get("/api/v1/auth/me").set("Authorization", `Bearer ${res.body.accessToken}`).expect(200);
	});

	it("marks the cookie Secure when the request came over HTTPS through a trusted proxy", async () => {
		const res = await api()
			.post("/api/v1/auth/login")
			.set(SESSION)
			.set("X-Forwarded-Proto", "https")
			.send({ email: await account(), password: PASSWORD })
			.expect(200);
		expect(refreshCookieOf(res)?.attributes.has("secure")).toBe(true);
	});

	it("without the header, sign-in answers the refresh token in the body and sets no cookie, as before", async () => {
		const res = await api()
			.post("/api/v1/auth/login")
			.send({ email: await account(), password: PASSWORD })
			.expect(200);
		expect(res.body.refreshToken).toEqual(expect.any(String));
		expect(res.headers["set-cookie"]).toBeUndefined();
	});

	it("refresh reads the cookie and rotates it; the old cookie then fails, revokes the sign-in and is cleared", async () => {
		const { cookie } = await cookieLogin(await account());
		const refreshed = await refreshWith(cookie.value).expect(200);
		expect(refreshed.body.refreshToken).toBeUndefined();
		expect(refreshed.body.accessToken).toEqual(expect.any(String));
		const rotated = refreshCookieOf(refreshed);
		expect(rotated?.value).toBeTruthy();
		expect(rotated?.value).not.toBe(cookie.value);

		const replay = await refreshWith(cookie.value).expect(401);
		expect(replay.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(refreshCookieOf(replay)?.attributes.get("max-age")).toBe("0");
		expect(hintCookieOf(replay)?.attributes.get("max-age")).toBe("0");
		// a replayed token revokes the whole sign-in, the rotated cookie included
		await refreshWith(rotated?.value as string).expect(401);
	});

	it("ignores the cookie without the header: a forged request carrying it gets no session", async () => {
		const { cookie } = await cookieLogin(await account());
		const res = await api().post("/api/v1/auth/refresh").set("Cookie", `pixcrawler_refresh=${cookie.value}`).send({}).expect(422);
		expect(res.body.errors).toEqual([expect.objectContaining({ field: "refreshToken" })]);
		expect(res.headers["set-cookie"]).toBeUndefined();
		// and the cookie still works for the dashboard that owns it
		await refreshWith(cookie.value).expect(200);
	});

	it("refuses a form post carrying the cookie and the header with 415, before reading it", async () => {
		const { cookie } = await cookieLogin(await account());
		await api()
			.post("/api/v1/auth/refresh")
			.set(SESSION)
			.set("Cookie", `pixcrawler_refresh=${cookie.value}`)
			.type("form")
			.send("refreshToken=x")
			.expect(415);
		await refreshWith(cookie.value).expect(200);
	});

	it("does not let another origin send the header: it is not among the headers a preflight allows, and unlisted origins get 403", async () => {
		const preflight = await api()
			.options("/api/v1/auth/refresh")
			.set("Origin", ALLOWED_ORIGIN)
			.set("Access-Control-Request-Method", "POST")
			.set("Access-Control-Request-Headers", "content-type,x-pixcrawler-session");
		expect(String(preflight.headers["access-control-allow-headers"] ?? "").toLowerCase()).not.toContain("x-pixcrawler-session");
		const { cookie } = await cookieLogin(await account());
		const forged = await refreshWith(cookie.value).set("Origin", "https://evil.example");
		expect(forged.status).toBe(403);
		expect(forged.headers["set-cookie"]).toBeUndefined();
	});

	it("answers 401 when the header asks for a cookie session and there is no cookie", async () => {
		const res = await api().post("/api/v1/auth/refresh").set(SESSION).send({}).expect(401);
		expect(res.body.detail).toMatch(/session cookie/);
	});

	it("refuses another value of the header with 422 naming it", async () => {
		const res = await api()
			.post("/api/v1/auth/login")
			.set("X-PixCrawler-Session", "localStorage")
			.send({ email: await account(), password: PASSWORD })
			.expect(422);
		expect(res.body.errors).toEqual([expect.objectContaining({ field: "X-PixCrawler-Session" })]);
	});

	it("a body token still wins over the cookie in a cookie session (a client moving its session into the cookie)", async () => {
		const email = await account();
		const body = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		const res = await api()
			.post("/api/v1/auth/refresh")
			.set(SESSION)
			.set("Cookie", "pixcrawler_refresh=not-a-valid-token-at-all")
			.send({ refreshToken: body.refreshToken })
			.expect(200);
		expect(res.body.refreshToken).toBeUndefined();
		expect(refreshCookieOf(res)?.value).toBeTruthy();
	});

	it("sign-out ends the session of the cookie and clears it", async () => {
		const { cookie } = await cookieLogin(await account());
		const res = await api()
			.post("/api/v1/auth/logout")
			.set(SESSION)
			.set("Cookie", `pixcrawler_refresh=${cookie.value}`)
			.send({})
			.expect(204);
		const cleared = refreshCookieOf(res);
		expect(cleared?.value).toBe("");
		expect(cleared?.attributes.get("max-age")).toBe("0");
		expect(cleared?.attributes.get("path")).toBe("/api/v1/auth");
		expect(hintCookieOf(res)).toMatchObject({ value: "" });
		expect(hintCookieOf(res)?.attributes.get("max-age")).toBe("0");
		await refreshWith(cookie.value).expect(401);
	});

	it("documents the header and the cookie on the session routes, and the cookie session's answer", async () => {
		const document = (await api().get("/api/v1/openapi.json").expect(200)).body;
		for (const path of ["/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout"]) {
			const refs = (document.paths[path].post.parameters ?? []).map((parameter: { $ref?: string }) => parameter.$ref);
			expect([path, refs]).toEqual([path, expect.arrayContaining(["#/components/parameters/SessionMode"])]);
		}
		expect(document.components.parameters.SessionMode).toMatchObject({ name: "X-PixCrawler-Session", in: "header" });
		expect(document.components.parameters.RefreshCookie).toMatchObject({ name: "pixcrawler_refresh", in: "cookie" });
		expect(document.paths["/api/v1/auth/login"].post.responses["200"].content["application/json"].schema.oneOf).toEqual([
			{ $ref: "#/components/schemas/AuthTokens" },
			{ $ref: "#/components/schemas/SessionTokens" },
		]);
		expect(document.components.schemas.SessionTokens.required).toEqual(["accessToken", "tokenType", "expiresIn"]);
	});
});
