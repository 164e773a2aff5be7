import type { IncomingMessage } from "node:http";
import { ValidationFailed } from "../../lib/errors";

/**
 * Browser sessions keep the refresh token where scripts cannot read it: an httpOnly cookie that the
 * gateway sets on sign-in and refresh and reads on refresh and sign-out, only for requests that ask with
 * `X-PixCrawler-Session: cookie` (the dashboard does). Cross-site request forgery is blocked three
 * times over: SameSite=Strict keeps other sites' requests from carrying the cookie; a form cannot set
 * the custom header, and a cross-origin fetch that sets it needs a CORS preflight the gateway does not
 * grant (the header is not in its allowed list); and the routes take JSON bodies only (415 otherwise).
 */
export const SESSION_HEADER = "x-pixcrawler-session";
export const REFRESH_COOKIE = "pixcrawler_refresh";
/** Sent back only to the session routes: no other request carries the refresh token. */
export const REFRESH_COOKIE_PATH = "/api/v1/auth";
/**
 * A readable companion of the refresh cookie that says only that there is one (value `1`, same lifetime):
 * the dashboard tries to restore a session on load only when it is there, so a signed-out visit sends no
 * refresh that must fail (a 401 in the console, a turn of the refresh rate limit).
 */
export const SESSION_HINT_COOKIE = "pixcrawler_session";

/** Whether the request asks for a cookie session; a header with another value is an invalid field. */
export function wantsCookieSession(req: IncomingMessage): boolean {
	const value = req.headers[SESSION_HEADER];
	if (value === undefined) return false;
	if (typeof value === "string" && value.trim().toLowerCase() === "cookie") return true;
	throw new ValidationFailed([{ field: "X-PixCrawler-Session", message: "The only accepted value is 'cookie'" }]);
}

/** The value of one cookie of the request (RFC 6265 `Cookie` header), or undefined. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
	const header = req.headers.cookie;
	if (!header) return undefined;
	for (const pair of header.split(";")) {
		const index = pair.indexOf("=");
		if (index === -1) continue;
		if (pair.slice(0, index).trim() !== name) continue;
		const value = pair.slice(index + 1).trim();
		return value === "" ? undefined : value;
	}
	return undefined;
}

function attributes(secure: boolean): string {
	return `Path=${REFRESH_COOKIE_PATH}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

function hintAttributes(secure: boolean): string {
	return `Path=/; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** Set-Cookie headers for a refresh token that lives `maxAgeSeconds` (as the token itself does), and its hint. */
export function refreshCookies(token: string, maxAgeSeconds: number, secure: boolean): string[] {
	const maxAge = Math.max(0, Math.floor(maxAgeSeconds));
	// JWTs are base64url and dots: nothing to escape in a cookie value
	return [
		`${REFRESH_COOKIE}=${token}; Max-Age=${maxAge}; ${attributes(secure)}`,
		`${SESSION_HINT_COOKIE}=1; Max-Age=${maxAge}; ${hintAttributes(secure)}`,
	];
}

/** Set-Cookie headers that remove the refresh cookie and its hint. */
export function clearedRefreshCookies(secure: boolean): string[] {
	const expired = "Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
	return [`${REFRESH_COOKIE}=; ${expired}; ${attributes(secure)}`, `${SESSION_HINT_COOKIE}=; ${expired}; ${hintAttributes(secure)}`];
}
