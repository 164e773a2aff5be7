import path from "node:path";
import { ValidationFailed } from "../../lib/errors";

/** Plain segments of letters, digits, dot, dash and underscore, joined by single slashes. */
const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;
export const MAX_KEY_LENGTH = 512;

/**
 * True for keys that stay inside the store wherever they are resolved: no absolute paths, no "." or
 * ".." segments, no backslashes, NUL, percent-encoding or empty segments (so nothing decodes or
 * normalises into a traversal later).
 */
export function isSafeKey(key: string): boolean {
	if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
	if (!SAFE_KEY.test(key)) return false;
	return key.split("/").every((segment) => segment !== "." && segment !== ".." && !segment.startsWith(".."));
}

export function assertSafeKey(key: string, field = "key"): void {
	if (!isSafeKey(key)) throw new ValidationFailed([{ field, message: "Not a valid storage key" }]);
}

/** Where a key lives under a local root; throws if it would leave the root. */
export function resolveUnder(root: string, key: string): string {
	assertSafeKey(key);
	const base = path.resolve(root);
	const target = path.resolve(base, key);
	const prefix = base.endsWith(path.sep) ? base : base + path.sep;
	if (!target.startsWith(prefix)) throw new ValidationFailed([{ field: "key", message: "Not a valid storage key" }]);
	return target;
}

/** `datasets/<datasetId>/<sha256>.<ext>`: content-addressed, so a repeated store is the same object. */
export function datasetObjectKey(datasetId: string, sha256: string, extension: string): string {
	const ext = extension.toLowerCase().replace(/^\./, "");
	if (!/^[0-9a-f]{64}$/i.test(sha256) || !/^[a-z0-9]{1,10}$/.test(ext)) {
		throw new ValidationFailed([{ field: "key", message: "Not a valid storage key" }]);
	}
	const key = `datasets/${datasetId}/${sha256.toLowerCase()}.${ext}`;
	assertSafeKey(key);
	return key;
}
