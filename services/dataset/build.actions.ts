import type { Config } from "../../lib/config";
import { defineMixin } from "../../lib/define-service";
import { Conflict, NotFound } from "../../lib/errors";
import { fromHex, hammingDistance } from "../../lib/hash-bits";
import { bandField, bandsOf, MultiIndexHashIndex, probeFilter } from "../../lib/multi-index-hash";
import { objectId } from "../../lib/params";
import { trusted } from "../../mixins/db.mixin";
import { DATASET_STATUSES } from "./definition";

/** A build holds these, and a dataset being deleted takes no new one. */
const BUSY = ["queued", "running", "deleting"];
const hash = { type: "string", pattern: /^[0-9a-f]{16}$/ };
const threshold = { type: "number", integer: true, min: 0, max: 16 };

/** The band fields stored with an image's perceptual hash, so a near-duplicate lookup is an indexed query. */
export function phashBands(phash: string): Record<string, number> {
	return Object.fromEntries(bandsOf(fromHex(phash)).map((band, index) => [bandField(index), band]));
}

/**
 * What the crawl saga asks of the dataset service: the definition to build, the build lock on the
 * dataset, near-duplicate lookups over the stored hashes and the counts that decide whether a label
 * has enough images. Bus-only actions: none of them has a route.
 */
export function buildActions(config: Config) {
	return defineMixin({
		actions: {
			definitionOf: {
				visibility: "public",
				params: { id: objectId },
				async handler(ctx) {
					const dataset = await this.findRawById(ctx.params.id);
					if (!dataset) throw new NotFound("dataset", ctx.params.id);
					const { ownerId, name, categories, sources, options, status, currentJobId } = dataset;
					return { id: ctx.params.id, ownerId, name, categories, sources, options, status, currentJobId };
				},
			},

			/** Takes the build lock: the dataset becomes queued for this job unless a build holds it (409). */
			startBuild: {
				visibility: "public",
				params: { id: objectId, ownerId: objectId, jobId: objectId },
				async handler(ctx) {
					const { id, ownerId, jobId } = ctx.params;
					const current = await this.getRawOwned(ownerId, id);
					const won = await this.updateWhere(trusted({ _id: current._id, ownerId, status: { $nin: BUSY } }, config), {
						status: "queued",
						currentJobId: jobId,
					});
					if (won === 0) {
						const holder = await this.findRawById(id);
						throw new Conflict("A build of this dataset is already queued or running", { jobId: holder?.currentJobId ?? null });
					}
					return { id, status: "queued", currentJobId: jobId };
				},
			},

			/** Moves the dataset along its lifecycle; only the job that holds the lock may. */
			setBuildStatus: {
				visibility: "public",
				params: { id: objectId, jobId: objectId, status: { type: "enum", values: [...DATASET_STATUSES] } },
				async handler(ctx) {
					const dataset = await this.findRawById(ctx.params.id);
					if (!dataset) return { updated: 0 };
					const updated = await this.updateWhere({ _id: dataset._id, currentJobId: ctx.params.jobId }, { status: ctx.params.status });
					return { updated };
				},
			},

			/** The kept image nearest to the hash within the threshold, or null: an indexed lookup, never a scan. */
			findNearDuplicate: {
				visibility: "public",
				params: { datasetId: objectId, phash: hash, threshold },
				async handler(ctx) {
					const query = fromHex(ctx.params.phash);
					const candidates = (await this.images.adapter.find({
						query: trusted({ datasetId: ctx.params.datasetId, status: "valid", ...probeFilter(query, ctx.params.threshold) }, config),
					})) as { _id: unknown; phash?: string; sha256: string }[];
					let best: { id: string; sha256: string; distance: number } | null = null;
					for (const candidate of candidates) {
						if (!candidate.phash) continue;
						const distance = hammingDistance(query, fromHex(candidate.phash));
						if (distance <= ctx.params.threshold && (!best || distance < best.distance)) {
							best = { id: this.images.encodeID(candidate._id), sha256: candidate.sha256, distance };
						}
					}
					return best;
				},
			},

			/**
			 * Settles near-copies kept at the same moment by two workers: the earlier-added image stays, each
			 * later one within the threshold becomes its duplicate, with its file deleted and counts moved.
			 */
			settleNearDuplicates: {
				visibility: "public",
				params: { datasetId: objectId, threshold },
				async handler(ctx) {
					const kept = (await this.images.adapter.find({
						query: { datasetId: ctx.params.datasetId, status: "valid" },
					})) as { _id: unknown; phash?: string; ownerId: string; storageKey?: string; bytes?: number; createdAt: Date }[];
					kept.sort(
						(a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || String(a._id).localeCompare(String(b._id)),
					);
					const index = new MultiIndexHashIndex();
					let settled = 0;
					for (const image of kept) {
						if (!image.phash) continue;
						const id = this.images.encodeID(image._id);
						const value = fromHex(image.phash);
						const [nearest] = index.findWithin(value, ctx.params.threshold);
						if (!nearest) {
							index.add(id, value);
							continue;
						}
						const changed = await this.images.updateWhere(
							{ _id: image._id, status: "valid" },
							{ status: "duplicate", duplicateOf: nearest.id, reason: "near_duplicate", storageKey: null },
						);
						if (changed === 0) continue;
						settled += 1;
						await this.addToStats(ctx.params.datasetId, { valid: -1, duplicates: 1 });
						if (image.storageKey) {
							await ctx.call("storage.delete", { key: image.storageKey, ownerId: image.ownerId }).catch((error: { code?: number }) => {
								if (error.code !== 404) throw error;
							});
							await this.addToStats(ctx.params.datasetId, { bytes: -(image.bytes ?? 0) });
						}
					}
					return { settled };
				},
			},

			/** Valid images per label: what the saga compares with each label's target. */
			countValid: {
				visibility: "public",
				params: { datasetId: objectId },
				async handler(ctx) {
					const dataset = await this.findRawById(ctx.params.datasetId);
					if (!dataset) throw new NotFound("dataset", ctx.params.datasetId);
					const counts: Record<string, number> = {};
					for (const { label } of dataset.categories as { label: string }[]) {
						counts[label] = await this.images.countWhere({ datasetId: ctx.params.datasetId, label, status: "valid" });
					}
					return counts;
				},
			},
		},
	});
}
