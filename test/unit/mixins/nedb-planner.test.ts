import Datastore from "@seald-io/nedb";
import { type CompoundKey, type NedbStore, planQueries } from "../../../mixins/nedb-planner";

type Doc = { _id: string } & Record<string, unknown>;

/** A seeded generator: the same documents on every run. */
function generator(seed: number) {
	let state = seed >>> 0;
	return (n: number) => {
		state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
		return state % n;
	};
}

const compound: CompoundKey = {
	field: "_unique_datasetId_sha256",
	fields: ["datasetId", "sha256"],
	keyOf: (values) => JSON.stringify([values.datasetId ?? null, values.sha256 ?? null]),
};

async function store(planned: boolean) {
	const db = new Datastore({ inMemoryOnly: true });
	for (const fieldName of ["datasetId", "status", "band0", "band1"]) await db.ensureIndexAsync({ fieldName });
	await db.ensureIndexAsync({ fieldName: compound.field, unique: true, sparse: true });
	const next = generator(7);
	const docs = Array.from({ length: 3000 }, (_, i) => {
		const doc = {
			datasetId: `d${next(5)}`,
			sha256: `s${i}`,
			status: ["valid", "valid", "duplicate", "rejected"][next(4)],
			band0: next(64),
			band1: next(64),
		};
		return { ...doc, [compound.field]: compound.keyOf(doc) };
	});
	await db.insertAsync(docs);
	const seen: number[] = [];
	const internals = db as unknown as NedbStore;
	if (planned) planQueries(internals, [compound]);
	const choose = internals._getRawCandidates.bind(internals);
	internals._getRawCandidates = (query) => {
		const candidates = choose(query);
		seen.push(candidates.length);
		return candidates;
	};
	return { db, seen };
}

const QUERIES: Record<string, unknown>[] = [
	// the near-duplicate lookup's shape: equalities on big indexes plus an indexed $or
	{ datasetId: "d1", status: "valid", $or: [{ band0: { $in: [3, 4, 5] } }, { band1: { $in: [9] } }] },
	// a compound unique key given in full
	{ datasetId: "d2", sha256: "s1234" },
	{ datasetId: "d2", sha256: "s1" },
	// a $in beside an equality
	{ status: "rejected", band0: { $in: [1, 2] } },
	// an $or with a branch that has no index: NeDB's own choice
	{ datasetId: "d3", $or: [{ band0: 1 }, { sha256: "s7" }] },
	// no usable index at all
	{ sha256: { $regex: /^s12/ } },
	{ band0: { $gte: 60 } },
];

describe("the NeDB query planner", () => {
	it("answers every query with the same documents as NeDB's own index choice", async () => {
		const plain = await store(false);
		const planned = await store(true);
		for (const query of QUERIES) {
			const ids = async (db: Datastore) => ((await db.findAsync(query)) as Doc[]).map((doc) => doc.sha256).sort();
			expect(await ids(planned.db)).toEqual(await ids(plain.db));
		}
	});

	it("examines far fewer candidates where a smaller index applies", async () => {
		const plain = await store(false);
		const planned = await store(true);
		const examine = async (target: { db: Datastore; seen: number[] }, query: Record<string, unknown>) => {
			target.seen.length = 0;
			await target.db.findAsync(query);
			return target.seen[0] as number;
		};
		// NeDB takes the last equality (status: every valid image of every dataset); the $or's bands are far fewer
		const nearDuplicate = QUERIES[0] as Record<string, unknown>;
		expect(await examine(plain, nearDuplicate)).toBeGreaterThan(1000);
		expect(await examine(planned, nearDuplicate)).toBeLessThan(250);
		// the compound unique key names one document
		expect(await examine(planned, QUERIES[1] as Record<string, unknown>)).toBeLessThanOrEqual(1);
		expect(await examine(plain, QUERIES[1] as Record<string, unknown>)).toBeGreaterThan(400);
	});
});
