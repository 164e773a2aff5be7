/**
 * Index choice for NeDB queries. NeDB answers a query from ONE index picked by a fixed rule — the last
 * top-level equality on an indexed field, else the last `$in`, else a range, else every document — and
 * then matches each candidate against the whole query. A query such as the near-duplicate lookup
 * `{ datasetId, status: "valid", $or: [{ band0: { $in: […] } }, …] }` was therefore answered by scanning
 * every valid image of every dataset (the `status` index), and `{ datasetId, sha256 }` by scanning the
 * dataset's images: per image of a build, work that grew with the build (bench/RESULTS.md, "Pipeline
 * throughput").
 *
 * This planner weighs every usable index — equalities, the synthetic field of a compound unique index
 * whose fields are all given, `$in` lists, and a top-level `$or` whose every branch is itself indexed —
 * and hands NeDB the smallest candidate list. NeDB still matches every candidate against the whole query,
 * so answers are the same documents; only far fewer are examined. Queries with no usable index (ranges,
 * regular expressions) keep NeDB's own choice.
 */

type Doc = { _id: string } & Record<string, unknown>;
type Query = Record<string, unknown>;

interface NedbIndex {
	getMatching(value: unknown): Doc[];
}

export interface NedbStore {
	indexes: Record<string, NedbIndex>;
	_getRawCandidates(query: Query): Doc[];
}

export interface CompoundKey {
	/** The synthetic field that holds the compound value. */
	field: string;
	fields: string[];
	/** The value stored in `field` for a document (or query) with these field values. */
	keyOf(values: Query): string;
}

/** Below this many candidates an equality plan is taken at once: weighing the others would cost more. */
const GOOD_ENOUGH = 16;

const isBasic = (value: unknown) =>
	typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null || value instanceof Date;

const hasIn = (value: unknown): value is { $in: unknown[] } =>
	typeof value === "object" && value !== null && Array.isArray((value as { $in?: unknown }).$in);

/** The smallest candidate list the top-level equalities (plain and compound) give, if any. */
function equalityPlan(store: NedbStore, query: Query, compounds: CompoundKey[]): Doc[] | undefined {
	let best: Doc[] | undefined;
	for (const [field, value] of Object.entries(query)) {
		const index = store.indexes[field];
		if (!index || !isBasic(value)) continue;
		const found = index.getMatching(value);
		if (!best || found.length < best.length) best = found;
	}
	for (const compound of compounds) {
		const index = store.indexes[compound.field];
		if (!index || !compound.fields.every((field) => isBasic(query[field]))) continue;
		const found = index.getMatching(compound.keyOf(query));
		if (!best || found.length < best.length) best = found;
	}
	return best;
}

/** The smallest candidate list one `$in` on an indexed field gives, if any. */
function inPlan(store: NedbStore, query: Query): Doc[] | undefined {
	let best: Doc[] | undefined;
	for (const [field, value] of Object.entries(query)) {
		const index = store.indexes[field];
		if (!index || !hasIn(value)) continue;
		const found = index.getMatching(value.$in);
		if (!best || found.length < best.length) best = found;
	}
	return best;
}

/** Candidates of a top-level `$or` when every branch has an indexed plan: the union, each document once. */
function orPlan(store: NedbStore, query: Query, compounds: CompoundKey[]): Doc[] | undefined {
	const branches = query.$or;
	if (!Array.isArray(branches) || branches.length === 0) return undefined;
	const union = new Map<string, Doc>();
	for (const branch of branches as Query[]) {
		const equal = equalityPlan(store, branch, compounds);
		const listed = inPlan(store, branch);
		const found = equal && listed ? (equal.length <= listed.length ? equal : listed) : (equal ?? listed);
		if (!found) return undefined;
		for (const doc of found) union.set(doc._id, doc);
	}
	return [...union.values()];
}

/** Makes `store` answer each query from its most selective usable index (see above). */
export function planQueries(store: NedbStore, compounds: CompoundKey[]): void {
	const nedbChoice = store._getRawCandidates.bind(store);
	store._getRawCandidates = (query: Query) => {
		const equal = equalityPlan(store, query, compounds);
		if (equal && equal.length <= GOOD_ENOUGH) return equal;
		let best = equal;
		for (const candidates of [inPlan(store, query), orPlan(store, query, compounds)]) {
			if (candidates && (!best || candidates.length < best.length)) best = candidates;
		}
		return best ?? nedbChoice(query);
	};
}
