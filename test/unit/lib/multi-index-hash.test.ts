import fc from "fast-check";
import { hammingDistance } from "../../../lib/hash-bits";
import {
	bandProbes,
	bandsOf,
	MAX_PROBES_PER_BAND,
	MultiIndexHashIndex,
	probeCount,
	probeFilter,
	probePlan,
} from "../../../lib/multi-index-hash";

const binomial = (n: number, k: number): number => (k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k);
const sumOfBinomials = (n: number, r: number) =>
	Array.from({ length: Math.min(r, n) + 1 }, (_, k) => binomial(n, k)).reduce((a, b) => a + b, 0);
const bitCount = (value: number) => [...(value >>> 0).toString(2)].filter((bit) => bit === "1").length;
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

/** Flips the given bit positions of a 64-bit hash. */
const flip = (hash: bigint, positions: number[]) => positions.reduce((value, position) => value ^ (1n << BigInt(position)), hash);

describe("bandsOf", () => {
	it("cuts a hash into bands, most significant first", () => {
		expect(bandsOf(0x0123456789abcdefn)).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef]);
		expect(bandsOf(0x0123456789abcdefn, 8)).toEqual([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
		expect(bandsOf(0xffffffffffffffffn, 2)).toEqual([0xffffffff, 0xffffffff]);
	});

	it("loses no bit: the bands put back together are the hash", () => {
		fc.assert(
			fc.property(uint64, fc.constantFrom(2, 4, 8, 16), (hash, m) => {
				const bits = BigInt(64 / m);
				expect(bandsOf(hash, m).reduce((value, band) => (value << bits) | BigInt(band), 0n)).toBe(hash);
			}),
		);
	});

	it("refuses band counts that do not divide 64", () => {
		for (const m of [0, 1, 3, 5, 128, 2.5]) expect(() => bandsOf(0n, m)).toThrow(RangeError);
	});
});

describe("bandProbes", () => {
	it("lists Σ C(bits, k ≤ radius) distinct values, each within the radius, the band itself first", () => {
		for (const [bits, radii] of [
			[16, [0, 1, 2, 3, 4]],
			[8, [0, 1, 2, 5, 8, 9]],
			[4, [0, 2, 4]],
		] as const) {
			for (const radius of radii) {
				const band = 0xa5a5 & (2 ** bits - 1);
				const probes = bandProbes(band, radius, bits);
				expect(probes.length).toBe(sumOfBinomials(bits, radius));
				expect(probeCount(radius, bits)).toBe(probes.length);
				expect(new Set(probes).size).toBe(probes.length);
				expect(probes[0]).toBe(band);
				for (const probe of probes) {
					expect(probe).toBeLessThan(2 ** bits);
					expect(bitCount(probe ^ band)).toBeLessThanOrEqual(radius);
				}
				// Ordered by distance.
				const distances = probes.map((probe) => bitCount(probe ^ band));
				expect(distances).toEqual([...distances].sort((a, b) => a - b));
			}
		}
	});

	it("keeps 32-bit values unsigned", () => {
		const probes = bandProbes(0xffffffff, 1, 32);
		expect(probes).toHaveLength(33);
		for (const probe of probes) expect(probe).toBeGreaterThanOrEqual(0);
		expect(probes).toContain(0x7fffffff);
	});

	it("refuses bad arguments and radii that would explode", () => {
		expect(() => bandProbes(-1, 1)).toThrow(RangeError);
		expect(() => bandProbes(65536, 1)).toThrow(RangeError);
		expect(() => bandProbes(1, -1)).toThrow(RangeError);
		expect(() => bandProbes(1, 1, 33)).toThrow(RangeError);
		expect(probeCount(12, 32)).toBeGreaterThan(MAX_PROBES_PER_BAND);
		expect(() => bandProbes(1, 12, 32)).toThrow(/more bands/);
	});
});

describe("probePlan", () => {
	it("probes ⌊t/m⌋ bits in the first (t mod m) + 1 bands and one bit less in the others", () => {
		const hash = 0x0123456789abcdefn;
		expect(probePlan(hash, 8).map((probe) => [probe.field, probe.radius, probe.values.length])).toEqual([
			["band0", 2, 137],
			["band1", 1, 17],
			["band2", 1, 17],
			["band3", 1, 17],
		]);
		expect(probePlan(hash, 2).map((probe) => [probe.field, probe.radius, probe.values])).toEqual([
			["band0", 0, [0x0123]],
			["band1", 0, [0x4567]],
			["band2", 0, [0x89ab]],
		]);
		expect(probePlan(hash, 0).map((probe) => probe.values)).toEqual([[0x0123]]);
		expect(probePlan(hash, 11).map((probe) => probe.radius)).toEqual([2, 2, 2, 2]);
	});

	it("builds the database filter from the same plan", () => {
		const filter = probeFilter(0x0123456789abcdefn, 2);
		expect(filter).toEqual({ $or: [{ band0: { $in: [0x0123] } }, { band1: { $in: [0x4567] } }, { band2: { $in: [0x89ab] } }] });
	});

	it("refuses thresholds outside 0…64", () => {
		for (const threshold of [-1, 65, 1.5, Number.NaN]) expect(() => probePlan(0n, threshold)).toThrow(RangeError);
	});

	it("never misses a hash within the threshold (pigeonhole), for any hash, flips and threshold", () => {
		fc.assert(
			fc.property(
				uint64,
				fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 16 }),
				fc.constantFrom(2, 4, 8),
				(query, positions, m) => {
					const stored = flip(query, positions);
					const threshold = positions.length;
					if (m === 2 && threshold > 7) return; // 32-bit bands beyond radius 3 are refused by design.
					const storedBands = bandsOf(stored, m);
					const hit = probePlan(query, threshold, m).some((probe) => probe.values.includes(storedBands[probe.band] as number));
					expect(hit).toBe(true);
				},
			),
			{ numRuns: 300 },
		);
	});
});

describe("MultiIndexHashIndex", () => {
	it("finds exactly what a linear scan finds, for random hashes and thresholds 0…16", () => {
		fc.assert(
			fc.property(
				uint64,
				fc.array(fc.oneof(uint64, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 20 })), { maxLength: 60 }),
				fc.integer({ min: 0, max: 16 }),
				fc.constantFrom(4, 8),
				(query, entries, threshold, m) => {
					const index = new MultiIndexHashIndex(m);
					const stored = new Map<string, bigint>();
					entries.forEach((entry, i) => {
						// Half random hashes, half near copies of the query so that matches actually occur.
						const hash = typeof entry === "bigint" ? entry : flip(query, entry);
						index.add(`id${i}`, hash);
						stored.set(`id${i}`, hash);
					});
					const scan = [...stored]
						.map(([id, hash]) => ({ id, distance: hammingDistance(query, hash) }))
						.filter((match) => match.distance <= threshold)
						.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
					expect(index.findWithin(query, threshold)).toEqual(scan);
				},
			),
			{ numRuns: 200 },
		);
	});

	it("finds exactly what a linear scan finds with 32-bit bands (kept in maps, not arrays)", () => {
		fc.assert(
			fc.property(
				uint64,
				fc.array(fc.oneof(uint64, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: 10 })), { maxLength: 40 }),
				fc.integer({ min: 0, max: 7 }),
				(query, entries, threshold) => {
					const index = new MultiIndexHashIndex(2);
					const stored = entries.map((entry) => (typeof entry === "bigint" ? entry : flip(query, entry)));
					for (const [i, hash] of stored.entries()) index.add(`id${i}`, hash);
					const scan = stored
						.map((hash, i) => ({ id: `id${i}`, distance: hammingDistance(query, hash) }))
						.filter((match) => match.distance <= threshold)
						.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
					expect(index.findWithin(query, threshold)).toEqual(scan);
				},
			),
			{ numRuns: 100 },
		);
	});

	it("reports a hash matched through several bands once", () => {
		const index = new MultiIndexHashIndex();
		index.add("same", 0x0123456789abcdefn);
		index.add("near", flip(0x0123456789abcdefn, [63]));
		expect(index.findWithin(0x0123456789abcdefn, 8)).toEqual([
			{ id: "same", distance: 0 },
			{ id: "near", distance: 1 },
		]);
	});

	it("stays exact while crowded buckets grow, shrink and are reused", () => {
		// every hash shares its top 16 bits (band 0) with the query, so one bucket holds them all
		const query = 0xabcd000000000000n;
		const index = new MultiIndexHashIndex();
		const stored = new Map<string, bigint>();
		const put = (id: string, hash: bigint) => {
			index.add(id, hash);
			stored.set(id, hash);
		};
		const check = () => {
			const scan = [...stored]
				.map(([id, hash]) => ({ id, distance: hammingDistance(query, hash) }))
				.filter((match) => match.distance <= 8)
				.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : 1));
			expect(index.findWithin(query, 8)).toEqual(scan);
			expect(index.size).toBe(stored.size);
		};
		for (let i = 0; i < 300; i++) put(`h${i}`, query | (BigInt(i * 2654435761) % (1n << 48n)));
		check();
		for (let i = 0; i < 300; i += 2) {
			expect(index.remove(`h${i}`)).toBe(true);
			stored.delete(`h${i}`);
		}
		check();
		// freed slots and chunks are taken again, and a re-added id moves to its new hash
		for (let i = 0; i < 100; i++) put(`again${i}`, flip(query, [i % 24, 24 + ((i * 7) % 24)]));
		put("h1", query);
		check();
		expect(index.findWithin(query, 0)).toEqual([{ id: "h1", distance: 0 }]);
	});

	it("looks at candidates sharing a band only, not at every stored hash", () => {
		const index = new MultiIndexHashIndex();
		for (let i = 0; i < 1000; i++) index.add(`far${i}`, BigInt(i) * 0x9e3779b97f4a7c15n);
		index.add("near", flip(0x0123456789abcdefn, [0, 20, 40]));
		const candidates = index.candidates(0x0123456789abcdefn, 8);
		expect(candidates.has("near")).toBe(true);
		expect(candidates.size).toBeLessThan(10);
		expect(index.findWithin(0x0123456789abcdefn, 8)).toEqual([{ id: "near", distance: 3 }]);
	});

	it("replaces a re-added id and forgets a removed one", () => {
		const index = new MultiIndexHashIndex();
		index.add("a", 0n);
		index.add("b", 3n);
		index.add("a", 0xffffn);
		expect(index.size).toBe(2);
		expect(index.findWithin(0n, 2)).toEqual([{ id: "b", distance: 2 }]);
		expect(index.remove("b")).toBe(true);
		expect(index.remove("b")).toBe(false);
		expect(index.has("b")).toBe(false);
		expect(index.findWithin(0n, 16)).toEqual([{ id: "a", distance: 16 }]);
		expect(index.remove("a")).toBe(true);
		expect(index.size).toBe(0);
		expect(index.findWithin(0n, 64)).toEqual([]);
	});
});
