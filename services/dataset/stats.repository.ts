import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { Conflict } from "../../lib/errors";
import { DbMixin, trusted } from "../../mixins/db.mixin";

export const STATS_SERVICE = "dataset-stats";

export const STAT_FIELDS = ["images", "valid", "duplicates", "rejected", "bytes"] as const;
export type DatasetStats = Record<(typeof STAT_FIELDS)[number], number>;
export const EMPTY_STATS: DatasetStats = { images: 0, valid: 0, duplicates: 0, rejected: 0, bytes: 0 };

export function statsOf(doc: Record<string, unknown> | null | undefined): DatasetStats {
	const stats = { ...EMPTY_STATS };
	if (doc) for (const field of STAT_FIELDS) if (typeof doc[field] === "number") stats[field] = doc[field] as number;
	return stats;
}

/**
 * A dataset's counters, one small document per dataset. They live apart from the dataset because every
 * stored image bumps them: on the dataset itself each bump rewrote the whole definition (URL lists of
 * thousands of entries), 470 KB per image in NeDB's append-only file.
 */
export function statsRepository(config: Config) {
	return defineService({
		name: STATS_SERVICE,
		mixins: [DbMixin({ collection: "dataset-stats", indexes: [{ fields: ["datasetId"], unique: true }] }, config)],
		settings: { fields: ["datasetId", ...STAT_FIELDS] },
		methods: {
			/**
			 * Adds to a dataset's counters (atomic in the store). The first bump creates the document, starting
			 * from `legacy`: counters an older version kept on the dataset document.
			 */
			async add(datasetId: string, increments: Partial<DatasetStats>, legacy?: () => Promise<unknown>): Promise<void> {
				if ((await this.incrementWhere({ datasetId }, increments)) > 0) return;
				const start = statsOf((await legacy?.()) as Record<string, unknown> | undefined);
				for (const [field, value] of Object.entries(increments)) start[field as keyof DatasetStats] += value ?? 0;
				try {
					await this.createOwned(null, { datasetId, ...start });
				} catch (error) {
					// another replica created it first: add to theirs
					if (!(error instanceof Conflict)) throw error;
					await this.incrementWhere({ datasetId }, increments);
				}
			},

			/** Counters per dataset id, for the datasets that have a counters document. */
			async statsFor(datasetIds: string[]): Promise<Map<string, DatasetStats>> {
				const rows = (await this.adapter.find({ query: trusted({ datasetId: { $in: datasetIds } }, config) })) as Record<string, unknown>[];
				return new Map(rows.map((row) => [String(row.datasetId), statsOf(row)]));
			},

			removeFor(datasetId: string): Promise<number> {
				return this.removeWhere({ datasetId });
			},
		},
	});
}
