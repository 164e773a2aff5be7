import { createHash } from "node:crypto";

export const SPLIT_NAMES = ["train", "val", "test"] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];

/** Fractions of each label's images; they sum to 1. The seed makes the assignment repeatable. */
export interface SplitRatios {
	train: number;
	val: number;
	test: number;
	seed: number;
}

/** How many of `total` images each split gets: floors, then the largest remainders (ties in split order). */
export function splitCounts(total: number, ratios: SplitRatios): Record<SplitName, number> {
	const exact = SPLIT_NAMES.map((name) => total * ratios[name]);
	const counts = exact.map(Math.floor);
	let left = total - counts.reduce((sum, count) => sum + count, 0);
	const byRemainder = SPLIT_NAMES.map((_, index) => index).sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b);
	for (const index of byRemainder) {
		if (left === 0) break;
		if (ratios[SPLIT_NAMES[index]] === 0) continue;
		counts[index] += 1;
		left -= 1;
	}
	return { train: counts[0], val: counts[1], test: counts[2] };
}

function rank(seed: number, sha256: string): string {
	return createHash("sha256").update(`${seed}:${sha256}`).digest("hex");
}

/**
 * Assigns every image a split, stratified per label: each label's images are ordered by a seeded hash
 * of their content hash and cut by `splitCounts`. The result depends only on the images and the seed,
 * never on the order the store returns them in.
 */
export function assignSplits<T extends { label: string; sha256: string }>(
	images: T[],
	ratios: SplitRatios | null,
): (T & { split: SplitName | null })[] {
	if (!ratios) return images.map((image) => ({ ...image, split: null }));
	const byLabel = new Map<string, T[]>();
	for (const image of images) {
		const group = byLabel.get(image.label) ?? [];
		group.push(image);
		byLabel.set(image.label, group);
	}
	const assigned: (T & { split: SplitName })[] = [];
	for (const group of byLabel.values()) {
		const ordered = group
			.map((image) => ({ image, key: rank(ratios.seed, image.sha256) }))
			.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
		const counts = splitCounts(ordered.length, ratios);
		let position = 0;
		for (const name of SPLIT_NAMES) {
			for (let i = 0; i < counts[name]; i++) assigned.push({ ...ordered[position++].image, split: name });
		}
	}
	return assigned;
}
