import { describe, expect, it } from "vitest";
import { EMPTY_FILTERS, filtersFromSearch, hasFilters, labelsToShow, listParams, searchFromFilters } from "./gallery-query";

describe("the gallery's query string", () => {
	it("reads every filter from the URL and writes them back in a fixed order", () => {
		const filters = filtersFromSearch("?license=cc0&label=cat&source=wikimedia&status=valid");
		expect(filters).toEqual({ label: "cat", status: "valid", source: "wikimedia", license: "cc0" });
		expect(searchFromFilters(filters)).toBe("label=cat&status=valid&source=wikimedia&license=cc0");
	});

	it("leaves out unset filters and drops a status the API does not know", () => {
		expect(filtersFromSearch("status=lost&label=")).toEqual(EMPTY_FILTERS);
		expect(searchFromFilters(EMPTY_FILTERS)).toBe("");
		expect(searchFromFilters({ ...EMPTY_FILTERS, label: "big cat" })).toBe("label=big+cat");
		expect(hasFilters(EMPTY_FILTERS)).toBe(false);
		expect(hasFilters({ ...EMPTY_FILTERS, source: "bing" })).toBe(true);
	});

	it("asks the API for one label's page with only the filters that are set", () => {
		expect(listParams({ ...EMPTY_FILTERS, status: "rejected" }, "dog", 3, 24)).toEqual({
			label: "dog",
			page: 3,
			pageSize: 24,
			status: "rejected",
		});
	});

	it("shows every label, or only the chosen one when the dataset has it", () => {
		expect(labelsToShow(EMPTY_FILTERS, ["cat", "dog"])).toEqual(["cat", "dog"]);
		expect(labelsToShow({ ...EMPTY_FILTERS, label: "dog" }, ["cat", "dog"])).toEqual(["dog"]);
		expect(labelsToShow({ ...EMPTY_FILTERS, label: "horse" }, ["cat", "dog"])).toEqual([]);
	});
});
