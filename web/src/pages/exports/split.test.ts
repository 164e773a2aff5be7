import { describe, expect, it } from "vitest";
import { DEFAULT_SPLIT, describeSplit, parsePercent, splitFractions, validateSplit } from "./split";

describe("the export split", () => {
	it("accepts percentages that add up to 100 and sends fractions that add up to 1", () => {
		expect(validateSplit(DEFAULT_SPLIT)).toEqual({});
		expect(splitFractions(DEFAULT_SPLIT)).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
		const thirds = { train: "33.33", val: "33.33", test: "33.34", seed: "7" };
		expect(validateSplit(thirds)).toEqual({});
		const fractions = splitFractions(thirds);
		expect(fractions.seed).toBe(7);
		expect(Math.abs(fractions.train + fractions.val + fractions.test - 1)).toBeLessThan(1e-9);
	});

	it("refuses a sum other than 100, naming what it adds up to", () => {
		expect(validateSplit({ train: "80", val: "10", test: "5", seed: "" })).toEqual({
			split: "Train, validation and test must add up to 100% (they add up to 95%)",
		});
	});

	it("refuses an empty train set, numbers out of range and a bad seed, field by field", () => {
		const errors = validateSplit({ train: "0", val: "150", test: "abc", seed: "-1" });
		expect(Object.keys(errors).sort()).toEqual(["seed", "test", "train", "val"]);
		expect(errors.train).toMatch(/more than 0%/);
		expect(validateSplit({ train: "100", val: "0", test: "0", seed: "2147483648" }).seed).toMatch(/whole number/);
	});

	it("reads percentages as typed", () => {
		expect(parsePercent(" 12.5 ")).toBe(12.5);
		expect(parsePercent("1e2")).toBeNull();
		expect(parsePercent("100.01")).toBeNull();
		expect(parsePercent("")).toBeNull();
	});

	it("describes an applied split in percentages", () => {
		expect(describeSplit({ train: 0.7, val: 0.15, test: 0.15 })).toBe("70 / 15 / 15 %");
		expect(describeSplit(null)).toBe("No split");
	});
});
