import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Context } from "moleculer";
import DbService from "moleculer-db";
import MongooseAdapter from "moleculer-db-adapter-mongoose";
import mongoose from "mongoose";
import { type Config, getConfig } from "../lib/config";
import { defineMixin, type PixServiceSchema } from "../lib/define-service";
import { Conflict, Forbidden, NotFound, ValidationFailed } from "../lib/errors";
import { escapeRegExp } from "../lib/params";
import type { Page } from "../lib/types";
import { HealthMixin } from "./health.mixin";
import { type KeptOpenAppends, keepAppendsOpen, type NedbPersistence } from "./nedb-appender";
import { type CompoundKey, type NedbStore, planQueries } from "./nedb-planner";

/**
 * The base repository. Every collection is a service with this mixin; only this file knows whether
 * NeDB (embedded default) or MongoDB (when MONGO_URI is set) is underneath.
 */

export interface IndexSpec {
	fields: string[];
	unique?: boolean;
}

export interface DbMixinOptions {
	collection: string;
	indexes?: IndexSpec[];
	/** Field holding the owner's user id, used by the owner-scoped helpers. */
	ownerField?: string;
	defaultPageSize?: number;
	maxPageSize?: number;
}

export type Document = Record<string, unknown> & { id: string };
export type Query = Record<string, unknown>;

export interface FindOptions {
	query?: Query;
	page?: number;
	pageSize?: number;
	/** moleculer-db sort, e.g. "-createdAt" or "name,-createdAt". */
	sort?: string;
	search?: string;
	searchFields?: string[];
}

/** NeDB has no compound indexes: a compound unique index is kept as one synthetic field. */
const COMPOUND_KEY_PREFIX = "_unique_";
const compoundKeyName = (fields: string[]) => `${COMPOUND_KEY_PREFIX}${fields.join("_")}`;

export function clampPage(page: unknown, pageSize: unknown, defaultPageSize: number, maxPageSize: number) {
	const p = Number.isInteger(page) && (page as number) >= 1 ? (page as number) : 1;
	const requested = Number.isInteger(pageSize) && (pageSize as number) >= 1 ? (pageSize as number) : defaultPageSize;
	return { page: p, pageSize: Math.min(requested, maxPageSize) };
}

/**
 * Marks a filter built by our own code (not from user input) as allowed to use query operators.
 * MongoDB runs with `sanitizeFilter`, which neutralises `$` operators in every untrusted filter.
 */
export function trusted<T extends object>(filter: T, config: Config = getConfig()): T {
	return config.mongo.uri ? (mongoose.trusted(filter) as T) : filter;
}

function mongooseModel(options: DbMixinOptions) {
	const existing = mongoose.models[options.collection];
	if (existing) return existing;
	const schema = new mongoose.Schema(
		{},
		{ strict: false, collection: options.collection, versionKey: false, writeConcern: { w: "majority" } },
	);
	for (const index of options.indexes ?? []) {
		schema.index(Object.fromEntries(index.fields.map((field) => [field, 1])), { unique: index.unique ?? false });
	}
	return mongoose.model(options.collection, schema);
}

function adapterFor(options: DbMixinOptions, config: Config): { adapter: unknown; model?: mongoose.Model<unknown>; lockFile?: string } {
	if (config.mongo.uri) {
		// Injection guard for every filter that reaches MongoDB (see `trusted` for our own operators).
		mongoose.set("sanitizeFilter", true);
		return {
			adapter: new MongooseAdapter(config.mongo.uri, { serverSelectionTimeoutMS: 5000, writeConcern: { w: "majority" } }),
			model: mongooseModel(options) as mongoose.Model<unknown>,
		};
	}
	if (config.global.dbInMemory) return { adapter: new DbService.MemoryAdapter({}) };
	const dir = path.resolve(config.global.dataDir, "db");
	fs.mkdirSync(dir, { recursive: true });
	const filename = path.join(dir, `${options.collection}.db`);
	return { adapter: new DbService.MemoryAdapter({ filename }), lockFile: `${filename}.owner` };
}

const PROTECTED_CRUD = ["find", "count", "list", "create", "insert", "get", "update", "remove"];

export function DbMixin(options: DbMixinOptions, config: Config = getConfig()): PixServiceSchema {
	const ownerField = options.ownerField ?? "ownerId";
	const defaultPageSize = options.defaultPageSize ?? 20;
	const maxPageSize = options.maxPageSize ?? 100;
	const usesMongo = Boolean(config.mongo.uri);
	const compoundUnique = usesMongo ? [] : (options.indexes ?? []).filter((index) => index.unique && index.fields.length > 1);
	const { adapter, model, lockFile } = adapterFor(options, config);
	const singular = options.collection.replace(/s$/, "");

	const schema = defineMixin({
		mixins: [DbService as unknown as PixServiceSchema, HealthMixin],
		adapter,
		settings: {
			idField: "id",
			pageSize: defaultPageSize,
			maxPageSize,
			maxLimit: 1000,
		},
		// The generic CRUD actions stay inside the service: facades check ownership and shape answers.
		actions: {
			...Object.fromEntries(PROTECTED_CRUD.map((name) => [name, { visibility: "protected" }])),
			// Maintenance for operators (the manage CLI): reachable over the bus, never over HTTP.
			collectionStats: {
				visibility: "public",
				async handler() {
					return { service: this.name, collection: options.collection, documents: await this.adapter.count({}) };
				},
			},
			ensureIndexes: {
				visibility: "public",
				async handler() {
					await createIndexes(this.adapter, options, usesMongo);
					return {
						service: this.name,
						collection: options.collection,
						indexes: (options.indexes ?? []).map((index) => index.fields.join("+")),
					};
				},
			},
			resetCollection: {
				visibility: "public",
				params: { confirm: { type: "equal", value: options.collection }, force: { type: "boolean", optional: true } },
				async handler(ctx) {
					if (config.global.env === "production" && ctx.params.force !== true)
						throw new Forbidden("Resetting a collection in production needs force");
					return { service: this.name, collection: options.collection, removed: await this.adapter.clear() };
				},
			},
		},
		methods: {
			async beforeEntityChange(type: string, entity: Record<string, unknown>) {
				const now = new Date();
				if (type === "create") {
					entity.createdAt = now;
					entity.updatedAt = now;
					for (const index of compoundUnique) entity[compoundKeyName(index.fields)] = compoundKeyOf(entity, index.fields);
				}
				if (type === "update") entity.updatedAt = now;
				return entity;
			},

			async transformDocuments(ctx: Context, params: Record<string, unknown>, docs: unknown) {
				const shaped = await this.shapeDocuments(ctx, params, docs);
				// a service whose answers join another collection (e.g. a dataset's counters) completes them here
				if (this.completeDocuments && shaped && typeof shaped === "object")
					await this.completeDocuments(Array.isArray(shaped) ? shaped : [shaped]);
				return shaped;
			},

			async shapeDocuments(ctx: Context, params: Record<string, unknown>, docs: unknown) {
				if (plainShaping(this, params) && (Array.isArray(docs) || (docs !== null && typeof docs === "object"))) {
					return Array.isArray(docs) ? docs.map((doc) => this.shapeDocument(doc)) : this.shapeDocument(docs);
				}
				const shaped = await (
					DbService as unknown as { methods: Record<string, (...args: unknown[]) => Promise<unknown>> }
				).methods.transformDocuments.call(this, ctx, params, docs);
				const strip = (doc: Record<string, unknown>) => {
					for (const key of Object.keys(doc)) if (key.startsWith(COMPOUND_KEY_PREFIX)) delete doc[key];
					return doc;
				};
				if (Array.isArray(shaped)) return shaped.map(strip);
				return shaped && typeof shaped === "object" ? strip(shaped as Record<string, unknown>) : shaped;
			},

			/**
			 * moleculer-db's shaping of one NeDB document when only the service's `fields` apply, in one pass:
			 * its five promise stages and per-field path walks cost as much as the query (27 µs for a page of 20).
			 * The stored copy is changed as moleculer-db changes it (`id` set, `_id` removed).
			 */
			shapeDocument(doc: Record<string, unknown>): Record<string, unknown> {
				const idField = this.settings.idField as string;
				if (idField !== "_id") {
					doc[idField] = doc._id;
					delete doc._id;
				}
				doc[idField] = this.encodeID(doc[idField]);
				const shaped: Record<string, unknown> = {};
				for (const field of this.settings.fields as string[]) if (Object.hasOwn(doc, field)) shaped[field] = doc[field];
				return shaped;
			},

			/** Stored documents shaped for callers: `id` instead of `_id`, no internal keys. */
			toDocuments(ctx: Context | undefined, docs: unknown) {
				return this.transformDocuments(ctx, {}, docs);
			},

			/** One page of documents matching a filter. */
			async findPage(options: FindOptions = {}, ctx?: Context): Promise<Page<Document>> {
				const { page, pageSize } = clampPage(options.page, options.pageSize, defaultPageSize, maxPageSize);
				// Search is folded into the filter here: moleculer-db's NeDB adapter drops the filter when
				// given a search, which would list other owners' documents.
				const query = withSearch(options.query ?? {}, options.search, options.searchFields, config);
				const params = {
					query,
					sort: (options.sort ?? "-createdAt")
						.split(",")
						.map((key) => key.trim())
						.filter(Boolean),
					limit: pageSize,
					offset: (page - 1) * pageSize,
				};
				const [docs, total] = await Promise.all([this.adapter.find(params), this.countMatching(query)]);
				return { items: await this.toDocuments(ctx, docs), total, page, pageSize };
			},

			/** One page of the owner's documents; other owners' documents are invisible. */
			findOwned(ownerId: string, options: FindOptions = {}, ctx?: Context) {
				return this.findPage({ ...options, query: { ...(options.query ?? {}), [ownerField]: ownerId } }, ctx);
			},

			/** The stored document as it is, internal fields included (e.g. a password hash): never return it to callers. */
			findOneRaw(query: Query): Promise<(Record<string, unknown> & { _id: unknown }) | null> {
				return this.adapter.findOne(query);
			},

			countWhere(query: Query): Promise<number> {
				return this.countMatching(query);
			},

			/**
			 * How many documents match. moleculer-db's NeDB adapter counts by fetching every match as a deep
			 * copy (a page of a 1,000-dataset account copied 1,000 documents); NeDB's own count copies none.
			 */
			countMatching(query: Query): Promise<number> {
				const db = (this.adapter as AdapterInternals).db;
				if (!usesMongo && db.countAsync) return db.countAsync(query);
				return this.adapter.count({ query });
			},

			/** Sets fields on every document matching the filter; answers how many changed. */
			async updateWhere(query: Query, changes: Record<string, unknown>): Promise<number> {
				const set = await this.beforeEntityChange("update", writableFields(changes, ownerField));
				return conflictOnDuplicate(() => this.adapter.updateMany(query, { $set: set }));
			},

			/** Adds to numeric fields of every document matching the filter (atomic in the store); answers how many changed. */
			incrementWhere(query: Query, increments: Record<string, number>): Promise<number> {
				return this.adapter.updateMany(query, { $inc: increments, $set: { updatedAt: new Date() } });
			},

			/** Sets fields the owner-scoped helpers keep away from callers (role, active, hashes), by id. */
			async updateInternal(id: string, changes: Record<string, unknown>, ctx?: Context): Promise<Document> {
				const set = await this.beforeEntityChange("update", { ...changes }, ctx);
				const stored = await conflictOnDuplicate(() => this.adapter.updateById(this.decodeID(id), { $set: set }));
				if (!stored) throw new NotFound(singular, id);
				return this.toDocuments(ctx, stored);
			},

			removeWhere(query: Query): Promise<number> {
				return this.adapter.removeMany(query);
			},

			async findOneWhere(query: Query, ctx?: Context): Promise<Document | null> {
				const doc = await this.adapter.findOne(query);
				return doc ? this.toDocuments(ctx, doc) : null;
			},

			/** The document, or NotFound — also when it exists but belongs to someone else. */
			async getOwned(ownerId: string | null, id: string, ctx?: Context): Promise<Document> {
				return this.toDocuments(ctx, await this.getRawOwned(ownerId, id));
			},

			async getRawOwned(ownerId: string | null, id: string): Promise<Record<string, unknown>> {
				const doc = await this.findRawById(id);
				if (!doc || (ownerId !== null && doc[ownerField] !== ownerId)) throw new NotFound(singular, id);
				return doc;
			},

			async findRawById(id: string): Promise<Record<string, unknown> | null> {
				if (typeof id !== "string" || id.length === 0 || id.length > 64) return null;
				if (usesMongo && !mongoose.isValidObjectId(id)) return null;
				return this.adapter.findById(this.decodeID(id));
			},

			async createOwned(ownerId: string | null, data: Record<string, unknown>, ctx?: Context): Promise<Document> {
				const fields = writableFields(data, ownerField);
				const entity = await this.beforeEntityChange("create", ownerId === null ? fields : { ...fields, [ownerField]: ownerId }, ctx);
				const stored = await conflictOnDuplicate(() => this.adapter.insert(entity));
				const shaped = await this.toDocuments(ctx, stored);
				await this.entityChanged("created", shaped, ctx, stored);
				return shaped;
			},

			/**
			 * createOwned, once per Idempotency-Key (the gateway's scoped key in `ctx.meta`): a request repeated
			 * after its first run committed, but never answered (a replica killed mid-request), gets what that run
			 * created. Only for actions whose whole effect is this one write.
			 */
			async createOnce(ownerId: string, data: Record<string, unknown>, ctx?: Context): Promise<Document> {
				const key = (ctx?.meta as { idempotencyKey?: unknown } | undefined)?.idempotencyKey;
				if (typeof key !== "string") return this.createOwned(ownerId, data, ctx);
				const existing = await this.adapter.findOne({ [ownerField]: ownerId, idempotencyKey: key });
				if (existing) return this.toDocuments(ctx, existing);
				return this.createOwned(ownerId, { ...data, idempotencyKey: key }, ctx);
			},

			async updateOwned(ownerId: string | null, id: string, changes: Record<string, unknown>, ctx?: Context): Promise<Document> {
				const existing = await this.getRawOwned(ownerId, id);
				const set = await this.beforeEntityChange("update", writableFields(changes, ownerField), ctx);
				for (const index of compoundUnique) {
					if (index.fields.some((field) => field in set))
						set[compoundKeyName(index.fields)] = compoundKeyOf({ ...existing, ...set }, index.fields);
				}
				const stored = await conflictOnDuplicate(() => this.adapter.updateById(this.decodeID(id), { $set: set }));
				if (!stored) throw new NotFound(singular, id);
				const shaped = await this.toDocuments(ctx, stored);
				await this.entityChanged("updated", shaped, ctx, stored);
				return shaped;
			},

			async removeOwned(ownerId: string | null, id: string, ctx?: Context): Promise<Document> {
				const existing = await this.getOwned(ownerId, id, ctx);
				await this.adapter.removeById(this.decodeID(id));
				await this.entityChanged("removed", existing, ctx, existing);
				return existing;
			},
		},
		created() {
			// before moleculer-db opens (and compacts) the file in its started()
			if (lockFile) claimCollectionFile(lockFile, this.logger);
		},
		async started() {
			await createIndexes(this.adapter, options, usesMongo);
			if (!usesMongo) {
				const store = (this.adapter as { db: NedbStore & { persistence?: NedbPersistence } }).db;
				planQueries(store, compoundKeys(options));
				this.appends = keepAppendsOpen(store.persistence);
			}
			this.addHealthCheck("db", () => pingStore(this.adapter, usesMongo));
		},
		async stopped() {
			await (this.appends as KeptOpenAppends | undefined)?.close();
			if (lockFile) releaseCollectionFile(lockFile);
		},
	});
	if (model) schema.model = model;
	return schema;
}

/** NeDB collection files this process holds, so a second repository on the same file is refused too. */
const claimedFiles = new Set<string>();

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}

/**
 * NeDB keeps a collection in one process's memory and appends to its file: a second process on the
 * same file would silently lose writes. Each file gets an owner record (pid and host); a live owner on
 * this host blocks the claim. Records left by a stopped process, or written on another host (where
 * liveness cannot be checked, e.g. a previous container), are taken over.
 */
/** Resolves once the MongoDB at `uri` answers a ping (start-up checks); the connection is closed again. */
export async function pingMongo(uri: string, timeoutMs: number): Promise<void> {
	const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
	try {
		await connection.asPromise();
		await connection.db?.admin().ping();
	} finally {
		await connection.close().catch(() => undefined);
	}
}

export function claimCollectionFile(lockFile: string, logger?: { warn(...args: unknown[]): void }): void {
	const collection = path.basename(lockFile, ".owner");
	if (claimedFiles.has(lockFile)) throw new Error(`${collection} is already open in this process`);
	const me = JSON.stringify({ pid: process.pid, host: os.hostname() });
	try {
		// "wx": of two processes starting at once, only one creates the record
		fs.writeFileSync(lockFile, me, { flag: "wx" });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
		const owner = readOwner(lockFile);
		if (owner.host === os.hostname() && owner.pid !== undefined && owner.pid !== process.pid && isRunning(owner.pid)) {
			throw new Error(`${collection} is in use by process ${owner.pid}; NeDB files have a single owner (stop that process first)`);
		}
		if (owner.host !== undefined && owner.host !== os.hostname())
			logger?.warn({ lockFile, owner }, "Taking over a NeDB collection recorded by another host");
		fs.writeFileSync(lockFile, me);
	}
	claimedFiles.add(lockFile);
}

function readOwner(lockFile: string): { pid?: number; host?: string } {
	try {
		return JSON.parse(fs.readFileSync(lockFile, "utf8"));
	} catch {
		return {};
	}
}

export function releaseCollectionFile(lockFile: string): void {
	if (!claimedFiles.delete(lockFile)) return;
	fs.rmSync(lockFile, { force: true });
}

/**
 * Whether a document can be shaped by `shapeDocument`: NeDB (whose documents are plain objects), no
 * populate or field selection asked, and a list of top-level fields (none of the compound keys) to keep.
 */
function plainShaping(service: { settings: Record<string, unknown>; adapter: unknown }, params: Record<string, unknown>): boolean {
	const { fields, excludeFields, populates } = service.settings;
	if (!(service.adapter instanceof DbService.MemoryAdapter)) return false;
	if (params.populate || params.fields || params.excludeFields || excludeFields || populates) return false;
	return (
		Array.isArray(fields) &&
		fields.every((field) => typeof field === "string" && !/[.[\]]/.test(field) && !field.startsWith(COMPOUND_KEY_PREFIX))
	);
}

/** A case-insensitive substring match on any of the fields, combined with the filter. */
export function withSearch(query: Query, search: string | undefined, fields: string[] | undefined, config: Config): Query {
	if (!search || !fields || fields.length === 0) return query;
	const pattern = new RegExp(escapeRegExp(search), "i");
	const anyField = fields.map((field) => ({ [field]: pattern }));
	return trusted({ $and: [query, { $or: anyField }] }, config);
}

/** What a caller may write: never the identity, the owner, the timestamps or internal keys. */
function writableFields(data: Record<string, unknown>, ownerField: string): Record<string, unknown> {
	const reserved = new Set(["id", "_id", ownerField, "createdAt", "updatedAt"]);
	const fields: Record<string, unknown> = {};
	const invalid: string[] = [];
	for (const [key, value] of Object.entries(data)) {
		if (reserved.has(key) || key.startsWith(COMPOUND_KEY_PREFIX)) continue;
		if (key.startsWith("$")) invalid.push(key);
		else fields[key] = value;
	}
	if (invalid.length > 0) throw new ValidationFailed(invalid.map((field) => ({ field, message: "Field names cannot start with '$'" })));
	return fields;
}

/** A unique index refusing a write is the caller's conflict, not a server error. */
async function conflictOnDuplicate<T>(write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (error) {
		const e = error as { errorType?: string; code?: number };
		// NeDB marks unique violations with errorType; MongoDB with duplicate-key code 11000
		if (e.errorType === "uniqueViolated" || e.code === 11000) throw new Conflict("A record with these values already exists");
		throw error;
	}
}

/** The synthetic fields of the compound unique indexes, for the NeDB query planner. */
function compoundKeys(options: DbMixinOptions): CompoundKey[] {
	return (options.indexes ?? [])
		.filter((index) => index.unique && index.fields.length > 1)
		.map((index) => ({
			field: compoundKeyName(index.fields),
			fields: index.fields,
			keyOf: (values) => compoundKeyOf(values, index.fields),
		}));
}

function compoundKeyOf(entity: Record<string, unknown>, fields: string[]): string {
	return JSON.stringify(fields.map((field) => entity[field] ?? null));
}

interface AdapterInternals {
	db: {
		ensureIndex?: (spec: { fieldName: string; unique?: boolean; sparse?: boolean }) => Promise<void>;
		command?: (command: Record<string, unknown>) => Promise<unknown>;
		persistence?: { filename?: string; inMemoryOnly?: boolean };
		countAsync?: (query: Record<string, unknown>) => Promise<number>;
	};
	model?: { init(): Promise<unknown>; createIndexes(): Promise<unknown> };
}

async function createIndexes(adapter: AdapterInternals, options: DbMixinOptions, usesMongo: boolean) {
	if (usesMongo) {
		await adapter.model?.init();
		return;
	}
	for (const index of options.indexes ?? []) {
		if (index.fields.length === 1) {
			await adapter.db.ensureIndex?.({ fieldName: index.fields[0], unique: index.unique ?? false });
		} else if (index.unique) {
			await adapter.db.ensureIndex?.({ fieldName: compoundKeyName(index.fields), unique: true, sparse: true });
		} else {
			for (const field of index.fields) await adapter.db.ensureIndex?.({ fieldName: field });
		}
	}
}

async function pingStore(adapter: AdapterInternals, usesMongo: boolean) {
	if (usesMongo) {
		await adapter.db.command?.({ ping: 1 });
		return;
	}
	await adapter.db.countAsync?.({ _id: "__health__" });
	const file = adapter.db.persistence?.filename;
	if (file && !adapter.db.persistence?.inMemoryOnly) {
		// NeDB appends to its file on every write: the directory must stay writable
		await fs.promises.access(path.dirname(file), fs.constants.W_OK);
	}
}
