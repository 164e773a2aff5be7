import { decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from "jose";
import { loadConfig } from "../../../lib/config";
import { Unauthorized } from "../../../lib/errors";
import { ACCESS_TOKEN_TYPE, JWT_ALGORITHM, REFRESH_TOKEN_TYPE, signAccessToken, verifyAccessToken } from "../../../lib/jwt";

const settings = loadConfig(process.env).auth;
const key = new TextEncoder().encode(settings.jwtSecret);
const now = () => Math.floor(Date.now() / 1000);

function base64url(value: unknown): string {
	return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}

/** A token built with jose directly, starting from what a valid access token holds. */
async function craft(
	options: { payload?: JWTPayload; header?: Record<string, unknown>; secret?: Uint8Array; omit?: string[] } = {},
): Promise<string> {
	const payload: JWTPayload = {
		sub: "user-1",
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

async function rejection(token: string): Promise<Unauthorized> {
	try {
		await verifyAccessToken(settings, token);
	} catch (error) {
		expect(error).toBeInstanceOf(Unauthorized);
		return error as Unauthorized;
	}
	throw new Error("expected the token to be refused");
}

describe("signAccessToken / verifyAccessToken", () => {
	it("round-trips a user", async () => {
		const token = await signAccessToken(settings, { id: "user-1", role: "user" });
		await expect(verifyAccessToken(settings, token)).resolves.toEqual({ id: "user-1", role: "user", via: "jwt" });
	});

	it("round-trips a superuser", async () => {
		const token = await signAccessToken(settings, { id: "admin-1", role: "superuser" });
		await expect(verifyAccessToken(settings, token)).resolves.toEqual({ id: "admin-1", role: "superuser", via: "jwt" });
	});

	it("signs HS256 with the access token type, issuer, audience and the configured lifetime", async () => {
		const token = await signAccessToken(settings, { id: "user-1", role: "user" });
		expect(decodeProtectedHeader(token)).toEqual({ alg: JWT_ALGORITHM, typ: ACCESS_TOKEN_TYPE });
		const claims = decodeJwt(token);
		expect(claims).toMatchObject({ sub: "user-1", role: "user", iss: settings.jwtIssuer, aud: settings.jwtAudience });
		expect((claims.exp as number) - (claims.iat as number)).toBe(settings.accessTokenTtlSeconds);
		expect(Math.abs((claims.iat as number) - now())).toBeLessThanOrEqual(2);
	});

	it("honours an explicit lifetime", async () => {
		const claims = decodeJwt(await signAccessToken(settings, { id: "user-1", role: "user" }, 60));
		expect((claims.exp as number) - (claims.iat as number)).toBe(60);
	});

	it("reads any role other than superuser as user", async () => {
		await expect(verifyAccessToken(settings, await craft({ payload: { role: "root" } }))).resolves.toMatchObject({ role: "user" });
		await expect(verifyAccessToken(settings, await craft({ omit: ["role"] }))).resolves.toMatchObject({ role: "user" });
	});

	it("accepts a token that expired within the 5 s clock tolerance", async () => {
		const token = await craft({ payload: { iat: now() - 60, exp: now() - 2 } });
		await expect(verifyAccessToken(settings, token)).resolves.toMatchObject({ id: "user-1" });
	});
});

describe("verifyAccessToken refuses", () => {
	it("an unsigned alg:none token", async () => {
		const claims = decodeJwt(await signAccessToken(settings, { id: "admin-1", role: "superuser" }));
		const token = `${base64url({ alg: "none", typ: ACCESS_TOKEN_TYPE })}.${base64url(claims)}.`;
		const error = await rejection(token);
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token is not valid");
	});

	it("a token signed with HS512 and the same secret (algorithm pinned to HS256)", async () => {
		expect((await rejection(await craft({ header: { alg: "HS512" } }))).code).toBe(401);
	});

	it("a token signed with another secret", async () => {
		const other = new TextEncoder().encode("another-secret-that-is-long-enough-0123456789");
		expect((await rejection(await craft({ secret: other }))).code).toBe(401);
	});

	it("a token whose payload was changed after signing", async () => {
		const token = await signAccessToken(settings, { id: "user-1", role: "user" });
		const [header, , signature] = token.split(".");
		const forged = { ...decodeJwt(token), role: "superuser" };
		expect((await rejection(`${header}.${base64url(forged)}.${signature}`)).code).toBe(401);
	});

	it("an expired token beyond the clock tolerance, saying it expired", async () => {
		const error = await rejection(await craft({ payload: { iat: now() - 3600, exp: now() - 60 } }));
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token has expired");
	});

	it("a token that is not valid yet (nbf in the future)", async () => {
		const error = await rejection(await craft({ payload: { nbf: now() + 120 } }));
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token is not valid (nbf)");
	});

	it("a token from another issuer", async () => {
		const error = await rejection(await craft({ payload: { iss: "someone-else" } }));
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token is not valid (iss)");
	});

	it("a token for another audience", async () => {
		const error = await rejection(await craft({ payload: { aud: "another-api" } }));
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token is not valid (aud)");
	});

	it("a refresh token used as an access token (typ refresh+jwt)", async () => {
		const error = await rejection(await craft({ header: { typ: REFRESH_TOKEN_TYPE } }));
		expect(error.code).toBe(401);
		expect(error.message).toBe("The access token is not valid (typ)");
	});

	it("a token without a typ header", async () => {
		const token = await new SignJWT({ sub: "user-1", iat: now(), exp: now() + 300, iss: settings.jwtIssuer, aud: settings.jwtAudience })
			.setProtectedHeader({ alg: "HS256" })
			.sign(key);
		expect((await rejection(token)).code).toBe(401);
	});

	it.each(["sub", "exp", "iat"])("a token without %s", async (claim) => {
		const error = await rejection(await craft({ omit: [claim] }));
		expect(error.code).toBe(401);
		expect(error.message).toBe(`The access token is not valid (${claim})`);
	});

	it("a token with an empty subject", async () => {
		const error = await rejection(await craft({ payload: { sub: "" } }));
		expect(error.code).toBe(401);
		expect(error.type).toBe("UNAUTHORIZED");
	});

	it.each(["", "not-a-jwt", "a.b.c", "Bearer x.y.z"])("the malformed token %j", async (token) => {
		expect((await rejection(token)).code).toBe(401);
	});

	it("a token signed for another deployment's settings", async () => {
		const other = loadConfig({ AUTH_JWT_ISSUER: "staging", AUTH_JWT_SECRET: "staging-secret-that-is-long-enough-012345" }).auth;
		const token = await signAccessToken(other, { id: "user-1", role: "user" });
		expect((await rejection(token)).code).toBe(401);
	});
});

describe("verifyAccessToken on a token it verified before", () => {
	afterEach(() => jest.useRealTimers());

	it("answers the same principal, as a copy the caller may change", async () => {
		const token = await signAccessToken(settings, { id: "user-9", role: "superuser" });
		const first = await verifyAccessToken(settings, token);
		first.role = "user";
		await expect(verifyAccessToken(settings, token)).resolves.toEqual({ id: "user-9", role: "superuser", via: "jwt" });
	});

	it("still refuses it once it has expired beyond the clock tolerance, saying it expired", async () => {
		const token = await craft({ payload: { sub: "user-10", exp: now() + 2 } });
		await expect(verifyAccessToken(settings, token)).resolves.toMatchObject({ id: "user-10" });
		jest.useFakeTimers({ now: Date.now() + 8000 });
		const error = await rejection(token);
		expect(error.message).toBe("The access token has expired");
	});

	it("still refuses it under another deployment's settings", async () => {
		const token = await signAccessToken(settings, { id: "user-11", role: "user" });
		await verifyAccessToken(settings, token);
		const other = loadConfig({ AUTH_JWT_ISSUER: "staging", AUTH_JWT_SECRET: "staging-secret-that-is-long-enough-012345" }).auth;
		expect((await rejectionUnder(other, token)).code).toBe(401);
	});
});

async function rejectionUnder(other: typeof settings, token: string): Promise<Unauthorized> {
	try {
		await verifyAccessToken(other, token);
	} catch (error) {
		return error as Unauthorized;
	}
	throw new Error("expected the token to be refused");
}
