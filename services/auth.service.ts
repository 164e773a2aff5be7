import { randomUUID } from "node:crypto";
import { API_TOKEN_PREFIX, displayPrefix, generateApiToken, hashApiToken, isWellFormedApiToken } from "../lib/api-token";
import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed } from "../lib/errors";
import { signAccessToken, signRefreshToken, verifyRefreshToken } from "../lib/jwt";
import { email, objectId, page, pageSize } from "../lib/params";
import { createRedisClient } from "../lib/redis";
import { API_TOKEN_SCOPES } from "../lib/scopes";
import type { Principal, Role } from "../lib/types";
import { DbMixin } from "../mixins/db.mixin";
import { activityActions } from "./auth/activity.actions";
import { activityRepository } from "./auth/activity.repository";
import { API_TOKENS_SERVICE, apiTokensRepository } from "./auth/api-tokens.repository";
import { LIMITS_EXAMPLE, limitsActions, USAGE_EXAMPLE } from "./auth/limits.actions";
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

const password = { type: "string", min: 1, max: 128 };
const refreshToken = { type: "string", min: 20, max: 4096 };
/** Refresh and sign-out: the body's token, or in a browser session the cookie's, which the gateway puts here. */
const sessionRefreshToken = { ...refreshToken, optional: true };

/** The refresh token of a refresh or sign-out; missing from both body and cookie is a missing field. */
function requiredRefreshToken(token: string | undefined): string {
	if (token === undefined) throw new ValidationFailed([{ field: "refreshToken", message: "The 'refreshToken' field is required." }]);
	return token;
}
/** Touching lastUsedAt on every call would turn each request into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const TOKEN_EXAMPLE = {
	id: "Yc2m9QpLr0aZ7tWe",
	name: "training laptop",
	prefix: "pxc_4fK9aQ",
	scopes: ["datasets:read", "exports:read"],
	expiresAt: "2027-02-24T08:00:00.000Z",
	lastUsedAt: null,
	revokedAt: null,
	createdAt: "2026-11-26T08:00:00.000Z",
	updatedAt: "2026-11-26T08:00:00.000Z",
};

interface StoredApiToken extends Record<string, unknown> {
	_id: unknown;
	userId: string;
	scopes: string[];
	expiresAt: Date | string | null;
	lastUsedAt: Date | string | null;
	revokedAt: Date | string | null;
}

function caller(ctx: AnyContext): Principal {
	const user = ctx.meta.user as Principal | null | undefined;
	if (!user) throw new Unauthorized();
	return user;
}

export function createAuthService(config: Config) {
	return defineService({
		name: "auth",
		mixins: [
			DbMixin({ collection: "users", indexes: [{ fields: ["email"], unique: true }, { fields: ["role"] }] }, config),
			limitsActions(config),
			activityActions(),
		],
		settings: { rest: "/", fields: USER_FIELDS },

		actions: {
			register: {
				rest: "POST /auth/register",
				auth: "public",
				rateLimit: "auth",
				summary: "Create an account",
				description: "Creates a user with the `user` role. The email is lower-cased and must be unused.",
				tag: "auth",
				response: "User",
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
					const user = await this.createOwned(
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
					// the activity log's actor of this request: nobody was signed in, the new account made it
					ctx.meta.activityUserId = user.id;
					return user;
				},
			},

			login: {
				rest: "POST /auth/login",
				auth: "public",
				rateLimit: "auth",
				summary: "Sign in",
				description:
					"Answers an access token and a refresh token. Unknown accounts and wrong passwords get the same 401; repeated failures per account or address get 429. With `X-PixCrawler-Session: cookie` the refresh token is set as the httpOnly `pixcrawler_refresh` cookie instead of answered.",
				tag: "auth",
				session: "start",
				response: { oneOf: ["AuthTokens", "SessionTokens"] },
				errors: [403],
				example: { email: "ada@example.com", password: "correct horse battery staple" },
				responseExample: TOKENS_EXAMPLE,
				params: { $$strict: true, email, password },
				async handler(ctx) {
					const address = String(ctx.meta.clientAddress ?? "unknown");
					await this.loginGuard.spendAttempt(ctx.params.email, address);
					const user = (await this.findOneRaw({ email: ctx.params.email })) as StoredUser | null;
					const valid = user ? await verifyPassword(user.passwordHash, ctx.params.password) : await verifyAgainstDummy(ctx.params.password);
					if (!user || !valid) throw new Unauthorized("Invalid email or password");
					if (!user.active) throw new Forbidden("This account is deactivated");
					await this.loginGuard.recordSuccess(ctx.params.email, address);
					const id = this.encodeID(user._id);
					const changes: Record<string, unknown> = { lastLoginAt: new Date() };
					if (needsRehash(user.passwordHash)) changes.passwordHash = await hashPassword(ctx.params.password);
					await this.updateInternal(id, changes, ctx);
					ctx.meta.activityUserId = id;
					return this.issueTokens(id, user.role, randomUUID());
				},
			},

			refresh: {
				rest: "POST /auth/refresh",
				auth: "public",
				rateLimit: "auth",
				summary: "Exchange a refresh token",
				description:
					"Answers a new access and refresh token. Each refresh token works once: presenting a used one revokes every token of that sign-in. `refreshToken` is required unless `X-PixCrawler-Session: cookie` sends the `pixcrawler_refresh` cookie, which is then rotated.",
				tag: "auth",
				session: "rotate",
				response: { oneOf: ["AuthTokens", "SessionTokens"] },
				responseExample: TOKENS_EXAMPLE,
				params: { $$strict: true, refreshToken: sessionRefreshToken },
				async handler(ctx) {
					const claims = await verifyRefreshToken(config.auth, requiredRefreshToken(ctx.params.refreshToken));
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
					const tokens = await this.issueTokens(claims.userId, user.role, claims.familyId);
					// A replay of the same token may have lost the race to spend it and revoked the family
					// while this rotation was recording its successor: that successor must not survive.
					if (await ctx.call(`${REFRESH_TOKENS_SERVICE}.familyRevoked`, { familyId: claims.familyId })) {
						await this.revokeFamily(ctx, claims.familyId);
						throw new Unauthorized("The refresh token was already used; sign in again");
					}
					ctx.meta.activityUserId = claims.userId;
					return tokens;
				},
			},

			logout: {
				rest: "POST /auth/logout",
				auth: "public",
				rateLimit: "auth",
				summary: "Sign out",
				description:
					"Revokes the refresh token and every token rotated from the same sign-in. Access tokens expire on their own. `refreshToken` is required unless `X-PixCrawler-Session: cookie` sends the `pixcrawler_refresh` cookie, which is then cleared.",
				tag: "auth",
				session: "end",
				successStatus: 204,
				params: { $$strict: true, refreshToken: sessionRefreshToken },
				async handler(ctx) {
					const claims = await verifyRefreshToken(config.auth, requiredRefreshToken(ctx.params.refreshToken));
					await this.revokeFamily(ctx, claims.familyId);
					ctx.meta.activityUserId = claims.userId;
					return null;
				},
			},

			me: {
				rest: "GET /auth/me",
				auth: "user",
				scopes: ["account:read"],
				summary: "The signed-in user, with plan limits and usage",
				description:
					"The account, the plan limits that apply to it (`limits`; null: no limit) and how much of each it uses (`usage`; null when the service counting it did not answer).",
				tag: "auth",
				response: "Account",
				responseExample: { ...USER_EXAMPLE, limits: LIMITS_EXAMPLE, usage: USAGE_EXAMPLE },
				async handler(ctx) {
					const id = caller(ctx).id;
					const stored = await this.storedUser(id);
					const limits = this.limitsFromStored(stored);
					return { ...(await this.toDocuments(ctx, stored)), limits, usage: await this.usageOf(ctx, id) };
				},
			},

			updateMe: {
				rest: "PATCH /auth/me",
				auth: "user",
				summary: "Change your name",
				tag: "auth",
				response: "User",
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
					// a stolen session must not become a way to guess the password
					const address = String(ctx.meta.clientAddress ?? "unknown");
					await this.loginGuard.spendAttempt(user.email, address);
					if (!(await verifyPassword(user.passwordHash, ctx.params.currentPassword))) {
						throw new ValidationFailed([{ field: "currentPassword", message: "The current password is not correct" }]);
					}
					await this.loginGuard.recordSuccess(user.email, address);
					const problems = passwordProblems(ctx.params.newPassword, user.email);
					if (problems.length > 0) throw new ValidationFailed(problems.map((message) => ({ field: "newPassword", message })));
					await this.updateInternal(principal.id, { passwordHash: await hashPassword(ctx.params.newPassword) }, ctx);
					await ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeUser`, { userId: principal.id });
					return null;
				},
			},

			listTokens: {
				rest: "GET /tokens",
				auth: "user",
				scopes: ["tokens:manage"],
				summary: "Your API tokens",
				description: "Name, prefix, scopes, expiry and last use of each token; never the token itself.",
				tag: "tokens",
				response: { page: "ApiToken" },
				params: { page, pageSize },
				handler(ctx) {
					return ctx.call(`${API_TOKENS_SERVICE}.listOwned`, {
						userId: caller(ctx).id,
						page: ctx.params.page,
						pageSize: ctx.params.pageSize,
					});
				},
			},

			createToken: {
				rest: "POST /tokens",
				auth: "user",
				scopes: ["tokens:manage"],
				summary: "Create an API token",
				description:
					"Answers the token once, in `token`: store it now, it cannot be shown again. A token used to create another cannot grant scopes it lacks itself.",
				tag: "tokens",
				response: "CreatedApiToken",
				successStatus: 201,
				example: { name: "training laptop", scopes: ["datasets:read", "exports:read"], expiresInDays: 90 },
				responseExample: { ...TOKEN_EXAMPLE, token: "pxc_4fK9aQ…" },
				params: {
					$$strict: true,
					name: { type: "string", trim: true, min: 1, max: 100 },
					scopes: {
						type: "array",
						min: 1,
						max: API_TOKEN_SCOPES.length,
						unique: true,
						items: { type: "enum", values: [...API_TOKEN_SCOPES] },
					},
					expiresInDays: { type: "number", integer: true, min: 1, max: 3650, optional: true },
				},
				handler(ctx) {
					const principal = caller(ctx);
					if (principal.via === "apiToken") {
						const beyond = (ctx.params.scopes as string[]).filter((scope) => !principal.scopes?.includes(scope));
						if (beyond.length > 0) throw new Forbidden("A token cannot grant scopes it does not have", { scopes: beyond });
					}
					// nor outlive itself: a child's expiry is capped at its parent's, and it dies with it
					const fromToken = principal.via === "apiToken";
					return this.createApiTokenFor(ctx, principal.id, {
						...ctx.params,
						parentTokenId: fromToken ? principal.tokenId : null,
						notAfter: fromToken && principal.tokenExpiresAt ? new Date(principal.tokenExpiresAt) : null,
					});
				},
			},

			revokeToken: {
				rest: "DELETE /tokens/:id",
				auth: "user",
				scopes: ["tokens:manage"],
				summary: "Revoke an API token",
				description: "The token stops working within seconds.",
				tag: "tokens",
				successStatus: 204,
				params: { id: objectId },
				async handler(ctx) {
					await ctx.call(`${API_TOKENS_SERVICE}.revoke`, { userId: caller(ctx).id, id: ctx.params.id });
					return null;
				},
			},

			/** For the gateway: who an API token speaks for, or Unauthorized. */
			resolveApiToken: {
				visibility: "public",
				params: { token: { type: "string", max: 200 } },
				async handler(ctx): Promise<Principal> {
					const token: string = ctx.params.token;
					// garbage and typos are turned away before any database work
					if (!token.startsWith(API_TOKEN_PREFIX) || !isWellFormedApiToken(token)) throw new Unauthorized("The API token is not valid");
					const stored = (await ctx.call(`${API_TOKENS_SERVICE}.findByHash`, { hash: hashApiToken(token) })) as StoredApiToken | null;
					if (!stored || stored.revokedAt) throw new Unauthorized("The API token is not valid");
					if (stored.expiresAt && new Date(stored.expiresAt).getTime() <= Date.now()) throw new Unauthorized("The API token has expired");
					const user = (await this.findRawById(stored.userId)) as StoredUser | null;
					if (!user?.active) throw new Unauthorized("The account is not active");
					const tokenId = this.encodeID(stored._id) as string;
					if (!stored.lastUsedAt || Date.now() - new Date(stored.lastUsedAt).getTime() > LAST_USED_RESOLUTION_MS) {
						await ctx.call(`${API_TOKENS_SERVICE}.touch`, { id: tokenId });
					}
					const tokenExpiresAt = stored.expiresAt ? new Date(stored.expiresAt).toISOString() : null;
					const { apiRequestsPerMinute } = this.limitsFromStored(user);
					return {
						id: stored.userId,
						role: user.role,
						scopes: stored.scopes,
						via: "apiToken",
						tokenId,
						tokenExpiresAt,
						apiRequestsPerMinute,
					};
				},
			},

			listUsers: {
				rest: "GET /users",
				auth: "superuser",
				summary: "Users",
				description: "Every user, newest first; filter by email (part of it), role and active state.",
				tag: "users",
				response: { page: "User" },
				params: {
					page,
					pageSize,
					email: { type: "string", trim: true, max: 254, optional: true },
					role: { type: "enum", values: ["user", "superuser"], optional: true },
					active: { type: "boolean", convert: true, optional: true },
				},
				handler(ctx) {
					const query: Record<string, unknown> = {};
					if (ctx.params.role) query.role = ctx.params.role;
					if (ctx.params.active !== undefined) query.active = ctx.params.active;
					const search = ctx.params.email ? String(ctx.params.email).toLowerCase() : undefined;
					return this.findPage(
						{ query, page: ctx.params.page, pageSize: ctx.params.pageSize, search, searchFields: search ? ["email"] : undefined },
						ctx,
					);
				},
			},

			getUser: {
				rest: "GET /users/:id",
				auth: "superuser",
				summary: "A user",
				tag: "users",
				response: "User",
				responseExample: USER_EXAMPLE,
				params: { id: objectId },
				handler(ctx) {
					return this.getOwned(null, ctx.params.id, ctx);
				},
			},

			updateUser: {
				rest: "PATCH /users/:id",
				auth: "superuser",
				summary: "Change a user's role, state or name",
				description: "A superuser cannot demote or deactivate themselves. Deactivating signs the user out everywhere.",
				tag: "users",
				response: "User",
				errors: [409],
				example: { role: "superuser" },
				responseExample: USER_EXAMPLE,
				params: {
					$$strict: true,
					id: objectId,
					role: { type: "enum", values: ["user", "superuser"], optional: true },
					active: { type: "boolean", optional: true },
					name: { type: "string", trim: true, min: 1, max: 100, optional: true },
				},
				async handler(ctx) {
					const { id, ...changes } = ctx.params;
					await this.getOwned(null, id, ctx);
					if (id === caller(ctx).id && (changes.role === "user" || changes.active === false)) {
						throw new Conflict("You cannot demote or deactivate yourself");
					}
					const updated = await this.updateInternal(id, changes, ctx);
					if (changes.active === false) await ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeUser`, { userId: id });
					return updated;
				},
			},

			removeUser: {
				rest: "DELETE /users/:id",
				auth: "superuser",
				summary: "Delete a user",
				description:
					"Deletes the account with its sessions and API tokens, and everything it kept: projects, datasets with their images, exports and files. A superuser cannot delete themselves.",
				tag: "users",
				successStatus: 204,
				errors: [409],
				params: { id: objectId },
				async handler(ctx) {
					if (ctx.params.id === caller(ctx).id) throw new Conflict("You cannot delete yourself");
					await this.getOwned(null, ctx.params.id, ctx);
					// the data first: if that stops half-way the account is still there to delete again
					await ctx.call("dataset.removeOwnerData", { ownerId: ctx.params.id });
					await this.removeOwned(null, ctx.params.id, ctx);
					await ctx.call(`${REFRESH_TOKENS_SERVICE}.removeOfUser`, { userId: ctx.params.id });
					await ctx.call(`${API_TOKENS_SERVICE}.removeOfUser`, { userId: ctx.params.id });
					return null;
				},
			},

			// Operator commands (the manage CLI), reachable over the bus only: never routed over HTTP.
			adminCreateUser: {
				visibility: "public",
				params: {
					$$strict: true,
					email,
					password: { type: "string", min: 10, max: 128 },
					name: { type: "string", trim: true, min: 1, max: 100 },
					role: { type: "enum", values: ["user", "superuser"] },
				},
				async handler(ctx) {
					const problems = passwordProblems(ctx.params.password, ctx.params.email);
					if (problems.length > 0) throw new ValidationFailed(problems.map((message) => ({ field: "password", message })));
					if (await this.findOneRaw({ email: ctx.params.email })) throw new Conflict("An account with this email exists");
					const { email: address, name, role } = ctx.params;
					return this.createOwned(
						null,
						{ email: address, name, role, passwordHash: await hashPassword(ctx.params.password), active: true, lastLoginAt: null },
						ctx,
					);
				},
			},

			adminUpdateUser: {
				visibility: "public",
				params: {
					$$strict: true,
					email,
					role: { type: "enum", values: ["user", "superuser"], optional: true },
					active: { type: "boolean", optional: true },
					password: { type: "string", min: 10, max: 128, optional: true },
				},
				async handler(ctx) {
					const user = (await this.findOneRaw({ email: ctx.params.email })) as StoredUser | null;
					if (!user) throw new NotFound("user", ctx.params.email);
					const id = this.encodeID(user._id) as string;
					const changes: Record<string, unknown> = {};
					if (ctx.params.role) changes.role = ctx.params.role;
					if (ctx.params.active !== undefined) changes.active = ctx.params.active;
					if (ctx.params.password) {
						const problems = passwordProblems(ctx.params.password, user.email);
						if (problems.length > 0) throw new ValidationFailed(problems.map((message) => ({ field: "password", message })));
						changes.passwordHash = await hashPassword(ctx.params.password);
					}
					const updated = await this.updateInternal(id, changes, ctx);
					if (ctx.params.password || ctx.params.active === false) await ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeUser`, { userId: id });
					return updated;
				},
			},

			adminCreateToken: {
				visibility: "public",
				params: {
					$$strict: true,
					email,
					name: { type: "string", trim: true, min: 1, max: 100 },
					scopes: { type: "array", min: 1, unique: true, items: { type: "enum", values: [...API_TOKEN_SCOPES] } },
					expiresInDays: { type: "number", integer: true, min: 1, max: 3650, optional: true },
				},
				async handler(ctx) {
					const user = (await this.findOneRaw({ email: ctx.params.email })) as StoredUser | null;
					if (!user) throw new NotFound("user", ctx.params.email);
					return this.createApiTokenFor(ctx, this.encodeID(user._id) as string, ctx.params);
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

			async createApiTokenFor(
				ctx: AnyContext,
				userId: string,
				request: { name: string; scopes: string[]; expiresInDays?: number; parentTokenId?: string | null; notAfter?: Date | null },
			) {
				const token = generateApiToken();
				const requested = request.expiresInDays ? new Date(Date.now() + request.expiresInDays * 86_400_000) : null;
				const expiresAt = request.notAfter && (!requested || requested > request.notAfter) ? request.notAfter : requested;
				const stored = await ctx.call<Record<string, unknown>, unknown>(`${API_TOKENS_SERVICE}.record`, {
					userId,
					name: request.name,
					prefix: displayPrefix(token),
					hash: hashApiToken(token),
					scopes: request.scopes,
					expiresAt,
					lastUsedAt: null,
					revokedAt: null,
					parentTokenId: request.parentTokenId ?? null,
				});
				return { ...stored, token };
			},

			revokeFamily(ctx: AnyContext, familyId: string) {
				return ctx.call(`${REFRESH_TOKENS_SERVICE}.revokeFamily`, { familyId });
			},
		},

		created() {
			// auth owns its token collections: their repositories run wherever auth runs.
			this.broker.createService(refreshTokensRepository(config));
			this.broker.createService(apiTokensRepository(config));
			this.broker.createService(activityRepository(config));
			this.redis = createRedisClient(config.redis, (error) => this.logger.debug("Redis:", error.message));
			this.loginGuard = new LoginGuard(config.redis, this.redis);
		},

		async started() {
			if (this.redis)
				await this.redis
					.connect()
					.catch((error: Error) => this.logger.warn({ error: error.message }, "Redis unavailable, login limits are per process"));
		},

		async stopped() {
			if (this.redis) this.redis.disconnect();
		},
	});
}

export default createAuthService(getConfig());
