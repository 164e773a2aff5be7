import { Errors } from "moleculer";
import { Errors as WebErrors } from "moleculer-web";
import {
	Conflict,
	Forbidden,
	NotFound,
	PayloadTooLarge,
	RateLimited,
	Unauthorized,
	Unavailable,
	UpstreamFailed,
	ValidationFailed,
} from "../../../../lib/errors";
import { PROBLEM_BASE, statusOf, toProblem } from "../../../../lib/http/problem";

const REQUEST_ID = "req-1234abcd";

describe("toProblem with Moleculer parameter validation", () => {
	const error = new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
		{ field: "name", message: "The 'name' field is required.", type: "required" },
		{ field: "size", message: "The 'size' field must be a number.", type: "number", actual: "password=hunter2" },
	]);

	it("answers 422 validation-failed with a fixed detail", () => {
		expect(toProblem(error, REQUEST_ID)).toEqual({
			type: `${PROBLEM_BASE}validation-failed`,
			title: "Unprocessable Entity",
			status: 422,
			detail: "The request has invalid fields",
			requestId: REQUEST_ID,
			errors: [
				{ field: "name", message: "The 'name' field is required." },
				{ field: "size", message: "The 'size' field must be a number." },
			],
		});
	});

	it("lists only field and message of each error, never the rejected value", () => {
		expect(JSON.stringify(toProblem(error))).not.toContain("hunter2");
	});

	it("fills in missing fields and skips entries that are not objects", () => {
		const problem = toProblem(new Errors.ValidationError("bad", "VALIDATION_ERROR", [{ type: "x" }, "junk", null] as never));
		expect(problem.errors).toEqual([{ field: "", message: "is invalid" }]);
	});

	it("leaves errors out when the data is not a list of field errors", () => {
		expect(toProblem(new Errors.ValidationError("bad", "VALIDATION_ERROR", { field: "x" })).errors).toBeUndefined();
		expect(toProblem(new Errors.ValidationError("bad", "VALIDATION_ERROR", [] as never)).errors).toBeUndefined();
	});
});

describe("toProblem with our own errors", () => {
	it.each([
		[new NotFound("dataset", "d1"), 404, "not-found", "dataset 'd1' was not found"],
		[new Forbidden(), 403, "forbidden", "You are not allowed to do this"],
		[new Unauthorized(), 401, "unauthorized", "Authentication is required"],
		[new Conflict("name is taken"), 409, "conflict", "name is taken"],
		[new PayloadTooLarge(), 413, "payload-too-large", "The request body is larger than the gateway accepts"],
		[new RateLimited(7), 429, "rate-limited", "Too many requests; try again later"],
	])("maps %p to %i with its client message", (error, status, slug, detail) => {
		const problem = toProblem(error, REQUEST_ID);
		expect(problem.status).toBe(status);
		expect(problem.type).toBe(`${PROBLEM_BASE}${slug}`);
		expect(problem.detail).toBe(detail);
		expect(problem.requestId).toBe(REQUEST_ID);
	});

	it("maps ValidationFailed to 422 with its field errors", () => {
		const problem = toProblem(new ValidationFailed([{ field: "keywords", message: "needs at least one keyword" }]));
		expect(problem.status).toBe(422);
		expect(problem.detail).toBe("The request has invalid fields");
		expect(problem.errors).toEqual([{ field: "keywords", message: "needs at least one keyword" }]);
	});

	it("maps Unavailable to 503 and UpstreamFailed to 502 with generic details", () => {
		const unavailable = toProblem(new Unavailable("mongo at 10.0.0.5 refused"));
		expect(unavailable).toMatchObject({ status: 503, type: `${PROBLEM_BASE}unavailable`, title: "Service Unavailable" });
		expect(unavailable.detail).toBe("The service is temporarily unavailable; try again later");
		const upstream = toProblem(new UpstreamFailed("https://user:pw@images.example failed"));
		expect(upstream).toMatchObject({ status: 502, type: `${PROBLEM_BASE}upstream-failed`, title: "Bad Gateway" });
		expect(upstream.detail).toBe("An upstream service failed; try again later");
		expect(JSON.stringify([unavailable, upstream])).not.toMatch(/10\.0\.0\.5|user:pw/);
	});

	it("carries retryAfter from a 429 error", () => {
		expect(toProblem(new RateLimited(42, { limit: 20 })).retryAfter).toBe(42);
	});

	it("leaves retryAfter out of a 429 without a numeric retryAfter", () => {
		expect(toProblem(new WebErrors.RateLimitExceeded("RATE_LIMIT_EXCEEDED")).retryAfter).toBeUndefined();
		expect(toProblem({ status: 429, data: { retryAfter: "soon" } }).retryAfter).toBeUndefined();
	});

	it("does not attach retryAfter or errors to other statuses", () => {
		const problem = toProblem(new Conflict("busy", { retryAfter: 5 }));
		expect(problem).not.toHaveProperty("retryAfter");
		expect(problem).not.toHaveProperty("errors");
	});
});

describe("toProblem with body-parser errors", () => {
	it("answers 413 for entity.too.large", () => {
		const error = Object.assign(new Error("request entity too large: 2097152 > 1048576"), { status: 413, type: "entity.too.large" });
		expect(toProblem(error, REQUEST_ID)).toEqual({
			type: `${PROBLEM_BASE}payload-too-large`,
			title: "Payload Too Large",
			status: 413,
			detail: "The request body is larger than the gateway accepts",
			requestId: REQUEST_ID,
		});
	});

	it("answers 400 for entity.parse.failed without echoing the parser's message", () => {
		const error = Object.assign(new SyntaxError("Unexpected token s in JSON at position 0: secret-body"), {
			status: 400,
			type: "entity.parse.failed",
		});
		const problem = toProblem(error);
		expect(problem).toMatchObject({ status: 400, type: `${PROBLEM_BASE}bad-request`, detail: "The request body is not valid JSON" });
		expect(problem.detail).not.toContain("secret-body");
	});

	it("answers 415 for an unsupported content type with a fixed detail", () => {
		expect(toProblem({ status: 415, type: "encoding.unsupported", message: 'unsupported charset "X"' })).toMatchObject({
			status: 415,
			type: `${PROBLEM_BASE}unsupported-media-type`,
			detail: "This content type is not accepted",
		});
	});

	it("reads statusCode as well as status", () => {
		expect(statusOf({ statusCode: 408 })).toBe(408);
		expect(toProblem({ statusCode: 408 }).type).toBe(`${PROBLEM_BASE}request-timeout`);
	});
});

describe("toProblem with Moleculer transport errors", () => {
	it("answers 504 with a generic detail for RequestTimeoutError", () => {
		const problem = toProblem(new Errors.RequestTimeoutError({ action: "crawl.run", nodeID: "node-7" }), REQUEST_ID);
		expect(problem).toEqual({
			type: `${PROBLEM_BASE}timeout`,
			title: "Gateway Timeout",
			status: 504,
			detail: "The request took too long to complete",
			requestId: REQUEST_ID,
		});
	});

	it("answers 503 for moleculer-web's ServiceUnavailableError (a published route whose service is gone)", () => {
		const problem = toProblem(new WebErrors.ServiceUnavailableError("SERVICE_UNAVAILABLE"));
		expect(problem).toMatchObject({ status: 503, type: `${PROBLEM_BASE}unavailable` });
		expect(problem.detail).toBe("The service is temporarily unavailable; try again later");
	});

	it("answers 503 for an error known only by the name ServiceNotFoundError or ServiceNotAvailableError (no numeric code)", () => {
		expect(statusOf({ name: "ServiceNotFoundError", message: "Service 'x' is not found." })).toBe(503);
		expect(statusOf({ name: "ServiceNotAvailableError" })).toBe(503);
		expect(statusOf({ name: "RequestTimeoutError" })).toBe(504);
	});

	it("answers a missing or unreachable service as 503 without internal action or node names", () => {
		for (const error of [
			new Errors.ServiceNotFoundError({ action: "internal.secretAction" }),
			new Errors.ServiceNotAvailableError({ action: "internal.secretAction", nodeID: "node-7" }),
		]) {
			const problem = toProblem(error);
			expect(problem).toMatchObject({ status: 503, type: `${PROBLEM_BASE}unavailable` });
			expect(JSON.stringify(problem)).not.toMatch(/internal\.secretAction|node-7/);
		}
	});

	it("answers a full bulkhead queue as 429 without internal names", () => {
		const problem = toProblem(new Errors.QueueIsFullError({ action: "internal.secretAction", nodeID: "node-7", size: 1, limit: 1 }));
		expect(problem).toMatchObject({ status: 429, detail: "The service is busy; try again later" });
		expect(JSON.stringify(problem)).not.toMatch(/internal\.secretAction|node-7/);
	});

	it("answers moleculer-web's NotFoundError as 404 'No such route'", () => {
		expect(toProblem(new WebErrors.NotFoundError("NOT_FOUND"))).toMatchObject({ status: 404, detail: "No such route" });
	});
});

describe("toProblem with unexpected errors", () => {
	it("answers 500 with a generic detail and no trace of the message", () => {
		const error = new Error("connect mongodb://admin:hunter2@10.0.0.5:27017 failed");
		const problem = toProblem(error, REQUEST_ID);
		expect(problem).toEqual({
			type: `${PROBLEM_BASE}internal`,
			title: "Internal Server Error",
			status: 500,
			detail: "An unexpected error occurred",
			requestId: REQUEST_ID,
		});
		const text = JSON.stringify(problem);
		expect(text).not.toContain("hunter2");
		expect(text).not.toContain("10.0.0.5");
		expect(text).not.toContain("at ");
	});

	it("hides the message of a Moleculer server error", () => {
		const problem = toProblem(new Errors.MoleculerServerError("disk /var/secret full", 500, "DISK"));
		expect(problem.detail).toBe("An unexpected error occurred");
	});

	it("treats driver error codes outside 400-599 and string codes as 500", () => {
		expect(statusOf(Object.assign(new Error("E11000 duplicate key"), { code: 11000 }))).toBe(500);
		expect(statusOf(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(500);
		expect(statusOf({ status: 302 })).toBe(500);
		expect(statusOf({ status: "404" })).toBe(500);
	});

	it("answers 500 for thrown values that are not errors", () => {
		for (const value of [undefined, null, "boom", 42, {}]) {
			expect(toProblem(value)).toMatchObject({ status: 500, detail: "An unexpected error occurred" });
		}
	});

	it("falls back to the generic internal type for 5xx statuses without a slug", () => {
		expect(toProblem({ status: 507 })).toMatchObject({
			status: 507,
			type: `${PROBLEM_BASE}internal`,
			detail: "An unexpected error occurred",
		});
	});

	it("falls back to the bad-request type and the status text for 4xx statuses without a slug or message", () => {
		expect(toProblem({ status: 418 })).toMatchObject({ status: 418, type: `${PROBLEM_BASE}bad-request`, detail: "I'm a Teapot" });
	});
});

describe("requestId", () => {
	it("is passed through unchanged, and left undefined when not given", () => {
		expect(toProblem(new NotFound(), "abc-12345678").requestId).toBe("abc-12345678");
		expect(toProblem(new Error("x")).requestId).toBeUndefined();
	});
});

describe("unknown fields", () => {
	it("names each field an object may not have, with its path", () => {
		const problem = toProblem(
			new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", [
				{ type: "objectStrict", message: "The object '' contains forbidden keys: 'role, id'.", expected: "a", actual: "role, id" },
				{ type: "objectStrict", message: "The object 'nested' contains forbidden keys: 'c'.", field: "nested", expected: "b", actual: "c" },
			]),
		);
		expect(problem.errors).toEqual([
			{ field: "role", message: "This field is not allowed" },
			{ field: "id", message: "This field is not allowed" },
			{ field: "nested.c", message: "This field is not allowed" },
		]);
	});
});
