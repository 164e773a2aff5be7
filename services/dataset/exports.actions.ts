import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import type { Config } from "../../lib/config";
import { type AnyContext, defineMixin } from "../../lib/define-service";
import { Conflict, NotFound, RangeNotSatisfiable, ValidationFailed } from "../../lib/errors";
import { ifRangeHolds, parseByteRange } from "../../lib/http/byte-range";
import { attachment } from "../../lib/http/content-disposition";
import { objectId, page, pageSize } from "../../lib/params";
import type { Principal, RequestMeta } from "../../lib/types";
import { trusted } from "../../mixins/db.mixin";
import { LICENSES } from "./definition";
import { type ExportRequest, writeExport } from "./exports/export-writer";
import { EXPORT_FORMATS, type ExportFormat, type ExportImage } from "./exports/formats";
import type { SplitRatios } from "./exports/splits";
import { exportsRepository } from "./exports.repository";

/** Exports waiting or being written; finished ones are ready or failed. */
const ACTIVE = ["queued", "running"];
/** A running export renews its lease with every progress report; a lapsed lease means its writer died. */
const LEASE_MS = 60_000;
const RETRY_BASE_MS = 1_000;
const DEFAULT_SEED = 42;

const split = {
	type: "object",
	strict: true,
	optional: true,
	props: {
		train: { type: "number", min: 0, max: 1 },
		val: { type: "number", min: 0, max: 1 },
		test: { type: "number", min: 0, max: 1 },
		seed: { type: "number", integer: true, min: 0, max: 2_147_483_647, optional: true },
	},
};

const EXPORT_EXAMPLE = {
	id: "p3Xk9QmZr2LsV8aT",
	datasetId: "kQ3ZrV9sF2aXhT1c",
	format: "huggingface",
	split: { train: 0.8, val: 0.1, test: 0.1, seed: 42 },
	licences: null,
	status: "ready",
	taskId: "4f0c2a9e-5d1b-4c47-9a3e-1b2f6d7e8a90",
	progress: { done: 1200, total: 1200 },
	imageCount: 1200,
	skipped: 0,
	bytes: 183422911,
	sha256: "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
	fileName: "cats-vs-dogs-huggingface.zip",
	url: "/api/v1/files/eyJrZXkiOi…",
};

/** The export is gone (deleted, or its dataset deleted) while it was being written. */
class ExportWithdrawn extends Error {}

function ownerOf(ctx: AnyContext): string {
	return (ctx.meta.user as Principal).id;
}

function archiveName(datasetName: string, format: string): string {
	const base = datasetName.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "") || "dataset";
	return `${base}-${format}.zip`;
}

/** Storage outages and lost connections are worth another try; refusals (quota, missing dataset) are not. */
function worthRetrying(error: unknown): boolean {
	const code = (error as { code?: number }).code;
	return !(typeof code === "number" && code >= 400 && code < 500) && !(error instanceof ExportWithdrawn);
}

/** What a failed export tells its owner: our own refusals as they are, anything else without internals. */
function failureMessage(error: unknown): string {
	const code = (error as { code?: number }).code;
	if (typeof code === "number" && code >= 400 && code < 500) return (error as Error).message;
	return "The archive could not be written; try the export again";
}

/**
 * The dataset service's exports: the API, and the background writer that turns a request into a zip
 * in storage. The export record is the task's state, so a restarted service picks up unfinished ones.
 */
export function exportActions(config: Config) {
	const settings = config.dataset;
	return defineMixin({
		actions: {
			createExport: {
				rest: "POST /datasets/:id/exports",
				auth: "user",
				scopes: ["exports:read"],
				summary: "Export a dataset",
				description:
					"Writes a zip of the dataset's valid images in the chosen format, in the background: the answer (202) carries the export id to poll with `GET /exports/:id`. `split` fractions must add up to 1; the split is stratified per label and the same `seed` gives the same split. `licences` keeps only images under those licences.",
				tag: "exports",
				response: "Export",
				rateLimit: "expensive",
				successStatus: 202,
				errors: [404, 409],
				example: { format: "huggingface", split: { train: 0.8, val: 0.1, test: 0.1, seed: 42 } },
				responseExample: { ...EXPORT_EXAMPLE, status: "queued", progress: { done: 0, total: 1200 }, url: undefined },
				params: {
					$$strict: true,
					id: objectId,
					format: { type: "enum", values: [...EXPORT_FORMATS] },
					split,
					licences: {
						type: "array",
						min: 1,
						max: LICENSES.length,
						unique: true,
						optional: true,
						items: { type: "enum", values: [...LICENSES] },
					},
				},
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const dataset = await this.getOwned(owner, ctx.params.id, ctx);
					if (["queued", "running"].includes(String(dataset.status))) {
						throw new Conflict("The dataset is being built; export it when the build has finished");
					}
					const ratios = this.checkSplit(ctx.params.split);
					const active = await this.exports.countWhere(trusted({ ownerId: owner, status: { $in: ACTIVE } }, config));
					if (active >= settings.maxActiveExportsPerUser) {
						throw new Conflict(`You have ${active} exports in progress; wait for one to finish`, {
							limit: "active exports",
							max: settings.maxActiveExportsPerUser,
						});
					}
					const total = await this.images.countWhere(this.exportableQuery(ctx.params.id, ctx.params.licences ?? null));
					if (total === 0) throw new Conflict("The dataset has no valid images to export under these conditions");
					const created = await this.exports.createOwned(
						owner,
						{
							datasetId: ctx.params.id,
							format: ctx.params.format,
							split: ratios,
							licences: ctx.params.licences ?? null,
							status: "queued",
							taskId: randomUUID(),
							attempts: 0,
							progress: { done: 0, total },
							imageCount: null,
							skipped: null,
							bytes: null,
							sha256: null,
							fileName: archiveName(String(dataset.name), ctx.params.format),
							error: null,
							startedAt: null,
							finishedAt: null,
						},
						ctx,
					);
					this.scheduleExport(created.id);
					return created;
				},
			},
			listExports: {
				rest: "GET /datasets/:id/exports",
				auth: "user",
				scopes: ["exports:read"],
				summary: "A dataset's exports",
				tag: "exports",
				response: { page: "Export" },
				params: { id: objectId, page, pageSize },
				async handler(ctx) {
					await this.getOwned(ownerOf(ctx), ctx.params.id, ctx);
					return this.exports.findPage(
						{ query: { datasetId: ctx.params.id }, page: ctx.params.page, pageSize: ctx.params.pageSize, sort: "-createdAt" },
						ctx,
					);
				},
			},
			getExport: {
				rest: "GET /exports/:id",
				auth: "user",
				scopes: ["exports:read"],
				summary: "An export's status",
				description:
					"Status (queued, running, ready, failed), progress and, once ready, the archive's size, SHA-256 and a signed download `url` that works without a token until `urlExpiresAt`.",
				tag: "exports",
				response: "Export",
				responseExample: EXPORT_EXAMPLE,
				params: { id: objectId },
				async handler(ctx) {
					const record = await this.exports.getRawOwned(ownerOf(ctx), ctx.params.id);
					const shaped = await this.exports.toDocuments(ctx, record);
					if (record.status !== "ready") return shaped;
					const link = (await ctx.call("storage.signUrl", { key: record.storageKey, downloadName: record.fileName })) as {
						url: string;
						expiresAt: string;
					};
					return { ...shaped, url: link.url, urlExpiresAt: link.expiresAt };
				},
			},
			downloadExport: {
				rest: "GET /exports/:id/download",
				auth: "user",
				scopes: ["exports:read"],
				summary: "Download an export",
				description:
					"Streams the zip. Its SHA-256 is in the `ETag` and `Repr-Digest` headers and in `GET /exports/:id`; 409 until the export is ready. An interrupted download resumes with `Range: bytes=<from>-` (206 with `Content-Range`; 416 past the end); send `If-Range` with the ETag to get the whole archive instead should it have changed.",
				tag: "exports",
				response: { media: ["application/zip"], alsoFor: [206] },
				errors: [404, 409, 416],
				params: { id: objectId },
				async handler(ctx) {
					const record = await this.exports.getRawOwned(ownerOf(ctx), ctx.params.id);
					if (record.status !== "ready")
						throw new Conflict(`The export is ${record.status}, not ready for download`, { status: record.status });
					const size = Number(record.bytes);
					const etag = `"${record.sha256}"`;
					const meta = ctx.meta as RequestMeta;
					const range = ifRangeHolds(meta.ifRange, etag) ? parseByteRange(meta.range, size) : null;
					if (range === "unsatisfiable") {
						throw new RangeNotSatisfiable(size);
					}
					const body = (await ctx.call("storage.read", { key: record.storageKey, ...(range ? { range } : {}) })) as Readable | null;
					if (!body) throw new NotFound("export file", ctx.params.id);
					ctx.meta.$responseType = "application/zip";
					ctx.meta.$responseHeaders = {
						"Content-Length": String(range ? range.end - range.start + 1 : size),
						"Content-Disposition": attachment(String(record.fileName)),
						"Accept-Ranges": "bytes",
						ETag: etag,
						// the digest of the whole archive, whatever part of it this answer carries
						"Repr-Digest": `sha-256=:${Buffer.from(String(record.sha256), "hex").toString("base64")}:`,
						...(range ? { "Content-Range": `bytes ${range.start}-${range.end}/${size}` } : {}),
					};
					if (range) ctx.meta.$statusCode = 206;
					return body;
				},
			},
			removeExport: {
				rest: "DELETE /exports/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Delete an export",
				description: "Deletes the archive and frees its storage; an export still being written stops.",
				tag: "exports",
				successStatus: 204,
				params: { id: objectId },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const record = await this.exports.getRawOwned(owner, ctx.params.id);
					// the record goes first: a writer still at work sees it gone, stops and removes what it stored
					await this.exports.removeOwned(owner, ctx.params.id, ctx);
					if (record.status === "ready") await this.deleteArchive(String(record.storageKey), owner);
					return null;
				},
			},
		},

		methods: {
			checkSplit(given?: Omit<SplitRatios, "seed"> & { seed?: number }): SplitRatios | null {
				if (!given) return null;
				const problems = [];
				if (Math.abs(given.train + given.val + given.test - 1) > 1e-9) {
					problems.push({ field: "split", message: "train, val and test must add up to 1" });
				}
				if (given.train === 0) problems.push({ field: "split.train", message: "The train split cannot be empty" });
				if (problems.length > 0) throw new ValidationFailed(problems);
				return { train: given.train, val: given.val, test: given.test, seed: given.seed ?? DEFAULT_SEED };
			},

			exportableQuery(datasetId: string, licences: string[] | null) {
				return trusted({ datasetId, status: "valid", ...(licences ? { license: { $in: licences } } : {}) }, config);
			},

			scheduleExport(id: string, delayMs = 0) {
				if (this.exportsStopping) return;
				if (delayMs > 0) {
					const timer = setTimeout(() => {
						this.exportTimers.delete(timer);
						this.scheduleExport(id);
					}, delayMs);
					this.exportTimers.add(timer);
					return;
				}
				if (this.exportQueue.includes(id) || this.exportsRunning.has(id)) return;
				this.exportQueue.push(id);
				this.pumpExports();
			},

			pumpExports() {
				while (!this.exportsStopping && this.exportsRunning.size < settings.exportConcurrency && this.exportQueue.length > 0) {
					const id = this.exportQueue.shift() as string;
					const controller = new AbortController();
					const run = this.runExport(id, controller.signal)
						.catch((error: Error) => this.logger.error({ exportId: id, err: error }, "export runner failed"))
						.finally(() => {
							this.exportsRunning.delete(id);
							this.pumpExports();
						});
					this.exportsRunning.set(id, { controller, run });
				}
			},

			/** Claims the export (queued, or running with a lapsed lease) and writes it; retries what is worth it. */
			async runExport(id: string, signal: AbortSignal) {
				const record = await this.exports.findRawById(id);
				if (!record || !ACTIVE.includes(String(record.status))) return;
				const attempt = Number(record.attempts ?? 0) + 1;
				const now = new Date();
				const claimed = await this.exports.updateWhere(
					trusted(
						{ _id: record._id, $or: [{ status: "queued" }, { status: "running", leaseUntil: { $lt: now } }], attempts: record.attempts },
						config,
					),
					{ status: "running", attempts: attempt, startedAt: now, leaseUntil: new Date(now.getTime() + LEASE_MS) },
				);
				if (claimed === 0) return;
				const log = { exportId: id, taskId: record.taskId, datasetId: record.datasetId, attempt };
				this.logger.info(log, "export started");
				const key = `datasets/${record.datasetId}/exports/${id}.zip`;
				try {
					// an attempt that died after storing leaves its archive behind; this one writes afresh
					await this.deleteArchive(key, String(record.ownerId));
					const outcome = await this.writeArchive(record, key, signal);
					const finished = await this.exports.updateWhere(
						{ _id: record._id, status: "running" },
						{ status: "ready", storageKey: key, ...outcome, error: null, leaseUntil: null, finishedAt: new Date() },
					);
					// deleted while it was written: nothing may point at the archive, so it goes too
					if (finished === 0) await this.deleteArchive(key, String(record.ownerId));
					else {
						this.logger.info({ ...log, ...outcome }, "export ready");
						await this.announceExport(id);
					}
				} catch (error) {
					if (signal.aborted && !(error instanceof ExportWithdrawn)) {
						// this process is stopping: hand the export back for a restart or another replica
						await this.exports.updateWhere({ _id: record._id, status: "running" }, { status: "queued", leaseUntil: null });
						return;
					}
					if (error instanceof ExportWithdrawn) return;
					const again = worthRetrying(error) && attempt < settings.exportMaxAttempts;
					this.logger.warn({ ...log, err: error, retrying: again }, "export failed");
					await this.exports.updateWhere(
						{ _id: record._id, status: "running" },
						again
							? { status: "queued", leaseUntil: null, error: failureMessage(error) }
							: { status: "failed", leaseUntil: null, error: failureMessage(error), finishedAt: new Date() },
					);
					if (again) this.scheduleExport(id, RETRY_BASE_MS * 4 ** (attempt - 1));
					else await this.announceExport(id);
				}
			},

			/** Tells the platform an export became ready or failed (`dataset.export.finished`; the notify service listens). */
			async announceExport(id: string) {
				const record = await this.exports.findRawById(id);
				if (!record || !["ready", "failed"].includes(String(record.status))) return;
				await this.broker.emit("dataset.export.finished", { export: await this.exports.toDocuments(undefined, record) });
			},

			async writeArchive(record: Record<string, unknown>, key: string, signal: AbortSignal) {
				const dataset = await this.findRawById(String(record.datasetId));
				if (!dataset) throw new ExportWithdrawn();
				const licences = (record.licences as string[] | null) ?? null;
				const found = (await this.images.adapter.find({
					query: this.exportableQuery(String(record.datasetId), licences),
				})) as ExportImage[];
				// only what the archive needs stays in memory while it is written
				const images: ExportImage[] = found
					.filter((image) => image.storageKey)
					.map(({ label, sha256, storageKey, format, width, height, bytes, source, sourceUrl, pageUrl, license, author }) => ({
						label,
						sha256,
						storageKey,
						format,
						width,
						height,
						bytes,
						source,
						sourceUrl,
						pageUrl,
						license,
						author,
					}));
				const request: ExportRequest = {
					format: record.format as ExportFormat,
					split: (record.split as SplitRatios | null) ?? null,
					licences,
				};
				const context = {
					name: String(dataset.name),
					description: String(dataset.description ?? ""),
					labels: (dataset.categories as { label: string }[]).map((category) => category.label),
					exportedAt: new Date(),
				};
				return writeExport(images, request, context, {
					openImage: (image) => this.broker.call("storage.read", { key: image.storageKey }) as Promise<Readable | null>,
					store: (archive) =>
						this.broker.call(
							"storage.put",
							{},
							{ stream: archive, meta: { key, ownerId: record.ownerId, maxBytes: settings.exportMaxBytes }, timeout: 0 },
						) as Promise<{ bytes: number; sha256: string }>,
					progress: async (done, total) => {
						if (signal.aborted) throw signal.reason ?? new Error("stopping");
						const renewed = await this.exports.updateWhere(
							{ _id: record._id, status: "running" },
							{ progress: { done, total }, leaseUntil: new Date(Date.now() + LEASE_MS) },
						);
						if (renewed === 0) throw new ExportWithdrawn();
					},
				});
			},

			async deleteArchive(key: string, ownerId: string) {
				await this.broker.call("storage.delete", { key, ownerId }).catch((error: { code?: number }) => {
					if (error.code !== 404) throw error;
				});
			},

			/** Schedules every export that waits or whose writer died (its lease lapsed). */
			async resumeExports() {
				const stale = await this.exports.adapter.find({
					query: trusted({ $or: [{ status: "queued" }, { status: "running", leaseUntil: { $lt: new Date() } }] }, config),
				});
				for (const record of stale) this.scheduleExport(this.exports.encodeID(record._id));
			},
		},

		created() {
			this.exports = this.broker.createService(exportsRepository(config));
			this.exportQueue = [] as string[];
			this.exportsRunning = new Map<string, { controller: AbortController; run: Promise<void> }>();
			this.exportTimers = new Set<NodeJS.Timeout>();
			this.exportsStopping = false;
		},

		events: {
			// after every local service has started, so the exports repository is connected
			async "$broker.started"() {
				// an embedded (NeDB) collection has exactly one owner process: what it left running died with it
				if (!config.mongo.uri) await this.exports.updateWhere({ status: "running" }, { status: "queued", leaseUntil: null });
				await this.resumeExports();
			},
		},

		started() {
			this.exportSweep = setInterval(() => {
				this.resumeExports().catch((error: Error) => this.logger.warn({ err: error }, "export sweep failed"));
			}, LEASE_MS / 2);
			this.exportSweep.unref();
		},

		async stopped() {
			this.exportsStopping = true;
			clearInterval(this.exportSweep);
			for (const timer of this.exportTimers) clearTimeout(timer);
			const running = [...this.exportsRunning.values()];
			for (const { controller } of running) controller.abort(new Error("the service is stopping"));
			await Promise.allSettled(running.map(({ run }) => run));
		},
	});
}
