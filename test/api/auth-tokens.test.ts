import type { BrokerOptions } from "moleculer";
import request from "supertest";
import { generateApiToken, hashApiToken } from "../../lib/api-token";
import { API_TOKEN_SCOPES } from "../../lib/scopes";
import { brokerOptions } from "../../moleculer.config";
import { createAuthService } from "../../services/auth.service";
import { type RunningGateway, startGateway, testConfig, waitUntil } from "../support/gateway";

/**
 * API tokens end to end: creation, use, scopes, listing, revocation, expiry, rejection of malformed
 * tokens without a database lookup, and no token text in any collection or log line.
 */

const ENV = { RATE_LIMIT_AUTH: "10000" };
const PASSWORD = "correct horse battery staple";
const TOKEN_SHAPE = /^pxc_[0-9A-Za-z]{38}$/;
const ALL_SCOPES = [...API_TOKEN_SCOPES];
const ROUTES = ["auth.register", "auth.login", "auth.refresh", "auth.me", "auth.listTokens", "auth.createToken", "auth.revokeToken"];
/** The gateway trusts a resolved token for 5 s; revocation and expiry must show within this. */
const CACHE_WINDOW_MS = 6500;

interface Repository {
	findOneRaw(query: Record<string, unknown>): Promise<Record<string, unknown> | null>;
	updateInternal(id: string, changes: Record<string, unknown>): Promise<unknown>;
	adapter: {
		find(params: Record<string, unknown>): Promise<Record<string, unknown>[]>;
		findOne(query: Record<string, unknown>): Promise<unknown>;
	};
}

interface Session {
	id: string;
	email: string;
	accessToken: string;
	refreshToken: string;
}

interface CreatedToken {
	id: string;
	token: string;
	name: string;
	prefix: string;
	scopes: string[];
	expiresAt: string | null;
	lastUsedAt: string | null;
	revokedAt: string | null;
}

/** Every log line the broker writes, through the production logger (Pino, same redaction) at trace level. */
const logLines: string[] = [];
function capturingLogger(): Partial<BrokerOptions> {
	const production = brokerOptions(testConfig(ENV)).logger as { type: string; options: { pino: Record<string, unknown> } };
	return {
		logLevel: "trace",
		logger: {
			type: production.type,
			options: {
				...production.options,
				level: "trace",
				pino: { ...production.options.pino, destination: { write: (line: string) => logLines.push(line) } },
			},
		},
	};
}

describe("API tokens", () => {
	let gateway: RunningGateway;
	let apiTokens: Repository;
	let counter = 0;
	/** Every secret handed out in this file: none may be stored or logged. */
	const issuedApiTokens: string[] = [];
	const issuedSessions: Session[] = [];

	beforeAll(async () => {
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(testConfig(ENV))],
			broker: capturingLogger(),
			waitFor: ROUTES,
		});
		apiTokens = gateway.broker.getLocalService("auth-api-tokens") as unknown as Repository;
	});
	afterAll(() => gateway.stop());
	afterEach(() => jest.restoreAllMocks());

	const api = () => request(gateway.url);
	const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

	async function signUp(): Promise<Session> {
		const email = `tokens${++counter}-${Date.now()}@example.com`;
		const user = (await api().post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body;
		const tokens = (await api().post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		const session = { id: user.id, email, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
		issuedSessions.push(session);
		return session;
	}

	async function createToken(credential: string, body: Record<string, unknown>): Promise<CreatedToken> {
		const res = await api().post("/api/v1/tokens").set(bearer(credential)).send(body).expect(201);
		issuedApiTokens.push(res.body.token);
		return res.body;
	}

	async function statusWith(token: string, path = "/api/v1/auth/me"): Promise<number> {
		return (await api().get(path).set(bearer(token))).status;
	}

	/** Polls until the token is refused; answers how long that took. */
	async function refusedWithin(token: string, timeoutMs = CACHE_WINDOW_MS): Promise<number> {
		const started = Date.now();
		await waitUntil(async () => (await statusWith(token)) === 401, timeoutMs, "the token to be refused");
		return Date.now() - started;
	}

	function expectProblem(res: request.Response, status: number) {
		expect(res.status).toBe(status);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(res.body).toMatchObject({ status, requestId: expect.any(String) });
	}

	describe("POST /api/v1/tokens", () => {
		it("answers 201 with the token, shown this once, and its metadata", async () => {
			const owner = await signUp();
			const res = await api()
				.post("/api/v1/tokens")
				.set(bearer(owner.accessToken))
				.send({ name: "training laptop", scopes: ["datasets:read", "exports:read"] })
				.expect(201);
			issuedApiTokens.push(res.body.token);
			expect(res.body.token).toMatch(TOKEN_SHAPE);
			expect(res.body).toMatchObject({
				id: expect.any(String),
				name: "training laptop",
				prefix: res.body.token.slice(0, 10),
				scopes: ["datasets:read", "exports:read"],
				expiresAt: null,
				lastUsedAt: null,
				revokedAt: null,
				createdAt: expect.any(String),
				updatedAt: expect.any(String),
			});
			expect(res.body.hash).toBeUndefined();
			expect(res.body.userId).toBeUndefined();
			expect(res.headers["cache-control"]).toBe("no-store");
		});

		it("sets the expiry from expiresInDays", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "ci", scopes: ["crawl:run"], expiresInDays: 30 });
			const expected = Date.now() + 30 * 86_400_000;
			expect(Math.abs(new Date(created.expiresAt as string).getTime() - expected)).toBeLessThan(60_000);
		});

		it("trims the name and keeps the scopes as given", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "  script  ", scopes: ALL_SCOPES });
			expect(created.name).toBe("script");
			expect(created.scopes).toEqual(ALL_SCOPES);
		});

		it("answers a different token every time", async () => {
			const owner = await signUp();
			const first = await createToken(owner.accessToken, { name: "a", scopes: ["account:read", "datasets:read"] });
			const second = await createToken(owner.accessToken, { name: "a", scopes: ["account:read", "datasets:read"] });
			expect(first.token).not.toBe(second.token);
			expect(first.id).not.toBe(second.id);
		});

		it.each([
			["an unknown scope", { name: "x", scopes: ["datasets:delete"] }, "scopes[0]"],
			["a superuser-sounding scope", { name: "x", scopes: ["datasets:read", "admin"] }, "scopes[1]"],
			["empty scopes", { name: "x", scopes: [] }, "scopes"],
			["no scopes", { name: "x" }, "scopes"],
			["a repeated scope", { name: "x", scopes: ["datasets:read", "datasets:read"] }, "scopes"],
			["a scope string instead of a list", { name: "x", scopes: "datasets:read" }, "scopes"],
			["an operator object as scope", { name: "x", scopes: [{ $ne: null }] }, "scopes[0]"],
			["expiresInDays 0", { name: "x", scopes: ["datasets:read"], expiresInDays: 0 }, "expiresInDays"],
			["negative expiresInDays", { name: "x", scopes: ["datasets:read"], expiresInDays: -1 }, "expiresInDays"],
			["fractional expiresInDays", { name: "x", scopes: ["datasets:read"], expiresInDays: 1.5 }, "expiresInDays"],
			["expiresInDays beyond ten years", { name: "x", scopes: ["datasets:read"], expiresInDays: 3651 }, "expiresInDays"],
			["expiresInDays as a string", { name: "x", scopes: ["datasets:read"], expiresInDays: "30" }, "expiresInDays"],
			["no name", { scopes: ["datasets:read"] }, "name"],
			["a blank name", { name: "   ", scopes: ["datasets:read"] }, "name"],
			["a name over 100 characters", { name: "n".repeat(101), scopes: ["datasets:read"] }, "name"],
			["an operator object as name", { name: { $gt: "" }, scopes: ["datasets:read"] }, "name"],
			["a chosen owner (userId)", { name: "x", scopes: ["datasets:read"], userId: "someone-else" }, "userId"],
			["a chosen hash", { name: "x", scopes: ["datasets:read"], hash: "0".repeat(64) }, "hash"],
			["a chosen token", { name: "x", scopes: ["datasets:read"], token: "pxc_chosen" }, "token"],
			["a chosen lastUsedAt", { name: "x", scopes: ["datasets:read"], lastUsedAt: null }, "lastUsedAt"],
			["a chosen revokedAt", { name: "x", scopes: ["datasets:read"], revokedAt: null }, "revokedAt"],
			["a chosen expiresAt", { name: "x", scopes: ["datasets:read"], expiresAt: "2999-01-01T00:00:00Z" }, "expiresAt"],
		])("refuses %s with 422 naming the field", async (_what, body, field) => {
			const owner = await signUp();
			const res = await api().post("/api/v1/tokens").set(bearer(owner.accessToken)).send(body);
			expectProblem(res, 422);
			expect(res.body.errors.map((error: { field: string }) => error.field)).toContain(field);
			expect(res.body.token).toBeUndefined();
		});

		it("requires a signed-in caller", async () => {
			expectProblem(
				await api()
					.post("/api/v1/tokens")
					.send({ name: "x", scopes: ["account:read", "datasets:read"] }),
				401,
			);
		});
	});

	describe("using a token", () => {
		it("cannot use session-only routes, whatever its scopes, even for a superuser", async () => {
			const owner = await signUp();
			await (
				gateway.broker.getLocalService("auth") as unknown as { updateInternal(id: string, changes: object): Promise<unknown> }
			).updateInternal(owner.id, {
				role: "superuser",
			});
			const { token } = await createToken(owner.accessToken, { name: "everything", scopes: ALL_SCOPES });
			for (const call of [
				api().patch("/api/v1/auth/me").send({ name: "renamed" }),
				api().post("/api/v1/auth/password").send({ currentPassword: PASSWORD, newPassword: "another long passphrase" }),
				api().get("/api/v1/users"),
				api().get("/api/v1/health/detailed"),
			]) {
				const res = await call.set(bearer(token));
				expectProblem(res, 403);
				expect(res.body.detail).toBe("API tokens cannot use this route; sign in instead");
			}
		});

		it("reads its owner's account with the account:read scope", async () => {
			const owner = await signUp();
			const { token } = await createToken(owner.accessToken, { name: "reader", scopes: ["account:read", "datasets:read"] });
			const res = await api().get("/api/v1/auth/me").set(bearer(token)).expect(200);
			expect(res.body).toMatchObject({ id: owner.id, email: owner.email });
		});

		it("is listed by GET /api/v1/tokens without the token or its hash, with prefix and lastUsedAt once used", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "listed", scopes: ["account:read", "datasets:read"] });
			const before = (await api().get("/api/v1/tokens").set(bearer(owner.accessToken)).expect(200)).body;
			expect(before).toMatchObject({ total: 1, page: 1, pageSize: 20 });
			expect(before.items[0]).toMatchObject({ id: created.id, name: "listed", prefix: created.token.slice(0, 10), lastUsedAt: null });

			await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(200);
			const after = (await api().get("/api/v1/tokens").set(bearer(owner.accessToken)).expect(200)).body;
			const listed = after.items[0];
			expect(listed).toMatchObject({
				id: created.id,
				prefix: created.token.slice(0, 10),
				scopes: ["account:read", "datasets:read"],
				revokedAt: null,
			});
			expect(Date.now() - new Date(listed.lastUsedAt).getTime()).toBeLessThan(60_000);
			expect(listed.token).toBeUndefined();
			expect(listed.hash).toBeUndefined();
			expect(listed.userId).toBeUndefined();
			expect(JSON.stringify(after)).not.toContain(created.token);
			expect(JSON.stringify(after)).not.toContain(hashApiToken(created.token));
		});

		it("lists only the caller's own tokens, paged", async () => {
			const owner = await signUp();
			const stranger = await signUp();
			await createToken(stranger.accessToken, { name: "theirs", scopes: ["account:read", "datasets:read"] });
			for (const name of ["one", "two", "three"]) await createToken(owner.accessToken, { name, scopes: ["account:read", "datasets:read"] });
			const page = (await api().get("/api/v1/tokens?page=2&pageSize=2").set(bearer(owner.accessToken)).expect(200)).body;
			expect(page).toMatchObject({ total: 3, page: 2, pageSize: 2 });
			expect(page.items).toHaveLength(1);
			const all = (await api().get("/api/v1/tokens").set(bearer(owner.accessToken)).expect(200)).body;
			expect(all.items.map((item: { name: string }) => item.name).sort()).toEqual(["one", "three", "two"]);
		});

		it("stores only the SHA-256 of the token, under the owner's id", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "stored", scopes: ["account:read", "datasets:read"] });
			const stored = await apiTokens.findOneRaw({ hash: hashApiToken(created.token) });
			expect(stored).toMatchObject({ userId: owner.id, name: "stored", prefix: created.token.slice(0, 10) });
			expect(Object.values(stored ?? {})).not.toContain(created.token);
		});

		it("answers 403 on a route needing a scope the token lacks (GET /tokens needs tokens:manage)", async () => {
			const owner = await signUp();
			const { token, id } = await createToken(owner.accessToken, {
				name: "reader",
				scopes: ["account:read", "datasets:read", "exports:read"],
			});
			const list = await api().get("/api/v1/tokens").set(bearer(token));
			expectProblem(list, 403);
			expect(list.body.detail).toBe("The API token lacks a scope this route needs");
			expectProblem(
				await api()
					.post("/api/v1/tokens")
					.set(bearer(token))
					.send({ name: "x", scopes: ["account:read", "datasets:read"] }),
				403,
			);
			expectProblem(await api().delete(`/api/v1/tokens/${id}`).set(bearer(token)), 403);
			// the token was not revoked by its own refused request
			await api().get("/api/v1/auth/me").set(bearer(token)).expect(200);
		});

		it("lets a token with tokens:manage list the owner's tokens", async () => {
			const owner = await signUp();
			const manager = await createToken(owner.accessToken, { name: "manager", scopes: ["tokens:manage"] });
			const res = await api().get("/api/v1/tokens").set(bearer(manager.token)).expect(200);
			expect(res.body.items.map((item: { id: string }) => item.id)).toContain(manager.id);
		});

		it("cannot create a token with scopes it lacks (403), but can with a subset of its own", async () => {
			const owner = await signUp();
			const manager = await createToken(owner.accessToken, { name: "manager", scopes: ["tokens:manage", "account:read", "datasets:read"] });

			const beyond = await api()
				.post("/api/v1/tokens")
				.set(bearer(manager.token))
				.send({ name: "wider", scopes: ["datasets:read", "datasets:write"] });
			expectProblem(beyond, 403);
			expect(beyond.body.token).toBeUndefined();
			expectProblem(await api().post("/api/v1/tokens").set(bearer(manager.token)).send({ name: "all", scopes: ALL_SCOPES }), 403);

			const subset = await createToken(manager.token, { name: "narrower", scopes: ["account:read", "datasets:read"] });
			expect(subset.scopes).toEqual(["account:read", "datasets:read"]);
			const same = await createToken(manager.token, { name: "same", scopes: ["tokens:manage", "datasets:read"] });
			expect(same.scopes).toEqual(["tokens:manage", "datasets:read"]);
			const me = await api().get("/api/v1/auth/me").set(bearer(subset.token)).expect(200);
			expect(me.body.id).toBe(owner.id);

			const listed = (await api().get("/api/v1/tokens").set(bearer(owner.accessToken)).expect(200)).body;
			expect(listed.items.map((item: { name: string }) => item.name).sort()).toEqual(["manager", "narrower", "same"]);
		});
	});

	describe("DELETE /api/v1/tokens/:id", () => {
		it("answers 204 and the token is refused with 401 within seconds", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "doomed", scopes: ["account:read", "datasets:read"] });
			// used once so that the gateway holds it in its cache
			await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(200);
			await api().delete(`/api/v1/tokens/${created.id}`).set(bearer(owner.accessToken)).expect(204);
			expect(await refusedWithin(created.token)).toBeLessThan(CACHE_WINDOW_MS);
			const res = await api().get("/api/v1/auth/me").set(bearer(created.token));
			expectProblem(res, 401);
			expect(res.body.detail).toBe("The API token is not valid");
			const listed = (await api().get("/api/v1/tokens").set(bearer(owner.accessToken)).expect(200)).body;
			expect(listed.items[0]).toMatchObject({ id: created.id, revokedAt: expect.any(String) });
		});

		it("refuses a revoked token at once when the gateway had not cached it", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "never used", scopes: ["account:read", "datasets:read"] });
			await api().delete(`/api/v1/tokens/${created.id}`).set(bearer(owner.accessToken)).expect(204);
			expectProblem(await api().get("/api/v1/auth/me").set(bearer(created.token)), 401);
		});

		it("lets a token with tokens:manage revoke another token of the same owner", async () => {
			const owner = await signUp();
			const manager = await createToken(owner.accessToken, { name: "manager", scopes: ["tokens:manage"] });
			const other = await createToken(owner.accessToken, { name: "other", scopes: ["account:read", "datasets:read"] });
			await api().delete(`/api/v1/tokens/${other.id}`).set(bearer(manager.token)).expect(204);
			expectProblem(await api().get("/api/v1/auth/me").set(bearer(other.token)), 401);
		});

		it("answers 404 for another user's token id and leaves that token working", async () => {
			const owner = await signUp();
			const stranger = await signUp();
			const theirs = await createToken(stranger.accessToken, { name: "theirs", scopes: ["account:read", "datasets:read"] });
			expectProblem(await api().delete(`/api/v1/tokens/${theirs.id}`).set(bearer(owner.accessToken)), 404);
			const stored = await apiTokens.findOneRaw({ hash: hashApiToken(theirs.token) });
			expect(stored?.revokedAt).toBeNull();
			await api().get("/api/v1/auth/me").set(bearer(theirs.token)).expect(200);
		});

		it("answers 404 for an id that does not exist", async () => {
			const owner = await signUp();
			expectProblem(await api().delete("/api/v1/tokens/NoSuchToken00000").set(bearer(owner.accessToken)), 404);
		});

		it("requires a signed-in caller", async () => {
			expectProblem(await api().delete("/api/v1/tokens/NoSuchToken00000"), 401);
		});
	});

	describe("expiry", () => {
		it("refuses an expired token with 401 at once when it was not cached", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "short", scopes: ["account:read", "datasets:read"], expiresInDays: 1 });
			await apiTokens.updateInternal(created.id, { expiresAt: new Date(Date.now() - 1000) });
			const res = await api().get("/api/v1/auth/me").set(bearer(created.token));
			expectProblem(res, 401);
			expect(res.body.detail).toBe("The API token has expired");
		});

		it("refuses a token that expired while cached within seconds", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "short", scopes: ["account:read", "datasets:read"], expiresInDays: 1 });
			await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(200);
			await apiTokens.updateInternal(created.id, { expiresAt: new Date(Date.now() - 1000) });
			expect(await refusedWithin(created.token)).toBeLessThan(CACHE_WINDOW_MS);
		});

		it("is not served from the gateway's cache past its own expiry", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, { name: "brief", scopes: ["account:read"], expiresInDays: 1 });
			await apiTokens.updateInternal(created.id, { expiresAt: new Date(Date.now() + 1500) });
			await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(200);
			await new Promise((resolve) => setTimeout(resolve, 1700));
			const res = await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(401);
			expect(res.body.detail).toBe("The API token has expired");
		});

		it("accepts a token whose expiry is still ahead", async () => {
			const owner = await signUp();
			const created = await createToken(owner.accessToken, {
				name: "long",
				scopes: ["account:read", "datasets:read"],
				expiresInDays: 3650,
			});
			await api().get("/api/v1/auth/me").set(bearer(created.token)).expect(200);
		});
	});

	describe("malformed tokens", () => {
		let valid: CreatedToken;

		beforeAll(async () => {
			const owner = await signUp();
			valid = await createToken(owner.accessToken, { name: "template", scopes: ["account:read", "datasets:read"] });
		});

		const flipLast = (token: string) => `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
		const flipAt = (token: string, position: number) =>
			`${token.slice(0, position)}${token[position] === "A" ? "B" : "A"}${token.slice(position + 1)}`;

		it.each([
			["a bad checksum (last character flipped)", (token: string) => flipLast(token)],
			["a bad checksum (first checksum character flipped)", (token: string) => flipAt(token, 36)],
			["a typo in the random part", (token: string) => flipAt(token, 10)],
			["one character short", (token: string) => token.slice(0, -1)],
			["one character long", (token: string) => `${token}A`],
			["a hyphen inside", (token: string) => `${token.slice(0, 20)}-${token.slice(21)}`],
			["a dot inside", (token: string) => `${token.slice(0, 20)}.${token.slice(21)}`],
			["only the prefix and a little", () => "pxc_0123456789"],
			["the display prefix alone", (token: string) => token.slice(0, 10)],
			["an upper-case prefix", (token: string) => `PXC_${token.slice(4)}`],
		])("refuses a token with %s with 401 and no database lookup", async (_what, mangle) => {
			const findOneRaw = jest.spyOn(apiTokens, "findOneRaw");
			const findOne = jest.spyOn(apiTokens.adapter, "findOne");
			const res = await api()
				.get("/api/v1/auth/me")
				.set(bearer(mangle(valid.token)));
			expectProblem(res, 401);
			expect(findOneRaw).not.toHaveBeenCalled();
			expect(findOne).not.toHaveBeenCalled();
		});

		it("does look up a well-formed token, and refuses one that was never issued (the spy sees real lookups)", async () => {
			const findOneRaw = jest.spyOn(apiTokens, "findOneRaw");
			// a fresh, well-formed token: same shape and a valid checksum, never stored
			const unknown = generateApiToken();
			issuedApiTokens.push(unknown);
			const res = await api().get("/api/v1/auth/me").set(bearer(unknown));
			expectProblem(res, 401);
			expect(findOneRaw).toHaveBeenCalledTimes(1);
			expect(findOneRaw).toHaveBeenCalledWith({ hash: hashApiToken(unknown) });
		});
	});

	// last in the file: it inspects everything the tests above stored and logged
	describe("after every other test", () => {
		it("leaves no token text in any stored document or log line", async () => {
			// a refresh, so that rotated refresh tokens are in play too
			const owner = await signUp();
			const rotated = (await api().post("/api/v1/auth/refresh").send({ refreshToken: owner.refreshToken }).expect(200)).body;
			issuedSessions.push({ ...owner, accessToken: rotated.accessToken, refreshToken: rotated.refreshToken });
			await createToken(owner.accessToken, { name: "last", scopes: ["account:read", "datasets:read"] });

			const documents: Record<string, unknown>[] = [];
			for (const name of ["auth", "auth-api-tokens", "auth-refresh-tokens"]) {
				const service = gateway.broker.getLocalService(name) as unknown as Repository;
				documents.push(...(await service.adapter.find({})));
			}
			const stored = JSON.stringify(documents);
			const logs = logLines.join("");

			// the captures are real: they hold the documents and the requests of this file
			expect(documents.filter((doc) => typeof doc.hash === "string").length).toBeGreaterThanOrEqual(issuedApiTokens.length - 1);
			expect(logs).toContain("/api/v1/tokens");
			expect(logs).toContain("/api/v1/auth/refresh");
			expect(issuedApiTokens.length).toBeGreaterThan(20);

			for (const token of issuedApiTokens) {
				for (const [where, text] of [
					["stored documents", stored],
					["logs", logs],
				]) {
					// the whole token, and its secret part past the displayed prefix
					if (text.includes(token) || text.includes(token.slice(10))) throw new Error(`API token ${token.slice(0, 10)}… found in ${where}`);
				}
			}
			for (const session of issuedSessions) {
				for (const jwt of [session.refreshToken, session.accessToken]) {
					const signature = jwt.split(".")[2];
					expect(stored).not.toContain(jwt);
					expect(stored).not.toContain(signature);
					expect(logs).not.toContain(jwt);
					expect(logs).not.toContain(signature);
				}
			}
			expect(logs).not.toContain(PASSWORD);
		});
	});
});
