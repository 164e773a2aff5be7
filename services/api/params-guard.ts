import { type FieldError, ValidationFailed } from "../../lib/errors";

/** Far deeper than any body the API takes (a dataset definition is 4 levels deep). */
export const MAX_BODY_DEPTH = 32;

type Rules = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Whether a value nests more than `limit` objects or arrays deep; iterative, so no depth overflows it. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
	const pending: [unknown, number][] = [[value, 1]];
	while (pending.length > 0) {
		const [current, depth] = pending.pop() as [unknown, number];
		if (typeof current !== "object" || current === null) continue;
		if (depth > limit) return true;
		for (const child of Object.values(current)) if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
	}
	return false;
}

/** Null is a value only where the rule says `nullable`; fastest-validator takes it for "absent" on any optional rule. */
function refusesNull(rule: unknown): boolean {
	if (typeof rule === "string") {
		const flags = rule.split("|");
		return flags.some((flag) => /^(optional(:true)?|default:.*)$/.test(flag)) && !flags.some((flag) => /^nullable(:true)?$/.test(flag));
	}
	return isObject(rule) && rule.nullable !== true && (rule.optional === true || rule.default !== undefined);
}

/** Fields holding null that their rule does not allow, through nested objects and arrays of objects. */
function disallowedNulls(rules: Rules, value: Record<string, unknown>, prefix: string): FieldError[] {
	const found: FieldError[] = [];
	for (const [name, rule] of Object.entries(rules)) {
		if (name.startsWith("$$") || !Object.hasOwn(value, name)) continue;
		const field = prefix ? `${prefix}.${name}` : name;
		const given = value[name];
		if (given === null) {
			if (refusesNull(rule)) found.push({ field, message: "This field cannot be null" });
			continue;
		}
		if (!isObject(rule)) continue;
		const props = rule.props ?? rule.properties;
		if (isObject(props) && isObject(given)) found.push(...disallowedNulls(props, given, field));
		const items = isObject(rule.items) ? (rule.items.props ?? rule.items.properties) : undefined;
		if (isObject(items) && Array.isArray(given)) {
			given.forEach((item, index) => {
				if (isObject(item)) found.push(...disallowedNulls(items, item, `${field}[${index}]`));
			});
		}
	}
	return found;
}

/**
 * What fastest-validator would choke on or let through to an action, refused as invalid fields (422):
 * - a body nested deeper than MAX_BODY_DEPTH: the validator's messages turn an offending value into text,
 *   which overflows the stack a few thousand levels down (a 500);
 * - a top-level `__proto__` key: moleculer-web merges the body into the parameters by assignment, so the
 *   key becomes their prototype instead of a field and slips past the strict check of unknown fields;
 * - null for an optional field that is not nullable: the validator takes null for "absent" and passes it
 *   on, and handlers would store it (a dataset without categories, a user whose role is null).
 */
export function refuseUnsafeParams(body: unknown, params: Record<string, unknown>, rules: Rules | undefined): void {
	const problems: FieldError[] = [];
	if (typeof body === "object" && body !== null) {
		for (const key of Object.keys(body)) {
			const value = (body as Record<string, unknown>)[key];
			if (key === "__proto__") problems.push({ field: key, message: "This field is not allowed" });
			else if (nestsDeeperThan(value, MAX_BODY_DEPTH - 1))
				problems.push({ field: key, message: `Nested more than ${MAX_BODY_DEPTH} levels deep` });
		}
	}
	if (problems.length === 0 && rules) problems.push(...disallowedNulls(rules, params, ""));
	if (problems.length > 0) throw new ValidationFailed(problems);
}
