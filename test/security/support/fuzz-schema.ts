import fc from "fast-check";
import { fieldName, type Json, RawJson } from "./fuzz-values";

/** The JSON Schema subset the OpenAPI document uses for request bodies and parameters. */
export type JsonSchema = Record<string, unknown>;
export type Path = (string | number)[];

/** A place in a request value the schema describes: present, or an optional property that could be. */
export interface Slot {
	path: Path;
	schema: JsonSchema;
	present: boolean;
	required: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
	typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof RawJson);

/** The schema without its `null` alternative and with `allOf` enums folded in: what a non-null value must be. */
export function effective(schema: JsonSchema): JsonSchema {
	if (Array.isArray(schema.anyOf)) {
		const branches = (schema.anyOf as JsonSchema[]).filter((branch) => branch.type !== "null");
		if (branches.length === 1) return effective(branches[0]);
	}
	if (Array.isArray(schema.allOf)) {
		const merged: JsonSchema = { ...schema, allOf: undefined };
		for (const part of schema.allOf as JsonSchema[]) Object.assign(merged, effective(part));
		return merged;
	}
	if (Array.isArray(schema.type)) {
		const types = (schema.type as string[]).filter((type) => type !== "null");
		if (types.length === 1) return { ...schema, type: types[0] };
	}
	return schema;
}

/** The JSON types a value of the schema may have ("integer" also counts as a number). */
export function typesOf(schema: JsonSchema): Set<string> {
	const types = new Set<string>();
	const typeOfValue = (value: unknown) =>
		value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value;
	if (Array.isArray(schema.anyOf)) for (const branch of schema.anyOf as JsonSchema[]) for (const t of typesOf(branch)) types.add(t);
	if (Array.isArray(schema.allOf)) for (const part of schema.allOf as JsonSchema[]) for (const t of typesOf(part)) types.add(t);
	if (typeof schema.type === "string") types.add(schema.type);
	if (Array.isArray(schema.type)) for (const t of schema.type as string[]) types.add(t);
	if (Array.isArray(schema.enum)) for (const value of schema.enum) types.add(typeOfValue(value));
	if ("const" in schema) types.add(typeOfValue(schema.const));
	if (types.has("integer")) types.add("number");
	return types;
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
	const minLength = Number(schema.minLength ?? 0);
	const maxLength = Math.min(Number(schema.maxLength ?? 40), minLength + 24);
	const fits = (text: string) => text.length >= minLength && text.length <= Number(schema.maxLength ?? Number.POSITIVE_INFINITY);
	if (schema.format === "email") return fc.emailAddress().filter(fits);
	if (schema.format === "uri") return fc.webUrl().filter(fits);
	if (typeof schema.pattern === "string") {
		const pattern = new RegExp(schema.pattern, "u");
		try {
			return fc.stringMatching(pattern).filter(fits);
		} catch {
			// patterns fast-check cannot generate from (unicode classes): letters and digits that match
			return fc
				.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength, maxLength })
				.filter((text) => pattern.test(text));
		}
	}
	return fc.string({ minLength, maxLength });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
	let min = typeof schema.minimum === "number" ? schema.minimum : -1000;
	let max = typeof schema.maximum === "number" ? schema.maximum : min + 1000;
	if (typeof schema.exclusiveMinimum === "number") min = schema.exclusiveMinimum + (integer ? 1 : Number.EPSILON);
	if (typeof schema.exclusiveMaximum === "number") max = schema.exclusiveMaximum - (integer ? 1 : Number.EPSILON);
	return integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema allows (as far as JSON Schema tells: cross-field rules are the server's). */
export function valueArbitrary(schema: JsonSchema): fc.Arbitrary<Json> {
	if ("const" in schema) return fc.constant(schema.const as Json);
	if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
	if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as JsonSchema[]).map((branch) => valueArbitrary(branch)));
	const resolved = effective(schema);
	if (resolved !== schema) return valueArbitrary(resolved);
	if (Array.isArray(schema.type)) return fc.oneof(...(schema.type as string[]).map((type) => valueArbitrary({ ...schema, type })));
	switch (schema.type) {
		case "string":
			return stringArbitrary(schema);
		case "integer":
			return numberArbitrary(schema, true);
		case "number":
			return numberArbitrary(schema, false);
		case "boolean":
			return fc.boolean();
		case "null":
			return fc.constant(null);
		case "array": {
			const items = valueArbitrary((schema.items as JsonSchema | undefined) ?? {});
			const minLength = Number(schema.minItems ?? 0);
			const maxLength = Math.min(Number(schema.maxItems ?? minLength + 3), minLength + 3);
			return schema.uniqueItems
				? fc.uniqueArray(items, { minLength, maxLength, selector: (item) => JSON.stringify(item) })
				: fc.array(items, { minLength, maxLength });
		}
		case "object": {
			const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
			const required = (schema.required as string[] | undefined) ?? [];
			const model = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueArbitrary(property)]));
			return fc.record(model, { requiredKeys: required }) as fc.Arbitrary<Json>;
		}
		default:
			return fc.constantFrom<Json>("x", 1, true);
	}
}

/**
 * The slots of a value under its schema: the root, every present value the schema describes, and the
 * optional properties that are absent (a mutation may set them).
 */
export function slotsOf(value: unknown, schema: JsonSchema, path: Path = [], required = true): Slot[] {
	const slots: Slot[] = [{ path, schema, present: value !== undefined, required }];
	const resolved = effective(schema);
	if (isObject(value) && resolved.properties) {
		const requiredNames = new Set((resolved.required as string[] | undefined) ?? []);
		for (const [name, property] of Object.entries(resolved.properties as Record<string, JsonSchema>)) {
			const child = Object.hasOwn(value, name) ? value[name] : undefined;
			slots.push(...slotsOf(child, property, [...path, name], requiredNames.has(name)));
		}
	}
	if (Array.isArray(value) && resolved.items) {
		value.forEach((item, index) => {
			slots.push(...slotsOf(item, resolved.items as JsonSchema, [...path, index], true));
		});
	}
	return slots;
}

/** Every field name the schema documents, array indexes written `[]` (`categories[].label`). */
export function documentedFields(schema: JsonSchema, prefix: Path = []): string[] {
	const names = prefix.length > 0 ? [normalizedField(fieldName(prefix))] : [];
	const resolved = effective(schema);
	for (const [name, property] of Object.entries((resolved.properties as Record<string, JsonSchema> | undefined) ?? {})) {
		names.push(...documentedFields(property, [...prefix, name]));
	}
	if (resolved.items) names.push(...documentedFields(resolved.items as JsonSchema, [...prefix, 0]));
	return names;
}

/** A field name with its array indexes blanked, to compare with documented fields. */
export function normalizedField(name: string): string {
	return name.replace(/\[\d+\]/g, "[]");
}

/** Reads the value at a path (undefined when a parent is missing). */
export function valueAt(root: unknown, path: Path): unknown {
	let current = root;
	for (const part of path) {
		if (current === null || typeof current !== "object" || current instanceof RawJson) return undefined;
		current = Object.hasOwn(current, part) ? (current as Record<string | number, unknown>)[part] : undefined;
	}
	return current;
}

/** Sets the value at a path on a copy made by the caller; parents must exist. */
export function setAt(root: Record<string, unknown>, path: Path, value: unknown): void {
	const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
	const key = path[path.length - 1];
	if (Array.isArray(parent)) parent[key as number] = value;
	else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deletes the value at a path on a copy made by the caller. */
export function deleteAt(root: Record<string, unknown>, path: Path): void {
	const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
	const key = path[path.length - 1];
	if (Array.isArray(parent)) parent.splice(key as number, 1);
	else delete parent[key];
}
