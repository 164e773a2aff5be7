import { STATUS_CODES } from "node:http";
import { limitDetailsOf } from "../errors";
import type { ProblemDetails } from "../types";

/** Problem type URIs: stable identifiers, documented in docs/api.md#errors. */
export const PROBLEM_BASE = "https://pixcrawler.dev/problems/";

const SLUGS: Record<number, string> = {
	400: "bad-request",
	401: "unauthorized",
	403: "forbidden",
	404: "not-found",
	405: "method-not-allowed",
	406: "not-acceptable",
	408: "request-timeout",
	409: "conflict",
	413: "payload-too-large",
	415: "unsupported-media-type",
	416: "range-not-satisfiable",
	422: "validation-failed",
	429: "rate-limited",
	500: "internal",
	502: "upstream-failed",
	503: "unavailable",
	504: "timeout",
};

interface ErrorLike {
	name?: string;
	message?: string;
	code?: unknown;
	type?: unknown;
	status?: unknown;
	statusCode?: unknown;
	data?: unknown;
}

/** The HTTP status an error stands for; anything unrecognised is a 500. */
/**
 * Moleculer errors whose code describes the bus, not the client's request: a missing or unreachable
 * service is our outage (Moleculer says 404), a full bulkhead queue is back-pressure.
 */
const BUS_ERRORS: Record<string, number> = {
	ServiceNotFoundError: 503,
	ServiceNotAvailableError: 503,
	QueueIsFullError: 429,
	RequestTimeoutError: 504,
};

export function statusOf(error: unknown): number {
	const e = (error ?? {}) as ErrorLike;
	if (typeof e.name === "string" && Object.hasOwn(BUS_ERRORS, e.name)) return BUS_ERRORS[e.name];
	// body-parser and the http stack use `status`; Moleculer errors use `code`
	for (const candidate of [e.status, e.statusCode, e.code]) {
		if (typeof candidate === "number" && candidate >= 400 && candidate <= 599) return candidate;
	}
	return 500;
}

interface ValidatorItem {
	field?: unknown;
	message?: unknown;
	type?: unknown;
	actual?: unknown;
	expected?: unknown;
}

/** The value a fastest-validator field name (`categories[0]`, `options`) points at in the parameters. */
function valueAtField(params: unknown, field: unknown): unknown {
	let current = params;
	for (const part of String(field ?? "").match(/[^.[\]]+/g) ?? []) {
		if (typeof current !== "object" || current === null || !Object.hasOwn(current, part)) return undefined;
		current = (current as Record<string, unknown>)[part];
	}
	return current;
}

/**
 * The unknown keys of an object fastest-validator refused as strict. It reports them joined by ", ",
 * which a key holding ", " would split wrongly: with the parameters at hand, they are read from the
 * object itself (all its keys but the allowed ones it lists in `expected`).
 */
function unknownKeys(item: ValidatorItem, params: unknown): string[] {
	const reported = String(item.actual);
	const object = valueAtField(params, item.field);
	if (typeof object === "object" && object !== null && typeof item.expected === "string") {
		const allowed = new Set(item.expected.split(", "));
		const keys = Object.keys(object).filter((key) => !allowed.has(key));
		if (keys.join(", ") === reported) return keys;
	}
	return reported.split(", ");
}

/** One entry per offending field; fastest-validator reports all unknown keys of an object in one item. */
function fieldErrors(data: unknown, params: unknown): ProblemDetails["errors"] {
	if (!Array.isArray(data)) return undefined;
	const errors = data
		.filter((item): item is ValidatorItem => typeof item === "object" && item !== null)
		.flatMap((item) => {
			if (item.type === "objectStrict" && typeof item.actual === "string") {
				const parent = item.field ? `${String(item.field)}.` : "";
				return unknownKeys(item, params).map((key) => ({ field: `${parent}${key}`, message: "This field is not allowed" }));
			}
			return [{ field: String(item.field ?? ""), message: String(item.message ?? "is invalid") }];
		});
	return errors.length > 0 ? errors : undefined;
}

/** Messages a client may read: only those of our own and Moleculer's client errors (4xx). */
function clientDetail(error: ErrorLike, status: number): string {
	if (status === 400 && (error.type === "entity.parse.failed" || error.name === "SyntaxError")) return "The request body is not valid JSON";
	if (status === 413) return "The request body is larger than the gateway accepts";
	if (status === 415) return "This content type is not accepted";
	if (status === 404 && error.name === "NotFoundError") return "No such route";
	if (status === 429 && error.name === "QueueIsFullError") return "The service is busy; try again later";
	if (status === 422 && error.name === "ValidationError") return "The request has invalid fields";
	// Our errors and Moleculer's carry a type (also after crossing the bus). A library's error that merely has a
	// 4xx `status` (a file, driver or HTTP client error) may hold paths or driver text: only its status is told.
	const written = typeof error.type === "string" && typeof error.message === "string" && error.message.length > 0;
	return written ? (error.message as string) : (STATUS_CODES[status] ?? "Error");
}

const SERVER_DETAIL: Record<number, string> = {
	502: "An upstream service failed; try again later",
	503: "The service is temporarily unavailable; try again later",
	504: "The request took too long to complete",
};

/**
 * Maps any thrown value to RFC 9457 problem details. Server-side errors never carry their message,
 * stack or driver text: the request id is what ties the answer to the logs. `params` are the request's
 * parameters, which name unknown fields exactly.
 */
export function toProblem(error: unknown, requestId?: string, params?: Record<string, unknown>): ProblemDetails {
	const e = (error ?? {}) as ErrorLike;
	const status = statusOf(error);
	const problem: ProblemDetails = {
		type: `${PROBLEM_BASE}${SLUGS[status] ?? (status >= 500 ? "internal" : "bad-request")}`,
		title: STATUS_CODES[status] ?? "Error",
		status,
		detail: status < 500 ? clientDetail(e, status) : (SERVER_DETAIL[status] ?? "An unexpected error occurred"),
		requestId,
	};
	if (status === 422) problem.errors = fieldErrors(e.data, params);
	if (status === 429 && typeof e.data === "object" && e.data !== null) {
		const retryAfter = (e.data as { retryAfter?: unknown }).retryAfter;
		if (typeof retryAfter === "number") problem.retryAfter = retryAfter;
	}
	// a plan limit says which one refused, its maximum, the use and when it resets (RFC 9457 extension members)
	const limit = status === 403 || status === 429 ? limitDetailsOf(e) : null;
	if (limit) Object.assign(problem, limit);
	return problem;
}
