import { Algorithm, hash } from "@node-rs/argon2";
import request from "supertest";
import { createAuthService } from "../../services/auth.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

const PASSWORD = "correct horse battery staple";
const AUTH_ROUTES = ["auth.register", "auth.login", "auth.refresh", "auth.logout", "auth.me", "auth.updateMe", "auth.changePassword"];

interface AuthServiceInternals {
	findOneRaw(query: Record<string, unknown>): Promise<Record<string, unknown> | null>;
	updateInternal(id: string, changes: Record<string, unknown>): Promise<unknown>;
	adapter: { find(params: Record<string, unknown>): Promise<Record<string, unknown>[]> };
}

describe("auth API", () => {
	let gateway: RunningGateway;
	let auth: AuthServiceInternals;
	let counter = 0;
	const newEmail = () => `user${++counter}-${Date.now()}@example.com`;

	beforeAll(async () => {
		gateway = await startGateway({
			env: { RATE_LIMIT_AUTH: "1000" },
			services: [createAuthService(testConfig({ RATE_LIMIT_AUTH: "1000" }))],
			waitFor: AUTH_ROUTES,
		});
		auth = gateway.broker.getLocalService("auth") as unknown as AuthServiceInternals;
	});
	afterAll(() => gateway.stop());

	const api = () => request(gateway.url);
	async function register(email = newEmail(), password = PASSWORD) {
		const res = await api().post("/api/v1/auth/register").send({ email, password, name: "Ada" }).expect(201);
		return { email, password, user: res.body };
	}
	async function login(email: string, password = PASSWORD) {
		return (await api().post("/api/v1/auth/login").set("X-Forwarded-For", "ignored").send({ email, password }).expect(200)).body as {
			accessToken: string;
			refreshToken: string;
		};
	}

	describe("register", () => {
		it("creates a user with the user role and never returns the hash", async () => {
			const { user } = await register();
			expect(user).toMatchObject({ id: expect.any(String), name: "Ada", role: "user", active: true });
			expect(user.passwordHash).toBeUndefined();
		});

		it("lower-cases the email and answers 409 on a repeat in any case", async () => {
			const email = newEmail();
			const { user } = await register(email.toUpperCase());
			expect(user.email).toBe(email.toLowerCase());
			const res = await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Again" }).expect(409);
			expect(res.body.type).toMatch(/conflict/);
		});

		it("stores an argon2id hash with OWASP parameters or stronger", async () => {
			const { email } = await register();
			const stored = await auth.findOneRaw({ email });
			expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
			const [, m, t, p] = /m=(\d+),t=(\d+),p=(\d+)/.exec(String(stored?.passwordHash)) ?? [];
			expect(Number(m)).toBeGreaterThanOrEqual(19456);
			expect(Number(t)).toBeGreaterThanOrEqual(2);
			expect(Number(p)).toBeGreaterThanOrEqual(1);
		});

		it.each([
			[{ password: "short", name: "A" }, "password"],
			[{ password: "x".repeat(129), name: "A" }, "password"],
			[{ password: PASSWORD }, "name"],
			[{ password: PASSWORD, name: "A", role: "superuser" }, "role"],
			[{ password: PASSWORD, name: "A", id: "chosen" }, "id"],
			[{ password: { $gt: "" }, name: "A" }, "password"],
			[{ password: PASSWORD, name: { $ne: null } }, "name"],
		])("refuses %j with 422 naming %s", async (fields, field) => {
			const res = await api()
				.post("/api/v1/auth/register")
				.send({ email: newEmail(), ...fields })
				.expect(422);
			expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
		});

		it("refuses the email as password", async () => {
			const email = newEmail();
			const res = await api().post("/api/v1/auth/register").send({ email, password: email, name: "A" }).expect(422);
			expect(res.body.errors[0]).toMatchObject({ field: "password", message: "The password cannot be the email address" });
		});

		it("refuses an operator object as email", async () => {
			const res = await api()
				.post("/api/v1/auth/register")
				.send({ email: { $gt: "" }, password: PASSWORD, name: "A" })
				.expect(422);
			expect(res.body.errors[0].field).toBe("email");
		});
	});

	describe("login", () => {
		it("answers an access and a refresh token that the gateway accepts", async () => {
			const { email } = await register();
			const tokens = await login(email);
			expect(tokens).toMatchObject({ tokenType: "Bearer", expiresIn: 900 });
			const me = await api().get("/api/v1/auth/me").set("Authorization", `Bearer ${tokens.accessToken}`).expect(200);
			expect(me.body.email).toBe(email);
			expect(me.body.lastLoginAt).toEqual(expect.any(String));
		});

		it("gives unknown accounts and wrong passwords the same 401", async () => {
			const { email } = await register();
			const wrong = await api().post("/api/v1/auth/login").send({ email, password: "not the password" }).expect(401);
			const unknown = await api().post("/api/v1/auth/login").send({ email: newEmail(), password: PASSWORD }).expect(401);
			expect(wrong.body.detail).toBe(unknown.body.detail);
		});

		it("refuses operator objects in place of credentials", async () => {
			await api()
				.post("/api/v1/auth/login")
				.send({ email: { $ne: null }, password: PASSWORD })
				.expect(422);
			const { email } = await register();
			await api()
				.post("/api/v1/auth/login")
				.send({ email, password: { $ne: null } })
				.expect(422);
		});

		it("blocks an account after repeated failures with 429, even with the right password", async () => {
			const { email } = await register();
			for (let attempt = 0; attempt < 5; attempt++) {
				await api().post("/api/v1/auth/login").send({ email, password: "wrong password!" }).expect(401);
			}
			const blocked = await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(429);
			expect(Number(blocked.headers["retry-after"])).toBeGreaterThan(0);
		});

		it("upgrades a weaker stored hash on the next login", async () => {
			const { email, user } = await register();
			const weak = await hash(PASSWORD, { algorithm: Algorithm.Argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
			await auth.updateInternal(user.id, { passwordHash: weak });
			await login(email);
			const stored = await auth.findOneRaw({ email });
			expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		});

		it("refuses a deactivated account", async () => {
			const { email, user } = await register();
			await auth.updateInternal(user.id, { active: false });
			const res = await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(403);
			expect(res.body.detail).toBe("This account is deactivated");
		});
	});

	describe("refresh tokens", () => {
		it("rotate: each works once and a replay revokes the whole family", async () => {
			const { email } = await register();
			const first = await login(email);
			const second = (await api().post("/api/v1/auth/refresh").send({ refreshToken: first.refreshToken }).expect(200)).body;
			expect(second.refreshToken).not.toBe(first.refreshToken);
			await api().post("/api/v1/auth/refresh").send({ refreshToken: first.refreshToken }).expect(401);
			// the replay revoked the rotated token too
			await api().post("/api/v1/auth/refresh").send({ refreshToken: second.refreshToken }).expect(401);
		});

		it("are refused as access tokens, and access tokens as refresh tokens", async () => {
			const { email } = await register();
			const tokens = await login(email);
			await api().get("/api/v1/auth/me").set("Authorization", `Bearer ${tokens.refreshToken}`).expect(401);
			await api().post("/api/v1/auth/refresh").send({ refreshToken: tokens.accessToken }).expect(401);
		});

		it("stop working after logout", async () => {
			const { email } = await register();
			const tokens = await login(email);
			await api().post("/api/v1/auth/logout").send({ refreshToken: tokens.refreshToken }).expect(204);
			await api().post("/api/v1/auth/refresh").send({ refreshToken: tokens.refreshToken }).expect(401);
		});

		it("stop working once the account is deactivated", async () => {
			const { email, user } = await register();
			const tokens = await login(email);
			await auth.updateInternal(user.id, { active: false });
			await api().post("/api/v1/auth/refresh").send({ refreshToken: tokens.refreshToken }).expect(401);
		});
	});

	describe("me", () => {
		it("lets a user change their name and nothing else", async () => {
			const { email } = await register();
			const { accessToken } = await login(email);
			const res = await api()
				.patch("/api/v1/auth/me")
				.set("Authorization", `Bearer ${accessToken}`)
				.send({ name: "Ada Lovelace" })
				.expect(200);
			expect(res.body.name).toBe("Ada Lovelace");
			await api().patch("/api/v1/auth/me").set("Authorization", `Bearer ${accessToken}`).send({ role: "superuser" }).expect(422);
			await api().patch("/api/v1/auth/me").set("Authorization", `Bearer ${accessToken}`).send({ name: "A", email: "x@y.z" }).expect(422);
		});

		it("requires a signed-in user", async () => {
			await api().get("/api/v1/auth/me").expect(401);
			await api().patch("/api/v1/auth/me").send({ name: "x" }).expect(401);
		});

		it("stops accepting the access token of a deactivated user within seconds", async () => {
			const { email, user } = await register();
			const { accessToken } = await login(email);
			await auth.updateInternal(user.id, { active: false });
			await new Promise((resolve) => setTimeout(resolve, 5200));
			await api().get("/api/v1/auth/me").set("Authorization", `Bearer ${accessToken}`).expect(401);
		});
	});

	describe("password change", () => {
		it("requires the current password and revokes every refresh token", async () => {
			const { email } = await register();
			const session = await login(email);
			const other = await login(email);
			const headers = { Authorization: `Bearer ${session.accessToken}` };
			const wrong = await api()
				.post("/api/v1/auth/password")
				.set(headers)
				.send({ currentPassword: "nope nope nope", newPassword: "a brand new passphrase" })
				.expect(422);
			expect(wrong.body.errors[0].field).toBe("currentPassword");
			await api()
				.post("/api/v1/auth/password")
				.set(headers)
				.send({ currentPassword: PASSWORD, newPassword: "a brand new passphrase" })
				.expect(204);
			await api().post("/api/v1/auth/refresh").send({ refreshToken: session.refreshToken }).expect(401);
			await api().post("/api/v1/auth/refresh").send({ refreshToken: other.refreshToken }).expect(401);
			await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(401);
			await login(email, "a brand new passphrase");
		});

		it("refuses a new password that is the email", async () => {
			const { email } = await register();
			const { accessToken } = await login(email);
			const res = await api()
				.post("/api/v1/auth/password")
				.set("Authorization", `Bearer ${accessToken}`)
				.send({ currentPassword: PASSWORD, newPassword: email })
				.expect(422);
			expect(res.body.errors[0].field).toBe("newPassword");
		});
	});

	it("stores no token text in any collection", async () => {
		const { email } = await register();
		const tokens = await login(email);
		const refreshTokens = gateway.broker.getLocalService("auth-refresh-tokens") as unknown as AuthServiceInternals;
		const stored = JSON.stringify([await auth.adapter.find({}), await refreshTokens.adapter.find({})]);
		expect(stored).not.toContain(tokens.refreshToken);
		expect(stored).not.toContain(tokens.accessToken);
		expect(stored).not.toContain(tokens.refreshToken.split(".")[2]);
	});
});
