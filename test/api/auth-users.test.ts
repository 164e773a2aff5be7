import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { API_TOKEN_SCOPES } from "../../lib/scopes";
import { createAuthService } from "../../services/auth.service";
import { createDatasetService } from "../../services/dataset.service";
import { createStorageService } from "../../services/storage.service";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";

/** Superuser administration of users: listing, filters, changes, deletion, and who may do it. */

const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-users-"));
const ENV = { RATE_LIMIT_AUTH: "10000", PIXCRAWLER_DATA_DIR: DATA_DIR };
const PASSWORD = "correct horse battery staple";
const ALL_SCOPES = [...API_TOKEN_SCOPES];
const ROUTES = [
	"auth.register",
	"auth.login",
	"auth.refresh",
	"auth.me",
	"auth.createToken",
	"auth.listUsers",
	"auth.getUser",
	"auth.updateUser",
	"auth.removeUser",
];
/** The gateway trusts what it learnt about a user for 5 s. */
const CACHE_WINDOW_MS = 6500;

interface AuthInternals {
	updateInternal(id: string, changes: Record<string, unknown>): Promise<unknown>;
}
interface Repository {
	adapter: { find(params: Record<string, unknown>): Promise<Record<string, unknown>[]> };
}

interface Account {
	id: string;
	email: string;
	accessToken: string;
	refreshToken: string;
}

interface UserDocument {
	id: string;
	email: string;
	name: string;
	role: string;
	active: boolean;
	createdAt: string;
	passwordHash?: unknown;
}

describe("users administration", () => {
	let gateway: RunningGateway;
	let auth: AuthInternals;
	let admin: Account;
	let plain: Account;
	let plainApiToken: string;
	let counter = 0;

	const api = () => request(gateway.url);
	const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
	const asAdmin = () => bearer(admin.accessToken);

	async function signUp(email = `users${++counter}-${Date.now()}@example.com`, role: "user" | "superuser" = "user"): Promise<Account> {
		const user = (await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body;
		if (role === "superuser") await auth.updateInternal(user.id, { role: "superuser" });
		const tokens = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		return { id: user.id, email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
	}

	async function statusOf(token: string, path: string): Promise<number> {
		return (await api().get(path).set(bearer(token))).status;
	}

	/** Polls until `path` answers `status` with the token; answers how long that took. */
	async function answersWithin(token: string, path: string, status: number): Promise<number> {
		const started = Date.now();
		await waitUntil(async () => (await statusOf(token, path)) === status, CACHE_WINDOW_MS, `${path} to answer ${status}`);
		return Date.now() - started;
	}

	function expectProblem(res: request.Response, status: number) {
		expect(res.status).toBe(status);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(res.body).toMatchObject({ status, requestId: expect.any(String) });
	}

	async function listAll(query = ""): Promise<UserDocument[]> {
		const items: UserDocument[] = [];
		for (let page = 1; ; page++) {
			const res = await api().get(`/api/v1/users?pageSize=100&page=${page}${query}`).set(asAdmin()).expect(200);
			items.push(...res.body.items);
			if (items.length >= res.body.total || res.body.items.length === 0) return items;
		}
	}

	beforeAll(async () => {
		const config = testConfig(ENV);
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(config), createDatasetService(config), createStorageService(config)],
			waitFor: ROUTES,
		});
		auth = gateway.broker.getLocalService("auth") as unknown as AuthInternals;
		admin = await signUp(`admin-${Date.now()}@example.com`, "superuser");
		plain = await signUp();
		plainApiToken = (
			await api().post("/api/v1/tokens").set(bearer(plain.accessToken)).send({ name: "all", scopes: ALL_SCOPES }).expect(201)
		).body.token;
	});
	afterAll(async () => {
		await gateway.stop();
		fs.rmSync(DATA_DIR, { recursive: true, force: true });
	});

	describe("GET /api/v1/users", () => {
		it("answers a page of users, newest first, without password hashes", async () => {
			for (let i = 0; i < 3; i++) await signUp();
			const res = await api().get("/api/v1/users").set(asAdmin()).expect(200);
			expect(res.body).toMatchObject({ total: expect.any(Number), page: 1, pageSize: 20 });
			expect(res.body.total).toBeGreaterThanOrEqual(5);
			const created = res.body.items.map((user: UserDocument) => new Date(user.createdAt).getTime());
			expect(created).toEqual([...created].sort((a, b) => b - a));
			for (const user of res.body.items) {
				expect(Object.keys(user).sort()).toEqual(["active", "createdAt", "email", "id", "lastLoginAt", "name", "role", "updatedAt"]);
			}
		});

		it("never includes a password hash on any page", async () => {
			const users = await listAll();
			expect(users.length).toBeGreaterThanOrEqual(2);
			expect(JSON.stringify(users)).not.toMatch(/passwordHash|\$argon2/);
		});

		it("pages with page and pageSize", async () => {
			for (let i = 0; i < 3; i++) await signUp();
			const first = (await api().get("/api/v1/users?page=1&pageSize=2").set(asAdmin()).expect(200)).body;
			const second = (await api().get("/api/v1/users?page=2&pageSize=2").set(asAdmin()).expect(200)).body;
			expect(first).toMatchObject({ page: 1, pageSize: 2 });
			expect(second).toMatchObject({ page: 2, pageSize: 2, total: first.total });
			expect(first.items).toHaveLength(2);
			expect(second.items).toHaveLength(2);
			const ids = [...first.items, ...second.items].map((user: UserDocument) => user.id);
			expect(new Set(ids).size).toBe(4);
		});

		it("filters by a part of the email, in any case", async () => {
			const tag = `findme${Date.now()}`;
			const a = await signUp(`a-${tag}@example.com`);
			const b = await signUp(`b-${tag}@example.com`);
			const res = await api().get(`/api/v1/users?email=${tag.toUpperCase()}`).set(asAdmin()).expect(200);
			expect(res.body.total).toBe(2);
			expect(res.body.items.map((user: UserDocument) => user.id).sort()).toEqual([a.id, b.id].sort());
		});

		it("treats the email filter as text, not as a pattern", async () => {
			const res = await api().get("/api/v1/users?email=.*").set(asAdmin()).expect(200);
			expect(res.body.total).toBe(0);
		});

		it("filters by role", async () => {
			const superusers = await listAll("&role=superuser");
			expect(superusers.map((user) => user.id)).toContain(admin.id);
			expect(superusers.every((user) => user.role === "superuser")).toBe(true);
			const users = await listAll("&role=user");
			expect(users.map((user) => user.id)).toContain(plain.id);
			expect(users.every((user) => user.role === "user")).toBe(true);
		});

		it("filters by active state", async () => {
			const dormant = await signUp();
			await auth.updateInternal(dormant.id, { active: false });
			const inactive = await listAll("&active=false");
			expect(inactive.map((user) => user.id)).toContain(dormant.id);
			expect(inactive.every((user) => user.active === false)).toBe(true);
			const active = await listAll("&active=true");
			expect(active.map((user) => user.id)).not.toContain(dormant.id);
			expect(active.every((user) => user.active === true)).toBe(true);
		});

		// moleculer-db's NeDB adapter drops the filter when given a search; the mixin folds search into it
		it("combines the email filter with the role and active filters", async () => {
			const tag = `combo${Date.now()}`;
			const user = await signUp(`user-${tag}@example.com`);
			const superuser = await signUp(`super-${tag}@example.com`, "superuser");
			const dormant = await signUp(`dormant-${tag}@example.com`);
			await auth.updateInternal(dormant.id, { active: false });

			const bySuperuser = (await api().get(`/api/v1/users?email=${tag}&role=superuser`).set(asAdmin()).expect(200)).body;
			expect(bySuperuser.items.map((item: UserDocument) => item.id)).toEqual([superuser.id]);
			expect(bySuperuser.total).toBe(1);

			const byInactive = (await api().get(`/api/v1/users?email=${tag}&active=false`).set(asAdmin()).expect(200)).body;
			expect(byInactive.items.map((item: UserDocument) => item.id)).toEqual([dormant.id]);
			expect(byInactive.items.map((item: UserDocument) => item.id)).not.toContain(user.id);
		});

		it.each([
			["an operator object as role", "role[$ne]=user", "role"],
			["an unknown role", "role=admin", "role"],
			["an operator object as email", "email[$regex]=.*", "email"],
			["a non-boolean active", "active=maybe", "active"],
			["pageSize over 100", "pageSize=101", "pageSize"],
			["page 0", "page=0", "page"],
			["a fractional page", "page=1.5", "page"],
		])("refuses %s with 422 naming the field", async (_what, query, field) => {
			const res = await api().get(`/api/v1/users?${query}`).set(asAdmin());
			expectProblem(res, 422);
			expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
		});
	});

	describe("GET /api/v1/users/:id", () => {
		it("answers the user without the password hash", async () => {
			const res = await api().get(`/api/v1/users/${plain.id}`).set(asAdmin()).expect(200);
			expect(res.body).toMatchObject({ id: plain.id, email: plain.email, role: "user", active: true });
			expect(res.body.passwordHash).toBeUndefined();
		});

		it("answers 404 for an id that does not exist", async () => {
			expectProblem(await api().get("/api/v1/users/NoSuchUser000000").set(asAdmin()), 404);
		});
	});

	describe("PATCH /api/v1/users/:id", () => {
		it("changes role, active state and name, answering the user without the hash", async () => {
			const target = await signUp();
			const res = await api()
				.patch(`/api/v1/users/${target.id}`)
				.set(asAdmin())
				.send({ role: "superuser", active: true, name: "Grace" })
				.expect(200);
			expect(res.body).toMatchObject({ id: target.id, role: "superuser", active: true, name: "Grace", email: target.email });
			expect(res.body.passwordHash).toBeUndefined();
			const stored = (await api().get(`/api/v1/users/${target.id}`).set(asAdmin()).expect(200)).body;
			expect(stored).toMatchObject({ role: "superuser", name: "Grace" });
		});

		it("gives a promoted user's existing access token superuser routes within seconds", async () => {
			const target = await signUp();
			expect(await statusOf(target.accessToken, "/api/v1/users")).toBe(403);
			await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send({ role: "superuser" }).expect(200);
			expect(await answersWithin(target.accessToken, "/api/v1/users", 200)).toBeLessThan(CACHE_WINDOW_MS);
		});

		it("takes superuser routes from a demoted superuser's access token within seconds", async () => {
			const target = await signUp(undefined, "superuser");
			expect(await statusOf(target.accessToken, "/api/v1/users")).toBe(200);
			await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send({ role: "user" }).expect(200);
			expect(await answersWithin(target.accessToken, "/api/v1/users", 403)).toBeLessThan(CACHE_WINDOW_MS);
		});

		it("deactivation refuses the refresh token at once and the access and API tokens within seconds", async () => {
			const target = await signUp();
			const { token } = (
				await api()
					.post("/api/v1/tokens")
					.set(bearer(target.accessToken))
					.send({ name: "sdk", scopes: ["account:read", "datasets:read"] })
					.expect(201)
			).body;
			// both credentials used, so that the gateway holds them in its caches
			await api().get("/api/v1/auth/me").set(bearer(target.accessToken)).expect(200);
			await api().get("/api/v1/auth/me").set(bearer(token)).expect(200);

			const res = await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send({ active: false }).expect(200);
			expect(res.body.active).toBe(false);

			expectProblem(await api().post("/api/v1/auth/refresh").send({ refreshToken: target.refreshToken }), 401);
			const [accessDelay, apiTokenDelay] = await Promise.all([
				answersWithin(target.accessToken, "/api/v1/auth/me", 401),
				answersWithin(token, "/api/v1/auth/me", 401),
			]);
			expect(accessDelay).toBeLessThan(CACHE_WINDOW_MS);
			expect(apiTokenDelay).toBeLessThan(CACHE_WINDOW_MS);
			const refused = await api().get("/api/v1/auth/me").set(bearer(target.accessToken));
			expectProblem(refused, 401);
			expect(refused.body.detail).toBe("The account is deactivated");
			expectProblem(await api().post("/api/v1/auth/login").send({ email: target.email, password: PASSWORD }), 403);
		});

		it("lets a reactivated user sign in again", async () => {
			const target = await signUp();
			await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send({ active: false }).expect(200);
			await api().post("/api/v1/auth/login").send({ email: target.email, password: PASSWORD }).expect(403);
			await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send({ active: true }).expect(200);
			const tokens = (await api().post("/api/v1/auth/login").send({ email: target.email, password: PASSWORD }).expect(200)).body;
			await api().get("/api/v1/auth/me").set(bearer(tokens.accessToken)).expect(200);
		});

		it("refuses with 409 a superuser demoting or deactivating themselves, and changes nothing", async () => {
			const self = await signUp(undefined, "superuser");
			const demote = await api().patch(`/api/v1/users/${self.id}`).set(bearer(self.accessToken)).send({ role: "user" });
			expectProblem(demote, 409);
			expectProblem(await api().patch(`/api/v1/users/${self.id}`).set(bearer(self.accessToken)).send({ active: false }), 409);
			expectProblem(
				await api().patch(`/api/v1/users/${self.id}`).set(bearer(self.accessToken)).send({ role: "user", active: false, name: "Oops" }),
				409,
			);
			const stored = (await api().get(`/api/v1/users/${self.id}`).set(asAdmin()).expect(200)).body;
			expect(stored).toMatchObject({ role: "superuser", active: true, name: "Ada" });
			await api().get("/api/v1/users").set(bearer(self.accessToken)).expect(200);
		});

		it("lets a superuser change their own name", async () => {
			const self = await signUp(undefined, "superuser");
			const res = await api().patch(`/api/v1/users/${self.id}`).set(bearer(self.accessToken)).send({ name: "Renamed" }).expect(200);
			expect(res.body).toMatchObject({ name: "Renamed", role: "superuser", active: true });
		});

		it.each([
			["an email change", { email: "taken@example.com" }, "email"],
			["a password hash", { passwordHash: "$argon2id$v=19$m=19456,t=2,p=1$x$y" }, "passwordHash"],
			["a password", { password: "a brand new passphrase" }, "password"],
			["a creation date", { createdAt: "2000-01-01T00:00:00Z" }, "createdAt"],
			["a last login date", { lastLoginAt: null }, "lastLoginAt"],
			["an update operator", { $set: { role: "superuser" } }, "$set"],
			["an unknown role", { role: "admin" }, "role"],
			["an operator object as role", { role: { $ne: null } }, "role"],
			["active as a string", { active: "false" }, "active"],
			["a blank name", { name: "  " }, "name"],
		])("refuses %s with 422 naming the field", async (_what, body, field) => {
			const target = await signUp();
			const res = await api().patch(`/api/v1/users/${target.id}`).set(asAdmin()).send(body);
			expectProblem(res, 422);
			expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
			const stored = (await api().get(`/api/v1/users/${target.id}`).set(asAdmin()).expect(200)).body;
			expect(stored).toMatchObject({ email: target.email, role: "user", active: true, name: "Ada" });
		});

		it("answers 404 for an id that does not exist", async () => {
			expectProblem(await api().patch("/api/v1/users/NoSuchUser000000").set(asAdmin()).send({ role: "superuser" }), 404);
		});
	});

	describe("DELETE /api/v1/users/:id", () => {
		it("answers 204 and removes the account with its sessions and API tokens", async () => {
			const target = await signUp();
			const { token } = (
				await api()
					.post("/api/v1/tokens")
					.set(bearer(target.accessToken))
					.send({ name: "sdk", scopes: ["account:read", "datasets:read"] })
					.expect(201)
			).body;
			await api().get("/api/v1/auth/me").set(bearer(target.accessToken)).expect(200);
			const project = (await api().post("/api/v1/projects").set(bearer(target.accessToken)).send({ name: "pets" }).expect(201)).body;
			const definition = { name: "cats", projectId: project.id, categories: [{ label: "cat", keywords: ["cat"] }], sources: ["wikimedia"] };
			await api().post("/api/v1/datasets").set(bearer(target.accessToken)).send(definition).expect(201);

			await api().delete(`/api/v1/users/${target.id}`).set(asAdmin()).expect(204);

			// what the account kept goes with it
			for (const name of ["dataset", "dataset-projects"]) {
				const kept = gateway.broker.getLocalService(name) as unknown as Repository;
				expect((await kept.adapter.find({})).filter((doc) => doc.ownerId === target.id)).toEqual([]);
			}

			expectProblem(await api().get(`/api/v1/users/${target.id}`).set(asAdmin()), 404);
			const apiTokens = gateway.broker.getLocalService("auth-api-tokens") as unknown as Repository;
			const refreshTokens = gateway.broker.getLocalService("auth-refresh-tokens") as unknown as Repository;
			expect((await apiTokens.adapter.find({})).filter((doc) => doc.userId === target.id)).toEqual([]);
			expect((await refreshTokens.adapter.find({})).filter((doc) => doc.userId === target.id)).toEqual([]);
			expectProblem(await api().post("/api/v1/auth/refresh").send({ refreshToken: target.refreshToken }), 401);
			expectProblem(await api().post("/api/v1/auth/login").send({ email: target.email, password: PASSWORD }), 401);
			expectProblem(await api().get("/api/v1/auth/me").set(bearer(token)), 401);
			expect(await answersWithin(target.accessToken, "/api/v1/auth/me", 401)).toBeLessThan(CACHE_WINDOW_MS);
			const refused = await api().get("/api/v1/auth/me").set(bearer(target.accessToken));
			expect(refused.body.detail).toBe("The account no longer exists");
		});

		it("refuses with 409 a superuser deleting themselves", async () => {
			const self = await signUp(undefined, "superuser");
			expectProblem(await api().delete(`/api/v1/users/${self.id}`).set(bearer(self.accessToken)), 409);
			await api().get(`/api/v1/users/${self.id}`).set(asAdmin()).expect(200);
		});

		it("answers 404 for an id that does not exist", async () => {
			expectProblem(await api().delete("/api/v1/users/NoSuchUser000000").set(asAdmin()), 404);
		});
	});

	describe("access control", () => {
		const routes: [string, (target: string) => request.Test][] = [
			["GET /users", () => api().get("/api/v1/users")],
			["GET /users/:id", (target) => api().get(`/api/v1/users/${target}`)],
			["PATCH /users/:id", (target) => api().patch(`/api/v1/users/${target}`).send({ role: "superuser" })],
			["DELETE /users/:id", (target) => api().delete(`/api/v1/users/${target}`)],
		];

		it.each(routes)("%s answers 403 to a plain user's access token", async (_route, call) => {
			expectProblem(await call(plain.id).set(bearer(plain.accessToken)), 403);
		});

		it.each(routes)("%s answers 403 to a plain user's API token with every scope", async (_route, call) => {
			expectProblem(await call(plain.id).set(bearer(plainApiToken)), 403);
		});

		it.each(routes)("%s answers 401 without credentials", async (_route, call) => {
			expectProblem(await call(plain.id), 401);
		});

		it("leaves the plain user untouched after every refused call", async () => {
			const stored = (await api().get(`/api/v1/users/${plain.id}`).set(asAdmin()).expect(200)).body;
			expect(stored).toMatchObject({ role: "user", active: true });
			await api().get("/api/v1/auth/me").set(bearer(plainApiToken)).expect(200);
		});
	});
});
