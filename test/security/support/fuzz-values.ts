/**
 * Values as a hostile client writes them: JSON text the usual serialisers cannot produce (numbers
 * beyond double range, nesting deeper than a recursive serialiser survives, own `__proto__` keys),
 * query strings in the bracket syntax the gateway's parser (qs) expands, and path segments with
 * escapes that are not valid UTF-8.
 */

/** JSON text inserted as it is: `1e400`, `-0`, 100,000 nested arrays. */
export class RawJson {
	constructor(readonly text: string) {}
	toString() {
		return this.text.length > 80 ? `${this.text.slice(0, 40)}…(${this.text.length} chars)` : this.text;
	}
}

export type Json = null | boolean | number | string | RawJson | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Sets an own, enumerable property, even one named `__proto__` (plain assignment would change the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy that keeps own `__proto__` keys and RawJson values. */
export function copy<T>(value: T): T {
	if (Array.isArray(value)) return value.map((item) => copy(item)) as T;
	if (value instanceof RawJson || value === null || typeof value !== "object") return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value)) setOwn(out, key, copy((value as Record<string, unknown>)[key]));
	return out as T;
}

/** JSON text of a value (iterative for RawJson only: deep values are RawJson by construction). */
export function toJsonText(value: unknown): string {
	if (value instanceof RawJson) return value.text;
	if (Array.isArray(value)) return `[${value.map((item) => toJsonText(item === undefined ? null : item)).join(",")}]`;
	if (value !== null && typeof value === "object") {
		return `{${Object.keys(value)
			.filter((key) => (value as Record<string, unknown>)[key] !== undefined)
			.map((key) => `${JSON.stringify(key)}:${toJsonText((value as Record<string, unknown>)[key])}`)
			.join(",")}}`;
	}
	if (typeof value === "number" && !Number.isFinite(value)) return "null";
	return JSON.stringify(value) ?? "null";
}

/** Percent-encodes text; a lone surrogate becomes the escape of its (invalid) three UTF-8 bytes. */
export function percentEncode(text: string): string {
	let out = "";
	for (let index = 0; index < text.length; index++) {
		const unit = text.charCodeAt(index);
		const isHigh = unit >= 0xd800 && unit <= 0xdbff;
		const next = text.charCodeAt(index + 1);
		if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
			out += encodeURIComponent(text.slice(index, index + 2));
			index++;
		} else if (unit >= 0xd800 && unit <= 0xdfff) {
			out += `%${(0xe0 | (unit >> 12)).toString(16).toUpperCase()}%${(0x80 | ((unit >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (unit & 0x3f)).toString(16).toUpperCase()}`;
		} else {
			out += encodeURIComponent(text[index]);
		}
	}
	return out;
}

/** `key=value` pairs in qs bracket syntax: `a[b][0]=c`; null becomes an empty value. */
export function encodeQuery(query: Record<string, unknown>): string {
	const pairs: string[] = [];
	const walk = (prefix: string, value: unknown) => {
		if (value instanceof RawJson) pairs.push(`${prefix}=${percentEncode(value.text)}`);
		else if (Array.isArray(value)) {
			for (const [index, item] of value.entries()) walk(`${prefix}[${index}]`, item);
		} else if (value !== null && typeof value === "object") {
			for (const key of Object.keys(value)) walk(`${prefix}[${percentEncode(key)}]`, (value as Record<string, unknown>)[key]);
		} else if (value !== undefined) pairs.push(`${prefix}=${value === null ? "" : percentEncode(String(value))}`);
	};
	for (const key of Object.keys(query)) walk(percentEncode(key), query[key]);
	return pairs.join("&");
}

/** A field path as fastest-validator names it: `categories[0].label`, `options.minWidth`. */
export function fieldName(path: (string | number)[]): string {
	return path.reduce<string>((name, part) => {
		if (typeof part === "number") return `${name}[${part}]`;
		return name === "" ? part : `${name}.${part}`;
	}, "");
}

/** Every path of a value, parents included (arrays by index), down to `maxDepth` levels. */
export function pathsOf(value: unknown, prefix: (string | number)[] = [], maxDepth = 40): (string | number)[][] {
	const paths: (string | number)[][] = prefix.length > 0 ? [prefix] : [];
	if (value instanceof RawJson || value === null || typeof value !== "object" || prefix.length >= maxDepth) return paths;
	if (Array.isArray(value)) {
		for (const [index, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, index], maxDepth));
	} else for (const key of Object.keys(value)) paths.push(...pathsOf((value as Record<string, unknown>)[key], [...prefix, key], maxDepth));
	return paths;
}

/** Whether one field name is the other, or contains it (`options` and `options.minWidth`). */
export function related(a: string, b: string): boolean {
	if (a === b) return true;
	const within = (inner: string, outer: string) => inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
	return within(a, b) || within(b, a);
}

/** Byte size of a body limit written as body-parser reads it ("1mb", "512kb", "1048576"). */
export function limitBytes(limit: string | number): number {
	if (typeof limit === "number") return limit;
	const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
	if (!match) throw new Error(`unreadable body limit ${limit}`);
	const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(match[2] ?? "b").toLowerCase() as "b"];
	return Math.floor(Number(match[1]) * unit);
}
