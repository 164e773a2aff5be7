import { ServiceBroker } from "moleculer";
import DbService from "moleculer-db";
import { loadConfig } from "../../../lib/config";
import type { PixActionSchema, PixServiceSchema } from "../../../lib/define-service";
import { defineService } from "../../../lib/define-service";
import { clampPage, DbMixin, trusted } from "../../../mixins/db.mixin";
import { HEALTH_ACTION, HealthMixin, probe } from "../../../mixins/health.mixin";

const nedbConfig = loadConfig({ ...process.env, MONGO_URI: "", PIXCRAWLER_DB_IN_MEMORY: "true" });
const CRUD = ["find", "count", "list", "create", "insert", "get", "update", "remove"];

describe("clampPage", () => {
	it.each([
		["nothing given", undefined, undefined, { page: 1, pageSize: 20 }],
		["plain values", 3, 50, { page: 3, pageSize: 50 }],
		["the maximum page size", 1, 100, { page: 1, pageSize: 100 }],
		["one above the maximum", 1, 101, { page: 1, pageSize: 100 }],
		["a huge page size", 2, 1e9, { page: 2, pageSize: 100 }],
		["zero", 0, 0, { page: 1, pageSize: 20 }],
		["negative numbers", -1, -20, { page: 1, pageSize: 20 }],
		["fractions", 1.5, 10.5, { page: 1, pageSize: 20 }],
		["NaN", Number.NaN, Number.NaN, { page: 1, pageSize: 20 }],
		["infinities", Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, { page: 1, pageSize: 20 }],
		// query strings arrive as text: the action's params schema must convert them first
		["numeric strings", "2", "10", { page: 1, pageSize: 20 }],
		["null", null, null, { page: 1, pageSize: 20 }],
		["objects", { $gt: 0 }, [5], { page: 1, pageSize: 20 }],
		["a page far beyond any data", 1_000_000, 1, { page: 1_000_000, pageSize: 1 }],
	])("%s", (_label, page, pageSize, expected) => {
		expect(clampPage(page, pageSize, 20, 100)).toEqual(expected);
	});

	it("caps the default page size at the maximum too", () => {
		expect(clampPage(undefined, undefined, 50, 10)).toEqual({ page: 1, pageSize: 10 });
	});

	it("uses the given default page size", () => {
		expect(clampPage(1, undefined, 7, 100)).toEqual({ page: 1, pageSize: 7 });
	});
});

describe("trusted", () => {
	it("returns the very same filter, unmarked, on NeDB", () => {
		const filter = { createdAt: { $lt: new Date() } };
		const result = trusted(filter, nedbConfig);
		expect(result).toBe(filter);
		expect(Object.getOwnPropertySymbols(result)).toEqual([]);
		expect(result).toEqual({ createdAt: { $lt: filter.createdAt.$lt } });
	});

	it("marks the same filter as trusted on MongoDB, where sanitizeFilter would otherwise neutralise it", () => {
		const mongoConfig = loadConfig({ ...process.env, MONGO_URI: "mongodb://127.0.0.1:1/pixcrawler-unit" });
		const filter = { attempts: { $lt: 3 } };
		const result = trusted(filter, mongoConfig);
		expect(result).toBe(filter);
		expect(Object.getOwnPropertySymbols(result)).toHaveLength(1);
	});
});

describe("DbMixin schema", () => {
	const schema = DbMixin({ collection: `unit_${Date.now()}` }, nedbConfig);

	it("marks every generic CRUD action protected", () => {
		const actions = schema.actions as Record<string, PixActionSchema>;
		for (const name of CRUD) expect(actions[name]).toEqual({ visibility: "protected" });
	});

	it("adds checkHealth through HealthMixin", () => {
		expect(schema.mixins).toContain(HealthMixin);
		const healthActions = HealthMixin.actions as Record<string, PixActionSchema>;
		expect(HEALTH_ACTION).toBe("checkHealth");
		expect(healthActions.checkHealth).toMatchObject({ visibility: "public" });
	});

	it("exposes `id` as the id field and the page limits as settings", () => {
		expect(schema.settings).toMatchObject({ idField: "id", pageSize: 20, maxPageSize: 100 });
		const custom = DbMixin({ collection: `unit_custom_${Date.now()}`, defaultPageSize: 5, maxPageSize: 50 }, nedbConfig);
		expect(custom.settings).toMatchObject({ pageSize: 5, maxPageSize: 50 });
	});

	it("registers protected CRUD and a callable checkHealth on a broker", async () => {
		const broker = new ServiceBroker({ logger: false });
		broker.createService(defineService({ name: "things", mixins: [DbMixin({ collection: `things_${Date.now()}` }, nedbConfig)] }));
		await broker.start();
		try {
			const actions = broker.registry.getActionList({}) as unknown as { name: string; action?: { visibility?: string } }[];
			const visibility = (name: string) => actions.find((item) => item.name === name)?.action?.visibility;
			for (const name of CRUD) expect(visibility(`things.${name}`)).toBe("protected");
			expect(visibility("things.checkHealth")).toBe("public");
			expect(await broker.call("things.checkHealth")).toEqual([{ name: "things.db", status: "up", latencyMs: expect.any(Number) }]);
		} finally {
			await broker.stop();
		}
	});

	it("reports no checks for a service with HealthMixin alone", async () => {
		const broker = new ServiceBroker({ logger: false });
		broker.createService(defineService({ name: "bare", mixins: [HealthMixin as PixServiceSchema] }));
		await broker.start();
		try {
			expect(await broker.call("bare.checkHealth")).toEqual([]);
		} finally {
			await broker.stop();
		}
	});
});

describe("probe", () => {
	it("reports up with the latency when the check resolves", async () => {
		const result = await probe("store", () => new Promise((resolve) => setTimeout(resolve, 20)));
		expect(result).toEqual({ name: "store", status: "up", latencyMs: expect.any(Number) });
		expect(result.latencyMs).toBeGreaterThanOrEqual(15);
		expect(result.latencyMs).toBeLessThan(2000);
	});

	it("reports down with the error message when the check rejects", async () => {
		const result = await probe("store", async () => {
			throw new Error("connection refused");
		});
		expect(result).toEqual({ name: "store", status: "down", latencyMs: expect.any(Number), detail: "connection refused" });
		expect(result.latencyMs).toBeGreaterThanOrEqual(0);
	});

	it("reports down when the check throws before returning a promise", async () => {
		const result = await probe("store", () => {
			throw new Error("not configured");
		});
		expect(result).toMatchObject({ status: "down", detail: "not configured" });
	});

	it("reports down after the time limit when the check never answers", async () => {
		const started = Date.now();
		const result = await probe("store", () => new Promise(() => {}), 50);
		expect(result).toEqual({ name: "store", status: "down", latencyMs: expect.any(Number), detail: "no answer within 50 ms" });
		expect(result.latencyMs).toBeGreaterThanOrEqual(45);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it("rounds the latency to hundredths of a millisecond", async () => {
		const result = await probe("store", async () => {});
		expect(Math.round(result.latencyMs * 100)).toBeCloseTo(result.latencyMs * 100, 6);
	});
});

describe("DbMixin shaping and counting on NeDB", () => {
	const fields = ["id", "ownerId", "name", "tags", "options", "createdAt", "missing"];
	let broker: ServiceBroker;
	// biome-ignore lint/suspicious/noExplicitAny: the service's mixed-in methods are untyped here
	let service: any;

	beforeAll(async () => {
		broker = new ServiceBroker({ logger: false });
		service = broker.createService(
			defineService({
				name: "shaped",
				mixins: [DbMixin({ collection: `shaped_${Date.now()}`, indexes: [{ fields: ["ownerId", "name"], unique: true }] }, nedbConfig)],
				settings: { fields },
			}),
		);
		await broker.start();
		for (let n = 0; n < 30; n++) {
			await service.createOwned(n % 3 === 0 ? "other" : "owner", { name: `item ${n}`, tags: ["a", { b: n }], options: { nested: { n } } });
		}
	});
	afterAll(() => broker.stop());

	it("shapes documents exactly as moleculer-db does (keys, order, id, dates) and changes the stored copy alike", async () => {
		const raw = await service.adapter.find({ query: { ownerId: "owner" } });
		const copies = structuredClone(raw);
		const generic = await (
			DbService as unknown as { methods: { transformDocuments(...args: unknown[]): Promise<Record<string, unknown>[]> } }
		).methods.transformDocuments.call(service, undefined, {}, copies);
		const shapeDocument = jest.spyOn(service, "shapeDocument");
		const fast = await service.toDocuments(undefined, raw);
		expect(shapeDocument).toHaveBeenCalledTimes(raw.length);
		shapeDocument.mockRestore();
		expect(JSON.stringify(fast)).toBe(JSON.stringify(generic));
		expect(fast[0].createdAt).toBeInstanceOf(Date);
		expect(Object.keys(fast[0])).toEqual(["id", "ownerId", "name", "tags", "options", "createdAt"]);
		expect(raw).toEqual(copies);
		const one = await service.adapter.findOne({ name: fast[0].name });
		expect(await service.toDocuments(undefined, one)).toEqual(fast[0]);
		expect(await service.toDocuments(undefined, null)).toBeNull();
	});

	it("counts a page's total without fetching the documents, with and without a search", async () => {
		const page = await service.findOwned("owner", { pageSize: 5 });
		expect(page).toMatchObject({ total: 20, page: 1, pageSize: 5 });
		expect(page.items).toHaveLength(5);
		const searched = await service.findOwned("owner", { search: "item 1", searchFields: ["name"] });
		expect(searched.total).toBe(searched.items.length);
		expect(searched.items.every((item: { name: string }) => item.name.startsWith("item 1"))).toBe(true);
		expect(await service.countWhere({ ownerId: "other" })).toBe(10);
	});
});
