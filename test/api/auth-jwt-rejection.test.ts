import { createHmac } from "node:crypto";
import { decodeJwt, type JWTPayload, SignJWT } from "jose";
import request from "supertest";
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE } from "../../lib/jwt";
import { createAuthService } from "../../services/auth.service";
import { type RunningGateway, startGateway, testConfig } from "../support/gateway";

/**
 * The gateway's JWT rejection matrix, end to end: every forged, altered, stale or misdirected token
 * presented to a `user` route answers 401 problem+json, never 200 and never 500.
 */

const ENV = { RATE_LIMIT_AUTH: "10000" };
const PASSWORD = "correct horse battery staple";
const settings = testConfig(ENV).auth;
const key = new TextEncoder().encode(settings.jwtSecret);
const now = () => Math.floor(Date.now() / 1000);

function base64url(value: unknown): string {
	return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** Replaces one character of a base64url segment so that the decoded bytes change (not just padding bits). */
function alterFirstCharacter(segment: string): string {
	return `${segment[0] === "A" ? "B" : "A"}${segment.slice(1)}`;
}

describe("JWT rejection at the gateway", () => {
	let gateway: RunningGateway;
	let userId: string;
	let otherUserId: string;
	let refreshToken: string;
	let accessToken: string;

	/** A token built with jose, starting from what a valid access token for the registered user holds. */
	async function craft(
		options: { payload?: JWTPayload; header?: Record<string, unknown>; secret?: Uint8Array; omit?: string[] } = {},
	): Promise<string> {
		const payload: JWTPayload = {
			sub: userId,
			role: "user",
			iss: settings.jwtIssuer,
			aud: settings.jwtAudience,
			iat: now(),
			exp: now() + 300,
			...options.payload,
		};
		for (const claim of options.omit ?? []) delete payload[claim];
		return new SignJWT(payload)
			.setProtectedHeader({ alg: "HS256", typ: ACCESS_TOKEN_TYPE, ...options.header } as { alg: string })
			.sign(options.secret ?? key);
	}

	/** A token whose header names `alg` but whose signature is HMAC-SHA256 with the real secret. */
	function hmacSignedAs(alg: string, payload: JWTPayload): string {
		const signingInput = `${base64url({ alg, typ: ACCESS_TOKEN_TYPE })}.${base64url(payload)}`;
		const signature = createHmac("sha256", settings.jwtSecret).update(signingInput).digest("base64url");
		return `${signingInput}.${signature}`;
	}

	const validClaims = (): JWTPayload => ({
		sub: userId,
		role: "user",
		iss: settings.jwtIssuer,
		aud: settings.jwtAudience,
		iat: now(),
		exp: now() + 300,
	});

	beforeAll(async () => {
		gateway = await startGateway({
			env: ENV,
			services: [createAuthService(testConfig(ENV))],
			waitFor: ["auth.register", "auth.login", "auth.me", "auth.listUsers"],
		});
		const api = request(gateway.url);
		const email = `jwt-${Date.now()}@example.com`;
		userId = (await api.post("/api/v1/auth/register").send({ email, password: PASSWORD, name: "Ada" }).expect(201)).body.id;
		otherUserId = (
			await request(gateway.url)
				.post("/api/v1/auth/register")
				.send({ email: `other-${email}`, password: PASSWORD, name: "Bob" })
				.expect(201)
		).body.id;
		const tokens = (await request(gateway.url).post("/api/v1/auth/login").send({ email, password: PASSWORD }).expect(200)).body;
		refreshToken = tokens.refreshToken;
		accessToken = tokens.accessToken;
	});
	afterAll(() => gateway.stop());

	async function expectUnauthorized(authorization: string) {
		const res = await request(gateway.url).get("/api/v1/auth/me").set("Authorization", authorization);
		expect(res.status).toBe(401);
		expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
		expect(res.body).toMatchObject({
			type: "https://pixcrawler.dev/problems/unauthorized",
			title: "Unauthorized",
			status: 401,
			detail: expect.any(String),
			requestId: expect.any(String),
		});
		expect(res.body.requestId).toBe(res.headers["x-request-id"]);
		// nothing about the account leaks into a refusal
		expect(JSON.stringify(res.body)).not.toContain("@example.com");
		return res.body as { detail: string };
	}

	it("accepts a valid access token for the registered user (the control case)", async () => {
		const res = await request(gateway.url).get("/api/v1/auth/me").set("Authorization", `Bearer ${accessToken}`).expect(200);
		expect(res.body.id).toBe(userId);
		const crafted = await request(gateway.url)
			.get("/api/v1/auth/me")
			.set("Authorization", `Bearer ${await craft()}`)
			.expect(200);
		expect(crafted.body.id).toBe(userId);
	});

	describe("algorithm", () => {
		it.each(["none", "None", "NONE", "nOnE"])("refuses an unsigned token with alg %j", async (alg) => {
			const unsigned = `${base64url({ alg, typ: ACCESS_TOKEN_TYPE })}.${base64url(validClaims())}.`;
			await expectUnauthorized(`Bearer ${unsigned}`);
		});

		it("refuses alg none even when a valid signature is left attached", async () => {
			const [, payload, signature] = accessToken.split(".");
			await expectUnauthorized(`Bearer ${base64url({ alg: "none", typ: ACCESS_TOKEN_TYPE })}.${payload}.${signature}`);
		});

		it.each(["HS512", "HS384"])("refuses a token signed with %s and the right secret (HS256 is pinned)", async (alg) => {
			await expectUnauthorized(`Bearer ${await craft({ header: { alg } })}`);
		});

		it.each(["RS256", "ES256", "PS256", "EdDSA"])(
			"refuses algorithm confusion: header %s with an HMAC signature made with the secret",
			async (alg) => {
				await expectUnauthorized(`Bearer ${hmacSignedAs(alg, validClaims())}`);
			},
		);

		it("refuses a valid token whose header was rewritten to another algorithm", async () => {
			const [, payload, signature] = accessToken.split(".");
			await expectUnauthorized(`Bearer ${base64url({ alg: "HS512", typ: ACCESS_TOKEN_TYPE })}.${payload}.${signature}`);
		});
	});

	describe("integrity", () => {
		it("refuses a token whose role was changed after signing", async () => {
			const [header, , signature] = accessToken.split(".");
			const forged = { ...decodeJwt(accessToken), role: "superuser" };
			await expectUnauthorized(`Bearer ${header}.${base64url(forged)}.${signature}`);
		});

		it("refuses a token whose subject was changed after signing", async () => {
			const [header, , signature] = accessToken.split(".");
			const forged = { ...decodeJwt(accessToken), sub: otherUserId };
			await expectUnauthorized(`Bearer ${header}.${base64url(forged)}.${signature}`);
		});

		it("refuses a token whose expiry was extended after signing", async () => {
			const [header, , signature] = accessToken.split(".");
			const forged = { ...decodeJwt(accessToken), exp: now() + 86400 * 365 };
			await expectUnauthorized(`Bearer ${header}.${base64url(forged)}.${signature}`);
		});

		it("refuses a token with a tampered signature", async () => {
			const [header, payload, signature] = accessToken.split(".");
			await expectUnauthorized(`Bearer ${header}.${payload}.${alterFirstCharacter(signature)}`);
		});

		it("refuses a token with the signature removed", async () => {
			const [header, payload] = accessToken.split(".");
			await expectUnauthorized(`Bearer ${header}.${payload}.`);
			await expectUnauthorized(`Bearer ${header}.${payload}`);
		});

		it("refuses a token signed with another secret", async () => {
			const other = new TextEncoder().encode("another-secret-that-is-long-enough-0123456789");
			await expectUnauthorized(`Bearer ${await craft({ secret: other })}`);
		});

		it("refuses a token signed with the secret plus one character", async () => {
			const near = new TextEncoder().encode(`${settings.jwtSecret}x`);
			await expectUnauthorized(`Bearer ${await craft({ secret: near })}`);
		});
	});

	describe("time", () => {
		it("refuses a token that expired beyond the 5 s clock tolerance, saying it expired", async () => {
			const body = await expectUnauthorized(`Bearer ${await craft({ payload: { iat: now() - 3600, exp: now() - 60 } })}`);
			expect(body.detail).toBe("The access token has expired");
		});

		it("refuses a token that is not valid yet (nbf in the future)", async () => {
			const body = await expectUnauthorized(`Bearer ${await craft({ payload: { nbf: now() + 120 } })}`);
			expect(body.detail).toBe("The access token is not valid (nbf)");
		});
	});

	describe("issuer, audience and type", () => {
		it("refuses a token from another issuer", async () => {
			const body = await expectUnauthorized(`Bearer ${await craft({ payload: { iss: "someone-else" } })}`);
			expect(body.detail).toBe("The access token is not valid (iss)");
		});

		it("refuses a token for another audience", async () => {
			const body = await expectUnauthorized(`Bearer ${await craft({ payload: { aud: "another-api" } })}`);
			expect(body.detail).toBe("The access token is not valid (aud)");
		});

		it.each(["JWT", REFRESH_TOKEN_TYPE, "id+jwt", ""])("refuses a token with typ %j", async (typ) => {
			await expectUnauthorized(`Bearer ${await craft({ header: { typ } })}`);
		});

		it("refuses a token without a typ header", async () => {
			const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: "HS256" }).sign(key);
			await expectUnauthorized(`Bearer ${token}`);
		});

		it("refuses a real refresh token (from a login) used as an access token", async () => {
			const body = await expectUnauthorized(`Bearer ${refreshToken}`);
			expect(body.detail).toBe("The access token is not valid (typ)");
		});
	});

	describe("claims", () => {
		it.each(["sub", "exp", "iat"])("refuses a token without %s", async (claim) => {
			const body = await expectUnauthorized(`Bearer ${await craft({ omit: [claim] })}`);
			expect(body.detail).toBe(`The access token is not valid (${claim})`);
		});

		it.each([
			["an empty subject", ""],
			["a numeric subject", 42],
			["an object subject", { $ne: null }],
		])("refuses a token with %s", async (_what, sub) => {
			await expectUnauthorized(`Bearer ${await craft({ payload: { sub: sub as string } })}`);
		});

		it("refuses a well-signed token for a user that does not exist", async () => {
			const body = await expectUnauthorized(`Bearer ${await craft({ payload: { sub: "NoSuchUser000000" } })}`);
			expect(body.detail).toBe("The account no longer exists");
		});

		it("takes the role from the account, not from a well-signed token claiming superuser", async () => {
			const token = await craft({ payload: { role: "superuser" } });
			await request(gateway.url).get("/api/v1/auth/me").set("Authorization", `Bearer ${token}`).expect(200);
			const res = await request(gateway.url).get("/api/v1/users").set("Authorization", `Bearer ${token}`).expect(403);
			expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
		});
	});

	describe("malformed credentials", () => {
		it.each([
			["a word", "garbage"],
			["a hyphenated word", "not-a-jwt-at-all"],
			["three one-letter segments", "a.b.c"],
			["three segments that are not base64url JSON", "aaaaaaaaaa.bbbbbbbbbb.cccccccccc"],
			["an empty payload with no signature", "eyJhbGciOiJIUzI1NiJ9.e30."],
			["a header alone", "eyJhbGciOiJIUzI1NiJ9"],
			["only dots", "...................."],
			["percent signs", "%%%%%%%%%%%%"],
			["the word Bearer", "Bearer"],
			["5000 characters", "x".repeat(5000)],
		])("refuses a garbage token: %s", async (_what, token) => {
			await expectUnauthorized(`Bearer ${token}`);
		});

		it("refuses a token made of JSON instead of base64url", async () => {
			await expectUnauthorized(`Bearer {"alg":"HS256"}.{"sub":"${userId}"}.sig`);
		});

		it("refuses a Bearer header without a token", async () => {
			await expectUnauthorized("Bearer");
			await expectUnauthorized("Bearer ");
		});

		it("refuses a valid token behind extra spaces or a tab", async () => {
			await expectUnauthorized(`Bearer  ${accessToken}`);
			await expectUnauthorized(`Bearer   ${accessToken}`);
			await expectUnauthorized(`Bearer\t${accessToken}`);
		});

		it("refuses two tokens in one header", async () => {
			await expectUnauthorized(`Bearer ${accessToken} ${accessToken}`);
			await expectUnauthorized(`Bearer ${accessToken},Bearer ${accessToken}`);
		});

		it("refuses the Basic scheme, even with valid credentials", async () => {
			await expectUnauthorized(`Basic ${Buffer.from(`jwt@example.com:${PASSWORD}`).toString("base64")}`);
		});

		it("refuses a valid token under another scheme or with no scheme", async () => {
			await expectUnauthorized(`Token ${accessToken}`);
			await expectUnauthorized(`JWT ${accessToken}`);
			await expectUnauthorized(accessToken);
		});

		it("refuses a one-character Authorization header", async () => {
			await expectUnauthorized("x");
		});
	});
});
