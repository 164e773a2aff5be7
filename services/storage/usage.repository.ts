import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const STORAGE_USAGE_SERVICE = "storage-usage";

/** Bytes and objects per user, kept exact by adding and subtracting as objects come and go. */
export function storageUsageRepository(config: Config) {
	return defineService({
		name: STORAGE_USAGE_SERVICE,
		mixins: [DbMixin({ collection: "storageUsage", indexes: [{ fields: ["ownerId"], unique: true }, { fields: ["bytes"] }] }, config)],
		actions: {
			of: {
				visibility: "protected",
				async handler(ctx) {
					const usage = await this.findOneRaw({ ownerId: ctx.params.ownerId });
					return { bytes: Number(usage?.bytes ?? 0), objects: Number(usage?.objects ?? 0) };
				},
			},
			add: {
				visibility: "protected",
				async handler(ctx) {
					const { ownerId, bytes, objects } = ctx.params as { ownerId: string; bytes: number; objects: number };
					if ((await this.incrementWhere({ ownerId }, { bytes, objects })) > 0) return;
					try {
						await this.createOwned(ownerId, { bytes, objects });
					} catch (error) {
						// another write created the record first: add to it instead
						if ((error as { code?: number }).code !== 409) throw error;
						await this.incrementWhere({ ownerId }, { bytes, objects });
					}
				},
			},
			largest: {
				visibility: "protected",
				async handler(ctx) {
					const page = await this.findPage({ sort: "-bytes", pageSize: ctx.params.limit }, ctx);
					const all = await this.adapter.find({});
					const totals = all.reduce(
						(sum: { bytes: number; objects: number }, usage: { bytes?: number; objects?: number }) => ({
							bytes: sum.bytes + Number(usage.bytes ?? 0),
							objects: sum.objects + Number(usage.objects ?? 0),
						}),
						{ bytes: 0, objects: 0 },
					);
					return {
						...totals,
						users: page.total,
						largestUsers: page.items.map((usage: Record<string, unknown>) => ({
							userId: usage.ownerId,
							bytes: usage.bytes,
							objects: usage.objects,
						})),
					};
				},
			},
		},
	});
}
