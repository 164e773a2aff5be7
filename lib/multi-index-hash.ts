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
 * The property tests in test/unit/lib/multi-index-hash.test.ts check this against a linear scan.
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

/** XOR masks of every value within `radius` bits of a `bits`-wide band (bandProbes around 0), built once each. */
const probeMasks = new Map<number, Int32Array>();

function masksFor(radius: number, bits: number): Int32Array {
	const key = bits * 65 + radius;
	let masks = probeMasks.get(key);
	if (!masks) {
		masks = Int32Array.from(bandProbes(0, radius, bits));
		probeMasks.set(key, masks);
	}
	return masks;
}

/** Band tables up to this width are arrays indexed by band value; wider ones (32 bits) go through a map. */
const DIRECT_BITS = 16;

/** Words per bucket entry: the 32-bit half of the hash that does not hold the band, then the slot. */
const ENTRY = 2;

/**
 * One band's buckets. A bucket's entries lie next to each other in one Int32Array pool, so a probe reads one
 * short run of memory, and each entry carries the half of its hash that the band is not part of: two random
 * hashes are within 8 bits on that half alone with probability 0.35 %, so nearly every candidate is rejected
 * without reading anything else. (Measured at 1 M hashes on a busy 2-core machine: slots alone took 53 bytes
 * per hash and ~0.14 ms per lookup, each candidate a random read; the whole hash inline, 120 bytes and
 * ~0.055 ms; this layout, 86 bytes and ~0.05 ms.)
 * A bucket's chunk holds a power of two of entries; a full chunk moves to one twice its size and the old one
 * goes on a free list for the next bucket that needs that size.
 */
class BandTable {
	/** Bucket → first word of its chunk in `pool`. */
	offset: Int32Array;
	/** Bucket → entries stored. */
	length: Int32Array;
	/** Bucket → 0 when it has no chunk, else log2(chunk entries) + 1. */
	sizeClass: Uint8Array;
	pool = new Int32Array(ENTRY * 512);
	private poolUsed = 0;
	private readonly freeChunks: number[][] = [];
	/** Band value → bucket, for bands too wide for a direct array. */
	readonly buckets: Map<number, number> | null;

	constructor(bits: number) {
		const count = bits <= DIRECT_BITS ? 2 ** bits : 1024;
		this.buckets = bits <= DIRECT_BITS ? null : new Map();
		this.offset = new Int32Array(count);
		this.length = new Int32Array(count);
		this.sizeClass = new Uint8Array(count);
	}

	/** The bucket of a band value; with `create`, a wide band's new value gets one. −1 when there is none. */
	bucketOf(value: number, create: boolean): number {
		if (this.buckets === null) return value;
		const existing = this.buckets.get(value);
		if (existing !== undefined || !create) return existing ?? -1;
		const bucket = this.buckets.size;
		if (bucket === this.length.length) {
			this.offset = grow(this.offset, bucket * 2);
			this.length = grow(this.length, bucket * 2);
			this.sizeClass = grow(this.sizeClass, bucket * 2);
		}
		this.buckets.set(value, bucket);
		return bucket;
	}

	insert(value: number, otherHalf: number, slot: number): void {
		const bucket = this.bucketOf(value, true);
		const length = this.length[bucket] as number;
		const sizeClass = this.sizeClass[bucket] as number;
		if (sizeClass === 0 || length === 1 << (sizeClass - 1)) {
			const chunk = this.allocate(sizeClass + 1);
			if (sizeClass !== 0) {
				const from = this.offset[bucket] as number;
				this.pool.copyWithin(chunk, from, from + length * ENTRY);
				this.release(sizeClass, from);
			}
			this.offset[bucket] = chunk;
			this.sizeClass[bucket] = sizeClass + 1;
		}
		const at = (this.offset[bucket] as number) + length * ENTRY;
		this.pool[at] = otherHalf;
		this.pool[at + 1] = slot;
		this.length[bucket] = length + 1;
	}

	delete(value: number, slot: number): void {
		const bucket = this.bucketOf(value, false);
		if (bucket < 0) return;
		const start = this.offset[bucket] as number;
		const last = start + ((this.length[bucket] as number) - 1) * ENTRY;
		for (let at = start; at <= last; at += ENTRY) {
			if (this.pool[at + 1] !== slot) continue;
			// the last entry takes its place: order within a bucket does not matter
			this.pool.copyWithin(at, last, last + ENTRY);
			this.length[bucket] = (this.length[bucket] as number) - 1;
			if (this.length[bucket] === 0) {
				this.release(this.sizeClass[bucket] as number, start);
				this.sizeClass[bucket] = 0;
			}
			return;
		}
	}

	private allocate(sizeClass: number): number {
		const reused = this.freeChunks[sizeClass]?.pop();
		if (reused !== undefined) return reused;
		const chunk = this.poolUsed;
		this.poolUsed += (1 << (sizeClass - 1)) * ENTRY;
		if (this.poolUsed > this.pool.length) this.pool = grow(this.pool, Math.max(this.pool.length * 2, this.poolUsed));
		return chunk;
	}

	private release(sizeClass: number, chunk: number): void {
		let list = this.freeChunks[sizeClass];
		if (!list) {
			list = [];
			this.freeChunks[sizeClass] = list;
		}
		list.push(chunk);
	}
}

function grow<T extends Int32Array | Uint8Array>(array: T, length: number): T {
	const larger = new (array.constructor as new (length: number) => T)(length);
	larger.set(array);
	return larger;
}

/**
 * In-memory multi-index of 64-bit hashes. Ids are mapped to integer slots, hashes kept as two 32-bit halves
 * per slot; each band is a table of buckets of slots in typed arrays. A lookup XORs precomputed probe masks
 * into the query's band values and verifies each candidate with two 32-bit popcounts: no BigInt, string or
 * allocation per candidate. Measured by bench/dedup-index.bench.ts at 1 M hashes, threshold 8: the earlier
 * Map<number, Set<string>> version took 3.1 ms per lookup, no better than a linear scan, its time going to
 * string-keyed map reads, Set building and BigInt distances for ~2,900 candidates; see bench/RESULTS.md.
 */
export class MultiIndexHashIndex {
	private readonly bits: number;
	private readonly tables: BandTable[];
	private readonly slotOf = new Map<string, number>();
	private ids: Array<string | undefined> = [];
	private readonly freeSlots: number[] = [];
	/** Slot → high and low 32 bits of its hash. */
	private hashes = new Int32Array(2 * 1024);
	/** Slot → the last lookup that reported it, so a hash found through two bands is reported once. */
	private seen = new Int32Array(1024);
	private lookup = 0;

	constructor(readonly bands = DEFAULT_BANDS) {
		this.bits = bitsPerBand(bands);
		this.tables = Array.from({ length: bands }, () => new BandTable(this.bits));
	}

	get size(): number {
		return this.slotOf.size;
	}

	has(id: string): boolean {
		return this.slotOf.has(id);
	}

	/** Band `band` of the hash whose high and low halves are given (band 0 = the most significant bits). */
	private bandValue(high: number, low: number, band: number): number {
		const shift = 64 - (band + 1) * this.bits;
		const value = (shift >= 32 ? high : low) >>> (shift % 32);
		return this.bits === 32 ? value : value & ((1 << this.bits) - 1);
	}

	/** Whether band `band` lies in the high 32 bits of the hash. */
	private inHighHalf(band: number): boolean {
		return 64 - (band + 1) * this.bits >= 32;
	}

	/** Stores (or replaces) the hash of `id`. */
	add(id: string, hash: bigint): void {
		this.remove(id);
		const value = BigInt.asUintN(64, hash);
		const high = Number(value >> 32n) | 0;
		const low = Number(value & 0xffffffffn) | 0;
		let slot = this.freeSlots.pop();
		if (slot === undefined) {
			slot = this.ids.length;
			this.ids.push(undefined);
			if (slot === this.seen.length) {
				this.seen = grow(this.seen, slot * 2);
				this.hashes = grow(this.hashes, slot * 4);
			}
		}
		this.ids[slot] = id;
		this.slotOf.set(id, slot);
		this.hashes[2 * slot] = high;
		this.hashes[2 * slot + 1] = low;
		for (let band = 0; band < this.bands; band++) {
			(this.tables[band] as BandTable).insert(this.bandValue(high, low, band), this.inHighHalf(band) ? low : high, slot);
		}
	}

	/** Forgets `id`; false when it was not stored. */
	remove(id: string): boolean {
		const slot = this.slotOf.get(id);
		if (slot === undefined) return false;
		const high = this.hashes[2 * slot] as number;
		const low = this.hashes[2 * slot + 1] as number;
		for (let band = 0; band < this.bands; band++) (this.tables[band] as BandTable).delete(this.bandValue(high, low, band), slot);
		this.slotOf.delete(id);
		this.ids[slot] = undefined;
		this.freeSlots.push(slot);
		return true;
	}

	/**
	 * Calls `visit(stored, query, slot, other)` for every entry of every probed bucket (see probePlan for the
	 * radii), with the entry's other half (`stored`), the query's (`query`) and the index of that half in a
	 * slot's pair (`other`: 0 high, 1 low); a slot may be visited once per band it matches in.
	 */
	private probe(hash: bigint, threshold: number, visit: (stored: number, query: number, slot: number, other: number) => void): void {
		checkThreshold(threshold);
		const value = BigInt.asUintN(64, hash);
		const high = Number(value >> 32n) | 0;
		const low = Number(value & 0xffffffffn) | 0;
		const radius = Math.floor(threshold / this.bands);
		const widerBands = (threshold % this.bands) + 1;
		for (let band = 0; band < this.bands; band++) {
			const bandRadius = band < widerBands ? radius : radius - 1;
			if (bandRadius < 0) continue;
			const table = this.tables[band] as BandTable;
			const masks = masksFor(bandRadius, this.bits);
			const own = this.bandValue(high, low, band);
			const other = this.inHighHalf(band) ? 1 : 0;
			const query = other === 1 ? low : high;
			for (let m = 0; m < masks.length; m++) {
				const bucket = table.bucketOf(table.buckets === null ? own ^ (masks[m] as number) : (own ^ (masks[m] as number)) >>> 0, false);
				if (bucket < 0) continue;
				const { pool } = table;
				const start = table.offset[bucket] as number;
				const end = start + (table.length[bucket] as number) * ENTRY;
				for (let at = start; at < end; at += ENTRY) visit(pool[at] as number, query, pool[at + 1] as number, other);
			}
		}
	}

	/** Ids whose hash shares a probed band value with the query: a superset of the matches, never a full scan. */
	candidates(hash: bigint, threshold: number): Set<string> {
		const found = new Set<string>();
		this.probe(hash, threshold, (_stored, _query, slot) => found.add(this.ids[slot] as string));
		return found;
	}

	/** Every stored id within `threshold` bits of `hash`, nearest first (ties by id). */
	findWithin(hash: bigint, threshold: number): NearMatch[] {
		const value = BigInt.asUintN(64, hash);
		const queryHalves = [Number(value >> 32n) | 0, Number(value & 0xffffffffn) | 0];
		if (this.lookup === 0x7fffffff) {
			this.seen.fill(0);
			this.lookup = 0;
		}
		const lookup = ++this.lookup;
		const { seen, hashes } = this;
		const matches: NearMatch[] = [];
		this.probe(hash, threshold, (stored, query, slot, other) => {
			// SWAR popcount written out: this runs once per candidate (~2,900 per lookup at 1 M hashes)
			let x = stored ^ query;
			x -= (x >>> 1) & 0x55555555;
			x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
			const otherDistance = Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
			if (otherDistance > threshold) return;
			// the band's own half, read from the slot only for the few candidates that get this far
			const own = 1 - other;
			let y = (hashes[2 * slot + own] as number) ^ (queryHalves[own] as number);
			y -= (y >>> 1) & 0x55555555;
			y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
			const distance = otherDistance + (Math.imul((y + (y >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
			if (distance > threshold || seen[slot] === lookup) return;
			seen[slot] = lookup;
			matches.push({ id: this.ids[slot] as string, distance });
		});
		return matches.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	}
}
