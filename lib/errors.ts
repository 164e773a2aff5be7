import { Errors } from "moleculer";

/**
 * The one error vocabulary. Services throw these; only the gateway turns them into problem+json.
 * They are Moleculer errors so that `code`, `type` and `data` survive the trip over the bus.
 */
export interface FieldError {
	field: string;
	message: string;
}

export const ErrorType = {
	badRequest: "BAD_REQUEST",
	notFound: "NOT_FOUND",
	forbidden: "FORBIDDEN",
	unauthorized: "UNAUTHORIZED",
	conflict: "CONFLICT",
	validationFailed: "VALIDATION_ERROR",
	rateLimited: "RATE_LIMITED",
	payloadTooLarge: "PAYLOAD_TOO_LARGE",
	unsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
	rangeNotSatisfiable: "RANGE_NOT_SATISFIABLE",
	unavailable: "UNAVAILABLE",
	upstreamFailed: "UPSTREAM_FAILED",
} as const;

/** 400: a request the gateway cannot take as sent (a malformed header); the message names what is wrong. */
export class BadRequest extends Errors.MoleculerClientError {
	constructor(message: string, data?: Record<string, unknown>) {
		super(message, 400, ErrorType.badRequest, data);
		this.name = "BadRequest";
	}
}

export class NotFound extends Errors.MoleculerClientError {
	constructor(what = "resource", id?: string) {
		super(id ? `${what} '${id}' was not found` : `${what} was not found`, 404, ErrorType.notFound, { what, id });
		this.name = "NotFound";
	}
}

export class Forbidden extends Errors.MoleculerClientError {
	constructor(message = "You are not allowed to do this", data?: Record<string, unknown>) {
		super(message, 403, ErrorType.forbidden, data);
		this.name = "Forbidden";
	}
}

export class Unauthorized extends Errors.MoleculerClientError {
	constructor(message = "Authentication is required") {
		super(message, 401, ErrorType.unauthorized);
		this.name = "Unauthorized";
	}
}

export class Conflict extends Errors.MoleculerClientError {
	constructor(message: string, data?: Record<string, unknown>) {
		super(message, 409, ErrorType.conflict, data);
		this.name = "Conflict";
	}
}

/** Same type and data shape as Moleculer's parameter validation, so both read alike to clients. */
export class ValidationFailed extends Errors.MoleculerClientError {
	constructor(errors: FieldError[], message = "The request has invalid fields") {
		super(message, 422, ErrorType.validationFailed, errors);
		this.name = "ValidationFailed";
	}
}

export class RateLimited extends Errors.MoleculerClientError {
	constructor(
		readonly retryAfterSeconds: number,
		data: Record<string, unknown> = {},
		message = "Too many requests; try again later",
	) {
		super(message, 429, ErrorType.rateLimited, { retryAfter: retryAfterSeconds, ...data });
		this.name = "RateLimited";
	}
}

/**
 * What a refusal by a plan limit names (services/auth/limits.ts): the limit, its maximum, how much is
 * used and, for limits that reset (requests per minute, images per day), when. Problem bodies carry it.
 */
export interface LimitDetails {
	limit: string;
	max: number;
	used: number;
	resetsAt?: string;
}

/** 403: a plan limit on a quantity (datasets, stored bytes) is used up; it frees up only when the user deletes something. */
export class LimitExceeded extends Errors.MoleculerClientError {
	constructor(message: string, details: LimitDetails) {
		super(message, 403, ErrorType.forbidden, { ...details });
		this.name = "LimitExceeded";
	}
}

/** The plan limit an error (ours, also after crossing the bus) reports, or null. */
export function limitDetailsOf(error: unknown): LimitDetails | null {
	const data = (error as { data?: Record<string, unknown> } | null)?.data;
	if (!data || typeof data.limit !== "string" || typeof data.max !== "number" || typeof data.used !== "number") return null;
	return {
		limit: data.limit,
		max: data.max,
		used: data.used,
		...(typeof data.resetsAt === "string" ? { resetsAt: data.resetsAt } : {}),
	};
}

export class PayloadTooLarge extends Errors.MoleculerClientError {
	constructor(message = "The request body is too large", data?: Record<string, unknown>) {
		super(message, 413, ErrorType.payloadTooLarge, data);
		this.name = "PayloadTooLarge";
	}
}

/** 415: a request body in a type the gateway does not read (the API takes application/json). */
export class UnsupportedMediaType extends Errors.MoleculerClientError {
	constructor(message = "This content type is not accepted") {
		super(message, 415, ErrorType.unsupportedMediaType, { accepted: "application/json" });
		this.name = "UnsupportedMediaType";
	}
}

/** 416: a byte range that starts past the end of the representation, whose size goes in `Content-Range`. */
export class RangeNotSatisfiable extends Errors.MoleculerClientError {
	constructor(readonly size: number) {
		super(`The range starts past the end of the ${size} bytes`, 416, ErrorType.rangeNotSatisfiable, { size });
		this.name = "RangeNotSatisfiable";
	}
}

export class Unavailable extends Errors.MoleculerRetryableError {
	constructor(message = "The service is temporarily unavailable", data?: Record<string, unknown>) {
		super(message, 503, ErrorType.unavailable, data);
		this.name = "Unavailable";
	}
}

export class UpstreamFailed extends Errors.MoleculerRetryableError {
	constructor(message = "An upstream service failed", data?: Record<string, unknown>) {
		super(message, 502, ErrorType.upstreamFailed, data);
		this.name = "UpstreamFailed";
	}
}
