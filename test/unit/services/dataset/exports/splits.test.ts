import { createHash } from "node:crypto";
import fc from "fast-check";
import { assignSplits, SPLIT_NAMES, type SplitName, type SplitRatios, splitCounts } from "../../../../../services/dataset/exports/splits";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

interface Image {
	label: string;
	sha256: string;
	storageKey: string;
}

const image = (label: string, n: number): Image => ({ label, sha256: sha256(`${label}-${n}`), storageKey: `datasets/d/${n}.jpg` });

/** `count` images per label, deterministic content hashes. */
function imagesOf(perLabel: Record<string, number>): Image[] {
	return Object.entries(perLabel).flatMap(([label, count]) => Array.from({ length: count }, (_, n) => image(label, n)));
}

const splitsBySha = (assigned: { sha256: string; split: SplitName | null }[]) =>
	new Map(assigned.map((entry) => [entry.sha256, entry.split] as const));

/** Ratios from integer weights, at least one of them non-zero: some of them zero now and then. */
const ratiosArb: fc.Arbitrary<SplitRatios> = fc
	.tuple(fc.nat({ max: 100 }), fc.nat({ max: 100 }), fc.nat({ max: 100 }), fc.integer())
	.filter(([a, b, c]) => a + b + c > 0)
	.map(([a, b, c, seed]) => ({ train: a / (a + b + c), val: b / (a + b + c), test: c / (a + b + c), seed }));

const imagesArb: fc.Arbitrary<Image[]> = fc
	.uniqueArray(fc.tuple(fc.constantFrom("cat", "dog", "bird", "fish"), fc.nat()), {
		maxLength: 120,
		selector: ([, n]) => n,
	})
	.map((pairs) => pairs.map(([label, n]) => ({ label, sha256: sha256(String(n)), storageKey: `k/${n}` })));

describe("splitCounts", () => {
	it.each([
		[10, { train: 0.7, val: 0.2, test: 0.1 }, { train: 7, val: 2, test: 1 }],
		[100, { train: 0.8, val: 0.1, test: 0.1 }, { train: 80, val: 10, test: 10 }],
		[0, { train: 0.8, val: 0.1, test: 0.1 }, { train: 0, val: 0, test: 0 }],
		[1, { train: 0.8, val: 0.1, test: 0.1 }, { train: 1, val: 0, test: 0 }],
		[5, { train: 1, val: 0, test: 0 }, { train: 5, val: 0, test: 0 }],
		[5, { train: 0, val: 0, test: 1 }, { train: 0, val: 0, test: 5 }],
	])("splits %i images at %j into %j", (total, ratios, expected) => {
		expect(splitCounts(total, { ...ratios, seed: 1 })).toEqual(expected);
	});

	it("gives the images left after the floors to the largest remainders", () => {
		// exact 4.2 / 2.7 / 3.1: floors 4 / 2 / 3, one left, val has the largest remainder (0.7)
		expect(splitCounts(10, { train: 0.42, val: 0.27, test: 0.31, seed: 0 })).toEqual({ train: 4, val: 3, test: 3 });
		// exact 1.6 / 1.2 / 1.2 (total 4 at 0.4 / 0.3 / 0.3): one left, train's 0.6 wins
		expect(splitCounts(4, { train: 0.4, val: 0.3, test: 0.3, seed: 0 })).toEqual({ train: 2, val: 1, test: 1 });
	});

	it("breaks remainder ties in split order: train, then val, then test", () => {
		// 5.6 / 0.7 / 0.7: two left, val and test tie on 0.7 and both get one
		expect(splitCounts(7, { train: 0.8, val: 0.1, test: 0.1, seed: 0 })).toEqual({ train: 5, val: 1, test: 1 });
		// thirds of 2: every remainder equal, train and val get the two
		expect(splitCounts(2, { train: 1 / 3, val: 1 / 3, test: 1 / 3, seed: 0 })).toEqual({ train: 1, val: 1, test: 0 });
		// thirds of 1: train gets it
		expect(splitCounts(1, { train: 1 / 3, val: 1 / 3, test: 1 / 3, seed: 0 })).toEqual({ train: 1, val: 0, test: 0 });
		// 0.5 / 0 / 0.5 of 3: 1.5 / 0 / 1.5, the tie goes to train
		expect(splitCounts(3, { train: 0.5, val: 0, test: 0.5, seed: 0 })).toEqual({ train: 2, val: 0, test: 1 });
	});

	it("never gives an image to a split whose ratio is zero", () => {
		expect(splitCounts(1, { train: 0, val: 0.5, test: 0.5, seed: 0 })).toEqual({ train: 0, val: 1, test: 0 });
		expect(splitCounts(3, { train: 0.5, val: 0.5, test: 0, seed: 0 })).toEqual({ train: 2, val: 1, test: 0 });
	});

	it("sums to the total, stays within one of the exact share and leaves zero-ratio splits empty (property)", () => {
		fc.assert(
			fc.property(fc.nat({ max: 100_000 }), ratiosArb, (total, ratios) => {
				const counts = splitCounts(total, ratios);
				expect(counts.train + counts.val + counts.test).toBe(total);
				for (const name of SPLIT_NAMES) {
					expect(Number.isInteger(counts[name])).toBe(true);
					expect(counts[name]).toBeGreaterThanOrEqual(0);
					expect(Math.abs(counts[name] - total * ratios[name])).toBeLessThan(1);
					if (ratios[name] === 0) expect(counts[name]).toBe(0);
				}
			}),
			{ numRuns: 500 },
		);
	});
});

describe("assignSplits", () => {
	const RATIOS: SplitRatios = { train: 0.7, val: 0.2, test: 0.1, seed: 42 };

	it("leaves every image unsplit (split null), in its order and with its fields, when there are no ratios", () => {
		const images = imagesOf({ cat: 3, dog: 2 });
		const assigned = assignSplits(images, null);
		expect(assigned).toEqual(images.map((entry) => ({ ...entry, split: null })));
	});

	it("assigns every image exactly once, keeping its fields", () => {
		const images = imagesOf({ cat: 17, dog: 5, bird: 1 });
		const assigned = assignSplits(images, RATIOS);
		expect(assigned).toHaveLength(images.length);
		const bySha = new Map(assigned.map((entry) => [entry.sha256, entry]));
		expect(bySha.size).toBe(images.length);
		for (const original of images) {
			const { split, ...rest } = bySha.get(original.sha256) as Image & { split: SplitName | null };
			expect(rest).toEqual(original);
			expect(SPLIT_NAMES).toContain(split);
		}
	});

	it("stratifies per label: each label is cut by splitCounts of its own size", () => {
		const images = imagesOf({ cat: 10, dog: 7, bird: 3, fish: 1 });
		const assigned = assignSplits(images, RATIOS);
		for (const [label, size] of [
			["cat", 10],
			["dog", 7],
			["bird", 3],
			["fish", 1],
		] as const) {
			const ofLabel = assigned.filter((entry) => entry.label === label);
			const counts = Object.fromEntries(SPLIT_NAMES.map((name) => [name, ofLabel.filter((entry) => entry.split === name).length]));
			expect(counts).toEqual(splitCounts(size, RATIOS));
		}
		// 10 cats at 0.7 / 0.2 / 0.1 are exactly 7 / 2 / 1, not a global cut that could starve a label
		expect(assigned.filter((entry) => entry.label === "cat" && entry.split === "test")).toHaveLength(1);
	});

	it("orders each label by the seeded hash of the content hash: the lowest hashes go to train, then val, then test", () => {
		const images = imagesOf({ cat: 10 });
		const assigned = assignSplits(images, RATIOS);
		const rankOf = (sha: string) => sha256(`${RATIOS.seed}:${sha}`);
		const ordered = [...images].sort((a, b) => (rankOf(a.sha256) < rankOf(b.sha256) ? -1 : 1));
		const splits = splitsBySha(assigned);
		expect(ordered.map((entry) => splits.get(entry.sha256))).toEqual([...Array(7).fill("train"), "val", "val", "test"]);
	});

	it("gives the same assignment for a seed whatever order the images come in (property)", () => {
		fc.assert(
			fc.property(
				imagesArb.chain((images) => fc.tuple(fc.constant(images), fc.shuffledSubarray(images, { minLength: images.length }))),
				ratiosArb,
				([images, shuffled], ratios) => {
					expect(splitsBySha(assignSplits(shuffled, ratios))).toEqual(splitsBySha(assignSplits(images, ratios)));
				},
			),
			{ numRuns: 200 },
		);
	});

	it("keeps each label's split sizes at splitCounts and zero-ratio splits empty (property)", () => {
		fc.assert(
			fc.property(imagesArb, ratiosArb, (images, ratios) => {
				const assigned = assignSplits(images, ratios);
				expect(assigned).toHaveLength(images.length);
				const labels = new Set(images.map((entry) => entry.label));
				for (const label of labels) {
					const size = images.filter((entry) => entry.label === label).length;
					const counts = splitCounts(size, ratios);
					for (const name of SPLIT_NAMES) {
						const got = assigned.filter((entry) => entry.label === label && entry.split === name).length;
						expect(got).toBe(counts[name]);
						if (ratios[name] === 0) expect(got).toBe(0);
					}
				}
			}),
			{ numRuns: 200 },
		);
	});

	it("is repeatable: the same seed gives the same assignment on every run", () => {
		const images = imagesOf({ cat: 200, dog: 150 });
		expect(splitsBySha(assignSplits(images, RATIOS))).toEqual(
			splitsBySha(
				assignSplits(
					images.map((entry) => ({ ...entry })),
					RATIOS,
				),
			),
		);
	});

	it("gives a different assignment for a different seed on a large set", () => {
		const images = imagesOf({ cat: 600, dog: 400 });
		const first = splitsBySha(assignSplits(images, { ...RATIOS, seed: 1 }));
		const second = splitsBySha(assignSplits(images, { ...RATIOS, seed: 2 }));
		const changed = images.filter((entry) => first.get(entry.sha256) !== second.get(entry.sha256)).length;
		// two independent 0.7 / 0.2 / 0.1 draws disagree about 46% of the time; the counts per label stay the same
		expect(changed).toBeGreaterThan(images.length * 0.3);
		for (const name of SPLIT_NAMES) {
			expect([...first.values()].filter((split) => split === name).length).toBe(
				[...second.values()].filter((split) => split === name).length,
			);
		}
	});

	it("returns nothing for no images", () => {
		expect(assignSplits([], RATIOS)).toEqual([]);
		expect(assignSplits([], null)).toEqual([]);
	});
});
