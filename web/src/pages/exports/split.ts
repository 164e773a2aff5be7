import type { ExportSplit } from "../../api/types";

/** The split as the form holds it: percentages as typed, and an optional seed. */
export interface SplitInput {
	train: string;
	val: string;
	test: string;
	seed: string;
}

export type SplitField = "train" | "val" | "test" | "seed" | "split";

export const DEFAULT_SPLIT: SplitInput = { train: "80", val: "10", test: "10", seed: "" };

const PARTS = ["train", "val", "test"] as const;
const NAMES: Record<(typeof PARTS)[number], string> = { train: "Train", val: "Validation", test: "Test" };

/** A percentage as typed: a number from 0 to 100 with at most two decimals; null otherwise. */
export function parsePercent(text: string): number | null {
	const trimmed = text.trim();
	if (!/^\d{1,3}(\.\d{1,2})?$/.test(trimmed)) return null;
	const value = Number(trimmed);
	return value <= 100 ? value : null;
}

/** Hundredths of a percent, so 33.33 + 33.33 + 33.34 adds up to exactly 100. */
const hundredths = (value: number) => Math.round(value * 100);

/** What is wrong with the split, by field (`split` for the sum); empty when it can be sent. */
export function validateSplit(input: SplitInput): Partial<Record<SplitField, string>> {
	const errors: Partial<Record<SplitField, string>> = {};
	const values: Partial<Record<(typeof PARTS)[number], number>> = {};
	for (const part of PARTS) {
		const value = parsePercent(input[part]);
		if (value === null) errors[part] = `${NAMES[part]} must be a percentage from 0 to 100 (at most two decimals)`;
		else values[part] = value;
	}
	if (values.train === 0) errors.train = "Train cannot be empty: give it more than 0%";
	if (values.train !== undefined && values.val !== undefined && values.test !== undefined) {
		const sum = hundredths(values.train) + hundredths(values.val) + hundredths(values.test);
		if (sum !== 10_000) errors.split = `Train, validation and test must add up to 100% (they add up to ${sum / 100}%)`;
	}
	const seed = input.seed.trim();
	if (seed !== "" && !(/^\d{1,10}$/.test(seed) && Number(seed) <= 2_147_483_647)) {
		errors.seed = "The seed is a whole number from 0 to 2147483647";
	}
	return errors;
}

/** The API's split (fractions adding up to 1) of a valid input. */
export function splitFractions(input: SplitInput): ExportSplit {
	const train = hundredths(parsePercent(input.train) ?? 0);
	const val = hundredths(parsePercent(input.val) ?? 0);
	const seed = input.seed.trim();
	// test is what remains, so the three add up to 1 as the API checks it
	return {
		train: train / 10_000,
		val: val / 10_000,
		test: (10_000 - train - val) / 10_000,
		...(seed ? { seed: Number(seed) } : {}),
	};
}

/** `80 / 10 / 10 %` for an applied split. */
export function describeSplit(split: ExportSplit | null): string {
	if (!split) return "No split";
	const percent = (fraction: number) => `${Math.round(fraction * 10_000) / 100}`;
	return `${percent(split.train)} / ${percent(split.val)} / ${percent(split.test)} %`;
}
