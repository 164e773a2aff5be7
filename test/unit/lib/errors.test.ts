import { Errors, ServiceBroker } from "moleculer";
import {
	Conflict,
	ErrorType,
	Forbidden,
	NotFound,
	PayloadTooLarge,
	RateLimited,
	Unauthorized,
	Unavailable,
	UpstreamFailed,
	ValidationFailed,
} from "../../../lib/errors";
import { toProblem } from "../../../lib/http/problem";

describe("error vocabulary", () => {
	it("NotFound names the resource and id (404, NOT_FOUND)", () => {
		const error = new NotFound("dataset", "d-1");
		expect(error).toMatchObject({
			name: "NotFound",
			message: "dataset 'd-1' was not found",
			code: 404,
			type: ErrorType.notFound,
			data: { what: "dataset", id: "d-1" },
		});
		expect(new NotFound().message).toBe("resource was not found");
		expect(new NotFound("token").data).toEqual({ what: "token", id: undefined });
	});

	it("Forbidden is 403 FORBIDDEN with a default message and optional data", () => {
		expect(new Forbidden()).toMatchObject({ name: "Forbidden", code: 403, type: "FORBIDDEN", message: "You are not allowed to do this" });
		expect(new Forbidden("no", { scopes: ["datasets:write"] }).data).toEqual({ scopes: ["datasets:write"] });
	});

	it("Unauthorized is 401 UNAUTHORIZED", () => {
		expect(new Unauthorized()).toMatchObject({
			name: "Unauthorized",
			code: 401,
			type: "UNAUTHORIZED",
			message: "Authentication is required",
		});
		expect(new Unauthorized("The access token has expired").message).toBe("The access token has expired");
	});

	it("Conflict is 409 CONFLICT carrying its data", () => {
		expect(new Conflict("name taken", { name: "cats" })).toMatchObject({
			name: "Conflict",
			code: 409,
			type: "CONFLICT",
			message: "name taken",
			data: { name: "cats" },
		});
	});

	it("ValidationFailed is 422 VALIDATION_ERROR with the field errors as data, like Moleculer's validator", () => {
		const fields = [{ field: "name", message: "is required" }];
		const error = new ValidationFailed(fields);
		expect(error).toMatchObject({
			name: "ValidationFailed",
			code: 422,
			type: "VALIDATION_ERROR",
			message: "The request has invalid fields",
		});
		expect(error.data).toEqual(fields);
		expect(error.type).toBe(new Errors.ValidationError("x").type);
	});

	it("RateLimited is 429 RATE_LIMITED with retryAfter in data and on the error", () => {
		const error = new RateLimited(30, { limit: 20, routeClass: "auth" });
		expect(error).toMatchObject({ name: "RateLimited", code: 429, type: "RATE_LIMITED", retryAfterSeconds: 30 });
		expect(error.data).toEqual({ retryAfter: 30, limit: 20, routeClass: "auth" });
	});

	it("PayloadTooLarge is 413 PAYLOAD_TOO_LARGE", () => {
		expect(new PayloadTooLarge()).toMatchObject({ name: "PayloadTooLarge", code: 413, type: "PAYLOAD_TOO_LARGE" });
	});

	it("Unavailable (503) and UpstreamFailed (502) are retryable", () => {
		const unavailable = new Unavailable();
		expect(unavailable).toMatchObject({ name: "Unavailable", code: 503, type: "UNAVAILABLE", retryable: true });
		expect(unavailable).toBeInstanceOf(Errors.MoleculerRetryableError);
		const upstream = new UpstreamFailed("images.example timed out", { host: "images.example" });
		expect(upstream).toMatchObject({
			name: "UpstreamFailed",
			code: 502,
			type: "UPSTREAM_FAILED",
			retryable: true,
			data: { host: "images.example" },
		});
	});

	it("client errors are not retryable Moleculer client errors", () => {
		for (const error of [
			new NotFound(),
			new Forbidden(),
			new Unauthorized(),
			new Conflict("x"),
			new ValidationFailed([]),
			new RateLimited(1),
		]) {
			expect(error).toBeInstanceOf(Errors.MoleculerClientError);
			expect(error).toBeInstanceOf(Error);
			expect(error.retryable).toBe(false);
		}
	});

	it("survive the trip over the bus: Moleculer's regenerator restores name, code, type and data", () => {
		const broker = new ServiceBroker({ logger: false, nodeID: "worker-1" });
		const regenerator = new Errors.Regenerator();
		regenerator.init(broker);
		const plain = regenerator.extractPlainError(new Conflict("name taken", { name: "cats" }));
		expect(plain).toMatchObject({ name: "Conflict", code: 409, type: "CONFLICT", data: { name: "cats" }, nodeID: "worker-1" });
		const restored = regenerator.restore(JSON.parse(JSON.stringify(plain)), { sender: "worker-1" }) as Errors.MoleculerError;
		expect(restored).toMatchObject({ name: "Conflict", code: 409, type: "CONFLICT", data: { name: "cats" }, message: "name taken" });
		expect(toProblem(restored)).toMatchObject({ status: 409, detail: "name taken" });
	});
});
