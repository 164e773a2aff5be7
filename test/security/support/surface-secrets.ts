import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { API_TOKEN_PREFIX } from "../../../lib/api-token";
import { readZip } from "../../support/zip";

/** A secret value nobody could guess or find by chance: `label-` and 32 random characters. */
export function secretValue(label: string): string {
	return `${label}-${randomBytes(24).toString("base64url")}`;
}

/** A JWT anywhere in a text: three base64url parts, the first a JSON header (`{"` → `eyJ`). */
export const JWT_PATTERN = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;
/** An API token anywhere in a text (lib/api-token.ts: the prefix, 32 random and 6 checksum characters). */
export const API_TOKEN_PATTERN = new RegExp(`${API_TOKEN_PREFIX}[0-9A-Za-z]{38}`);

/** The forms a secret may take in a log or a file: as is, base64, base64url, URL-encoded, JSON-escaped. */
export function encodedForms(secret: string): string[] {
	const forms = new Set([
		secret,
		Buffer.from(secret).toString("base64").replace(/=+$/, ""),
		Buffer.from(secret).toString("base64url"),
		encodeURIComponent(secret),
		JSON.stringify(secret).slice(1, -1),
	]);
	return [...forms].filter((form) => form.length >= 8);
}

export interface Finding {
	where: string;
	what: string;
}

/** Every known secret (in each of its forms), JWT and API token found in one text. */
export function findSecrets(text: string, where: string, secrets: Map<string, string>): Finding[] {
	const findings: Finding[] = [];
	for (const [name, value] of secrets) {
		for (const form of encodedForms(value)) {
			if (text.includes(form)) findings.push({ where, what: form === value ? name : `${name} (encoded)` });
		}
	}
	const jwt = JWT_PATTERN.exec(text);
	if (jwt) findings.push({ where, what: `a JWT (${jwt[0].slice(0, 16)}…)` });
	const token = API_TOKEN_PATTERN.exec(text);
	if (token) findings.push({ where, what: `an API token (${token[0].slice(0, 8)}…)` });
	return findings;
}

/** Every regular file under a directory, recursively. */
export function filesUnder(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
		const file = path.join(entry.parentPath, entry.name);
		return entry.isFile() ? [file] : [];
	});
}

/**
 * The texts a stored file holds: its bytes read as text, and for a zip archive each entry's content
 * (compressed entries would hide a secret from a scan of the raw bytes).
 */
export async function storedTexts(file: string): Promise<{ where: string; text: string }[]> {
	const bytes = fs.readFileSync(file);
	const texts = [{ where: file, text: bytes.toString("latin1") }];
	if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
		for (const entry of await readZip(bytes)) texts.push({ where: `${file}!${entry.name}`, text: entry.content.toString("utf8") });
	}
	return texts;
}

/** A NeDB collection file's documents (one JSON document per line; later lines replace earlier ones). */
export function nedbDocuments(file: string): Record<string, unknown>[] {
	return fs
		.readFileSync(file, "utf8")
		.split("\n")
		.filter((line) => line.trim() !== "")
		.map((line) => JSON.parse(line) as Record<string, unknown>)
		.filter((doc) => !("$$indexCreated" in doc) && !("$$deleted" in doc));
}

/** Field names anywhere in a document (nested objects and arrays included). */
export function fieldNames(value: unknown): string[] {
	if (Array.isArray(value)) return value.flatMap(fieldNames);
	if (value === null || typeof value !== "object") return [];
	return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => [key, ...fieldNames(inner)]);
}
