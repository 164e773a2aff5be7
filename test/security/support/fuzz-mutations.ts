import fc from "fast-check";
import {
	deleteAt,
	effective,
	type JsonSchema,
	type Path,
	type Slot,
	setAt,
	slotsOf,
	typesOf,
	valueArbitrary,
	valueAt,
} from "./fuzz-schema";
import { copy, fieldName, type Json, type JsonObject, RawJson, setOwn } from "./fuzz-values";

/**
 * Mutation classes: each turns a request built from the operation's documented schemas into a
 * hostile one, and records which fields it touched (the fields a 422 must name).
 */
export const MUTATION_CLASSES = [
	"valid",
	"wrong-type",
	"missing-required",
	"length-bounds",
	"huge-string",
	"deep-nesting",
	"operator",
	"unicode",
	"number",
	"extra-field",
	"prototype-pollution",
	"hostile-id",
	"foreign-id",
] as const;
export type MutationClass = (typeof MUTATION_CLASSES)[number];

/** Where a value travels: the JSON body, the query string, or a path segment. */
export type Surface = "body" | "query" | "path";

/** What the fuzzer knows about one operation of the document. */
export interface FuzzOperation {
	id: string;
	method: string;
	template: string;
	auth: string;
	pathParams: { name: string; schema: JsonSchema }[];
	/** The query parameters as one object schema (properties and required ones). */
	query: JsonSchema;
	queryExample: JsonObject;
	body?: { schema: JsonSchema; required: boolean; example?: Json };
	/** POST, PUT and PATCH take a body even when none is documented. */
	takesBody: boolean;
	/** Real ids of the caller's objects are safe to send: reads, and writes whose body is validated first. */
	realIdsSafe: boolean;
}

/** Ids a path parameter can take. */
export interface IdSource {
	/** The caller's own object (undefined: the fixture has none for this parameter). */
	own(op: FuzzOperation, param: string): string | undefined;
	/** Another user's object of the same kind (undefined: none, or the route is not owner-scoped). */
	foreign(op: FuzzOperation, param: string): string | undefined;
}

export interface FuzzCase {
	mutation: MutationClass;
	surface?: Surface;
	/** Field names the mutation touched, as fastest-validator writes them. */
	targets: string[];
	/** Raw (already percent-encoded) path segments. */
	pathParams: Record<string, string>;
	/** Path parameters holding an id that is not one of the caller's objects: no answer may succeed through them. */
	hostileParams: string[];
	query: JsonObject;
	body?: Json;
}

const LONE_SURROGATES = ["\uD800", "\uDBFF", "\uDC00", "\uDFFF"];
/** Text that breaks naive handling: astral, right-to-left overrides, NUL, lone surrogates, combining marks, zero-width, BOM. */
const UNICODE_PIECES = [
	"𝕌𝕟𝕚𝕔𝕠𝕕𝕖",
	"😀",
	"👩‍👩‍👧‍👦",
	"\u202Egnp.exe",
	"مرحبا",
	"\u0000",
	"a\u0000b",
	...LONE_SURROGATES,
	"e\u0301\u0301\u0301\u0301",
	"Z̴̡̛̤̜̞̓͑̇a̵̧̛l̶g̷o̸",
	"\u200B\u200D\uFEFF",
	"ﬁ",
	"İ",
	"ß",
	"\r\n",
	"\t",
	"%00",
	"\\u0000",
	"' OR 1=1 --",
	"<script>alert(1)</script>",
	// biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style lookup is the payload, not a template
	"${jndi:ldap://x}",
	"../../etc/passwd",
];

/** MongoDB-style operators and key shapes that must stay data: never a query, never a nested path. */
const OPERATOR_VALUES: Json[] = [
	{ $gt: "" },
	{ $ne: null },
	{ $where: "sleep(5000) || true" },
	{ $regex: ".*", $options: "s" },
	{ $in: ["cat", "dog"] },
	{ $exists: true },
	{ $expr: { $eq: [1, 1] } },
	{ "a.b": 1 },
	["$gt", ""],
	"$where",
];
const OPERATOR_KEYS = ["$where", "$gt", "$set", "$or", "$$strict", "$$root", "a.b", "options.minWidth", "$"];

/** Names of fields a client must never be able to set, and names that shadow Object methods. */
const EXTRA_KEYS = [
	"id",
	"_id",
	"ownerId",
	"role",
	"active",
	"passwordHash",
	"status",
	"createdAt",
	"stats",
	"currentJobId",
	"storageKey",
	"hasOwnProperty",
	"toString",
	"valueOf",
	"then",
	"length",
	"a, b",
	"",
	" ",
	"😀",
];

const NUMBER_VALUES: Json[] = [
	-1,
	-(2 ** 31),
	1.5,
	0.000001,
	2 ** 53 + 1,
	1e21,
	1e308,
	Number.MIN_VALUE,
	new RawJson("1e400"),
	new RawJson("-1e400"),
	new RawJson("-0"),
	new RawJson("1E2"),
	new RawJson("1e-400"),
];
const QUERY_NUMBERS = [
	"-1",
	"0",
	"1.5",
	"1e400",
	"-1e400",
	"NaN",
	"Infinity",
	"0x10",
	"1_000",
	" 1",
	"",
	"99999999999999999999999",
	"+1",
	"01",
	"1e-400",
];

/** Sizes of a huge string: near and over the body limit (bodies), within the header limit (query and path). */
export interface Sizes {
	bodyLimit: number;
}

const WRONG_TYPE_VALUES: Record<string, Json> = {
	string: "not-a-number",
	integer: 7,
	number: 1.25,
	boolean: true,
	null: null,
	object: { nested: "object" },
	array: ["an", "array"],
};

function wrongTypeValues(schema: JsonSchema, surface: Surface): Json[] {
	const allowed = typesOf(schema);
	if (allowed.size === 0) return [];
	if (surface === "query") {
		// every scalar in a query string is text: the wrong types are brackets (objects, arrays) and non-numbers
		const values: Json[] = [{ nested: "x" }, ["1", "2"]];
		if (allowed.has("number") || allowed.has("boolean")) values.push("not-a-number");
		return values;
	}
	return Object.entries(WRONG_TYPE_VALUES)
		.filter(([type]) => !allowed.has(type) && !(type === "integer" && allowed.has("number")))
		.map(([, value]) => value);
}

/** A nested JSON value `depth` levels deep, as text (a recursive serialiser would overflow). */
function nested(depth: number, kind: "array" | "object"): RawJson {
	return kind === "array"
		? new RawJson(`${"[".repeat(depth)}1${"]".repeat(depth)}`)
		: new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}

function unicodeString(): fc.Arbitrary<string> {
	return fc.oneof(
		fc.array(fc.constantFrom(...UNICODE_PIECES), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join("")),
		fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
		fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)), minLength: 1, maxLength: 3 }),
	);
}

/** Chunks whose repetition makes backtracking patterns (emails, URLs, paths) try every split. */
const PATHOLOGICAL_CHUNKS = ["@", "a@", "@.", "a.", ".a", "-", "a-", "://", "%", "\\", "a ", "0"];

/** A long text made of a short chunk repeated: structural characters repeated are what backtracking regexes choke on. */
function hugeString(size: number): fc.Arbitrary<string> {
	const chunk = fc.oneof(
		fc.constantFrom(...PATHOLOGICAL_CHUNKS),
		fc.string({ unit: fc.constantFrom(..."a@.-_:/ 0xZ%$\\"), minLength: 1, maxLength: 4 }),
	);
	return chunk.map((text) => `x${text.repeat(Math.ceil(size / text.length)).slice(0, Math.max(0, size - 2))}x`);
}

const stringSlot = (slot: Slot) => typesOf(slot.schema).has("string") || Object.keys(slot.schema).length === 0;

/** Object slots present in the value (where an extra key can go). */
function objectSlots(slots: Slot[], value: unknown): Slot[] {
	return slots.filter((slot) => {
		const current = slot.path.length === 0 ? value : valueAt(value, slot.path);
		return slot.present && current !== null && typeof current === "object" && !Array.isArray(current) && !(current instanceof RawJson);
	});
}

/** Present values, and absent optional properties whose parent is present. */
function settableSlots(slots: Slot[]): Slot[] {
	return slots.filter((slot) => slot.path.length > 0 && (slot.present || !slot.required));
}

interface Edit {
	path: Path;
	/** undefined deletes. */
	value: Json | undefined;
	/** A key added to the object at `path` rather than a value replaced. */
	addKey?: string;
}

function applyEdit(root: JsonObject, edit: Edit): { value: JsonObject; target: string } {
	const out = copy(root);
	if (edit.addKey !== undefined) {
		const parent = (edit.path.length === 0 ? out : valueAt(out, edit.path)) as Record<string, unknown>;
		setOwn(parent, edit.addKey, edit.value);
		return { value: out, target: fieldName([...edit.path, edit.addKey]) };
	}
	if (edit.value === undefined) deleteAt(out, edit.path);
	else setAt(out, edit.path, edit.value);
	return { value: out, target: fieldName(edit.path) };
}

/** The edits a class can make to a value under its schema, on one surface. */
function editsFor(
	mutation: MutationClass,
	value: JsonObject,
	schema: JsonSchema,
	surface: Surface,
	sizes: Sizes,
	reserved: Set<string>,
): fc.Arbitrary<Edit> | undefined {
	const slots = slotsOf(value, schema);
	const settable = settableSlots(slots);
	const objects = objectSlots(slots, value);
	const knownNames = (slot: Slot) => new Set(Object.keys((effective(slot.schema).properties as object | undefined) ?? {}));
	const pick = <T>(items: T[]) => (items.length > 0 ? fc.constantFrom(...items) : undefined);
	const replaceWith = (candidates: Slot[], values: (slot: Slot) => fc.Arbitrary<Json> | undefined) => {
		const usable = candidates.filter((slot) => values(slot) !== undefined);
		return pick(usable)?.chain((slot) => (values(slot) as fc.Arbitrary<Json>).map((next): Edit => ({ path: slot.path, value: next })));
	};
	const addKey = (names: (slot: Slot) => fc.Arbitrary<string>, values: fc.Arbitrary<Json>) =>
		pick(objects)?.chain((slot) =>
			fc.tuple(names(slot), values).map(([key, next]): Edit => ({ path: slot.path, addKey: key, value: next })),
		);
	// query text is percent-encoded (up to 3 bytes a character) and must stay within Node's 16 KiB of headers
	const hugeSizes = surface === "body" ? [sizes.bodyLimit - 4096, sizes.bodyLimit + 1024] : [3000];

	switch (mutation) {
		case "wrong-type":
			return replaceWith(settable, (slot) => {
				const values = wrongTypeValues(slot.schema, surface);
				return values.length > 0 ? fc.constantFrom(...values) : undefined;
			});
		case "missing-required":
			return pick(settable.filter((slot) => slot.present && slot.required))?.map((slot): Edit => ({ path: slot.path, value: undefined }));
		case "length-bounds":
			return replaceWith(settable, (slot) => {
				const resolved = effective(slot.schema);
				const options: fc.Arbitrary<Json>[] = [];
				if (typeof resolved.maxLength === "number") {
					options.push(fc.integer({ min: 1, max: 20 }).map((extra) => "x".repeat((resolved.maxLength as number) + extra)));
				}
				if (typeof resolved.minLength === "number" && resolved.minLength > 0)
					options.push(fc.constant("x".repeat((resolved.minLength as number) - 1)));
				if (typeof resolved.maxItems === "number" && resolved.items) {
					const items = valueArbitrary(resolved.items as JsonSchema);
					options.push(fc.array(items, { minLength: (resolved.maxItems as number) + 1, maxLength: (resolved.maxItems as number) + 3 }));
				}
				if (typeof resolved.minItems === "number" && resolved.minItems > 0) options.push(fc.constant([]));
				return options.length > 0 ? fc.oneof(...options) : undefined;
			});
		case "huge-string": {
			const strings = settable.filter(stringSlot);
			const values = fc.constantFrom(...hugeSizes).chain(hugeString);
			if (strings.length > 0) return replaceWith(strings, () => values);
			return addKey(() => fc.constant("huge"), values);
		}
		case "deep-nesting": {
			const deep = fc
				.tuple(fc.constantFrom(50, 1000, 20000), fc.constantFrom<"array" | "object">("array", "object"))
				.map(([depth, kind]) => nested(depth, kind));
			if (surface === "query") {
				// qs nests brackets up to its depth limit and keeps the rest as a literal key
				const brackets = fc.integer({ min: 6, max: 40 }).map((depth) => `deep${"[a]".repeat(depth)}`);
				return addKey(() => brackets, fc.constant("1"));
			}
			return fc.oneof(
				...[replaceWith(settable, () => deep), addKey(() => fc.constant("deep"), deep)].filter(
					(arb): arb is fc.Arbitrary<Edit> => arb !== undefined,
				),
			);
		}
		case "operator": {
			const values = fc.constantFrom(...OPERATOR_VALUES);
			const asValue = replaceWith(settable, () => values);
			const asKey = addKey(() => fc.constantFrom(...OPERATOR_KEYS), fc.constantFrom<Json>(1, "", { $gt: "" }, { role: "superuser" }));
			return fc.oneof(...[asValue, asKey].filter((arb): arb is fc.Arbitrary<Edit> => arb !== undefined));
		}
		case "unicode": {
			const strings = settable.filter(stringSlot);
			if (strings.length > 0) return replaceWith(strings, () => unicodeString());
			return addKey(() => unicodeString(), unicodeString());
		}
		case "number":
			return replaceWith(
				settable.filter((slot) => typesOf(slot.schema).has("number")),
				(slot) => {
					const resolved = effective(slot.schema);
					const bounds: Json[] = [];
					if (typeof resolved.minimum === "number") bounds.push(resolved.minimum - 1, resolved.minimum - 0.5);
					if (typeof resolved.maximum === "number") bounds.push(resolved.maximum + 1, resolved.maximum + 0.5);
					if (surface === "query") return fc.constantFrom<Json>(...QUERY_NUMBERS, ...bounds.map(String));
					return fc.constantFrom(...NUMBER_VALUES, ...bounds);
				},
			);
		case "extra-field":
			return addKey(
				(slot) =>
					fc
						.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 12 }))
						// path parameters win over body fields of the same name (the gateway merges them): not unknown fields
						.filter((key) => !knownNames(slot).has(key) && key !== "__proto__" && !(slot.path.length === 0 && reserved.has(key))),
				fc.oneof(fc.constantFrom<Json>("superuser", true, 0, null), fc.string({ maxLength: 8 })),
			);
		case "prototype-pollution":
			return addKey(
				() => fc.constantFrom("__proto__", "constructor", "prototype"),
				fc.constantFrom<Json>({ polluted: "yes", isAdmin: true }, { prototype: { polluted: "yes" } }, "polluted"),
			);
		default:
			return undefined;
	}
}

/** Parameters of the arbitraries for one operation. */
export interface CaseContext {
	op: FuzzOperation;
	ids: IdSource;
	sizes: Sizes;
	/** Ids that never belong to anyone: malformed, oversized, traversal, operators, unicode. */
	hostileIds: fc.Arbitrary<string>;
}

function baseArbitrary(op: FuzzOperation): fc.Arbitrary<{ query: JsonObject; body?: Json }> {
	const query = fc.oneof(fc.constant(op.queryExample), valueArbitrary(op.query)) as fc.Arbitrary<JsonObject>;
	if (!op.takesBody) return query.map((value) => ({ query: value }));
	const generated = op.body ? valueArbitrary(op.body.schema) : fc.constant<Json>({});
	const body = op.body?.example !== undefined ? fc.oneof(fc.constant(op.body.example), generated) : generated;
	// a body travels as the JSON body; the query stays as documented
	return fc.tuple(query, body).map(([value, json]) => ({ query: value, body: json }));
}

/** Which surfaces a class can mutate on this operation, most specific first. */
function surfacesOf(op: FuzzOperation): Surface[] {
	const surfaces: Surface[] = [];
	if (op.takesBody) surfaces.push("body");
	// query mutations on body operations would only shadow body fields (the gateway merges both)
	if (!op.takesBody || Object.keys((op.query.properties as object | undefined) ?? {}).length > 0) surfaces.push("query");
	return surfaces;
}

/**
 * The cases of one class for one operation, or undefined when the class does not apply (no integer
 * field for `number`, no path parameter for `hostile-id`, …).
 */
export function caseArbitrary(mutation: MutationClass, context: CaseContext): fc.Arbitrary<FuzzCase> | undefined {
	const { op, ids } = context;
	const own = (param: string) => (op.realIdsSafe ? ids.own(op, param) : undefined);

	if (mutation === "hostile-id" || mutation === "foreign-id") {
		if (op.pathParams.length === 0) return undefined;
		const names = op.pathParams.map((param) => param.name);
		if (mutation === "foreign-id") {
			const foreign = names.filter((name) => ids.foreign(op, name) !== undefined);
			if (foreign.length === 0) return undefined;
			return fc.tuple(baseArbitrary(op), fc.constantFrom(...foreign)).map(([base, chosen]) => {
				const pathParams = Object.fromEntries(
					names.map((name) => [
						name,
						name === chosen ? (ids.foreign(op, name) as string) : (ids.own(op, name) ?? ids.foreign(op, name) ?? "missing"),
					]),
				);
				return { mutation, targets: [], pathParams, hostileParams: [chosen], ...base };
			});
		}
		return fc.tuple(baseArbitrary(op), fc.constantFrom(...names), context.hostileIds).map(([base, chosen, hostile]) => {
			const pathParams = Object.fromEntries(names.map((name) => [name, name === chosen ? hostile : (own(name) ?? hostile)]));
			return {
				mutation,
				surface: "path",
				targets: [chosen],
				pathParams,
				hostileParams: names.filter((name) => pathParams[name] === hostile || !own(name)),
				...base,
			};
		});
	}

	// every other class: the caller's own ids where that is safe, else ids of nobody
	const pathArbitrary = fc
		.tuple(...op.pathParams.map((param) => (own(param.name) ? fc.constant(own(param.name) as string) : context.hostileIds)))
		.map((values) => {
			const pathParams = Object.fromEntries(op.pathParams.map((param, index) => [param.name, values[index]]));
			return { pathParams, hostileParams: op.pathParams.map((param) => param.name).filter((name) => !own(name)) };
		});
	if (mutation === "valid")
		return fc.tuple(baseArbitrary(op), pathArbitrary).map(([base, path]) => ({ mutation, targets: [], ...path, ...base }));

	const surfaces = surfacesOf(op);
	const reserved = new Set(op.pathParams.map((param) => param.name));
	const variants = surfaces
		.map((surface) => {
			const schema = surface === "body" ? (op.body?.schema ?? { type: "object" }) : op.query;
			// does the class apply to this surface at all? (decided on a value with every documented field)
			if (editsFor(mutation, fullValue(schema) as JsonObject, schema, surface, context.sizes, reserved) === undefined) return undefined;
			return fc.tuple(baseArbitrary(op), pathArbitrary).chain(([base, path]) => {
				const current = surface === "body" ? base.body : base.query;
				const root = isObjectValue(current) ? (current as JsonObject) : {};
				const edits = editsFor(mutation, root, schema, surface, context.sizes, reserved);
				if (!edits) return fc.constant(undefined);
				return edits.map((edit): FuzzCase => {
					const { value, target } = applyEdit(root, edit);
					const next = surface === "body" ? { query: base.query, body: value } : { query: value, body: base.body };
					return { mutation, surface, targets: [target], ...path, ...next };
				});
			});
		})
		.filter((arb): arb is fc.Arbitrary<FuzzCase | undefined> => arb !== undefined);
	if (variants.length === 0) return undefined;
	return fc.oneof(...variants).filter((value): value is FuzzCase => value !== undefined);
}

/** A value with every property the schema documents (to see which mutations an operation offers). */
function fullValue(schema: JsonSchema): Json {
	const resolved = effective(schema);
	if ("const" in resolved) return resolved.const as Json;
	if (Array.isArray(resolved.enum)) return resolved.enum[0] as Json;
	const types = typesOf(resolved);
	if (types.has("object") || resolved.properties) {
		const out: JsonObject = {};
		for (const [name, property] of Object.entries((resolved.properties as Record<string, JsonSchema> | undefined) ?? {}))
			out[name] = fullValue(property);
		return out;
	}
	if (types.has("array")) return [fullValue((resolved.items as JsonSchema | undefined) ?? {})];
	if (types.has("number")) return typeof resolved.minimum === "number" ? resolved.minimum : 1;
	if (types.has("boolean")) return true;
	return "x".repeat(Math.max(Number(resolved.minLength ?? 1), 1));
}

function isObjectValue(value: unknown): boolean {
	return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawJson);
}
