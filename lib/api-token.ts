import { createHash, randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

/**
 * API tokens look like `pxc_` + 32 random base62 characters + a 6-character CRC32 checksum, the
 * GitHub scheme: the prefix makes leaked tokens easy to scan for, the checksum lets the gateway drop
 * typos and garbage without touching the database. Only the SHA-256 of a token is ever stored.
 */
export const API_TOKEN_PREFIX = "pxc_";
const RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, length: number): string {
	let text = "";
	let rest = value;
	while (text.length < length) {
		text = ALPHABET[rest % 62] + text;
		rest = Math.floor(rest / 62);
	}
	return text;
}

function randomBase62(length: number): string {
	// 62 * 4 = 248 < 256: rejecting bytes >= 248 keeps every character equally likely
	let text = "";
	while (text.length < length) {
		for (const byte of randomBytes(length * 2)) {
			if (byte < 248 && text.length < length) text += ALPHABET[byte % 62];
		}
	}
	return text;
}

function checksumOf(random: string): string {
	return base62(crc32(random), CHECKSUM_LENGTH);
}

export function generateApiToken(): string {
	const random = randomBase62(RANDOM_LENGTH);
	return `${API_TOKEN_PREFIX}${random}${checksumOf(random)}`;
}

/** True only for a well-formed token whose checksum matches. */
export function isWellFormedApiToken(token: string): boolean {
	if (!SHAPE.test(token)) return false;
	const body = token.slice(API_TOKEN_PREFIX.length);
	return checksumOf(body.slice(0, RANDOM_LENGTH)) === body.slice(RANDOM_LENGTH);
}

export function hashApiToken(token: string): string {
	return createHash("sha256").update(token).digest("hex");
}

/** What lists show so a user can recognise a token: the prefix and the first characters. */
export function displayPrefix(token: string): string {
	return token.slice(0, API_TOKEN_PREFIX.length + 6);
}
