import { generateApiToken } from "../../lib/api-token";
import { defineService } from "../../lib/define-service";
import { Conflict, NotFound } from "../../lib/errors";
import type { Principal } from "../../lib/types";

/** A stand-in for a product service: one action per gateway behaviour the tests exercise. */
export const sampleService = defineService({
	name: "samples",
	settings: { rest: "/" },
	actions: {
		list: {
			rest: "GET /samples",
			auth: "user",
			summary: "List samples",
			params: {
				page: { type: "number", integer: true, min: 1, optional: true, convert: true },
				pageSize: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
			},
			handler(ctx) {
				const user = ctx.meta.user as Principal;
				return { items: [{ id: "s1", ownerId: user.id }], total: 1, page: ctx.params.page ?? 1, pageSize: ctx.params.pageSize ?? 20 };
			},
		},
		create: {
			rest: "POST /samples",
			auth: "user",
			summary: "Create a sample",
			successStatus: 201,
			example: { name: "cats", size: 3 },
			errors: [409],
			params: {
				$$strict: true,
				name: { type: "string", min: 1, max: 40 },
				size: { type: "number", integer: true, min: 1, optional: true },
			},
			handler(ctx) {
				if (ctx.params.name === "taken") throw new Conflict("A sample with this name exists");
				return { id: "s2", name: ctx.params.name, size: ctx.params.size ?? 1 };
			},
		},
		get: {
			rest: "GET /samples/:id",
			auth: "user",
			params: { id: { type: "string", max: 64 } },
			handler(ctx) {
				throw new NotFound("sample", ctx.params.id);
			},
		},
		echo: {
			rest: "POST /public/echo",
			auth: "public",
			params: { text: { type: "string", max: 1000000 } },
			handler(ctx) {
				return { text: ctx.params.text };
			},
		},
		admin: {
			rest: "GET /admin/samples",
			auth: "superuser",
			handler() {
				return { ok: true };
			},
		},
		scoped: {
			rest: "POST /samples/:id/publish",
			auth: "user",
			scopes: ["samples:write"],
			params: { id: "string" },
			handler(ctx) {
				return { id: ctx.params.id, published: true };
			},
		},
		expensive: {
			rest: "POST /samples/:id/build",
			auth: "user",
			rateLimit: "expensive",
			params: { id: "string" },
			handler(ctx) {
				return { id: ctx.params.id };
			},
		},
		slow: {
			rest: "GET /public/slow",
			auth: "public",
			params: { ms: { type: "number", integer: true, min: 0, max: 5000, convert: true } },
			async handler(ctx) {
				await new Promise((resolve) => setTimeout(resolve, ctx.params.ms));
				return { waited: ctx.params.ms };
			},
		},
		boom: {
			rest: "GET /public/boom",
			auth: "public",
			handler() {
				throw new Error("connect ECONNREFUSED mongodb://admin:hunter2@10.0.0.5:27017");
			},
		},
		forgotten: {
			rest: "GET /public/forgotten",
			handler() {
				return { leaked: true };
			},
		},
	},
});

/** Well-formed API tokens the stand-in auth service knows. */
export const FAKE_API_TOKENS = { withScope: generateApiToken(), withoutScope: generateApiToken(), unknown: generateApiToken() };

/** The auth service's lookups, as the gateway calls them: ids starting "admin" are superusers, "gone" ones deleted, "off" ones deactivated. */
export const fakeAuthService = defineService({
	name: "auth",
	actions: {
		resolveUser: {
			visibility: "public",
			params: { id: "string" },
			handler(ctx) {
				const id: string = ctx.params.id;
				if (id.startsWith("gone")) throw Object.assign(new Error("user not found"), { code: 404, type: "NOT_FOUND" });
				return { id, role: id.startsWith("admin") ? "superuser" : "user", active: !id.startsWith("off") };
			},
		},
		resolveApiToken: {
			visibility: "public",
			params: { token: "string" },
			handler(ctx): Principal {
				const tokens: Record<string, Principal> = {
					[FAKE_API_TOKENS.withScope]: { id: "user-1", role: "user", via: "apiToken", scopes: ["samples:write"], tokenId: "t1" },
					[FAKE_API_TOKENS.withoutScope]: { id: "user-1", role: "user", via: "apiToken", scopes: [], tokenId: "t2" },
				};
				const principal = tokens[ctx.params.token];
				if (!principal) throw Object.assign(new Error("The API token is not valid"), { code: 401, type: "UNAUTHORIZED" });
				return principal;
			},
		},
	},
});
