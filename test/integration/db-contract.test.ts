import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Errors, ServiceBroker } from "moleculer";
import { type Config, type Environment, loadConfig } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import type { ComponentHealth, Page } from "../../lib/types";
import { DbMixin, type DbMixinOptions, type Document } from "../../mixins/db.mixin";

/**
 * The adapter contract: every store the DB mixin can run on behaves the same to the services above it.
 * NeDB runs everywhere; MongoDB joins the list wherever MONGO_URI points at a server.
 */
interface Variant {
	name: string;
	/** Survives a broker restart (file or server), so persistence is part of its contract. */
	durable: boolean;
	/** NeDB with a file: every write is appended to `<data dir>/db/<collection>.db`. */
	fileBacked: boolean;
	setUp(): { env: Environment; tearDown(): void; fileOf?: (collection: string) => string };
}

const variants: Variant[] = [
	{
		name: "NeDB in memory",
		durable: false,
		fileBacked: false,
		setUp: () => ({ env: { MONGO_URI: "", PIXCRAWLER_DB_IN_MEMORY: "true" }, tearDown() {} }),
	},
	{
		name: "NeDB file-backed",
		durable: true,
		fileBacked: true,
		setUp() {
			const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-db-contract-"));
			return {
				env: { MONGO_URI: "", PIXCRAWLER_DB_IN_MEMORY: "false", PIXCRAWLER_DATA_DIR: dataDir },
				tearDown: () => fs.rmSync(dataDir, { recursive: true, force: true }),
				fileOf: (collection) => path.join(dataDir, "db", `${collection}.db`),
			};
		},
	},
	...(process.env.MONGO_URI
		? [{ name: "MongoDB", durable: true, fileBacked: false, setUp: () => ({ env: { MONGO_URI: process.env.MONGO_URI }, tearDown() {} }) }]
		: []),
];

const GENERIC_CRUD = ["find", "create", "get", "list", "update", "remove", "count", "insert"];
const GARBAGE_IDS = ["nope", "../x", '{"$gt":""}', "x".repeat(500), ""];

/** A repository service whose thin actions expose the mixin's methods to `broker.call`. */
function widgetsService(options: DbMixinOptions, config: Config) {
	return defineService({
		name: "widgets",
		mixins: [DbMixin(options, config)],
		actions: {
			createOwned: {
				handler(ctx) {
					return this.createOwned(ctx.params.ownerId, ctx.params.data, ctx);
				},
			},
			getOwned: {
				handler(ctx) {
					return this.getOwned(ctx.params.ownerId, ctx.params.id, ctx);
				},
			},
			findOwned: {
				handler(ctx) {
					return this.findOwned(ctx.params.ownerId, ctx.params.options, ctx);
				},
			},
			findPage: {
				handler(ctx) {
					return this.findPage(ctx.params.options, ctx);
				},
			},
			updateOwned: {
				handler(ctx) {
					return this.updateOwned(ctx.params.ownerId, ctx.params.id, ctx.params.changes, ctx);
				},
			},
			removeOwned: {
				handler(ctx) {
					return this.removeOwned(ctx.params.ownerId, ctx.params.id, ctx);
				},
			},
			findOneWhere: {
				handler(ctx) {
					return this.findOneWhere(ctx.params.query, ctx);
				},
			},
		},
	});
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const time = (value: unknown) => new Date(value as string).getTime();
const hasSyntheticKey = (doc: Record<string, unknown>) => Object.keys(doc).some((key) => key.startsWith("_unique_"));

describe.each(variants)("DB contract on $name", (variant) => {
	const collection = `widgets_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
	const options: DbMixinOptions = {
		collection,
		indexes: [{ fields: ["code"], unique: true }, { fields: ["ownerId", "slot"], unique: true }, { fields: ["ownerId"] }],
	};
	let config: Config;
	let tearDown: () => void;
	let fileOf: ((collection: string) => string) | undefined;
	let namespace: string;
	let broker: ServiceBroker;
	let slots = 0;

	async function startBroker() {
		// The Fake transporter links brokers of one namespace in this process, so remote visibility can be tested.
		const started = new ServiceBroker({ logger: false, namespace, nodeID: `db-${randomUUID().slice(0, 8)}`, transporter: "Fake" });
		started.createService(widgetsService(options, config));
		await started.start();
		return started;
	}

	const call = <T>(action: string, params: Record<string, unknown> = {}) =>
		broker.call<T, Record<string, unknown>>(`widgets.${action}`, params);
	const create = (ownerId: string, data: Record<string, unknown> = {}) =>
		call<Document>("createOwned", { ownerId, data: { code: `code-${randomUUID()}`, slot: ++slots, ...data } });
	const get = (ownerId: string, id: unknown) => call<Document>("getOwned", { ownerId, id });
	const findOwned = (ownerId: string, options: Record<string, unknown> = {}) => call<Page<Document>>("findOwned", { ownerId, options });
	const findPage = (options: Record<string, unknown> = {}) => call<Page<Document>>("findPage", { options });
	const update = (ownerId: string, id: unknown, changes: Record<string, unknown>) =>
		call<Document>("updateOwned", { ownerId, id, changes });
	const remove = (ownerId: string, id: unknown) => call<Document>("removeOwned", { ownerId, id });
	const newOwner = () => `user-${randomUUID()}`;

	beforeAll(async () => {
		const setUp = variant.setUp();
		tearDown = setUp.tearDown;
		fileOf = setUp.fileOf;
		config = loadConfig({ ...process.env, ...setUp.env });
		namespace = `db-contract-${randomUUID().slice(0, 8)}`;
		broker = await startBroker();
	});

	afterAll(async () => {
		// Leaves nothing behind in a shared MongoDB; NeDB's temp directory goes with tearDown.
		if (broker) {
			await (broker.getLocalService("widgets") as unknown as { adapter: { clear(): Promise<unknown> } }).adapter.clear();
			await broker.stop();
		}
		tearDown?.();
	});

	describe("entities", () => {
		it("carry a string id and no _id", async () => {
			const owner = newOwner();
			const created = await create(owner, { name: "first" });
			expect(typeof created.id).toBe("string");
			expect(created.id.length).toBeGreaterThan(0);
			expect(created).not.toHaveProperty("_id");
			expect(created).toMatchObject({ name: "first", ownerId: owner });

			const fetched = await get(owner, created.id);
			expect(fetched.id).toBe(created.id);
			expect(fetched).not.toHaveProperty("_id");

			const listed = await findOwned(owner);
			expect(listed.items.map((item) => item.id)).toEqual([created.id]);
			for (const item of listed.items) expect(item).not.toHaveProperty("_id");
		});

		it("get createdAt and updatedAt on create; an update moves updatedAt only", async () => {
			const owner = newOwner();
			const before = Date.now();
			const created = await create(owner);
			expect(time(created.createdAt)).toBeGreaterThanOrEqual(before);
			expect(time(created.updatedAt)).toBe(time(created.createdAt));

			await sleep(15);
			const updated = await update(owner, created.id, { name: "renamed" });
			expect(time(updated.createdAt)).toBe(time(created.createdAt));
			expect(time(updated.updatedAt)).toBeGreaterThan(time(created.updatedAt));

			const fetched = await get(owner, created.id);
			expect(time(fetched.createdAt)).toBe(time(created.createdAt));
			expect(time(fetched.updatedAt)).toBe(time(updated.updatedAt));
		});

		it("findOneWhere returns the shaped document, or null when nothing matches", async () => {
			const owner = newOwner();
			const created = await create(owner, { name: "needle" });
			const found = await call<Document | null>("findOneWhere", { query: { code: created.code } });
			expect(found).toEqual(created);
			expect(found).not.toHaveProperty("_id");
			expect(await call("findOneWhere", { query: { code: `absent-${randomUUID()}` } })).toBeNull();
		});

		it("removeOwned deletes the document and returns it", async () => {
			const owner = newOwner();
			const created = await create(owner);
			expect(await remove(owner, created.id)).toEqual(created);
			await expect(get(owner, created.id)).rejects.toMatchObject({ code: 404 });
			expect((await findOwned(owner)).total).toBe(0);
		});
	});

	describe("owner scoping", () => {
		let alice: string;
		let bob: string;
		let original: Document;

		beforeAll(async () => {
			alice = newOwner();
			bob = newOwner();
			original = await create(alice, { name: "alice's" });
			await create(bob, { name: "bob's" });
		});

		it("answers NotFound (404) to another owner's get, update and remove", async () => {
			await expect(get(bob, original.id)).rejects.toMatchObject({ name: "NotFound", code: 404 });
			await expect(update(bob, original.id, { name: "stolen" })).rejects.toMatchObject({ name: "NotFound", code: 404 });
			await expect(remove(bob, original.id)).rejects.toMatchObject({ name: "NotFound", code: 404 });
		});

		it("leaves the owner's document unchanged after those attempts", async () => {
			await expect(update(bob, original.id, { name: "stolen" })).rejects.toMatchObject({ code: 404 });
			await expect(remove(bob, original.id)).rejects.toMatchObject({ code: 404 });
			const fetched = await get(alice, original.id);
			expect(fetched).toEqual(original);
		});

		it("never lists another owner's documents", async () => {
			const bobs = await findOwned(bob);
			expect(bobs.total).toBe(1);
			expect(bobs.items.every((item) => item.ownerId === bob)).toBe(true);
			expect(bobs.items.map((item) => item.id)).not.toContain(original.id);
			const alices = await findOwned(alice);
			expect(alices.items.map((item) => item.id)).toEqual([original.id]);
		});

		it("keeps scoping when searching, and matches case-insensitively and literally", async () => {
			const needle = `Needle.${randomUUID().slice(0, 6)}`;
			await create(alice, { name: `${needle} of alice` });
			await create(bob, { name: `${needle} of bob` });
			const bobs = await findOwned(bob, { search: needle.toLowerCase(), searchFields: ["name"] });
			expect(bobs.items.map((item) => item.name)).toEqual([`${needle} of bob`]);
			expect(bobs.total).toBe(1);
			const literal = await findOwned(bob, { search: "Needle*", searchFields: ["name"] });
			expect(literal.total).toBe(0);
		});

		it("keeps scoping when the caller's filter names another owner", async () => {
			const page = await findOwned(bob, { query: { ownerId: alice } });
			expect(page.items.map((item) => item.id)).not.toContain(original.id);
			expect(page.items.every((item) => item.ownerId === bob)).toBe(true);
		});

		it("ignores an ownerId in the created data in favour of the owner given", async () => {
			const created = await create(bob, { ownerId: alice });
			expect(created.ownerId).toBe(bob);
			await expect(get(alice, created.id)).rejects.toMatchObject({ code: 404 });
		});
	});

	describe("caller-supplied fields", () => {
		it("cannot choose the stored id", async () => {
			const owner = newOwner();
			const created = await create(owner, { _id: "chosen-id", id: "also-chosen", name: "mine" });
			expect(created.id).not.toBe("chosen-id");
			expect(created.id).not.toBe("also-chosen");
			await expect(get(owner, "chosen-id")).rejects.toMatchObject({ code: 404 });
		});

		it("refuses operator-like field names with a 422 naming them", async () => {
			const owner = newOwner();
			const created = await create(owner, { name: "plain" });
			await expect(update(owner, created.id, { $where: "1", name: "x" })).rejects.toMatchObject({ code: 422, data: [{ field: "$where" }] });
			await expect(create(owner, { $set: { ownerId: "someone" } })).rejects.toMatchObject({ code: 422 });
			expect((await get(owner, created.id)).name).toBe("plain");
		});
	});

	describe("unknown and malformed ids", () => {
		let owner: string;

		beforeAll(async () => {
			owner = newOwner();
			await create(owner);
		});

		it.each(GARBAGE_IDS.map((id) => [id.length > 40 ? `${id.slice(0, 10)}… (${id.length} chars)` : JSON.stringify(id), id]))(
			"%s answers 404 to get, update and remove",
			async (_label, id) => {
				await expect(get(owner, id)).rejects.toMatchObject({ code: 404 });
				await expect(update(owner, id, { name: "x" })).rejects.toMatchObject({ code: 404 });
				await expect(remove(owner, id)).rejects.toMatchObject({ code: 404 });
			},
		);

		it("answers 404 to an operator object or a non-string in place of an id", async () => {
			for (const id of [{ $gt: "" }, { $ne: null }, 42, null]) {
				await expect(get(owner, id)).rejects.toMatchObject({ code: 404 });
				await expect(update(owner, id, { name: "x" })).rejects.toMatchObject({ code: 404 });
				await expect(remove(owner, id)).rejects.toMatchObject({ code: 404 });
			}
			expect((await findOwned(owner)).total).toBe(1);
		});
	});

	describe("updateOwned", () => {
		it("cannot change id, ownerId or createdAt", async () => {
			const owner = newOwner();
			const other = newOwner();
			const created = await create(owner, { name: "before" });
			const updated = await update(owner, created.id, {
				id: "forged-id",
				_id: "forged-id",
				ownerId: other,
				createdAt: new Date(0),
				name: "after",
			});
			expect(updated.id).toBe(created.id);
			expect(updated.ownerId).toBe(owner);
			expect(time(updated.createdAt)).toBe(time(created.createdAt));
			expect(updated.name).toBe("after");

			const stored = await get(owner, created.id);
			expect(stored).toMatchObject({ id: created.id, ownerId: owner, name: "after" });
			expect(time(stored.createdAt)).toBe(time(created.createdAt));
			await expect(get(other, created.id)).rejects.toMatchObject({ code: 404 });
			await expect(get(owner, "forged-id")).rejects.toMatchObject({ code: 404 });
		});
	});

	describe("pagination", () => {
		const COUNT = 105;
		let owner: string;
		let createdSlots: number[];

		beforeAll(async () => {
			owner = newOwner();
			createdSlots = [];
			for (let i = 0; i < COUNT; i++) createdSlots.push((await create(owner)).slot as number);
		});

		it("answers {items, total, page, pageSize} with page 1 and pageSize 20 by default", async () => {
			const page = await findOwned(owner);
			expect(Object.keys(page).sort()).toEqual(["items", "page", "pageSize", "total"]);
			expect(page).toMatchObject({ total: COUNT, page: 1, pageSize: 20 });
			expect(page.items).toHaveLength(20);
		});

		it("caps pageSize at 100", async () => {
			const page = await findOwned(owner, { pageSize: 500 });
			expect(page.pageSize).toBe(100);
			expect(page.items).toHaveLength(100);
			expect(page.total).toBe(COUNT);
		});

		it("falls back to the defaults for a page or pageSize below 1", async () => {
			const page = await findOwned(owner, { page: 0, pageSize: -5 });
			expect(page).toMatchObject({ page: 1, pageSize: 20, total: COUNT });
			expect(page.items).toHaveLength(20);
		});

		it("answers a page beyond the end with no items and the real total", async () => {
			const page = await findOwned(owner, { page: 50, pageSize: 20 });
			expect(page).toEqual({ items: [], total: COUNT, page: 50, pageSize: 20 });
		});

		it("serves the last, partial page", async () => {
			const page = await findOwned(owner, { page: 6, pageSize: 20 });
			expect(page.items).toHaveLength(COUNT - 100);
		});

		it("walks every document exactly once, page by page", async () => {
			const seen: number[] = [];
			for (let page = 1; page <= 6; page++) {
				const result = await findOwned(owner, { page, pageSize: 20, sort: "slot" });
				seen.push(...result.items.map((item) => item.slot as number));
			}
			expect(seen).toEqual([...createdSlots].sort((a, b) => a - b));
		});

		it("sorts by -createdAt by default", async () => {
			const page = await findOwned(owner, { pageSize: 100 });
			const times = page.items.map((item) => time(item.createdAt));
			expect(times).toEqual([...times].sort((a, b) => b - a));

			const other = newOwner();
			const first = await create(other);
			await sleep(15);
			const second = await create(other);
			await sleep(15);
			const third = await create(other);
			expect((await findOwned(other)).items.map((item) => item.id)).toEqual([third.id, second.id, first.id]);
			expect((await findOwned(other, { sort: "createdAt" })).items.map((item) => item.id)).toEqual([first.id, second.id, third.id]);
		});

		it("findPage applies the same shape and limits to any filter", async () => {
			const page = await findPage({ query: { ownerId: owner }, pageSize: 1000 });
			expect(page).toMatchObject({ total: COUNT, page: 1, pageSize: 100 });
			expect(page.items).toHaveLength(100);
			for (const item of page.items) {
				expect(item).not.toHaveProperty("_id");
				expect(hasSyntheticKey(item)).toBe(false);
			}
		});
	});

	describe("unique indexes", () => {
		it("reject a duplicate code and keep the first document", async () => {
			const code = `dup-${randomUUID()}`;
			const first = await create(newOwner(), { code });
			await expect(create(newOwner(), { code })).rejects.toMatchObject({ code: 409, type: "CONFLICT" });
			const page = await findPage({ query: { code } });
			expect(page.total).toBe(1);
			expect(page.items[0]).toEqual(first);
		});

		it("reject a duplicate (ownerId, slot) pair but allow the same slot for another owner", async () => {
			const alice = newOwner();
			const bob = newOwner();
			const slot = ++slots;
			const first = await create(alice, { slot });
			await expect(create(alice, { slot })).rejects.toMatchObject({ code: 409 });
			const bobs = await create(bob, { slot });
			expect(bobs.slot).toBe(slot);

			const alices = await findOwned(alice);
			expect(alices.total).toBe(1);
			expect(alices.items[0]).toEqual(first);
		});

		it("hold when an update moves a document onto a taken pair, and free the old pair", async () => {
			const owner = newOwner();
			const [taken, moving, freed] = [++slots, ++slots, ++slots];
			await create(owner, { slot: taken });
			const second = await create(owner, { slot: moving });
			await expect(update(owner, second.id, { slot: taken })).rejects.toMatchObject({ code: 409 });
			const moved = await update(owner, second.id, { slot: freed });
			expect(moved.slot).toBe(freed);
			const reused = await create(owner, { slot: moving });
			expect(reused.slot).toBe(moving);
		});

		it("ignore a synthetic key smuggled into the changes", async () => {
			const owner = newOwner();
			const [one, two] = [++slots, ++slots];
			await create(owner, { slot: one });
			const other = await create(owner, { slot: two, _unique_ownerId_slot: "forged" });
			await update(owner, other.id, { _unique_ownerId_slot: "forged-too", name: "renamed" });
			await expect(create(owner, { slot: two })).rejects.toMatchObject({ code: 409 });
		});

		it("free a pair again once its document is removed", async () => {
			const owner = newOwner();
			const slot = ++slots;
			const first = await create(owner, { slot });
			await remove(owner, first.id);
			const again = await create(owner, { slot });
			expect(again.id).not.toBe(first.id);
		});

		it("never show the compound index's synthetic key in returned documents", async () => {
			const owner = newOwner();
			const created = await create(owner, { name: "keyed" });
			const updated = await update(owner, created.id, { name: "still keyed" });
			const returned: Record<string, unknown>[] = [
				created,
				updated,
				await get(owner, created.id),
				...(await findOwned(owner)).items,
				...(await findPage({ query: { ownerId: owner } })).items,
				(await call<Document>("findOneWhere", { query: { code: created.code } })) as Document,
				await remove(owner, created.id),
			];
			for (const doc of returned) expect(hasSyntheticKey(doc)).toBe(false);
		});
	});

	describe("generic CRUD actions", () => {
		it("are registered as protected", () => {
			const actions = broker.registry.getActionList({}) as unknown as { name: string; action?: { visibility?: string } }[];
			for (const name of GENERIC_CRUD) {
				const entry = actions.find((item) => item.name === `widgets.${name}`);
				expect(entry?.action?.visibility).toBe("protected");
			}
		});

		it("cannot be called from another broker over the transporter, unlike checkHealth", async () => {
			const caller = new ServiceBroker({ logger: false, namespace, nodeID: `caller-${randomUUID().slice(0, 8)}`, transporter: "Fake" });
			await caller.start();
			try {
				await caller.waitForServices("widgets", 10000);
				await expect(caller.call("widgets.checkHealth")).resolves.toEqual([expect.objectContaining({ status: "up" })]);
				for (const name of GENERIC_CRUD) {
					await expect(caller.call(`widgets.${name}`, {})).rejects.toBeInstanceOf(Errors.ServiceNotFoundError);
				}
			} finally {
				await caller.stop();
			}
		});
	});

	describe("health", () => {
		it("reports the store as up", async () => {
			const health = await call<ComponentHealth[]>("checkHealth");
			expect(health).toEqual([{ name: "widgets.db", status: "up", latencyMs: expect.any(Number) }]);
			expect(health[0].latencyMs).toBeGreaterThanOrEqual(0);
		});
	});

	if (variant.durable) {
		describe("persistence", () => {
			it("keeps documents and unique indexes across a broker restart", async () => {
				const owner = newOwner();
				const kept = await create(owner, { name: "kept" });
				const updated = await update(owner, kept.id, { name: "kept and updated" });
				const removed = await create(owner, { name: "removed" });
				await remove(owner, removed.id);

				await broker.stop();
				broker = await startBroker();

				expect(await get(owner, kept.id)).toEqual(updated);
				await expect(get(owner, removed.id)).rejects.toMatchObject({ code: 404 });
				const listed = await findOwned(owner);
				expect(listed.items.map((item) => item.id)).toEqual([kept.id]);
				await expect(create(newOwner(), { code: kept.code })).rejects.toThrow();
				await expect(create(owner, { slot: kept.slot })).rejects.toThrow();
				expect(await call<ComponentHealth[]>("checkHealth")).toEqual([expect.objectContaining({ status: "up" })]);
			});
		});
	}

	if (variant.fileBacked) {
		it("appends each write to the collection's file under the data directory", async () => {
			const file = fileOf?.(collection) as string;
			const written = await create(newOwner(), { name: "on disk" });
			expect(fs.readFileSync(file, "utf8")).toContain(written.id);
			await update(written.ownerId as string, written.id, { name: "changed on disk" });
			expect(fs.readFileSync(file, "utf8")).toContain("changed on disk");
		});
	}
});
