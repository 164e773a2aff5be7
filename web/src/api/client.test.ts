import { describe, expect, it } from "vitest";
import { fakeApi } from "../test/fake-api";
import { queryString } from "./client";
import { ApiError, errorMessage, fieldErrorMap } from "./errors";

describe("the API client", () => {
	it("turns a problem+json answer into an ApiError with the fields, request id and Retry-After", async () => {
		const { api } = fakeApi({
			"POST /datasets": {
				status: 422,
				headers: { "X-Request-ID": "req-1", "Retry-After": "3" },
				body: {
					type: "https://pixcrawler.dev/problems/validation-failed",
					title: "Unprocessable Entity",
					status: 422,
					detail: "The request has invalid fields",
					errors: [
						{ field: "categories[0].label", message: "Use letters" },
						{ field: "categories[0].label", message: "and digits" },
					],
				},
			},
		});
		const error = (await api.datasets.create({ name: "x", categories: [], sources: [] }).catch((caught) => caught)) as ApiError;
		expect(error).toBeInstanceOf(ApiError);
		expect(error.status).toBe(422);
		expect(error.requestId).toBe("req-1");
		expect(error.retryAfter).toBe(3);
		expect(error.fieldMessage("categories[0].label")).toBe("Use letters");
		expect(fieldErrorMap(error.fields)).toEqual({ "categories[0].label": "Use letters and digits" });
		expect(errorMessage(error)).toBe("The request has invalid fields");
	});

	it("says the server could not be reached when fetch fails", async () => {
		const { api, fetch } = fakeApi();
		fetch.mockRejectedValueOnce(new TypeError("Failed to fetch"));
		const error = await api.projects.list().catch((caught) => caught);
		expect(error).toMatchObject({ status: 0 });
		expect(errorMessage(error)).toMatch(/could not be reached/);
	});

	it("sends JSON, encodes path segments and leaves empty query values out", async () => {
		const { api, requests } = fakeApi({ "PATCH /datasets/a%2Fb": { body: {} } });
		await api.datasets.update("a/b", { name: "n" });
		expect(requests[0]).toMatchObject({ method: "PATCH", path: "/datasets/a%2Fb", body: { name: "n" } });
		expect(requests[0].headers["Content-Type"]).toBe("application/json");
		expect(queryString({ page: 2, status: undefined, name: "", projectId: null, sort: "-name" })).toBe("?page=2&sort=-name");
		expect(queryString({})).toBe("");
	});
});
