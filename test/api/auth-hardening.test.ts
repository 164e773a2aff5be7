import request from "supertest";
import { createAuthService } from "../../services/auth.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

const PASSWORD = "correct horse battery staple";
// The burst below comes from its own (proxied) address so it does not spend the budget of the others.
const ENV = { RATE_LIMIT_AUTH: "1000", RATE_LIMIT_DEFAULT: "1000", GATEWAY_TRUST_PROXY: "loopback" };

describe("auth under concurrency and abuse", () => {
	let gateway: RunningGateway;
	let counter = 0;
	beforeAll(async () => {
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(testConfig(ENV))],
			waitFor: ["auth.login", "auth.refresh", "auth.createToken"],
		});
	});
	afterAll(() => gateway.stop());

	const api = () => request(gateway.url);
	async function signUp() {
		const email = `hardening${++counter}-${Date.now()}@example.com`;
		const user = (await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body;
		const tokens = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		return { id: user.id as string, email, ...(tokens as { accessToken: string; refreshToken: string }) };
	}

	it("lets no more than 5 of a burst of concurrent wrong passwords be checked for one account", async () => {
		const { email } = await signUp();
		const statuses = (
			await Promise.all(
				Array.from({ length: 20 }, () =>
					api().post("/api/v1/auth/login").set("X-Forwarded-For", "198.51.100.7").send({ email, password: "wrong password!!" }),
				),
			)
		).map((res) => res.status);
		expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(5);
		expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(15);
		expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
	});

	it("leaves no working token when one refresh token is replayed concurrently", async () => {
		const session = await signUp();
		const answers = await Promise.all([0, 1].map(() => api().post("/api/v1/auth/refresh").send({ refreshToken: session.refreshToken })));
		for (const answer of answers.filter((res) => res.status === 200)) {
			await api().post("/api/v1/auth/refresh").send({ refreshToken: answer.body.refreshToken }).expect(401);
		}
		expect(answers.some((res) => res.status === 401)).toBe(true);
	});

	it("throttles guessing the current password with a stolen session", async () => {
		const session = await signUp();
		const statuses: number[] = [];
		for (let attempt = 0; attempt < 7; attempt++) {
			const res = await api()
				.post("/api/v1/auth/password")
				.set("Authorization", `Bearer ${session.accessToken}`)
				.send({ currentPassword: `guess number ${attempt}`, newPassword: "a brand new passphrase" });
			statuses.push(res.status);
		}
		expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
		expect(statuses.slice(5)).toEqual([429, 429]);
	});

	it("never lets a token outlive the token that created it", async () => {
		const session = await signUp();
		const parent = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", `Bearer ${session.accessToken}`)
				.send({ name: "parent", scopes: ["tokens:manage", "account:read"], expiresInDays: 1 })
				.expect(201)
		).body;
		const forever = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", `Bearer ${parent.token}`)
				.send({ name: "forever", scopes: ["account:read"] })
				.expect(201)
		).body;
		expect(forever.expiresAt).toBe(parent.expiresAt);
		const child = (
			await api()
				.post("/api/v1/tokens")
				.set("Authorization", `Bearer ${parent.token}`)
				.send({ name: "child", scopes: ["account:read"], expiresInDays: 2 })
				.expect(201)
		).body;
		expect(child.expiresAt).toBe(parent.expiresAt);
		await api().get("/api/v1/auth/me").set("Authorization", `Bearer ${child.token}`).expect(200);
		await api().delete(`/api/v1/tokens/${parent.id}`).set("Authorization", `Bearer ${session.accessToken}`).expect(204);
		const tokens = (await api().get("/api/v1/tokens").set("Authorization", `Bearer ${session.accessToken}`).expect(200)).body.items as {
			id: string;
			revokedAt: string | null;
		}[];
		expect(tokens.find((token) => token.id === child.id)?.revokedAt).toEqual(expect.any(String));
	});

	it("marks token-bearing answers as not cacheable", async () => {
		const { email } = await signUp();
		const login = await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200);
		expect(login.headers["cache-control"]).toBe("no-store");
		const refreshed = await api().post("/api/v1/auth/refresh").send({ refreshToken: login.body.refreshToken }).expect(200);
		expect(refreshed.headers["cache-control"]).toBe("no-store");
	});

	it.each([
		["logout with garbage", "/api/v1/auth/logout", { refreshToken: "not-a-token-at-all-xxxxxxxx" }, 401],
		["logout with an operator object", "/api/v1/auth/logout", { refreshToken: { $ne: null } }, 422],
		["refresh with garbage", "/api/v1/auth/refresh", { refreshToken: "not-a-token-at-all-xxxxxxxx" }, 401],
		["refresh with an operator object", "/api/v1/auth/refresh", { refreshToken: { $ne: null } }, 422],
		["password change without credentials", "/api/v1/auth/password", { currentPassword: PASSWORD, newPassword: "another passphrase" }, 401],
	])("answers %s with %i", async (_what, path, body, status) => {
		const res = await api().post(path).send(body).expect(status);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
	});

	it("refuses an operator object as the new name", async () => {
		const session = await signUp();
		const res = await api()
			.patch("/api/v1/auth/me")
			.set("Authorization", `Bearer ${session.accessToken}`)
			.send({ name: { $gt: "" } })
			.expect(422);
		expect(res.body.errors[0].field).toBe("name");
	});

	it("documents every auth, token and user route with its auth level and scopes", async () => {
		const document = (await api().get("/api/v1/openapi.json").expect(200)).body as {
			paths: Record<string, Record<string, { "x-auth": string; "x-scopes"?: string[] }>>;
		};
		const expected: [string, string, string, string[] | undefined][] = [
			["/api/v1/auth/register", "post", "public", undefined],
			["/api/v1/auth/login", "post", "public", undefined],
			["/api/v1/auth/refresh", "post", "public", undefined],
			["/api/v1/auth/logout", "post", "public", undefined],
			["/api/v1/auth/me", "get", "user", ["account:read"]],
			["/api/v1/auth/me", "patch", "user", undefined],
			["/api/v1/auth/password", "post", "user", undefined],
			["/api/v1/tokens", "get", "user", ["tokens:manage"]],
			["/api/v1/tokens", "post", "user", ["tokens:manage"]],
			["/api/v1/tokens/{id}", "delete", "user", ["tokens:manage"]],
			["/api/v1/users", "get", "superuser", undefined],
			["/api/v1/users/{id}", "get", "superuser", undefined],
			["/api/v1/users/{id}", "patch", "superuser", undefined],
			["/api/v1/users/{id}", "delete", "superuser", undefined],
		];
		for (const [path, method, auth, scopes] of expected) {
			const operation = document.paths[path]?.[method];
			expect({ path, method, auth: operation?.["x-auth"], scopes: operation?.["x-scopes"] }).toEqual({ path, method, auth, scopes });
		}
	});
});
