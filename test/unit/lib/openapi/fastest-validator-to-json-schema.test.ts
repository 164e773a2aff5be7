import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import Validator from "fastest-validator";
import { type JsonSchema, paramsToJsonSchema, ruleToJsonSchema } from "../../../../lib/openapi/fastest-validator-to-json-schema";

function schemaOf(rule: unknown): JsonSchema {
	return ruleToJsonSchema(rule).schema;
}

describe("ruleToJsonSchema", () => {
	describe("string shorthands", () => {
		it("parses modifiers and flags", () => {
			expect(ruleToJsonSchema("string|min:3|max:10|optional")).toEqual({
				schema: { type: "string", minLength: 3, maxLength: 10 },
				optional: true,
			});
		});

		it("parses number flags", () => {
			expect(ruleToJsonSchema("number|integer|positive")).toEqual({
				schema: { type: "integer", exclusiveMinimum: 0 },
				optional: false,
			});
		});

		it("expands the array shorthand, applying modifiers to the array", () => {
			expect(schemaOf("string[]")).toEqual({ type: "array", items: { type: "string" } });
			expect(ruleToJsonSchema("string[]|optional|min:2")).toEqual({
				schema: { type: "array", items: { type: "string" }, minItems: 2 },
				optional: true,
			});
		});

		it("expands nested array shorthands", () => {
			expect(schemaOf("number[][]")).toEqual({
				type: "array",
				items: { type: "array", items: { type: "number" } },
			});
		});

		it("handles whitespace around types and modifiers", () => {
			expect(ruleToJsonSchema("  string  |  optional ")).toEqual({ schema: { type: "string" }, optional: true });
			expect(schemaOf("string []")).toEqual({ type: "array", items: { type: "string" } });
		});

		it("reads no- prefixed flags as false", () => {
			expect(schemaOf("string|no-empty")).toEqual({ type: "string", minLength: 1 });
		});

		it("keeps a numeric shorthand pattern as a string pattern", () => {
			expect(schemaOf("string|pattern:123")).toEqual({ type: "string", pattern: "123" });
		});

		it("ignores an enum written in a shorthand, which the parser leaves as a plain string", () => {
			expect(schemaOf("string|enum:a,b")).toEqual({ type: "string" });
		});

		it("reads defaults from shorthands", () => {
			expect(ruleToJsonSchema("number|default:5")).toEqual({
				schema: { type: "number", default: 5 },
				optional: true,
			});
		});
	});

	describe("$$type object shorthand", () => {
		it("uses the remaining keys as props", () => {
			expect(ruleToJsonSchema({ $$type: "object|optional", a: "string", b: "number|optional" })).toEqual({
				schema: {
					type: "object",
					properties: { a: { type: "string" }, b: { type: "number" } },
					required: ["a"],
				},
				optional: true,
			});
		});
	});

	describe("types", () => {
		it("any", () => {
			expect(schemaOf("any")).toEqual({});
			expect(schemaOf({ type: "any", nullable: true })).toEqual({});
		});

		it("array", () => {
			expect(schemaOf({ type: "array" })).toEqual({ type: "array" });
			expect(schemaOf({ type: "array", items: "number", min: 1, max: 5, unique: true })).toEqual({
				type: "array",
				items: { type: "number" },
				minItems: 1,
				maxItems: 5,
				uniqueItems: true,
			});
			expect(schemaOf({ type: "array", items: "string", length: 3 })).toEqual({
				type: "array",
				items: { type: "string" },
				minItems: 3,
				maxItems: 3,
			});
			expect(schemaOf({ type: "array", empty: false })).toEqual({ type: "array", minItems: 1 });
			expect(schemaOf({ type: "array", contains: "x" })).toEqual({ type: "array", contains: { const: "x" } });
		});

		it("array enum constrains the items", () => {
			expect(schemaOf({ type: "array", enum: ["a", "b"] })).toEqual({ type: "array", items: { enum: ["a", "b"] } });
			expect(schemaOf({ type: "array", items: "string", enum: ["a", "b"] })).toEqual({
				type: "array",
				items: { allOf: [{ type: "string" }, { enum: ["a", "b"] }] },
			});
		});

		it("boolean", () => {
			expect(schemaOf("boolean")).toEqual({ type: "boolean" });
			expect(schemaOf({ type: "boolean", convert: true })).toEqual({ type: "boolean" });
		});

		it("date", () => {
			expect(schemaOf("date")).toEqual({ type: "string", format: "date-time" });
		});

		it("date defaults are serialised as ISO strings", () => {
			const when = new Date("2024-01-02T03:04:05.000Z");
			expect(schemaOf({ type: "date", default: when })).toEqual({
				type: "string",
				format: "date-time",
				default: "2024-01-02T03:04:05.000Z",
			});
		});

		it("email", () => {
			expect(schemaOf("email")).toEqual({ type: "string", format: "email" });
			expect(schemaOf({ type: "email", max: 100 })).toEqual({ type: "string", format: "email", maxLength: 100 });
		});

		it("enum", () => {
			expect(schemaOf({ type: "enum", values: ["a", 1, true] })).toEqual({ enum: ["a", 1, true] });
			expect(schemaOf({ type: "enum" })).toEqual({});
		});

		it("equal", () => {
			expect(schemaOf({ type: "equal", value: "yes" })).toEqual({ const: "yes" });
			expect(schemaOf({ type: "equal", value: false, strict: true })).toEqual({ const: false });
			expect(schemaOf({ type: "equal", field: "password" })).toEqual({});
		});

		it("forbidden is optional and matches nothing", () => {
			expect(ruleToJsonSchema("forbidden")).toEqual({ schema: { not: {} }, optional: true });
		});

		it("multi", () => {
			expect(schemaOf({ type: "multi", rules: ["string", { type: "number", min: 1 }] })).toEqual({
				anyOf: [{ type: "string" }, { type: "number", minimum: 1 }],
			});
			expect(ruleToJsonSchema({ type: "multi", rules: ["string|optional", "number|optional"] }).optional).toBe(false);
			expect(ruleToJsonSchema({ type: "multi", rules: ["string", "number"], optional: true }).optional).toBe(true);
		});

		it("number", () => {
			expect(schemaOf("number")).toEqual({ type: "number" });
			expect(schemaOf({ type: "number", min: 1, max: 10, equal: 5, notEqual: 6 })).toEqual({
				type: "number",
				minimum: 1,
				maximum: 10,
				const: 5,
				not: { const: 6 },
			});
			expect(schemaOf({ type: "number", integer: true, negative: true })).toEqual({
				type: "integer",
				exclusiveMaximum: 0,
			});
			expect(schemaOf({ type: "number", convert: true })).toEqual({ type: "number" });
		});

		it("object", () => {
			expect(schemaOf("object")).toEqual({ type: "object" });
			expect(schemaOf({ type: "object", strict: true, minProps: 1, maxProps: 3, props: { a: "string", b: "number|optional" } })).toEqual({
				type: "object",
				properties: { a: { type: "string" }, b: { type: "number" } },
				required: ["a"],
				additionalProperties: false,
				minProperties: 1,
				maxProperties: 3,
			});
			expect(schemaOf({ type: "object", properties: { a: "boolean" }, strict: "remove" })).toEqual({
				type: "object",
				properties: { a: { type: "boolean" } },
				required: ["a"],
				additionalProperties: false,
			});
		});

		it("object strict without props does not restrict properties, as in fastest-validator", () => {
			expect(schemaOf({ type: "object", strict: true })).toEqual({ type: "object" });
		});

		it("object without required props omits required", () => {
			expect(schemaOf({ type: "object", props: { a: "string|optional" } })).toEqual({
				type: "object",
				properties: { a: { type: "string" } },
			});
		});

		it("string", () => {
			expect(schemaOf("string")).toEqual({ type: "string" });
			expect(schemaOf({ type: "string", min: 2, max: 4 })).toEqual({ type: "string", minLength: 2, maxLength: 4 });
			expect(schemaOf({ type: "string", length: 8 })).toEqual({ type: "string", minLength: 8, maxLength: 8 });
			expect(schemaOf({ type: "string", enum: ["x", "y"] })).toEqual({ type: "string", enum: ["x", "y"] });
			expect(schemaOf({ type: "string", trim: true, lowercase: true, convert: true, padStart: 3 })).toEqual({
				type: "string",
			});
		});

		it("string patterns", () => {
			expect(schemaOf({ type: "string", pattern: /^[a-z]+\d$/ })).toEqual({ type: "string", pattern: "^[a-z]+\\d$" });
			expect(schemaOf({ type: "string", pattern: "^abc$" })).toEqual({ type: "string", pattern: "^abc$" });
			expect(schemaOf({ type: "string", numeric: true })).toEqual({
				type: "string",
				pattern: "^-?[0-9]\\d*(\\.\\d+)?$",
			});
			expect(schemaOf({ type: "string", alpha: true })).toEqual({ type: "string", pattern: "^[a-zA-Z]+$" });
			expect(schemaOf({ type: "string", alphanum: true })).toEqual({ type: "string", pattern: "^[a-zA-Z0-9]+$" });
			expect(schemaOf({ type: "string", alphadash: true })).toEqual({ type: "string", pattern: "^[a-zA-Z0-9_-]+$" });
			expect(schemaOf({ type: "string", hex: true })).toEqual({ type: "string", pattern: "^(?:[0-9a-fA-F]{2})+$" });
			expect(schemaOf({ type: "string", singleLine: true })).toEqual({ type: "string", pattern: "^[^\\n]*$" });
			expect(schemaOf({ type: "string", contains: "a.b" })).toEqual({ type: "string", pattern: "a\\.b" });
		});

		it("string base64 sets a pattern and contentEncoding", () => {
			expect(schemaOf({ type: "string", base64: true })).toEqual({
				type: "string",
				pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
				contentEncoding: "base64",
			});
		});

		it("combines several string patterns with allOf", () => {
			expect(schemaOf({ type: "string", pattern: /^a/, alphanum: true })).toEqual({
				type: "string",
				pattern: "^a",
				allOf: [{ pattern: "^[a-zA-Z0-9]+$" }],
			});
		});

		it("url", () => {
			expect(schemaOf("url")).toEqual({ type: "string", format: "uri" });
		});

		it("uuid", () => {
			expect(schemaOf("uuid")).toEqual({ type: "string", format: "uuid" });
			expect(schemaOf({ type: "uuid", version: 4 })).toEqual({ type: "string", format: "uuid" });
		});

		it("objectID", () => {
			expect(schemaOf({ type: "objectID", ObjectID: class {} })).toEqual({
				type: "string",
				pattern: "^[0-9a-fA-F]{24}$",
			});
		});

		it("record", () => {
			expect(schemaOf("record")).toEqual({ type: "object" });
			expect(schemaOf({ type: "record", key: "string|alpha", value: "number|positive" })).toEqual({
				type: "object",
				propertyNames: { type: "string", pattern: "^[a-zA-Z]+$" },
				additionalProperties: { type: "number", exclusiveMinimum: 0 },
			});
		});

		it("tuple", () => {
			expect(schemaOf({ type: "tuple", items: ["number", "string|optional"] })).toEqual({
				type: "array",
				prefixItems: [{ type: "number" }, { type: "string" }],
				items: false,
				minItems: 2,
				maxItems: 2,
			});
			expect(schemaOf("tuple")).toEqual({ type: "array" });
			expect(schemaOf({ type: "tuple", empty: false })).toEqual({ type: "array", minItems: 1 });
		});

		it("custom, function and class have no JSON representation", () => {
			expect(schemaOf({ type: "custom", check: () => true })).toEqual({});
			expect(schemaOf("function")).toEqual({});
			expect(schemaOf({ type: "class", instanceOf: Buffer })).toEqual({});
		});

		it("other built-in string types", () => {
			expect(schemaOf("mac")).toEqual({ type: "string" });
			expect(schemaOf("luhn")).toEqual({ type: "string" });
			expect(schemaOf({ type: "currency", currencySymbol: "$" })).toEqual({ type: "string" });
		});

		it("unknown types and non-rules give an empty schema without throwing", () => {
			for (const rule of ["nope", "nope|optional", "", { type: "nope" }, { min: 3 }, { type: 42 }, 42, null, undefined, true, /x/]) {
				expect(ruleToJsonSchema(rule)).toEqual({ schema: {}, optional: rule === "nope|optional" });
			}
		});

		it("ignores custom check functions on known types", () => {
			expect(schemaOf({ type: "number", custom: (v: number) => v })).toEqual({ type: "number" });
		});
	});

	describe("alternatives", () => {
		it("turns an array of rules into anyOf", () => {
			expect(ruleToJsonSchema(["string", "number"])).toEqual({
				schema: { anyOf: [{ type: "string" }, { type: "number" }] },
				optional: false,
			});
		});

		it("is optional only when every alternative is optional", () => {
			expect(ruleToJsonSchema(["string|optional", "number"]).optional).toBe(false);
			expect(ruleToJsonSchema(["string|optional", "number|optional"]).optional).toBe(true);
		});

		it("unwraps a single alternative and tolerates an empty list", () => {
			expect(ruleToJsonSchema(["email"])).toEqual({ schema: { type: "string", format: "email" }, optional: false });
			expect(ruleToJsonSchema([])).toEqual({ schema: {}, optional: false });
		});
	});

	describe("modifiers", () => {
		it("optional", () => {
			expect(ruleToJsonSchema({ type: "string", optional: true }).optional).toBe(true);
			expect(ruleToJsonSchema({ type: "string", optional: false }).optional).toBe(false);
			expect(ruleToJsonSchema("string").optional).toBe(false);
		});

		it("default makes a rule optional and is kept", () => {
			expect(ruleToJsonSchema({ type: "number", default: 0 })).toEqual({
				schema: { type: "number", default: 0 },
				optional: true,
			});
			expect(ruleToJsonSchema({ type: "boolean", default: false })).toEqual({
				schema: { type: "boolean", default: false },
				optional: true,
			});
		});

		it("a function default makes a rule optional but is not serialised", () => {
			expect(ruleToJsonSchema({ type: "number", default: () => 1 })).toEqual({
				schema: { type: "number" },
				optional: true,
			});
		});

		it("a null default is ignored, as in fastest-validator", () => {
			expect(ruleToJsonSchema({ type: "number", default: null })).toEqual({
				schema: { type: "number" },
				optional: false,
			});
		});

		it("nullable adds null to the type", () => {
			expect(ruleToJsonSchema({ type: "string", nullable: true })).toEqual({
				schema: { type: ["string", "null"] },
				optional: false,
			});
			expect(schemaOf({ type: "array", items: "string", nullable: true })).toEqual({
				type: ["array", "null"],
				items: { type: "string" },
			});
		});

		it("nullable extends enums and wraps schemas without a type", () => {
			expect(schemaOf({ type: "string", enum: ["a"], nullable: true })).toEqual({
				type: ["string", "null"],
				enum: ["a", null],
			});
			expect(schemaOf({ type: "enum", values: ["a"], nullable: true })).toEqual({ enum: ["a", null] });
			expect(schemaOf({ type: "equal", value: 1, nullable: true })).toEqual({
				anyOf: [{ const: 1 }, { type: "null" }],
			});
			expect(schemaOf({ type: "number", equal: 1, nullable: true })).toEqual({
				anyOf: [{ type: "number", const: 1 }, { type: "null" }],
			});
			expect(schemaOf({ type: "multi", rules: ["string", "number"], nullable: true })).toEqual({
				anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }],
			});
		});

		it("description wins over label, and label is used as description", () => {
			expect(schemaOf({ type: "string", label: "Name" })).toEqual({ type: "string", description: "Name" });
			expect(schemaOf({ type: "string", label: "Name", description: "The display name" })).toEqual({
				type: "string",
				description: "The display name",
			});
			expect(schemaOf("string|label:Display name")).toEqual({ type: "string", description: "Display name" });
		});
	});

	it("does not recurse forever on cyclic schemas", () => {
		const node: Record<string, unknown> = { type: "object", props: { name: "string" } };
		(node.props as Record<string, unknown>).parent = node;
		const schema = schemaOf(node);
		expect(schema).toEqual({
			type: "object",
			properties: { name: { type: "string" }, parent: {} },
			required: ["name", "parent"],
		});
	});

	it("does not modify its input", () => {
		const rule = { $$type: "object|optional", a: { type: "array", items: "string[]" } };
		const copy = structuredClone(rule);
		ruleToJsonSchema(rule);
		expect(rule).toEqual(copy);
	});
});

describe("paramsToJsonSchema", () => {
	it("builds an object schema with required fields", () => {
		expect(
			paramsToJsonSchema({
				name: "string|min:3",
				age: { type: "number", integer: true, optional: true },
				role: { type: "enum", values: ["user", "admin"], default: "user" },
			}),
		).toEqual({
			type: "object",
			properties: {
				name: { type: "string", minLength: 3 },
				age: { type: "integer" },
				role: { enum: ["user", "admin"], default: "user" },
			},
			required: ["name"],
		});
	});

	it("omits required when all fields are optional and handles empty params", () => {
		expect(paramsToJsonSchema({ q: "string|optional" })).toEqual({
			type: "object",
			properties: { q: { type: "string" } },
		});
		expect(paramsToJsonSchema({})).toEqual({ type: "object", properties: {} });
	});

	it("skips $$ keys", () => {
		expect(paramsToJsonSchema({ $$async: true, $$custom: "string", id: "uuid" })).toEqual({
			type: "object",
			properties: { id: { type: "string", format: "uuid" } },
			required: ["id"],
		});
	});

	it("maps $$strict to additionalProperties false", () => {
		expect(paramsToJsonSchema({ $$strict: true, a: "string" }).additionalProperties).toBe(false);
		expect(paramsToJsonSchema({ $$strict: "remove", a: "string" }).additionalProperties).toBe(false);
		expect(paramsToJsonSchema({ $$strict: false, a: "string" })).not.toHaveProperty("additionalProperties");
		expect(paramsToJsonSchema({ a: "string" })).not.toHaveProperty("additionalProperties");
	});

	it("leaves forbidden fields out entirely", () => {
		expect(
			paramsToJsonSchema({ password: "forbidden", nested: { type: "object", props: { x: "forbidden|remove", y: "string" } } }),
		).toEqual({
			type: "object",
			properties: {
				nested: { type: "object", properties: { y: { type: "string" } }, required: ["y"] },
			},
			required: ["nested"],
		});
	});

	it("converts nested objects, arrays of objects and alternatives", () => {
		expect(
			paramsToJsonSchema({
				filter: {
					type: "object",
					optional: true,
					strict: true,
					props: {
						tags: { type: "array", items: { type: "object", props: { name: "string", weight: "number|optional" } } },
						range: { $$type: "object", from: "number", to: "number|optional" },
					},
				},
				id: ["string", "number"],
			}),
		).toEqual({
			type: "object",
			properties: {
				filter: {
					type: "object",
					properties: {
						tags: {
							type: "array",
							items: {
								type: "object",
								properties: { name: { type: "string" }, weight: { type: "number" } },
								required: ["name"],
							},
						},
						range: {
							type: "object",
							properties: { from: { type: "number" }, to: { type: "number" } },
							required: ["from"],
						},
					},
					required: ["tags", "range"],
					additionalProperties: false,
				},
				id: { anyOf: [{ type: "string" }, { type: "number" }] },
			},
			required: ["id"],
		});
	});

	it("treats a $$root params object as a single rule", () => {
		expect(paramsToJsonSchema({ $$root: true, type: "string", min: 1 })).toEqual({ type: "string", minLength: 1 });
	});

	it("returns a plain object schema for non-object input", () => {
		expect(paramsToJsonSchema(null as unknown as Record<string, unknown>)).toEqual({ type: "object" });
	});
});

describe("ajv 2020 compatibility", () => {
	const warnings: unknown[][] = [];
	const ajv = new Ajv2020({
		strict: true,
		allowUnionTypes: true,
		logger: { log: () => undefined, warn: (...args: unknown[]) => warnings.push(args), error: (...args: unknown[]) => warnings.push(args) },
	});
	addFormats(ajv);

	afterEach(() => {
		expect(warnings).toEqual([]);
		warnings.length = 0;
	});

	function fastestValidatorAccepts(params: Record<string, unknown>, value: unknown): boolean {
		const check = new Validator().compile(params);
		// Validation sanitises in place (defaults, strict: "remove"), so give it its own copy.
		return check(structuredClone(value)) === true;
	}

	interface Case {
		name: string;
		params: () => Record<string, unknown>;
		valid: unknown[];
		invalid: unknown[];
	}

	const cases: Case[] = [
		{
			name: "strings",
			params: () => ({
				$$strict: true,
				name: "string|min:3|max:10",
				code: { type: "string", alphanum: true, length: 4 },
				hex: { type: "string", hex: true, optional: true },
				b64: { type: "string", base64: true, optional: true },
				num: { type: "string", numeric: true, optional: true },
				slug: { type: "string", alphadash: true, pattern: /^[a-z]/, optional: true },
				kind: { type: "string", enum: ["a", "b"], nullable: true },
				line: { type: "string", singleLine: true, contains: "x", optional: true },
			}),
			valid: [
				{ name: "abc", code: "ab12", kind: "a" },
				{ name: "abcdefghij", code: "ZZ99", kind: null, hex: "0aFF", b64: "aGk=", num: "-1.5", slug: "a-b_c", line: "axb" },
			],
			invalid: [
				{ name: "ab", code: "ab12", kind: "a" },
				{ name: "abc", code: "ab1", kind: "a" },
				{ name: "abc", code: "ab-1", kind: "a" },
				{ name: "abc", code: "ab12", kind: "c" },
				{ name: "abc", code: "ab12" },
				{ name: "abc", code: "ab12", kind: "a", hex: "abc" },
				{ name: "abc", code: "ab12", kind: "a", b64: "a" },
				{ name: "abc", code: "ab12", kind: "a", num: "1e5" },
				{ name: "abc", code: "ab12", kind: "a", slug: "A-b" },
				{ name: "abc", code: "ab12", kind: "a", line: "a\nx" },
				{ name: "abc", code: "ab12", kind: "a", line: "abc" },
				{ name: "abc", code: "ab12", kind: "a", extra: 1 },
			],
		},
		{
			name: "numbers and booleans",
			params: () => ({
				count: "number|integer|positive",
				ratio: { type: "number", min: 0, max: 1, optional: true },
				delta: { type: "number", negative: true, notEqual: -1, optional: true },
				exact: { type: "number", equal: 3, nullable: true, optional: true },
				flag: "boolean|optional",
			}),
			valid: [{ count: 1 }, { count: 3, ratio: 0.5, delta: -2, exact: 3, flag: true }, { count: 1, exact: null }],
			invalid: [
				{ count: 0 },
				{ count: 1.5 },
				{ count: "1" },
				{ count: 1, ratio: 2 },
				{ count: 1, delta: 0 },
				{ count: 1, delta: -1 },
				{ count: 1, exact: 4 },
				{ count: 1, flag: "yes" },
			],
		},
		{
			name: "arrays, tuples and records",
			params: () => ({
				tags: { type: "array", items: "string", min: 1, max: 3, unique: true },
				colours: { type: "array", enum: ["red", "green"], optional: true },
				mustHave: { type: "array", contains: "x", optional: true },
				point: { type: "tuple", items: ["number", "number"], optional: true },
				scores: { type: "record", key: "string|alpha", value: "number", optional: true },
				matrix: { type: "array", items: "number[]", optional: true },
			}),
			valid: [
				{ tags: ["a"] },
				{ tags: ["a", "b", "c"], colours: ["red"], mustHave: ["x", 1], point: [1, 2], scores: { ab: 1 }, matrix: [[1], []] },
			],
			invalid: [
				{ tags: [] },
				{ tags: ["a", "a"] },
				{ tags: ["a", "b", "c", "d"] },
				{ tags: [1] },
				{ tags: ["a"], colours: ["blue"] },
				{ tags: ["a"], mustHave: ["y"] },
				{ tags: ["a"], point: [1] },
				{ tags: ["a"], point: [1, 2, 3] },
				{ tags: ["a"], point: [1, "2"] },
				{ tags: ["a"], scores: { a1: 1 } },
				{ tags: ["a"], scores: { ab: "1" } },
				{ tags: ["a"], matrix: [["1"]] },
			],
		},
		{
			name: "objects, enums, equal and alternatives",
			params: () => ({
				$$async: false,
				kind: { type: "enum", values: ["a", "b"] },
				accept: { type: "equal", value: true, strict: true, optional: true },
				id: ["number|integer", "string|min:1"],
				meta: {
					type: "object",
					strict: true,
					minProps: 1,
					optional: true,
					// Forbidden fields are left out of properties, so only a strict object rejects them in JSON Schema.
					props: { a: "string|optional", b: { $$type: "object|optional", c: "boolean" }, secret: "forbidden" },
				},
			}),
			valid: [
				{ kind: "a", id: 1 },
				{ kind: "b", id: "x", accept: true, meta: { a: "1", b: { c: false } } },
			],
			invalid: [
				{ kind: "c", id: 1 },
				{ kind: "a" },
				{ kind: "a", id: "" },
				{ kind: "a", id: 1, accept: false },
				{ kind: "a", id: 1, meta: { a: "1", secret: "x" } },
				{ kind: "a", id: 1, meta: {} },
				{ kind: "a", id: 1, meta: { z: 1 } },
				{ kind: "a", id: 1, meta: { b: {} } },
			],
		},
		{
			name: "string formats",
			params: () => ({
				email: "email",
				site: "url|optional",
				id: "uuid|optional",
				oid: {
					type: "objectID",
					ObjectID: { isValid: (v: unknown) => typeof v === "string" && /^[0-9a-f]{24}$/i.test(v) },
					optional: true,
				},
			}),
			valid: [
				{ email: "a@example.com" },
				{
					email: "a@example.com",
					site: "https://example.com/x",
					id: "0d5c2b1e-8f4a-4c1b-9a3e-2f6d7c8b9a01",
					oid: "507f1f77bcf86cd799439011",
				},
			],
			invalid: [
				{ email: "not an email" },
				{ email: "a@example.com", site: "not a url" },
				{ email: "a@example.com", id: "1234" },
				{ email: "a@example.com", oid: "xyz" },
			],
		},
	];

	it.each(cases)("$name: compiles in strict mode and agrees with fastest-validator", ({ params, valid, invalid }) => {
		const validate = ajv.compile(paramsToJsonSchema(params()));
		for (const value of valid) {
			expect({ value, fastestValidator: fastestValidatorAccepts(params(), value) }).toEqual({ value, fastestValidator: true });
			expect({ value, ajv: validate(value) }).toEqual({ value, ajv: true });
		}
		for (const value of invalid) {
			expect({ value, fastestValidator: fastestValidatorAccepts(params(), value) }).toEqual({ value, fastestValidator: false });
			expect({ value, ajv: validate(value) }).toEqual({ value, ajv: false });
		}
	});

	it("compiles schemas for every supported type", () => {
		const rules: unknown[] = [
			"any",
			"date|optional",
			"custom",
			"function",
			{ type: "class", instanceOf: Date },
			{ type: "uuid", nullable: true },
			{ type: "string", base64: true, nullable: true, default: "" },
			{ type: "multi", rules: ["string", "number"], nullable: true, description: "either" },
			{ type: "record", value: { type: "array", items: "string", nullable: true } },
			{ type: "tuple", items: ["string", { type: "object", props: { a: "number" } }] },
			{ type: "object", minProps: 1, maxProps: 2 },
			"forbidden",
			"mac",
			"luhn",
			"currency",
			"no-such-type",
		];
		for (const rule of rules) {
			expect(() => ajv.compile(schemaOf(rule))).not.toThrow();
		}
	});
});
