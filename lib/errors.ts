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
	notFound: "NOT_FOUND",
	forbidden: "FORBIDDEN",
	unauthorized: "UNAUTHORIZED",
	conflict: "CONFLICT",
	validationFailed: "VALIDATION_ERROR",
	rateLimited: "RATE_LIMITED",
	payloadTooLarge: "PAYLOAD_TOO_LARGE",
	rangeNotSatisfiable: "RANGE_NOT_SATISFIABLE",
	unavailable: "UNAVAILABLE",
	upstreamFailed: "UPSTREAM_FAILED",
} as const;

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
	) {
		super("Too many requests; try again later", 429, ErrorType.rateLimited, { retryAfter: retryAfterSeconds, ...data });
		this.name = "RateLimited";
	}
}

export class PayloadTooLarge extends Errors.MoleculerClientError {
	constructor(message = "The request body is too large", data?: Record<string, unknown>) {
		super(message, 413, ErrorType.payloadTooLarge, data);
		this.name = "PayloadTooLarge";
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
