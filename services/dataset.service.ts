import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict } from "../lib/errors";
import type { Principal } from "../lib/types";
import { DbMixin } from "../mixins/db.mixin";
import { checkDefinition, DATASET_STATUSES, DEFAULT_OPTIONS, definitionRules } from "./dataset/definition";
import { projectsRepository } from "./dataset/projects.repository";

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

const EMPTY_STATS = { images: 0, valid: 0, duplicates: 0, rejected: 0, bytes: 0 };

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

const page = { type: "number", integer: true, min: 1, optional: true, convert: true };
const pageSize = { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true };
const objectId = { type: "string", min: 1, max: 64 };
const SORTS = ["createdAt", "-createdAt", "updatedAt", "-updatedAt", "name", "-name"];

function ownerOf(ctx: AnyContext): string {
	return (ctx.meta.user as Principal).id;
}

export function createDatasetService(config: Config) {
	return defineService({
		name: "dataset",
		mixins: [
			DbMixin({ collection: "datasets", indexes: [{ fields: ["ownerId"] }, { fields: ["projectId"] }, { fields: ["status"] }] }, config),
		],
		settings: { rest: "/", fields: DATASET_FIELDS },

		// Not list/create/get/update/remove: those names belong to the repository's protected CRUD actions.
		actions: {
			listProjects: {
				rest: "GET /projects",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your projects",
				tag: "projects",
				params: { page, pageSize, name: { type: "string", trim: true, max: 120, optional: true } },
				handler(ctx) {
					const { page: p, pageSize: size, name } = ctx.params;
					return this.projects.findOwned(
						ownerOf(ctx),
						{ page: p, pageSize: size, search: name, searchFields: name ? ["name"] : undefined },
						ctx,
					);
				},
			},
			createProject: {
				rest: "POST /projects",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Create a project",
				tag: "projects",
				successStatus: 201,
				example: { name: "pets", description: "Animal classifiers" },
				params: {
					$$strict: true,
					name: { type: "string", trim: true, min: 1, max: 120 },
					description: { type: "string", trim: true, max: 2000, optional: true },
				},
				handler(ctx) {
					return this.projects.createOwned(ownerOf(ctx), { name: ctx.params.name, description: ctx.params.description ?? "" }, ctx);
				},
			},
			getProject: {
				rest: "GET /projects/:id",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "A project",
				tag: "projects",
				params: { id: objectId },
				handler(ctx) {
					return this.projects.getOwned(ownerOf(ctx), ctx.params.id, ctx);
				},
			},
			updateProject: {
				rest: "PATCH /projects/:id",
				auth: "user",
				scopes: ["datasets:write"],
				summary: "Rename or describe a project",
				tag: "projects",
				params: {
					$$strict: true,
					id: objectId,
					name: { type: "string", trim: true, min: 1, max: 120, optional: true },
					description: { type: "string", trim: true, max: 2000, optional: true },
				},
				handler(ctx) {
					const { id, ...changes } = ctx.params;
					return this.projects.updateOwned(ownerOf(ctx), id, changes, ctx);
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

			listDatasets: {
				rest: "GET /datasets",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your datasets",
				description: "Filter by project, status and name (a part of it); sort by createdAt, updatedAt or name (prefix - for descending).",
				tag: "datasets",
				params: {
					page,
					pageSize,
					projectId: { type: "string", max: 64, optional: true },
					status: { type: "enum", values: [...DATASET_STATUSES], optional: true },
					name: { type: "string", trim: true, max: 120, optional: true },
					sort: { type: "enum", values: SORTS, optional: true },
				},
				handler(ctx) {
					const { page: p, pageSize: size, projectId, status, name, sort } = ctx.params;
					const query: Record<string, unknown> = {};
					if (projectId) query.projectId = projectId;
					if (status) query.status = status;
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
				successStatus: 201,
				errors: [404],
				example: DATASET_EXAMPLE,
				params: { $$strict: true, ...definitionRules(true) },
				async handler(ctx) {
					const owner = ownerOf(ctx);
					checkDefinition(ctx.params);
					if (ctx.params.projectId) await this.projects.getOwned(owner, ctx.params.projectId, ctx);
					return this.createOwned(
						owner,
						{
							name: ctx.params.name,
							description: ctx.params.description ?? "",
							projectId: ctx.params.projectId ?? null,
							categories: ctx.params.categories,
							sources: ctx.params.sources,
							options: { ...DEFAULT_OPTIONS, ...(ctx.params.options ?? {}) },
							status: "draft",
							stats: EMPTY_STATS,
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
		},

		methods: {
			/** Removes a dataset and everything stored for it, so nothing is orphaned and quota is freed. */
			async deleteDataset(ctx: AnyContext, owner: string, id: string) {
				await this.getOwned(owner, id, ctx);
				await ctx.call("storage.removePrefix", { prefix: `datasets/${id}/`, ownerId: owner });
				await this.removeOwned(owner, id, ctx);
			},
		},

		created() {
			this.projects = this.broker.createService(projectsRepository(config));
		},
	});
}

export default createDatasetService(getConfig());
