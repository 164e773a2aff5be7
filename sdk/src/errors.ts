/** One invalid field of a 422 answer. */
export interface FieldError {
	field: string;
	message: string;
}

/** An RFC 9457 problem details body, as the API sends it with `application/problem+json`. */
export interface ProblemDetails {
	type?: string;
	title?: string;
	status?: number;
	detail?: string;
	requestId?: string;
	errors?: FieldError[];
	retryAfter?: number;
	/** A plan limit's refusal (403, 429): which limit, its maximum, the use and, for limits that reset, when. */
	limit?: string;
	max?: number;
	used?: number;
	resetsAt?: string;
	[extension: string]: unknown;
}

export interface PixCrawlerErrorOptions {
	/** HTTP status; 0 for errors raised before or without an answer (network, timeout, missing token). */
	status?: number;
	requestId?: string | null;
	problem?: ProblemDetails | null;
	cause?: unknown;
}

/** Every error the SDK throws. */
export class PixCrawlerError extends Error {
	readonly status: number;
	readonly requestId: string | null;
	readonly problem: ProblemDetails | null;
	/** Invalid fields named by the API (422 answers); empty otherwise. */
	readonly fields: FieldError[];

	constructor(message: string, options: PixCrawlerErrorOptions = {}) {
		super(message, options.cause === undefined ? undefined : { cause: options.cause });
		this.name = new.target.name;
		this.status = options.status ?? 0;
		this.requestId = options.requestId ?? options.problem?.requestId ?? null;
		this.problem = options.problem ?? null;
		this.fields = Array.isArray(options.problem?.errors) ? options.problem.errors : [];
	}
}

/** 401: no token, or the API refused it. */
export class AuthenticationError extends PixCrawlerError {}
/** 403: the token lacks a scope or the role does not allow it. */
export class PermissionError extends PixCrawlerError {}
/** 404: no such route or no such resource of yours. */
export class NotFoundError extends PixCrawlerError {}
/** 409: the request conflicts with the resource's state (a build running, an export not ready, …). */
export class ConflictError extends PixCrawlerError {}
/** 422: invalid or unknown fields; `fields` names each. */
export class ValidationError extends PixCrawlerError {}

/** 429: over the rate limit; `retryAfter` says how many seconds to wait (null when the API did not say). */
export class RateLimitError extends PixCrawlerError {
	readonly retryAfter: number | null;

	constructor(message: string, options: PixCrawlerErrorOptions & { retryAfter?: number | null } = {}) {
		super(message, options);
		this.retryAfter = options.retryAfter ?? null;
	}
}

/** 5xx: the platform failed; `requestId` ties it to the server's logs. */
export class ServerError extends PixCrawlerError {}
/** The request never got an answer (connection refused, reset, DNS, …). */
export class NetworkError extends PixCrawlerError {}
/** The request or the wait took longer than allowed. */
export class TimeoutError extends PixCrawlerError {}

/**
 * Seconds to wait from a `Retry-After` header: delay-seconds (fractions accepted) or an HTTP date.
 * Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
	if (value === null || value === undefined || value.trim() === "") return null;
	const trimmed = value.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
	const date = Date.parse(trimmed);
	if (Number.isNaN(date)) return null;
	return Math.max(0, (date - now) / 1000);
}

/** The error for a non-2xx answer, by status. */
export function errorFromResponse(
	status: number,
	problem: ProblemDetails | null,
	headers: { get(name: string): string | null },
): PixCrawlerError {
	const requestId = problem?.requestId ?? headers.get("x-request-id");
	const message = problem?.detail ?? problem?.title ?? `The API answered ${status}`;
	const options: PixCrawlerErrorOptions = { status, requestId, problem };
	switch (status) {
		case 401:
			return new AuthenticationError(message, options);
		case 403:
			return new PermissionError(message, options);
		case 404:
			return new NotFoundError(message, options);
		case 409:
			return new ConflictError(message, options);
		case 422:
			return new ValidationError(message, options);
		case 429: {
			const fromBody = typeof problem?.retryAfter === "number" ? problem.retryAfter : null;
			return new RateLimitError(message, { ...options, retryAfter: parseRetryAfter(headers.get("retry-after")) ?? fromBody });
		}
		default:
			return status >= 500 ? new ServerError(message, options) : new PixCrawlerError(message, options);
	}
}
