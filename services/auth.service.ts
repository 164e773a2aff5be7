import { randomUUID } from "node:crypto";
import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed } from "../lib/errors";
import { signAccessToken, signRefreshToken, verifyRefreshToken } from "../lib/jwt";
import { createRedisClient } from "../lib/redis";
import type { Principal, Role } from "../lib/types";
import { DbMixin } from "../mixins/db.mixin";
import { LoginGuard } from "./auth/login-guard";
import { hashPassword, needsRehash, passwordProblems, verifyAgainstDummy, verifyPassword } from "./auth/passwords";
import { REFRESH_TOKENS_SERVICE, refreshTokensRepository } from "./auth/refresh-tokens.repository";

/** Fields of a user anyone may see: never the password hash. */
export const USER_FIELDS = ["id", "email", "name", "role", "active", "lastLoginAt", "createdAt", "updatedAt"];

const USER_EXAMPLE = {
	id: "kQ3ZrV9sF2aXhT1c",
	email: "ada@example.com",
	name: "Ada",
	role: "user",
	active: true,
	lastLoginAt: null,
	createdAt: "2026-11-26T08:00:00.000Z",
	updatedAt: "2026-11-26T08:00:00.000Z",
};
const TOKENS_EXAMPLE = {
	accessToken: "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
	refreshToken: "eyJ…",
	tokenType: "Bearer",
	expiresIn: 900,
};

interface StoredUser extends Record<string, unknown> {
	_id: unknown;
	email: string;
	passwordHash: string;
	role: Role;
	active: boolean;
}

const email = { type: "email", normalize: true, max: 254 };
const password = { type: "string", min: 1, max: 128 };
const refreshToken = { type: "string", min: 20, max: 4096 };

function caller(ctx: AnyContext): Principal {
	const user = ctx.meta.user as Principal | null | undefined;
	if (!user) throw new Unauthorized();
	return user;
}

export function createAuthService(config: Config) {
	return defineService({
		name: "auth",
		mixins: [DbMixin({ collection: "users", indexes: [{ fields: ["email"], unique: true }, { fields: ["role"] }] }, config)],
		settings: { rest: "/", fields: USER_FIELDS },

		actions: {
			register: {
				rest: "POST /auth/register",
				auth: "public",
				rateLimit: "auth",
				summary: "Create an account",
				description: "Creates a user with the `user` role. The email is lower-cased and must be unused.",
				tag: "auth",
				successStatus: 201,
				errors: [409],
				example: { email: "ada@example.com", password: "correct horse battery staple", name: "Ada" },
				responseExample: USER_EXAMPLE,
				params: {
					$$strict: true,
					email,
					password: { type: "string", min: 10, max: 128 },
					name: { type: "string", trim: true, min: 1, max: 100 },
				},
				async handler(ctx) {
					const problems = passwordProblems(ctx.params.password, ctx.params.email);
					if (problems.length > 0) throw new ValidationFailed(problems.map((message) => ({ field: "password", message })));
					if (await this.findOneRaw({ email: ctx.params.email })) throw new Conflict("An account with this email exists");
					return this.createOwned(
						null,
						{
							email: ctx.params.email,
							name: ctx.params.name,
							passwordHash: await hashPassword(ctx.params.password),
							role: "user",
							active: true,
							lastLoginAt: null,
						},
						ctx,
					);
				},
			},

			login: {
				rest: "POST /auth/login",
				auth: "public",
				rateLimit: "auth",
				summary: "Sign in",
				description:
					"Answers an access token and a refresh token. Unknown accounts and wrong passwords get the same 401; repeated failures per account or address get 429.",
				tag: "auth",
				errors: [403],
				example: { email: "ada@example.com", password: "correct horse battery staple" },
				responseExample: TOKENS_EXAMPLE,
				params: { $$strict: true, email, password },
				async handler(ctx) {
					const address = String(ctx.meta.clientAddress ?? "unknown");
					await this.loginGuard.assertAllowed(ctx.params.email, address);
					const user = (await this.findOneRaw({ email: ctx.params.email })) as StoredUser | null;
					const valid = user ? await verifyPassword(user.passwordHash, ctx.params.password) : await verifyAgainstDummy(ctx.params.password);
					if (!user || !valid) {
						await this.loginGuard.recordFailure(ctx.params.email, address);
						throw new Unauthorized("Invalid email or password");
					}
					if (!user.active) throw new Forbidden("This account is deactivated");
					await this.loginGuard.recordSuccess(ctx.params.email);
					const id = this.encodeID(user._id);
					const changes: Record<string, unknown> = { lastLoginAt: new Date() };
					if (needsRehash(user.passwordHash)) changes.passwordHash = await hashPassword(ctx.params.password);
					await this.updateInternal(id, changes, ctx);
					return this.issueTokens(id, user.role, randomUUID());
				},
			},

			refresh: {
				rest: "POST /auth/refresh",
				auth: "public",
				rateLimit: "auth",
				summary: "Exchange a refresh token",
				description:
					"Answers a new access and refresh token. Each refresh token works once: presenting a used one revokes every token of that sign-in.",
				tag: "auth",
				responseExample: TOKENS_EXAMPLE,
				params: { $$strict: true, refreshToken },
				async handler(ctx) {
					const claims = await verifyRefreshToken(config.auth, ctx.params.refreshToken);
					const spent = await ctx.call<number, unknown>(`${REFRESH_TOKENS_SERVICE}.spend`, { tokenId: claims.tokenId });
					if (spent !== 1) {
						await this.revokeFamily(ctx, claims.familyId);
						this.logger.warn({ userId: claims.userId, familyId: claims.familyId }, "Refresh token reuse: family revoked");
						throw new Unauthorized("The refresh token was already used; sign in again");
					}
					const user = (await this.findRawById(claims.userId)) as StoredUser | null;
					if (!user?.active) {
						await this.revokeFamily(ctx, claims.familyId);
						throw new Unauthorized("The account is not active");
					}
					return this.issueTokens(claims.userId, user.role, claims.familyId);
				},
			},

			logout: {
				rest: "POST /auth/logout",
				auth: "public",
				rateLimit: "auth",
				summary: "Sign out",
				description: "Revokes the refresh token and every token rotated from the same sign-in. Access tokens expire on their own.",
				tag: "auth",
				successStatus: 204,
				params: { $$strict: true, refreshToken },
				async handler(ctx) {
					const claims = await verifyRefreshToken(config.auth, ctx.params.refreshToken);
					await this.revokeFamily(ctx, claims.familyId);
					return null;
				},
			},

			me: {
				rest: "GET /auth/me",
				auth: "user",
				summary: "The signed-in user",
				tag: "auth",
				responseExample: USER_EXAMPLE,
				handler(ctx) {
					return this.getOwned(null, caller(ctx).id, ctx);
				},
			},

			updateMe: {
				rest: "PATCH /auth/me",
				auth: "user",
				summary: "Change your name",
				tag: "auth",
				example: { name: "Ada Lovelace" },
				responseExample: USER_EXAMPLE,
				params: { $$strict: true, name: { type: "string", trim: true, min: 1, max: 100 } },
				handler(ctx) {
					return this.updateOwned(null, caller(ctx).id, { name: ctx.params.name }, ctx);
				},
			},

			changePassword: {
				rest: "POST /auth/password",
				auth: "user",
				rateLimit: "auth",
				summary: "Change your password",
				description: "Requires the current password; signs out every session (all refresh tokens are revoked).",
				tag: "auth",
				successStatus: 204,
				example: { currentPassword: "correct horse battery staple", newPassword: "a new and longer passphrase" },
				params: { $$strict: true, currentPassword: password, newPassword: { type: "string", min: 10, max: 128 } },
				async handler(ctx) {
					const principal = caller(ctx);
					const user = (await this.findRawById(principal.id)) as StoredUser | null;
					if (!user) throw new Unauthorized();
					if (!(await verifyPassword(user.passwordHash, ctx.params.currentPassword))) {
						throw new ValidationFailed([{ field: "currentPassword", message: "The current password is not correct" }]);
					}
					const problems = passwordProblems(ctx.params.newPassword, user.email);
					if (problems.length > 0) throw new ValidationFailed(problems.map((message) => ({ field: "newPassword", message })));
					await this.updateInternal(principal.id, { passwordHash: await hashPassword(ctx.params.newPassword) }, ctx);
					await ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeUser`, { userId: principal.id });
					return null;
				},
			},

			/** For the gateway: who an access token's subject is now (role and active state can change). */
			resolveUser: {
				visibility: "public",
				params: { id: { type: "string", max: 64 } },
				async handler(ctx): Promise<Pick<Principal, "id" | "role"> & { active: boolean }> {
					const user = (await this.findRawById(ctx.params.id)) as StoredUser | null;
					if (!user) throw new NotFound("user", ctx.params.id);
					return { id: ctx.params.id, role: user.role, active: user.active };
				},
			},
		},

		methods: {
			async issueTokens(userId: string, role: Role, familyId: string) {
				const tokenId = randomUUID();
				const expiresAt = new Date(Date.now() + config.auth.refreshTokenTtlSeconds * 1000);
				await this.broker.call(`${REFRESH_TOKENS_SERVICE}.record`, { tokenId, familyId, userId, expiresAt: expiresAt.toISOString() });
				return {
					accessToken: await signAccessToken(config.auth, { id: userId, role }),
					refreshToken: await signRefreshToken(config.auth, { userId, familyId, tokenId }),
					tokenType: "Bearer",
					expiresIn: config.auth.accessTokenTtlSeconds,
				};
			},

			revokeFamily(ctx: AnyContext, familyId: string) {
				return ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeFamily`, { familyId });
			},
		},

		created() {
			// auth owns its token collections: their repositories run wherever auth runs.
			this.broker.createService(refreshTokensRepository(config));
			this.redis = createRedisClient(config.redis, (error) => this.logger.debug("Redis:", error.message));
			this.loginGuard = new LoginGuard(config.redis, this.redis);
		},

		async started() {
			if (this.redis)
				await this.redis
					.connect()
					.catch((error: Error) => this.logger.warn("Redis unavailable, login limits are per process:", error.message));
		},

		async stopped() {
			if (this.redis) this.redis.disconnect();
		},
	});
}

export default createAuthService(getConfig());
