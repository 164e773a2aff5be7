import { ifRangeHolds, parseByteRange } from "../../../../lib/http/byte-range";

describe("parseByteRange", () => {
	it.each([
		["bytes=0-99", 1000, { start: 0, end: 99 }],
		["bytes=500-", 1000, { start: 500, end: 999 }],
		["bytes=900-5000", 1000, { start: 900, end: 999 }],
		["bytes=-100", 1000, { start: 900, end: 999 }],
		["bytes=-5000", 1000, { start: 0, end: 999 }],
		[" bytes=1-1 ", 10, { start: 1, end: 1 }],
	])("%s of %i bytes", (header, size, expected) => {
		expect(parseByteRange(header, size)).toEqual(expected);
	});

	it("answers null where the whole representation is sent", () => {
		for (const header of [undefined, "", "bytes=", "bytes=-", "items=0-1", "bytes=5-2", "bytes=0-1,5-6", "bytes=a-b"]) {
			expect(parseByteRange(header, 1000)).toBeNull();
		}
	});

	it("answers unsatisfiable for ranges past the end", () => {
		expect(parseByteRange("bytes=1000-", 1000)).toBe("unsatisfiable");
		expect(parseByteRange("bytes=-0", 1000)).toBe("unsatisfiable");
		expect(parseByteRange("bytes=-10", 0)).toBe("unsatisfiable");
	});
});

describe("ifRangeHolds", () => {
	it("holds without a validator or with the current strong ETag only", () => {
		expect(ifRangeHolds(undefined, '"abc"')).toBe(true);
		expect(ifRangeHolds('"abc"', '"abc"')).toBe(true);
		expect(ifRangeHolds('"old"', '"abc"')).toBe(false);
		expect(ifRangeHolds("Wed, 21 Oct 2026 07:28:00 GMT", '"abc"')).toBe(false);
	});
});
