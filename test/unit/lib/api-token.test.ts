import { createHash } from "node:crypto";
import { API_TOKEN_PREFIX, displayPrefix, generateApiToken, hashApiToken, isWellFormedApiToken } from "../../../lib/api-token";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SHAPE = /^pxc_[0-9A-Za-z]{38}$/;

/** The token with the character at `position` replaced. */
function replaceAt(token: string, position: number, character: string): string {
	return `${token.slice(0, position)}${character}${token.slice(position + 1)}`;
}

describe("generateApiToken", () => {
	it("answers pxc_ followed by 38 base62 characters (32 random + 6 checksum)", () => {
		const token = generateApiToken();
		expect(token).toMatch(SHAPE);
		expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
		expect(token).toHaveLength(42);
	});

	it("never repeats a token", () => {
		const tokens = new Set(Array.from({ length: 2000 }, () => generateApiToken()));
		expect(tokens.size).toBe(2000);
	});

	it("uses every base62 character in the random part", () => {
		const seen = new Set(
			Array.from({ length: 500 }, () => generateApiToken().slice(4, 36))
				.join("")
				.split(""),
		);
		expect([...seen].sort().join("")).toBe([...ALPHABET].sort().join(""));
	});
});

describe("isWellFormedApiToken", () => {
	it("accepts every generated token", () => {
		for (let i = 0; i < 1000; i++) expect(isWellFormedApiToken(generateApiToken())).toBe(true);
	});

	it.each([
		["another prefix", (token: string) => `pxd_${token.slice(4)}`],
		["an upper-case prefix", (token: string) => `PXC_${token.slice(4)}`],
		["no prefix", (token: string) => token.slice(4)],
		["a prefix without the underscore", (token: string) => `pxc${token.slice(4)}`],
		["a GitHub prefix", (token: string) => `ghp_${token.slice(4)}`],
	])("refuses %s", (_what, mangle) => {
		expect(isWellFormedApiToken(mangle(generateApiToken()))).toBe(false);
	});

	it.each([
		["one character short", (token: string) => token.slice(0, -1)],
		["one character long", (token: string) => `${token}A`],
		["the checksum missing", (token: string) => token.slice(0, -6)],
		["the random part doubled", (token: string) => `${token.slice(0, 36)}${token.slice(4)}`],
		["only the prefix", () => "pxc_"],
		["an empty string", () => ""],
	])("refuses a token with %s", (_what, mangle) => {
		expect(isWellFormedApiToken(mangle(generateApiToken()))).toBe(false);
	});

	it.each(["-", "_", ".", "+", "/", "=", " ", "é", "\u0000", "~"])(
		"refuses a token containing the non-base62 character %j",
		(character) => {
			const token = generateApiToken();
			for (const position of [4, 20, 35, 36, 41]) expect(isWellFormedApiToken(replaceAt(token, position, character))).toBe(false);
		},
	);

	it("refuses a token padded with whitespace", () => {
		const token = generateApiToken();
		expect(isWellFormedApiToken(` ${token}`)).toBe(false);
		expect(isWellFormedApiToken(`${token}\n`)).toBe(false);
	});

	it("refuses every single-character change at every position (the checksum catches typos)", () => {
		for (let round = 0; round < 5; round++) {
			const token = generateApiToken();
			for (let position = 0; position < token.length; position++) {
				for (const character of `${ALPHABET}_`) {
					if (character === token[position]) continue;
					const changed = replaceAt(token, position, character);
					if (isWellFormedApiToken(changed)) throw new Error(`accepted ${changed} (position ${position} of ${token})`);
				}
			}
		}
	});

	it("refuses two neighbouring characters swapped", () => {
		const token = generateApiToken();
		for (let position = 4; position < token.length - 1; position++) {
			if (token[position] === token[position + 1]) continue;
			const swapped = `${token.slice(0, position)}${token[position + 1]}${token[position]}${token.slice(position + 2)}`;
			expect(isWellFormedApiToken(swapped)).toBe(false);
		}
	});
});

describe("hashApiToken", () => {
	it("answers the SHA-256 of the token as 64 lower-case hex characters", () => {
		const token = generateApiToken();
		const hash = hashApiToken(token);
		expect(hash).toMatch(/^[0-9a-f]{64}$/);
		expect(hash).toBe(createHash("sha256").update(token).digest("hex"));
	});

	it("matches the published SHA-256 test vector", () => {
		expect(hashApiToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	});

	it("is stable for a token and different for different tokens", () => {
		const token = generateApiToken();
		expect(hashApiToken(token)).toBe(hashApiToken(token));
		expect(hashApiToken(token)).not.toBe(hashApiToken(generateApiToken()));
	});

	it("never contains the token text", () => {
		const token = generateApiToken();
		expect(hashApiToken(token)).not.toContain(token.slice(4));
	});
});

describe("displayPrefix", () => {
	it("answers the pxc_ prefix and the first six characters, enough to recognise a token but not to use it", () => {
		const token = generateApiToken();
		const prefix = displayPrefix(token);
		expect(prefix).toBe(token.slice(0, 10));
		expect(prefix).toMatch(/^pxc_[0-9A-Za-z]{6}$/);
		expect(isWellFormedApiToken(prefix)).toBe(false);
	});
});
