import { randomUUID } from "node:crypto";

// Client-supplied ids end up in logs: accept only short, plain tokens (no control characters or spaces).
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The client's X-Request-ID when it is safe to log and echo, otherwise a fresh UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
	const given = Array.isArray(header) ? header[0] : header;
	return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}
