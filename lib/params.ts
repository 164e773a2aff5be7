/** Parameter rules every list and every `:id` route shares (DESIGN: page ≥ 1, pageSize 1–100). */
export const page = { type: "number", integer: true, min: 1, optional: true, convert: true };
export const pageSize = { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true };
export const objectId = { type: "string", min: 1, max: 64 };

/** A literal string inside a regular expression (searches and key prefixes are never patterns). */
export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The filters a list was given: each named parameter that is present, as an equality condition. */
export function filtersFrom(params: Record<string, unknown>, fields: string[]): Record<string, unknown> {
	return Object.fromEntries(
		fields.filter((field) => params[field] !== undefined && params[field] !== "").map((field) => [field, params[field]]),
	);
}
