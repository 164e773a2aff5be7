/**
 * How a crawl step failed decides what happens next: a transient failure is retried with backoff
 * (honouring the host's Retry-After), a permanent one is recorded with its reason and never retried.
 */

/** Reason codes recorded on rejected images and failed tasks; stable, documented, counted in metadata. */
export type RejectReason =
	| "http_error"
	| "not_found"
	| "too_large"
	| "too_small"
	| "timeout"
	| "too_many_redirects"
	| "blocked_address"
	| "bad_url"
	| "robots_disallowed"
	| "noai"
	| "not_an_image"
	| "unsupported_format"
	| "truncated"
	| "decompression_bomb"
	/** A picture that is also something else: a ZIP/JAR archive, HTML or script markup, a PDF or PHP inside it. */
	| "polyglot"
	/** The body came compressed (Content-Encoding other than identity); the crawler never inflates one. */
	| "unsupported_encoding"
	/** The response headers exceed the downloader's limit (16 KiB). */
	| "headers_too_large"
	| "bad_aspect_ratio"
	| "blank"
	| "licence_filtered"
	| "duplicate"
	| "near_duplicate"
	/** The connection failed or broke off (reset, refused, unreachable); retried. */
	| "network_error"
	/** DNS has no address for the host. */
	| "host_not_found"
	/** A search source blocked or throttled the crawler (captcha, anomaly page, HTTP 429); retried. */
	| "source_blocked"
	/** A dataset or task names an image source PixCrawler does not have. */
	| "unknown_source";

export class TransientError extends Error {
	readonly transient = true;
	constructor(
		message: string,
		/** The host's own wish (Retry-After), in milliseconds, when it gave one. */
		readonly retryAfterMs?: number,
		/** What kind of failure it was, recorded when the attempts run out. */
		readonly reason?: RejectReason,
	) {
		super(message);
		this.name = "TransientError";
	}
}

export class PermanentError extends Error {
	readonly transient = false;
	constructor(
		readonly reason: RejectReason,
		message: string,
	) {
		super(message);
		this.name = "PermanentError";
	}
}

/** Transient unless known to be permanent: an unknown failure deserves another attempt. */
export function isTransient(error: unknown): boolean {
	return !(error instanceof PermanentError);
}
