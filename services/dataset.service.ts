import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict, NotFound, ValidationFailed } from "../lib/errors";
import { filtersFrom, objectId, page, pageSize } from "../lib/params";
import type { Principal } from "../lib/types";
import { DbMixin, trusted } from "../mixins/db.mixin";
import { datasetsReached, imagesPerDayReached } from "./auth/limits";
import { PlanLimitsLookup } from "./auth/limits-client";
import { buildActions, phashBands } from "./dataset/build.actions";
import { dailyImagesRepository } from "./dataset/daily-images.repository";
import { checkDefinition, DATASET_STATUSES, DEFAULT_OPTIONS, definitionRules } from "./dataset/definition";
import { exportActions } from "./dataset/exports.actions";
import { imagesRepository } from "./dataset/images.repository";
import { summarize } from "./dataset/metadata";
import { projectsRepository } from "./dataset/projects.repository";
import { type DatasetStats, statsOf, statsRepository } from "./dataset/stats.repository";

const DATASET_FIELDS = [
	"id",
	"ownerId",
	"projectId",
	"name",
	"description",
	"categories",
	"sources",
	"options",
	"status",
	"stats",
	"currentJobId",
	"createdAt",
	"updatedAt",
];

/** A build in progress owns the definition: it cannot change under it. */
const BUSY_STATUSES = new Set(["queued", "running"]);

const DATASET_EXAMPLE = {
	name: "cats vs dogs",
	description: "Pets for a first classifier",
	categories: [
		{ label: "cat", keywords: ["tabby cat", "kitten"], urls: [] },
		{ label: "dog", keywords: ["golden retriever", "puppy"], urls: [] },
	],
	sources: ["wikimedia", "openverse"],
	options: { maxImagesPerKeyword: 200, minWidth: 128, minHeight: 128, validationLevel: "standard", dedupThreshold: 8 },
};

const SORTS = ["createdAt", "-createdAt", "updatedAt", "-updatedAt", "name", "-name"];
const IMAGE_STATUSES = ["valid", "duplicate", "rejected"];
const STAT_OF_STATUS: Record<string, string> = { valid: "valid", duplicate: "duplicates", rejected: "rejected" };
const sha256 = { type: "string", pattern: /^[0-9a-f]{64}$/ };

const IMAGE_EXAMPLE = {
	id: "Hq2kVb81sLm0Pz3Q",
	datasetId: "kQ3ZrV9sF2aXhT1c",
	label: "cat",
	keyword: "tabby cat",
	source: "wikimedia",
	sourceUrl: "https://upload.wikimedia.org/…/Tabby.jpg",
	pageUrl: "https://commons.wikimedia.org/wiki/File:Tabby.jpg",
	license: "cc-by-sa",
	author: "Jane Doe",
	sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
	width: 1024,
	height: 768,
	format: "jpeg",
	bytes: 183422,
	status: "valid",
	url: "/api/v1/files/eyJrZXkiOi…",
};

function ownerOf(ctx: AnyContext): string {
	return (ctx.meta.user as Principal).id;
}

export function createDatasetService(config: Config) {
	return defineService({
		name: "dataset",
		mixins: [
			DbMixin({ collection: "datasets", indexes: [{ fields: ["ownerId"] }, { fields: ["projectId"] }, { fields: ["status"] }] }, config),
			exportActions(config),
			buildActions(config),
		],
		settings: { rest: "/", fields: DATASET_FIELDS },

		// Exports (their actions and background writer) come from exportActions; what the crawl saga asks for, from buildActions.
		// Not list/create/get/update/remove: those names belong to the repository's protected CRUD actions.
		actions: {
			listProjects: {
				rest: "GET /projects",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your projects",
				tag: "projects",
				response: { page: "Project" },
				params: { page, pageSize, name: { type: "string", trim: true, max: 120, optional: true } },
				async handler(ctx) {
					const { page: p, pageSize: size, name } = ctx.params;
					const owner = ownerOf(ctx);
					const found = await this.projects.findOwned(
						owner,
						{ page: p, pageSize: size, search: name, searchFields: name ? ["name"] : undefined },
						ctx,
					);
					return { ...found, items: await this.withDatasetCounts(owner, found.items) };
				},
			},
			createProject: {
				rest: "POST /projects",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Create a project",
				tag: "projects",
				response: "Project",
				successStatus: 201,
				example: { name: "pets", description: "Animal classifiers" },
				params: {
					$$strict: true,
					name: { type: "string", trim: true, min: 1, max: 120 },
					description: { type: "string", trim: true, max: 2000, optional: true },
				},
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const project = await this.projects.createOnce(owner, { name: ctx.params.name, description: ctx.params.description ?? "" }, ctx);
					return (await this.withDatasetCounts(owner, [project]))[0];
				},
			},
			getProject: {
				rest: "GET /projects/:id",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A project",
				tag: "projects",
				response: "Project",
				params: { id: objectId },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					return (await this.withDatasetCounts(owner, [await this.projects.getOwned(owner, ctx.params.id, ctx)]))[0];
				},
			},
			updateProject: {
				rest: "PATCH /projects/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Rename or describe a project",
				tag: "projects",
				response: "Project",
				params: {
					$$strict: true,
					id: objectId,
					name: { type: "string", trim: true, min: 1, max: 120, optional: true },
					description: { type: "string", trim: true, max: 2000, optional: true },
				},
				async handler(ctx) {
					const { id, ...changes } = ctx.params;
					const owner = ownerOf(ctx);
					return (await this.withDatasetCounts(owner, [await this.projects.updateOwned(owner, id, changes, ctx)]))[0];
				},
			},
			removeProject: {
				rest: "DELETE /projects/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Delete a project and its datasets",
				description: "Deletes every dataset of the project with its images and files.",
				tag: "projects",
				successStatus: 204,
				params: { id: objectId },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					await this.projects.getOwned(owner, ctx.params.id, ctx);
					const datasets = await this.adapter.find({ query: { ownerId: owner, projectId: ctx.params.id } });
					for (const dataset of datasets) await this.deleteDataset(ctx, owner, this.encodeID(dataset._id));
					await this.projects.removeOwned(owner, ctx.params.id, ctx);
					return null;
				},
			},

			/** Everything a user kept (datasets with their images, exports and files; projects), when the account goes. */
			removeOwnerData: {
				visibility: "public",
				params: { ownerId: { type: "string", min: 1, max: 64 } },
				async handler(ctx) {
					const owner = ctx.params.ownerId;
					const datasets = await this.adapter.find({ query: { ownerId: owner } });
					for (const dataset of datasets) await this.deleteDataset(ctx, owner, this.encodeID(dataset._id));
					const projects = await this.projects.removeWhere({ ownerId: owner });
					return { datasets: datasets.length, projects };
				},
			},

			listDatasets: {
				rest: "GET /datasets",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your datasets",
				description: "Filter by project, status and name (a part of it); sort by createdAt, updatedAt or name (prefix - for descending).",
				tag: "datasets",
				response: { page: "Dataset" },
				params: {
					page,
					pageSize,
					projectId: { type: "string", max: 64, optional: true },
					status: { type: "enum", values: [...DATASET_STATUSES], optional: true },
					name: { type: "string", trim: true, max: 120, optional: true },
					sort: { type: "enum", values: SORTS, optional: true },
				},
				handler(ctx) {
					const { page: p, pageSize: size, name, sort } = ctx.params;
					const query = filtersFrom(ctx.params, ["projectId", "status"]);
					return this.findOwned(
						ownerOf(ctx),
						{ query, page: p, pageSize: size, sort, search: name, searchFields: name ? ["name"] : undefined },
						ctx,
					);
				},
			},
			createDataset: {
				rest: "POST /datasets",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Define a dataset",
				description: "Categories (labels) with keywords or URLs, the sources to search and quality options. The dataset starts as a draft.",
				tag: "datasets",
				response: "Dataset",
				successStatus: 201,
				errors: [403, 404],
				example: DATASET_EXAMPLE,
				params: { $$strict: true, ...definitionRules(true) },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					checkDefinition(ctx.params);
					if (ctx.params.projectId) await this.projects.getOwned(owner, ctx.params.projectId, ctx);
					const { datasets: max } = await this.planLimits.of(ctx, owner);
					if (max !== null) {
						const used = await this.countWhere(trusted({ ownerId: owner, status: { $ne: "deleting" } }, config));
						if (used >= max) throw datasetsReached(max, used);
					}
					return this.createOnce(
						owner,
						{
							name: ctx.params.name,
							description: ctx.params.description ?? "",
							projectId: ctx.params.projectId ?? null,
							categories: ctx.params.categories,
							sources: ctx.params.sources,
							options: { ...DEFAULT_OPTIONS, ...(ctx.params.options ?? {}) },
							status: "draft",
							currentJobId: null,
						},
						ctx,
					);
				},
			},
			getDataset: {
				rest: "GET /datasets/:id",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A dataset",
				tag: "datasets",
				response: "Dataset",
				params: { id: objectId },
				handler(ctx) {
					return this.getOwned(ownerOf(ctx), ctx.params.id, ctx);
				},
			},
			updateDataset: {
				rest: "PATCH /datasets/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Change a dataset's definition",
				description: "Any field of the definition; refused with 409 while a build is queued or running.",
				tag: "datasets",
				response: "Dataset",
				errors: [409],
				params: { $$strict: true, id: objectId, ...definitionRules(false) },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const { id, ...changes } = ctx.params;
					const current = await this.getOwned(owner, id, ctx);
					if (BUSY_STATUSES.has(String(current.status))) throw new Conflict("The dataset is being built; cancel the build to change it");
					checkDefinition({ categories: changes.categories ?? current.categories, sources: changes.sources ?? current.sources });
					if (changes.projectId) await this.projects.getOwned(owner, changes.projectId, ctx);
					if (changes.options) changes.options = { ...(current.options as object), ...changes.options };
					return this.updateOwned(owner, id, changes, ctx);
				},
			},
			removeDataset: {
				rest: "DELETE /datasets/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Delete a dataset",
				description: "Removes the dataset with its images and files and frees their storage.",
				tag: "datasets",
				successStatus: 204,
				params: { id: objectId },
				async handler(ctx) {
					await this.deleteDataset(ctx, ownerOf(ctx), ctx.params.id);
					return null;
				},
			},

			listImages: {
				rest: "GET /datasets/:id/images",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A dataset's images",
				description:
					"Filter by label, status (valid, duplicate, rejected), source, licence and `duplicateOf` (the near-duplicates of one image). Each image carries a signed download `url`.",
				tag: "images",
				response: { page: "Image" },
				params: {
					id: objectId,
					page,
					pageSize,
					label: { type: "string", max: 100, optional: true },
					status: { type: "enum", values: IMAGE_STATUSES, optional: true },
					source: { type: "string", max: 40, optional: true },
					license: { type: "string", max: 40, optional: true },
					duplicateOf: { ...objectId, optional: true },
				},
				async handler(ctx) {
					const { id, page: p, pageSize: size } = ctx.params;
					await this.getOwned(ownerOf(ctx), id, ctx);
					const query = { datasetId: id, ...filtersFrom(ctx.params, ["label", "status", "source", "license", "duplicateOf"]) };
					const found = await this.images.findPage({ query, page: p, pageSize: size }, ctx);
					return { ...found, items: await Promise.all(found.items.map((image: Record<string, unknown>) => this.withUrl(ctx, image))) };
				},
			},
			getImage: {
				rest: "GET /datasets/:id/images/:imageId",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "An image with its provenance",
				tag: "images",
				response: "Image",
				responseExample: IMAGE_EXAMPLE,
				params: { id: objectId, imageId: objectId },
				async handler(ctx) {
					return this.withUrl(ctx, await this.imageOf(ctx, ctx.params.id, ctx.params.imageId));
				},
			},
			relabelImage: {
				rest: "PATCH /datasets/:id/images/:imageId",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Move an image to another label",
				description: "The label must be one of the dataset's categories.",
				tag: "images",
				response: "Image",
				example: { label: "dog" },
				params: { $$strict: true, id: objectId, imageId: objectId, label: { type: "string", min: 1, max: 100 } },
				async handler(ctx) {
					const dataset = await this.getOwned(ownerOf(ctx), ctx.params.id, ctx);
					this.assertLabel(dataset, ctx.params.label);
					await this.imageOf(ctx, ctx.params.id, ctx.params.imageId);
					const image = await this.images.updateInternal(ctx.params.imageId, { label: ctx.params.label }, ctx);
					return this.withUrl(ctx, image);
				},
			},
			removeImage: {
				rest: "DELETE /datasets/:id/images/:imageId",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Delete an image",
				description: "Removes the record and its file, and updates the dataset's counts.",
				tag: "images",
				successStatus: 204,
				params: { id: objectId, imageId: objectId },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					const image = await this.imageOf(ctx, ctx.params.id, ctx.params.imageId);
					if (image.storageKey) await ctx.call("storage.delete", { key: image.storageKey, ownerId: owner }).catch(this.ignoreMissing);
					await this.images.removeOwned(null, ctx.params.imageId, ctx);
					await this.countImage(ctx.params.id, image, -1);
					return null;
				},
			},
			metadata: {
				rest: "GET /datasets/:id/metadata",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "What a dataset holds",
				description:
					"Counts per label, status, source and licence; total bytes; width and height ranges; duplicates and rejection reasons; the current job.",
				tag: "datasets",
				response: "DatasetMetadata",
				params: { id: objectId },
				async handler(ctx) {
					const dataset = await this.getOwned(ownerOf(ctx), ctx.params.id, ctx);
					const images = await this.images.adapter.find({ query: { datasetId: ctx.params.id } });
					const labels = (dataset.categories as { label: string }[]).map((category) => category.label);
					return {
						datasetId: dataset.id,
						status: dataset.status,
						currentJobId: dataset.currentJobId ?? null,
						...summarize(images, labels),
					};
				},
			},

			/** For the auth service (GET /auth/me): the owner's datasets and the images their builds stored today. */
			usageOf: {
				visibility: "public",
				params: { ownerId: objectId },
				async handler(ctx) {
					const [datasets, imagesToday] = await Promise.all([
						this.countWhere(trusted({ ownerId: ctx.params.ownerId, status: { $ne: "deleting" } }, config)),
						this.dailyImages.countOf(ctx.params.ownerId, new Date()),
					]);
					return { datasets, imagesToday };
				},
			},

			/**
			 * For the crawl workers: records an image of a dataset. Idempotent on (dataset, sha256): adding the
			 * same bytes again returns the stored record with `created: false` and counts nothing twice.
			 */
			addImage: {
				visibility: "public",
				params: {
					$$strict: true,
					datasetId: objectId,
					label: { type: "string", min: 1, max: 100 },
					keyword: { type: "string", max: 200, optional: true },
					source: { type: "string", min: 1, max: 40 },
					sourceUrl: { type: "string", max: 4096, optional: true },
					pageUrl: { type: "string", max: 4096, optional: true },
					license: { type: "string", max: 40, optional: true },
					author: { type: "string", max: 500, optional: true },
					storageKey: { type: "string", max: 512, optional: true },
					sha256,
					phash: { type: "string", pattern: /^[0-9a-f]{16}$/, optional: true },
					width: { type: "number", integer: true, min: 0, optional: true },
					height: { type: "number", integer: true, min: 0, optional: true },
					format: { type: "string", max: 10, optional: true },
					bytes: { type: "number", integer: true, min: 0, optional: true },
					status: { type: "enum", values: IMAGE_STATUSES },
					reason: { type: "string", max: 200, optional: true },
					duplicateOf: { type: "string", max: 64, optional: true },
				},
				async handler(ctx) {
					// the stored document as it is: a worker's add needs no answer shaping and no counters
					const dataset = (await this.getRawOwned(null, ctx.params.datasetId)) as {
						ownerId: string;
						status: string;
						categories: { label: string }[];
					};
					if (dataset.status === "deleting") throw new NotFound("dataset", ctx.params.datasetId);
					this.assertLabel(dataset, ctx.params.label);
					const existing = await this.images.findOneWhere({ datasetId: ctx.params.datasetId, sha256: ctx.params.sha256 }, ctx);
					if (existing) return { ...existing, created: false };
					// a missing licence is stored as "unknown", so licence filters and counts see every image
					const fields = {
						...ctx.params,
						license: ctx.params.license ?? "unknown",
						...(ctx.params.phash ? phashBands(ctx.params.phash) : {}),
					};
					if (fields.storageKey) {
						// the file must be this dataset's copy of these bytes, stored for its owner: links and deletes follow it
						const prefix = `datasets/${ctx.params.datasetId}/${ctx.params.sha256}.`;
						const stored = fields.storageKey.startsWith(prefix)
							? ((await ctx.call("storage.head", { key: fields.storageKey })) as { ownerId: string; bytes: number } | null)
							: null;
						if (!stored || stored.ownerId !== dataset.ownerId) {
							throw new ValidationFailed([{ field: "storageKey", message: "Not this dataset's stored copy of the image" }]);
						}
						fields.bytes = stored.bytes;
					}
					// a stored image takes one of its owner's places of the day (plan limit imagesPerDay) before it is recorded
					const at = new Date();
					const countedToday = fields.status === "valid" && Boolean(fields.storageKey);
					if (countedToday) await this.takeDailyPlace(ctx, dataset.ownerId, at);
					try {
						const image = await this.images.createOwned(dataset.ownerId, fields, ctx);
						await this.countImage(ctx.params.datasetId, image, 1);
						return { ...image, created: true };
					} catch (error) {
						if (countedToday) await this.dailyImages.giveBack(dataset.ownerId, at);
						// the same image added concurrently: the other add counted it
						if ((error as { code?: number }).code !== 409) throw error;
						return {
							...(await this.images.findOneWhere({ datasetId: ctx.params.datasetId, sha256: ctx.params.sha256 }, ctx)),
							created: false,
						};
					}
				},
			},
		},

		methods: {
			/** Projects as callers see them: with how many datasets each holds (one indexed count per project). */
			withDatasetCounts(owner: string, projects: Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
				return Promise.all(
					projects.map(async (project) => {
						const datasets: number = await this.countWhere(
							trusted({ ownerId: owner, projectId: project.id, status: { $ne: "deleting" } }, config),
						);
						return { ...project, datasets };
					}),
				);
			},

			/**
			 * Removes a dataset and everything stored for it (images, export archives under the same prefix),
			 * so nothing is orphaned and quota is freed. Export records go first: a writer still at work sees
			 * its record gone and removes what it stored.
			 */
			async deleteDataset(ctx: AnyContext, owner: string, id: string) {
				const dataset = await this.getOwned(owner, id, ctx);
				// from here on no image can be added (addImage refuses a dataset being deleted, and the worker then
				// removes the file it stored), and a build still at work stops
				await this.updateWhere({ _id: this.decodeID(id) }, { status: "deleting" });
				if (BUSY_STATUSES.has(String(dataset.status))) await ctx.call("crawl.cancelForDataset", { datasetId: id });
				await this.exports.removeWhere({ datasetId: id });
				await ctx.call("storage.removePrefix", { prefix: `datasets/${id}/`, ownerId: owner });
				await this.images.removeWhere({ datasetId: id });
				await this.removeOwned(owner, id, ctx);
				await this.datasetStats.removeFor(id);
			},

			async imageOf(ctx: AnyContext, datasetId: string, imageId: string) {
				await this.getOwned(ownerOf(ctx), datasetId, ctx);
				const image = await this.images.findRawById(imageId);
				if (!image || image.datasetId !== datasetId) throw new NotFound("image", imageId);
				return this.images.toDocuments(ctx, image);
			},

			assertLabel(dataset: { categories: { label: string }[] }, label: string) {
				if (!dataset.categories.some((category) => category.label === label)) {
					throw new ValidationFailed([{ field: "label", message: `The dataset has no label '${label}'` }]);
				}
			},

			async withUrl(ctx: AnyContext, image: Record<string, unknown>) {
				if (!image.storageKey) return { ...image, url: null };
				const link = (await ctx.call("storage.signUrl", { key: image.storageKey })) as { url: string; expiresAt: string };
				return { ...image, url: link.url, urlExpiresAt: link.expiresAt };
			},

			/** Keeps the dataset's counters in step with its images (atomic increments in the store). */
			countImage(datasetId: string, image: { status: string; bytes?: number; storageKey?: string | null }, direction: 1 | -1) {
				const increments: Partial<DatasetStats> = { images: direction, [STAT_OF_STATUS[image.status]]: direction };
				// bytes are what the dataset stores: images with a file
				if (image.storageKey) increments.bytes = direction * (image.bytes ?? 0);
				return this.addToStats(datasetId, increments);
			},

			addToStats(datasetId: string, increments: Partial<DatasetStats>) {
				return this.datasetStats.add(datasetId, increments, async () => (await this.findRawById(datasetId))?.stats);
			},

			/** Every dataset answer carries its counters, kept in their own collection (see statsRepository). */
			async completeDocuments(datasets: Record<string, unknown>[]) {
				const stored: Map<string, DatasetStats> = await this.datasetStats.statsFor(datasets.map((dataset) => String(dataset.id)));
				for (const dataset of datasets) {
					// datasets from before the counters moved keep theirs on the document until their first change
					dataset.stats = stored.get(String(dataset.id)) ?? statsOf(dataset.stats as Record<string, unknown> | undefined);
				}
			},

			ignoreMissing(error: { code?: number }) {
				if (error.code !== 404) throw error;
			},

			/** One of the owner's images of the day, or 429 naming the imagesPerDay limit and when it resets. */
			async takeDailyPlace(ctx: AnyContext, ownerId: string, at: Date) {
				const { imagesPerDay: max } = await this.planLimits.of(ctx, ownerId);
				const place = await this.dailyImages.take(ownerId, max, at);
				if (!place.taken) throw imagesPerDayReached(max, place.used, at);
			},
		},

		created() {
			this.projects = this.broker.createService(projectsRepository(config));
			this.images = this.broker.createService(imagesRepository(config));
			this.datasetStats = this.broker.createService(statsRepository(config));
			this.dailyImages = this.broker.createService(dailyImagesRepository(config));
			this.planLimits = new PlanLimitsLookup(config, this.logger);
		},
	});
}

export default createDatasetService(getConfig());
