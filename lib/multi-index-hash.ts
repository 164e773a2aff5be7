import { hammingDistance } from "./hash-bits";

/**
 * Multi-index hashing (Norouzi, Punjani & Fleet, "Fast Search in Hamming Space with Multi-Index Hashing",
 * CVPR 2012): near-duplicate lookup of 64-bit perceptual hashes without comparing against every stored hash.
 *
 * A hash is cut into m disjoint bands (m = 4 bands of 16 bits by default); each band is indexed on its own
 * (an in-memory map here, an indexed field `band0`…`band3` in the database). A query probes, in each band,
 * every value within a small radius of its own band value, and verifies each candidate with the full
 * Hamming distance, so results are exact.
 *
 * Why the probes find every match (pigeonhole). Let H(q, x) ≤ t, write t = m·r + a with r = ⌊t/m⌋ and
 * 0 ≤ a < m, and let dᵢ be the Hamming distance of band i. The bands are disjoint and cover all 64 bits,
 * so Σᵢ dᵢ = H(q, x) ≤ t.
 *   Simple bound: if every dᵢ ≥ r + 1 then Σ dᵢ ≥ m·r + m > m·r + a = t, a contradiction; so some band is
 *   within r = ⌊t/m⌋ bits, and probing every band at radius r finds x.
 *   Tighter bound (used here, from the same paper): if bands 0…a all had dᵢ ≥ r + 1 and bands a+1…m−1 all
 *   had dᵢ ≥ r, then Σ dᵢ ≥ (a+1)(r+1) + (m−a−1)·r = m·r + a + 1 = t + 1 > t, again a contradiction; so
 *   probing bands 0…a at radius r and the others at radius r − 1 (not at all when r = 0) still finds x,
 *   with far fewer probes: t = 8, m = 4 looks up 137 + 3 × 17 = 188 values instead of 4 × 137 = 548.
 * The property test in test/unit/services/crawl/multi-index-hash.test.ts checks this against a linear scan.
 *
 * Band i holds bits [64 − (i+1)·b, 64 − i·b) of the hash, b = 64/m: band 0 is the most significant.
 */

/** Bands a hash is cut into unless told otherwise. */
export const DEFAULT_BANDS = 4;
/** A single band's probe list is refused beyond this size: the radius is then too large for the band width. */
export const MAX_PROBES_PER_BAND = 1 << 20;

function bitsPerBand(m: number): number {
	if (!Number.isInteger(m) || m < 2 || m > 64 || 64 % m !== 0) {
		throw new RangeError(`the number of bands must divide 64 and be between 2 and 64, got ${m}`);
	}
	return 64 / m;
}

function checkThreshold(threshold: number): void {
	if (!Number.isInteger(threshold) || threshold < 0 || threshold > 64) {
		throw new RangeError(`a Hamming threshold is an integer between 0 and 64, got ${threshold}`);
	}
}

/** The field that stores band i in the database. */
export function bandField(index: number): string {
	return `band${index}`;
}

/** The m band values of a 64-bit hash, most significant band first. */
export function bandsOf(hash: bigint, m = DEFAULT_BANDS): number[] {
	const bits = bitsPerBand(m);
	const value = BigInt.asUintN(64, hash);
	const mask = (1n << BigInt(bits)) - 1n;
	const bands: number[] = [];
	for (let i = 0; i < m; i++) {
		bands.push(Number((value >> BigInt(64 - (i + 1) * bits)) & mask));
	}
	return bands;
}

function binomial(n: number, k: number): number {
	let result = 1;
	for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
	return Math.round(result);
}

/** How many values lie within `radius` bit flips of a `bits`-wide value: Σ_{k ≤ radius} C(bits, k). */
export function probeCount(radius: number, bits = 16): number {
	let count = 0;
	for (let k = 0; k <= Math.min(radius, bits); k++) count += binomial(bits, k);
	return count;
}

/**
 * Every value within `radius` bit flips of `band` (`bits` wide), the band itself first, then by increasing
 * distance; Σ_{k ≤ radius} C(bits, k) values, all distinct.
 */
export function bandProbes(band: number, radius: number, bits = 16): number[] {
	if (!Number.isInteger(bits) || bits < 1 || bits > 32) throw new RangeError(`a band is 1 to 32 bits wide, got ${bits}`);
	if (!Number.isInteger(band) || band < 0 || band >= 2 ** bits) throw new RangeError(`${band} is not a ${bits}-bit band value`);
	if (!Number.isInteger(radius) || radius < 0) throw new RangeError(`a probe radius is a non-negative integer, got ${radius}`);
	const reach = Math.min(radius, bits);
	if (probeCount(reach, bits) > MAX_PROBES_PER_BAND) {
		throw new RangeError(`radius ${radius} over ${bits}-bit bands needs more than ${MAX_PROBES_PER_BAND} probes; use more bands`);
	}
	const probes: number[] = [];
	// Flip every set of exactly k bit positions, k = 0…reach. `>>> 0` keeps 32-bit values unsigned.
	const flip = (from: number, left: number, mask: number): void => {
		if (left === 0) {
			probes.push((band ^ mask) >>> 0);
			return;
		}
		for (let position = from; position <= bits - left; position++) flip(position + 1, left - 1, mask | (1 << position));
	};
	for (let k = 0; k <= reach; k++) flip(0, k, 0);
	return probes;
}

/** The values one band is looked up with. */
export interface BandProbe {
	/** Band index, 0 = most significant. */
	band: number;
	/** Database field holding this band (`band0`…). */
	field: string;
	/** Bit flips probed around the query's own value in this band. */
	radius: number;
	values: number[];
}

/**
 * What to look up to find every stored hash within `threshold` bits of `hash` (see the proof above):
 * bands 0…(t mod m) at radius ⌊t/m⌋, the others at ⌊t/m⌋ − 1; bands with nothing to probe are left out.
 * A stored hash is a candidate when ANY band matches; candidates must then be verified with the full distance.
 */
export function probePlan(hash: bigint, threshold: number, m = DEFAULT_BANDS): BandProbe[] {
	checkThreshold(threshold);
	const bits = bitsPerBand(m);
	const radius = Math.floor(threshold / m);
	const widerBands = (threshold % m) + 1;
	const plan: BandProbe[] = [];
	bandsOf(hash, m).forEach((value, band) => {
		const bandRadius = band < widerBands ? radius : radius - 1;
		if (bandRadius < 0) return;
		plan.push({ band, field: bandField(band), radius: bandRadius, values: bandProbes(value, bandRadius, bits) });
	});
	return plan;
}

/** The candidate query over documents that store `band0`…: `{ $or: [{ band0: { $in: […] } }, …] }`. */
export function probeFilter(hash: bigint, threshold: number, m = DEFAULT_BANDS): { $or: Array<Record<string, { $in: number[] }>> } {
	return { $or: probePlan(hash, threshold, m).map((probe) => ({ [probe.field]: { $in: probe.values } })) };
}

/** A stored hash within the threshold, with its exact distance. */
export interface NearMatch {
	id: string;
	distance: number;
}

/** In-memory multi-index of 64-bit hashes: one map per band from band value to ids. */
export class MultiIndexHashIndex {
	private readonly tables: Array<Map<number, Set<string>>>;
	private readonly hashes = new Map<string, bigint>();

	constructor(readonly bands = DEFAULT_BANDS) {
		bitsPerBand(bands);
		this.tables = Array.from({ length: bands }, () => new Map<number, Set<string>>());
	}

	get size(): number {
		return this.hashes.size;
	}

	has(id: string): boolean {
		return this.hashes.has(id);
	}

	/** Stores (or replaces) the hash of `id`. */
	add(id: string, hash: bigint): void {
		this.remove(id);
		const value = BigInt.asUintN(64, hash);
		this.hashes.set(id, value);
		bandsOf(value, this.bands).forEach((band, index) => {
			const table = this.tables[index] as Map<number, Set<string>>;
			let ids = table.get(band);
			if (!ids) {
				ids = new Set();
				table.set(band, ids);
			}
			ids.add(id);
		});
	}

	/** Forgets `id`; false when it was not stored. */
	remove(id: string): boolean {
		const hash = this.hashes.get(id);
		if (hash === undefined) return false;
		this.hashes.delete(id);
		bandsOf(hash, this.bands).forEach((band, index) => {
			const table = this.tables[index] as Map<number, Set<string>>;
			const ids = table.get(band);
			ids?.delete(id);
			if (ids?.size === 0) table.delete(band);
		});
		return true;
	}

	/** Ids whose hash shares a probed band value with the query: a superset of the matches, never a full scan. */
	candidates(hash: bigint, threshold: number): Set<string> {
		const found = new Set<string>();
		for (const probe of probePlan(hash, threshold, this.bands)) {
			const table = this.tables[probe.band] as Map<number, Set<string>>;
			for (const value of probe.values) {
				const ids = table.get(value);
				if (ids) for (const id of ids) found.add(id);
			}
		}
		return found;
	}

	/** Every stored id within `threshold` bits of `hash`, nearest first (ties by id). */
	findWithin(hash: bigint, threshold: number): NearMatch[] {
		const matches: NearMatch[] = [];
		for (const id of this.candidates(hash, threshold)) {
			const distance = hammingDistance(hash, this.hashes.get(id) as bigint);
			if (distance <= threshold) matches.push({ id, distance });
		}
		return matches.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	}
}
