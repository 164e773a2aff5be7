import { escapeRegExp, filtersFrom } from "../../../lib/params";

describe("escapeRegExp", () => {
	it("matches the text literally, special characters included", () => {
		const text = "a.b*c+(d)?[e]{f}|g^h$i\\j";
		expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
		expect(new RegExp(escapeRegExp("a.b")).test("axb")).toBe(false);
	});
});

describe("filtersFrom", () => {
	it("keeps only the filters a list was given", () => {
		expect(filtersFrom({ status: "dead", type: undefined, label: "", page: 2 }, ["status", "type", "label"])).toEqual({ status: "dead" });
		expect(filtersFrom({}, ["status"])).toEqual({});
	});
});
