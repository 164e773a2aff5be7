import { createHmac, timingSafeEqual } from "node:crypto";
import { Forbidden } from "../../lib/errors";

interface LinkClaims {
	key: string;
	/** Expiry, in seconds since the epoch. */
	exp: number;
	/** Download name offered to the browser, if any. */
	name?: string;
}

function signature(payload: string, secret: string): Buffer {
	return createHmac("sha256", secret).update(payload).digest();
}

/** An opaque, expiring token naming one object: `<payload>.<HMAC-SHA256>`, both base64url. */
export function signLink(claims: LinkClaims, secret: string): string {
	const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
	return `${payload}.${signature(payload, secret).toString("base64url")}`;
}

/** The claims of a valid, unexpired token; 403 for anything tampered with or expired. */
export function verifyLink(token: string, secret: string, now = Date.now()): LinkClaims {
	const [payload, given, extra] = token.split(".");
	if (!payload || !given || extra !== undefined) throw new Forbidden("This link is not valid");
	// compare the text, not decoded bytes: base64url decoding would accept other spellings of it
	const expected = Buffer.from(signature(payload, secret).toString("base64url"));
	const actual = Buffer.from(given);
	if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new Forbidden("This link is not valid");
	let claims: LinkClaims;
	try {
		claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
	} catch {
		throw new Forbidden("This link is not valid");
	}
	if (typeof claims.key !== "string" || typeof claims.exp !== "number") throw new Forbidden("This link is not valid");
	if (claims.exp * 1000 <= now) throw new Forbidden("This link has expired");
	return claims;
}
