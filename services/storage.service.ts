import path from "node:path";
import type { Readable } from "node:stream";
import { type Config, getConfig } from "../lib/config";
import { type AnyContext, defineService } from "../lib/define-service";
import { Conflict, NotFound, ValidationFailed } from "../lib/errors";
import { attachment } from "../lib/http/content-disposition";
import { escapeRegExp } from "../lib/params";
import type { Principal } from "../lib/types";
import { DbMixin, trusted } from "../mixins/db.mixin";
import { storageBytesReached } from "./auth/limits";
import { PlanLimitsLookup } from "./auth/limits-client";
import type { StorageDriver } from "./storage/driver";
import { assertSafeKey } from "./storage/keys";
import { LocalDriver } from "./storage/local.driver";
import { S3Driver } from "./storage/s3.driver";
import { signLink, verifyLink } from "./storage/signed-links";
import { sniffContentType } from "./storage/sniff";
import { STORAGE_USAGE_SERVICE, storageUsageRepository } from "./storage/usage.repository";

/** What a stored object's record shows; the blob itself lives in the driver. */
export const OBJECT_FIELDS = ["id", "key", "ownerId", "bytes", "contentType", "sha256", "createdAt"];

/** Served files can never run as a page: no scripts, no plugins, no frames. */
/** `datasets/<id>/<sha256>.<ext>`: the key promises the content's hash. */
const CONTENT_ADDRESSED = /^datasets\/[^/]+\/([0-9a-f]{64})\.[a-z0-9]+$/;

const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

interface ObjectRecord {
	key: string;
	ownerId: string;
	bytes: number;
	contentType: string;
	sha256: string;
}

export function createDriver(settings: Config["storage"], dataDir: string): StorageDriver {
	if (settings.driver === "s3") return new S3Driver(settings);
	return new LocalDriver(settings.localDir ?? path.join(dataDir, "storage"));
}

function drain(stream: Readable): Promise<void> {
	return new Promise((resolve) => {
		stream.on("error", () => resolve());
		stream.on("end", resolve);
		stream.resume();
	});
}

export function createStorageService(config: Config) {
	const settings = config.storage;
	return defineService({
		name: "storage",
		mixins: [DbMixin({ collection: "storageObjects", indexes: [{ fields: ["key"], unique: true }, { fields: ["ownerId"] }] }, config)],
		settings: { rest: "/", fields: OBJECT_FIELDS },

		actions: {
			/**
			 * Stores the request's stream (`ctx.stream`: the `stream` call option, which crosses the bus) under
			 * `meta.key` for `meta.ownerId`, within the owner's quota.
			 * Keys are content-addressed, so storing an existing key again returns the stored record.
			 * `meta.maxBytes` lets a caller raise the per-file limit (export archives); the quota still applies.
			 */
			put: {
				visibility: "public",
				async handler(ctx) {
					const body = ctx.stream as Readable | undefined;
					if (!body) throw new ValidationFailed([{ field: "stream", message: "The file's bytes come as the call's stream" }]);
					const {
						key,
						ownerId,
						size,
						maxBytes: callerLimit,
					} = ctx.meta as { key: string; ownerId: string; size?: number; maxBytes?: number };
					const objectLimit = callerLimit ?? settings.maxObjectBytes;
					try {
						assertSafeKey(key);
						if (typeof ownerId !== "string" || ownerId.length === 0 || ownerId.length > 64) {
							throw new ValidationFailed([{ field: "ownerId", message: "An owner is required" }]);
						}
						if (size !== undefined && !(Number.isInteger(size) && size >= 0)) {
							throw new ValidationFailed([{ field: "size", message: "The size must be a whole number of bytes" }]);
						}
						if (!(Number.isInteger(objectLimit) && objectLimit > 0)) {
							throw new ValidationFailed([{ field: "maxBytes", message: "The limit must be a positive whole number of bytes" }]);
						}
						const existing = (await this.findOneRaw({ key })) as ObjectRecord | null;
						if (existing) {
							if (existing.ownerId !== ownerId) throw new Conflict("This storage key belongs to someone else");
							await drain(body);
							return this.toDocuments(ctx, existing);
						}
						const quota = await this.quotaOf(ctx, ownerId);
						const remaining = quota.max === null ? Number.MAX_SAFE_INTEGER : Math.max(0, quota.max - quota.used);
						if (typeof size === "number" && size > remaining) throw storageBytesReached(quota.max, quota.used);
						const maxBytes = Math.min(objectLimit, remaining);
						let stored: Awaited<ReturnType<StorageDriver["put"]>>;
						try {
							stored = await this.driver.put(key, body, { contentType: "application/octet-stream", maxBytes });
						} catch (error) {
							// the quota, not the per-file maximum, stopped this write
							if ((error as { code?: number }).code === 413 && maxBytes < objectLimit) throw storageBytesReached(quota.max, quota.used);
							throw error;
						}
						const addressed = CONTENT_ADDRESSED.exec(key);
						if (addressed && addressed[1] !== stored.sha256) {
							await this.driver.delete(key);
							throw new ValidationFailed([{ field: "key", message: "The content does not match the hash in the key" }]);
						}
						const record = { key, ownerId, bytes: stored.bytes, sha256: stored.sha256, contentType: sniffContentType(stored.head) };
						let document: Record<string, unknown>;
						try {
							document = await this.createOwned(ownerId, record, ctx);
						} catch (error) {
							// the same content-addressed key stored concurrently: that write recorded and counted it
							const winner = (error as { code?: number }).code === 409 ? ((await this.findOneRaw({ key })) as ObjectRecord | null) : null;
							if (winner?.ownerId === ownerId) return this.toDocuments(ctx, winner);
							if (!winner) await this.driver.delete(key);
							throw error;
						}
						try {
							await ctx.call(`${STORAGE_USAGE_SERVICE}.add`, { ownerId, bytes: stored.bytes, objects: 1 });
						} catch (error) {
							// an object nobody was charged for must not stay: it would be free storage, and deleting it
							// later (an export's retry does) would give back bytes that were never counted
							await this.removeOwned(ownerId, String(document.id), ctx);
							await this.driver.delete(key);
							throw error;
						}
						return document;
					} catch (error) {
						if (!body.readableEnded) body.destroy();
						throw error;
					}
				},
			},

			/** The object's bytes as a stream, or null. (Not `get`: that name is the repository's.) */
			read: {
				visibility: "public",
				params: {
					key: { type: "string", max: 512 },
					range: {
						type: "object",
						optional: true,
						props: { start: { type: "number", integer: true, min: 0 }, end: { type: "number", integer: true, min: 0 } },
					},
				},
				async handler(ctx) {
					assertSafeKey(ctx.params.key);
					return this.driver.get(ctx.params.key, ctx.params.range);
				},
			},

			head: {
				visibility: "public",
				params: { key: { type: "string", max: 512 } },
				async handler(ctx) {
					assertSafeKey(ctx.params.key);
					return this.findOneWhere({ key: ctx.params.key }, ctx);
				},
			},

			/** Deletes the object and gives its bytes back to the owner's quota. (Not `remove`: that name is the repository's.) */
			delete: {
				visibility: "public",
				params: { key: { type: "string", max: 512 }, ownerId: "string" },
				async handler(ctx) {
					return this.removeObject(ctx, ctx.params.key, ctx.params.ownerId);
				},
			},

			/** Deletes every object of the owner under a prefix (e.g. `datasets/<id>/`). */
			removePrefix: {
				visibility: "public",
				params: { prefix: { type: "string", min: 1, max: 512 }, ownerId: "string" },
				async handler(ctx) {
					const prefix: string = ctx.params.prefix;
					assertSafeKey(prefix.replace(/\/$/, ""));
					const pattern = new RegExp(`^${escapeRegExp(prefix)}`);
					const records = (await this.adapter.find({
						query: trusted({ ownerId: ctx.params.ownerId, key: pattern }, config),
					})) as ObjectRecord[];
					for (const record of records) await this.removeObject(ctx, record.key, ctx.params.ownerId);
					return { removed: records.length };
				},
			},

			/** A link that downloads the object until it expires: presigned for S3, signed by us for local. */
			signUrl: {
				visibility: "public",
				params: {
					key: { type: "string", max: 512 },
					ttlSeconds: { type: "number", integer: true, min: 1, max: 7 * 86400, optional: true },
					downloadName: { type: "string", max: 200, optional: true },
				},
				async handler(ctx) {
					assertSafeKey(ctx.params.key);
					const ttl = ctx.params.ttlSeconds ?? settings.signedUrlTtlSeconds;
					const presigned = await this.driver.presignedUrl(ctx.params.key, ttl, ctx.params.downloadName);
					if (presigned) return { url: presigned, expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
					const exp = Math.floor(Date.now() / 1000) + ttl;
					const token = signLink({ key: ctx.params.key, exp, name: ctx.params.downloadName }, settings.signingSecret);
					return { url: `${config.gateway.publicUrl ?? ""}/api/v1/files/${token}`, expiresAt: new Date(exp * 1000).toISOString() };
				},
			},

			download: {
				rest: "GET /files/:token",
				auth: "public",
				summary: "Download a file by its signed link",
				description: "Links come from image and export answers and expire; a tampered or expired link answers 403.",
				tag: "files",
				response: {
					media: ["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "application/zip", "application/octet-stream"],
				},
				errors: [403, 404],
				params: { token: { type: "string", min: 10, max: 2048 } },
				async handler(ctx) {
					const claims = verifyLink(ctx.params.token, settings.signingSecret);
					const record = (await this.findOneRaw({ key: claims.key })) as ObjectRecord | null;
					const body = record ? await this.driver.get(claims.key) : null;
					if (!record || !body) throw new NotFound("file");
					const disposition = claims.name ? attachment(claims.name) : "inline";
					ctx.meta.$responseType = record.contentType;
					ctx.meta.$responseHeaders = {
						"Content-Length": String(record.bytes),
						"Content-Disposition": disposition,
						"Content-Security-Policy": FILE_CSP,
						ETag: `"${record.sha256}"`,
					};
					return body;
				},
			},

			usage: {
				rest: "GET /storage/usage",
				auth: "user",
				scopes: ["datasets:read"],
				summary: "Your storage use",
				description: "Bytes and files you store (images and exports) against your quota (the storageBytes plan limit).",
				tag: "storage",
				response: "StorageUsage",
				responseExample: { bytes: 52428800, objects: 310, quotaBytes: 10737418240, remainingBytes: 10685989440 },
				async handler(ctx) {
					const owner = (ctx.meta.user as Principal).id;
					const usage = (await ctx.call(`${STORAGE_USAGE_SERVICE}.of`, { ownerId: owner })) as { bytes: number; objects: number };
					const { storageBytes: quotaBytes } = await this.planLimits.of(ctx, owner);
					return { ...usage, quotaBytes, remainingBytes: quotaBytes === null ? null : Math.max(0, quotaBytes - usage.bytes) };
				},
			},

			/** For the auth service (GET /auth/me): the bytes and files the owner stores. */
			usageOf: {
				visibility: "public",
				params: { ownerId: { type: "string", min: 1, max: 64 } },
				handler(ctx) {
					return ctx.call(`${STORAGE_USAGE_SERVICE}.of`, { ownerId: ctx.params.ownerId });
				},
			},

			overview: {
				rest: "GET /admin/storage",
				auth: "superuser",
				summary: "Storage totals",
				description: "Bytes and files across all users, and the users who store the most.",
				tag: "storage",
				response: "StorageOverview",
				params: { top: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true } },
				handler(ctx) {
					return ctx.call(`${STORAGE_USAGE_SERVICE}.largest`, { limit: ctx.params.top ?? 10 });
				},
			},
		},

		methods: {
			/** The owner's storageBytes plan limit (null: none) and the bytes stored. */
			async quotaOf(ctx: AnyContext, ownerId: string): Promise<{ max: number | null; used: number }> {
				const { storageBytes: max } = await this.planLimits.of(ctx, ownerId);
				if (max === null) return { max, used: 0 };
				const usage = (await ctx.call(`${STORAGE_USAGE_SERVICE}.of`, { ownerId })) as { bytes: number };
				return { max, used: usage.bytes };
			},

			async removeObject(ctx: AnyContext, key: string, ownerId: string) {
				assertSafeKey(key);
				const record = (await this.findOneRaw({ key })) as (ObjectRecord & { _id: unknown }) | null;
				if (!record || record.ownerId !== ownerId) throw new NotFound("file", key);
				// record and usage first: a failure after them leaves at worst an unreferenced blob, never a
				// record pointing at nothing or bytes counted forever
				await this.removeOwned(ownerId, this.encodeID(record._id) as string, ctx);
				await ctx.call(`${STORAGE_USAGE_SERVICE}.add`, { ownerId, bytes: -record.bytes, objects: -1 });
				await this.driver.delete(key);
				return { key, bytes: record.bytes };
			},
		},

		created() {
			this.broker.createService(storageUsageRepository(config));
			this.driver = createDriver(settings, config.global.dataDir);
			this.planLimits = new PlanLimitsLookup(config, this.logger);
			this.addHealthCheck("store", () => this.driver.checkWritable());
		},

		async stopped() {
			await this.driver.close();
		},
	});
}

export default createStorageService(getConfig());
