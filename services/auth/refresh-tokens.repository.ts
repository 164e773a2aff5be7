import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin, trusted } from "../../mixins/db.mixin";

export const REFRESH_TOKENS_SERVICE = "auth-refresh-tokens";

/**
 * Issued refresh tokens, by token id (jti): never the token text. A token is spent once (`usedAt`);
 * presenting a spent or revoked one revokes its whole family (every token of that sign-in).
 */
export function refreshTokensRepository(config: Config) {
	return defineService({
		name: REFRESH_TOKENS_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "refreshTokens",
					indexes: [{ fields: ["tokenId"], unique: true }, { fields: ["familyId"] }, { fields: ["userId"] }],
				},
				config,
			),
		],
		actions: {
			record: {
				visibility: "protected",
				params: { tokenId: "string", familyId: "string", userId: "string", expiresAt: "string" },
				handler(ctx) {
					const { tokenId, familyId, userId, expiresAt } = ctx.params;
					return this.createOwned(null, { tokenId, familyId, userId, expiresAt: new Date(expiresAt), usedAt: null, revokedAt: null }, ctx);
				},
			},
			/** Marks the token used if it is still fresh; answers 1 when this call spent it, 0 when it was already spent or revoked. */
			spend: {
				visibility: "protected",
				params: { tokenId: "string" },
				handler(ctx) {
					return this.updateWhere({ tokenId: ctx.params.tokenId, usedAt: null, revokedAt: null }, { usedAt: new Date() });
				},
			},
			/** True once any token of the family was revoked (a replay was detected or the user signed out). */
			familyRevoked: {
				visibility: "protected",
				params: { familyId: "string" },
				async handler(ctx) {
					return (await this.countWhere(trusted({ familyId: ctx.params.familyId, revokedAt: { $ne: null } }, config))) > 0;
				},
			},
			revokeFamily: {
				visibility: "protected",
				params: { familyId: "string" },
				handler(ctx) {
					return this.updateWhere({ familyId: ctx.params.familyId, revokedAt: null }, { revokedAt: new Date() });
				},
			},
			removeOfUser: {
				visibility: "protected",
				params: { userId: "string" },
				handler(ctx) {
					return this.removeWhere({ userId: ctx.params.userId });
				},
			},
			revokeUser: {
				visibility: "protected",
				params: { userId: "string" },
				handler(ctx) {
					return this.updateWhere({ userId: ctx.params.userId, revokedAt: null }, { revokedAt: new Date() });
				},
			},
		},
	});
}
