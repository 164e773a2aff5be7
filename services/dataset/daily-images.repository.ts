import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { Conflict } from "../../lib/errors";
import { DbMixin, trusted } from "../../mixins/db.mixin";
import { utcDay } from "../auth/limits";

export const DAILY_IMAGES_SERVICE = "dataset-daily-images";

/** Counts of days before yesterday are of no use to anyone; they are removed this often. */
const PRUNE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/**
 * Images each user's builds stored per UTC day: the count behind the `imagesPerDay` plan limit, one
 * small document per user and day. A place is taken atomically before an image is recorded (a
 * conditional increment in the store), so concurrent workers on any replica never store more than the
 * limit, and given back when the image turns out to be there already.
 */
export function dailyImagesRepository(config: Config) {
	return defineService({
		name: DAILY_IMAGES_SERVICE,
		mixins: [DbMixin({ collection: "dailyImages", indexes: [{ fields: ["ownerId", "day"], unique: true }, { fields: ["day"] }] }, config)],
		settings: { fields: ["ownerId", "day", "count"] },
		methods: {
			/**
			 * Takes one of the day's places for the owner: `{taken: true}`, or `{taken: false, used}` when
			 * `max` are taken already. A null `max` (no limit) only counts.
			 */
			async take(ownerId: string, max: number | null, at: Date): Promise<{ taken: true } | { taken: false; used: number }> {
				const day = utcDay(at);
				const below = max === null ? { ownerId, day } : trusted({ ownerId, day, count: { $lt: max } }, config);
				if ((await this.incrementWhere(below, { count: 1 })) > 0) return { taken: true };
				try {
					await this.createOwned(ownerId, { day, count: 1 });
					return { taken: true };
				} catch (error) {
					if (!(error instanceof Conflict)) throw error;
					// the day's document exists: it was full, or another add created it a moment ago
					if ((await this.incrementWhere(below, { count: 1 })) > 0) return { taken: true };
					return { taken: false, used: await this.countOf(ownerId, at) };
				}
			},

			/** Gives a place back (the image was not recorded after all). */
			async giveBack(ownerId: string, at: Date): Promise<void> {
				await this.incrementWhere(trusted({ ownerId, day: utcDay(at), count: { $gt: 0 } }, config), { count: -1 });
			},

			async countOf(ownerId: string, at: Date): Promise<number> {
				const doc = await this.findOneRaw({ ownerId, day: utcDay(at) });
				return Number(doc?.count ?? 0);
			},

			pruneOldDays(now: Date): Promise<number> {
				const yesterday = utcDay(new Date(now.getTime() - 86_400_000));
				return this.removeWhere(trusted({ day: { $lt: yesterday } }, config));
			},
		},
		started() {
			this.pruneTimer = setInterval(() => {
				this.pruneOldDays(new Date()).catch((error: Error) => this.logger.warn({ err: error }, "pruning old daily image counts failed"));
			}, PRUNE_INTERVAL_MS);
			this.pruneTimer.unref();
		},
		stopped() {
			clearInterval(this.pruneTimer);
		},
	});
}
