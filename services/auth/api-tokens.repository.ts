import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin, trusted } from "../../mixins/db.mixin";

export const API_TOKENS_SERVICE = "auth-api-tokens";

/** Fields a token's owner sees: never the hash. */
export const API_TOKEN_FIELDS = ["id", "name", "prefix", "scopes", "expiresAt", "lastUsedAt", "revokedAt", "createdAt", "updatedAt"];

/** API tokens by SHA-256 hash; the token text itself is shown once, at creation, and never stored. */
export function apiTokensRepository(config: Config) {
	return defineService({
		name: API_TOKENS_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "apiTokens",
					ownerField: "userId",
					indexes: [{ fields: ["hash"], unique: true }, { fields: ["userId"] }, { fields: ["parentTokenId"] }],
				},
				config,
			),
		],
		settings: { fields: API_TOKEN_FIELDS },
		actions: {
			record: {
				visibility: "protected",
				handler(ctx) {
					const { userId, ...token } = ctx.params;
					return this.createOwned(userId, token, ctx);
				},
			},
			listOwned: {
				visibility: "protected",
				handler(ctx) {
					return this.findOwned(ctx.params.userId, { page: ctx.params.page, pageSize: ctx.params.pageSize }, ctx);
				},
			},
			/** Revokes the token and every token created with it, down the whole line. */
			revoke: {
				visibility: "protected",
				async handler(ctx) {
					const token = await this.getOwned(ctx.params.userId, ctx.params.id, ctx);
					const revokedAt = new Date();
					let generation: string[] = [ctx.params.id];
					while (generation.length > 0) {
						const children = await this.adapter.find({
							query: trusted({ userId: ctx.params.userId, parentTokenId: { $in: generation } }, config),
						});
						await this.updateWhere(trusted({ parentTokenId: { $in: generation }, revokedAt: null }, config), { revokedAt });
						generation = children.map((child: { _id: unknown }) => this.encodeID(child._id));
					}
					if (token.revokedAt) return token;
					return this.updateInternal(ctx.params.id, { revokedAt }, ctx);
				},
			},
			findByHash: {
				visibility: "protected",
				handler(ctx) {
					return this.findOneRaw({ hash: ctx.params.hash });
				},
			},
			touch: {
				visibility: "protected",
				handler(ctx) {
					return this.updateInternal(ctx.params.id, { lastUsedAt: new Date() }, ctx);
				},
			},
			removeOfUser: {
				visibility: "protected",
				handler(ctx) {
					return this.removeWhere({ userId: ctx.params.userId });
				},
			},
		},
	});
}
