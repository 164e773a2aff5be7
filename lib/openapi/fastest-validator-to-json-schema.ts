import Validator from "fastest-validator";

export type JsonSchema = Record<string, unknown>;

type Rule = Record<string, unknown>;

interface Converted {
	schema: JsonSchema;
	optional: boolean;
	forbidden: boolean;
}

// parseShortHand is public at runtime but missing from fastest-validator's typings.
interface ShortHandParser {
	parseShortHand(shorthand: string): Rule;
}

let parser: ShortHandParser | undefined;

function parseShortHand(shorthand: string): Rule {
	parser ??= new Validator() as unknown as ShortHandParser;
	return parser.parseShortHand(shorthand);
}

const NUMERIC_PATTERN = "^-?[0-9]\\d*(\\.\\d+)?$";
const ALPHA_PATTERN = "^[a-zA-Z]+$";
const ALPHANUM_PATTERN = "^[a-zA-Z0-9]+$";
const ALPHADASH_PATTERN = "^[a-zA-Z0-9_-]+$";
// fastest-validator additionally requires an even length for hex strings.
const HEX_PATTERN = "^(?:[0-9a-fA-F]{2})+$";
// fastest-validator's own base64 class also admits "\\" (an escaping slip); this documents the real alphabet.
const BASE64_PATTERN = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";
const SINGLE_LINE_PATTERN = "^[^\\n]*$";
const OBJECT_ID_PATTERN = "^[0-9a-fA-F]{24}$";

function isPlainObject(value: unknown): value is Rule {
	return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RegExp);
}

function toNumber(value: unknown): number | undefined {
	if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
	if (typeof value === "string" && value.trim() !== "") {
		const n = Number(value);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Resolves shorthands so that every rule is an object with a `type` (or is unusable). */
function toRuleObject(rule: unknown): Rule | undefined {
	if (typeof rule === "string") return parseShortHand(rule);
	if (!isPlainObject(rule)) return undefined;
	if (rule.$$type === undefined) return rule;

	// Same expansion as fastest-validator's resolveType: the remaining keys become the object's props.
	const { $$type, ...props } = rule;
	const base = typeof $$type === "string" ? parseShortHand($$type) : isPlainObject($$type) ? { ...$$type } : {};
	return { ...base, props };
}

function lengthKeywords(def: Rule, minKey: string, maxKey: string): JsonSchema {
	const length = toNumber(def.length);
	if (length !== undefined) return { [minKey]: length, [maxKey]: length };
	let min = toNumber(def.min);
	const max = toNumber(def.max);
	if (def.empty === false && (min === undefined || min < 1)) min = 1;
	const out: JsonSchema = {};
	if (min !== undefined) out[minKey] = min;
	if (max !== undefined) out[maxKey] = max;
	return out;
}

function withPatterns(schema: JsonSchema, patterns: string[]): JsonSchema {
	if (patterns.length === 0) return schema;
	// A schema holds a single `pattern`; further patterns must all match too, hence allOf.
	const [first, ...rest] = patterns;
	schema.pattern = first;
	if (rest.length > 0) schema.allOf = rest.map((pattern) => ({ pattern }));
	return schema;
}

function stringSchema(def: Rule): JsonSchema {
	const schema: JsonSchema = { type: "string", ...lengthKeywords(def, "minLength", "maxLength") };
	const patterns: string[] = [];

	const pattern = def.pattern;
	// JSON Schema patterns carry no flags, so RegExp flags (and patternFlags) cannot be represented.
	if (pattern instanceof RegExp) patterns.push(pattern.source);
	else if (typeof pattern === "string") patterns.push(pattern);
	else if (typeof pattern === "number") patterns.push(String(pattern));

	if (def.numeric === true) patterns.push(NUMERIC_PATTERN);
	if (def.alpha === true) patterns.push(ALPHA_PATTERN);
	if (def.alphanum === true) patterns.push(ALPHANUM_PATTERN);
	if (def.alphadash === true) patterns.push(ALPHADASH_PATTERN);
	if (def.hex === true) patterns.push(HEX_PATTERN);
	if (def.singleLine === true) patterns.push(SINGLE_LINE_PATTERN);
	if (typeof def.contains === "string" || typeof def.contains === "number") {
		patterns.push(escapeRegExp(String(def.contains)));
	}
	if (def.base64 === true) {
		patterns.push(BASE64_PATTERN);
		schema.contentEncoding = "base64";
	}
	if (Array.isArray(def.enum)) schema.enum = [...def.enum];

	return withPatterns(schema, patterns);
}

function numberSchema(def: Rule): JsonSchema {
	const schema: JsonSchema = { type: def.integer === true ? "integer" : "number" };
	const min = toNumber(def.min);
	const max = toNumber(def.max);
	const equal = toNumber(def.equal);
	const notEqual = toNumber(def.notEqual);
	if (min !== undefined) schema.minimum = min;
	if (max !== undefined) schema.maximum = max;
	if (equal !== undefined) schema.const = equal;
	if (notEqual !== undefined) schema.not = { const: notEqual };
	if (def.positive === true) schema.exclusiveMinimum = 0;
	if (def.negative === true) schema.exclusiveMaximum = 0;
	return schema;
}

function arraySchema(def: Rule, seen: Set<object>): JsonSchema {
	const schema: JsonSchema = { type: "array" };
	let items: JsonSchema | undefined = def.items != null ? convert(def.items, seen).schema : undefined;
	if (Array.isArray(def.enum)) {
		const enumSchema = { enum: [...def.enum] };
		items = items === undefined || Object.keys(items).length === 0 ? enumSchema : { allOf: [items, enumSchema] };
	}
	if (items !== undefined) schema.items = items;
	Object.assign(schema, lengthKeywords(def, "minItems", "maxItems"));
	if (def.unique === true) schema.uniqueItems = true;
	if (def.contains !== undefined) schema.contains = { const: def.contains };
	return schema;
}

function tupleSchema(def: Rule, seen: Set<object>): JsonSchema {
	if (!Array.isArray(def.items) || def.items.length === 0) {
		return def.empty === false ? { type: "array", minItems: 1 } : { type: "array" };
	}
	// fastest-validator requires exactly as many elements as there are item rules.
	return {
		type: "array",
		prefixItems: def.items.map((item) => convert(item, seen).schema),
		items: false,
		minItems: def.items.length,
		maxItems: def.items.length,
	};
}

function propsSchema(props: Rule, strict: unknown, seen: Set<object>): JsonSchema {
	const properties: Record<string, JsonSchema> = {};
	const required: string[] = [];
	for (const [name, rule] of Object.entries(props)) {
		if (name.startsWith("$$")) continue;
		const field = convert(rule, seen);
		if (field.forbidden) continue;
		properties[name] = field.schema;
		if (!field.optional) required.push(name);
	}
	const schema: JsonSchema = { type: "object", properties };
	if (required.length > 0) schema.required = required;
	if (strict) schema.additionalProperties = false;
	return schema;
}

function objectSchema(def: Rule, seen: Set<object>): JsonSchema {
	const props = isPlainObject(def.properties) ? def.properties : isPlainObject(def.props) ? def.props : undefined;
	// fastest-validator only enforces `strict` when the object declares its props.
	const schema: JsonSchema = props ? propsSchema(props, def.strict, seen) : { type: "object" };
	const minProps = toNumber(def.minProps);
	const maxProps = toNumber(def.maxProps);
	if (minProps !== undefined) schema.minProperties = minProps;
	if (maxProps !== undefined) schema.maxProperties = maxProps;
	return schema;
}

function recordSchema(def: Rule, seen: Set<object>): JsonSchema {
	const schema: JsonSchema = { type: "object" };
	if (def.key != null) {
		const key = convert(def.key, seen).schema;
		if (Object.keys(key).length > 0) schema.propertyNames = key;
	}
	if (def.value != null) schema.additionalProperties = convert(def.value, seen).schema;
	return schema;
}

function alternativesSchema(rules: unknown[], seen: Set<object>): { schema: JsonSchema; allOptional: boolean } {
	const alternatives = rules.map((rule) => convert(rule, seen));
	const schemas = alternatives.map((alternative) => alternative.schema);
	const allOptional = alternatives.length > 0 && alternatives.every((alternative) => alternative.optional);
	if (schemas.length === 0) return { schema: {}, allOptional };
	if (schemas.length === 1) return { schema: schemas[0], allOptional };
	// fastest-validator accepts the first rule that matches, so overlapping alternatives are fine: anyOf, not oneOf.
	return { schema: { anyOf: schemas }, allOptional };
}

function typeSchema(def: Rule, seen: Set<object>): JsonSchema {
	switch (def.type) {
		case "array":
			return arraySchema(def, seen);
		case "boolean":
			return { type: "boolean" };
		case "currency":
		case "luhn":
		case "mac":
			return { type: "string" };
		case "date":
			return { type: "string", format: "date-time" };
		case "email":
			return { type: "string", format: "email", ...lengthKeywords(def, "minLength", "maxLength") };
		case "enum":
			return Array.isArray(def.values) ? { enum: [...def.values] } : {};
		case "equal":
			return def.field === undefined && def.value !== undefined ? { const: def.value } : {};
		case "forbidden":
			return { not: {} };
		case "multi":
			return Array.isArray(def.rules) ? alternativesSchema(def.rules, seen).schema : {};
		case "number":
			return numberSchema(def);
		case "object":
			return objectSchema(def, seen);
		case "objectID":
			return { type: "string", pattern: OBJECT_ID_PATTERN };
		case "record":
			return recordSchema(def, seen);
		case "string":
			return stringSchema(def);
		case "tuple":
			return tupleSchema(def, seen);
		case "url":
			return { type: "string", format: "uri" };
		case "uuid":
			return { type: "string", format: "uuid" };
		default:
			// any, custom, function, class and unknown or custom-registered types cannot be described.
			return {};
	}
}

function addNull(schema: JsonSchema): JsonSchema {
	if (Object.keys(schema).length === 0) return schema;
	if ("const" in schema) return { anyOf: [schema, { type: "null" }] };
	if (Array.isArray(schema.anyOf) && Object.keys(schema).length === 1) {
		return { anyOf: [...schema.anyOf, { type: "null" }] };
	}
	if (typeof schema.type !== "string" && !Array.isArray(schema.type) && !Array.isArray(schema.enum)) {
		return { anyOf: [schema, { type: "null" }] };
	}
	const out = { ...schema };
	if (typeof out.type === "string") out.type = [out.type, "null"];
	else if (Array.isArray(out.type) && !out.type.includes("null")) out.type = [...out.type, "null"];
	if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
	return out;
}

function toJsonValue(value: unknown): unknown {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
	if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") return undefined;
	return value;
}

// fastest-validator ignores a null default (`default != undefined`), so it does not make a field optional.
function hasDefault(def: Rule): boolean {
	return def.default !== undefined && def.default !== null;
}

function isOptional(def: Rule): boolean {
	return def.optional === true || hasDefault(def) || def.type === "forbidden";
}

function convert(rule: unknown, seen: Set<object>): Converted {
	// Cyclic schemas are legal in fastest-validator; JSON Schema output would be infinite.
	if (typeof rule === "object" && rule !== null) {
		if (seen.has(rule)) {
			const def = Array.isArray(rule) ? undefined : toRuleObject(rule);
			return { schema: {}, optional: def !== undefined && isOptional(def), forbidden: false };
		}
		seen.add(rule);
	}
	try {
		return convertOnce(rule, seen);
	} finally {
		if (typeof rule === "object" && rule !== null) seen.delete(rule);
	}
}

function convertOnce(rule: unknown, seen: Set<object>): Converted {
	if (Array.isArray(rule)) {
		const { schema, allOptional } = alternativesSchema(rule, seen);
		// Mirrors fastest-validator: an array of rules is optional only if every alternative is.
		return { schema, optional: allOptional, forbidden: false };
	}

	const def = toRuleObject(rule);
	if (def === undefined) return { schema: {}, optional: false, forbidden: false };
	let schema = typeSchema(def, seen);

	const forbidden = def.type === "forbidden";
	if (def.nullable === true && !forbidden) schema = addNull(schema);

	const description = typeof def.description === "string" ? def.description : typeof def.label === "string" ? def.label : undefined;
	if (description !== undefined) schema = { ...schema, description };

	const defaultValue = hasDefault(def) ? toJsonValue(def.default) : undefined;
	if (defaultValue !== undefined) schema = { ...schema, default: defaultValue };

	return { schema, optional: isOptional(def), forbidden };
}

/** Converts one fastest-validator rule (string shorthand like "string|min:3|optional", object rule, or array of alternative rules) */
export function ruleToJsonSchema(rule: unknown): { schema: JsonSchema; optional: boolean } {
	const { schema, optional } = convert(rule, new Set());
	return { schema, optional };
}

/** Converts a whole params object ({ field: rule, $$strict?: ..., $$async?: ... }) to an object schema with properties and required. `$$`-prefixed keys are not fields; `$$strict: true | "remove"` → additionalProperties: false. */
export function paramsToJsonSchema(params: Record<string, unknown>): JsonSchema {
	if (!isPlainObject(params)) return { type: "object" };
	if (params.$$root === true) {
		// With $$root the params object is itself a single rule rather than a map of fields.
		const rule: Rule = { ...params };
		delete rule.$$root;
		return ruleToJsonSchema(rule).schema;
	}
	return propsSchema(params, params.$$strict, new Set());
}
