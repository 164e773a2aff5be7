import fc from "fast-check";
import sharp from "sharp";
import {
	fromHex,
	HASH_INPUT_SIZE,
	hammingDistance,
	perceptualHash,
	perceptualHashFromPixels,
	toHashInput,
	toHex,
} from "../../../../services/crawl/phash";

/** A picture with structure at several scales, drawn by sharp from SVG; `variant` moves its shapes. */
function scene(variant: number, width = 640, height = 480): Promise<Buffer> {
	const shapes =
		variant === 0
			? `<circle cx="200" cy="180" r="110" fill="#e4572e"/><rect x="380" y="260" width="200" height="160" fill="#29335c"/>
			   <polygon points="60,440 220,300 300,460" fill="#f3a712"/>`
			: variant === 1
				? `<rect x="40" y="40" width="260" height="120" fill="#29335c"/><circle cx="480" cy="330" r="120" fill="#e4572e"/>
				   <polygon points="100,460 340,200 420,460" fill="#669bbc"/>`
				: `<circle cx="320" cy="240" r="200" fill="#111"/><circle cx="320" cy="240" r="120" fill="#fff"/>
				   <rect x="0" y="0" width="120" height="480" fill="#6a994e"/>`;
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
		<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#a8dadc"/><stop offset="1" stop-color="#1d3557"/></linearGradient></defs>
		<rect width="640" height="480" fill="url(#g)"/>${shapes}</svg>`;
	return sharp(Buffer.from(svg)).resize(width, height, { fit: "fill" }).png().toBuffer();
}

function noise(width: number, height: number, seed: number): Promise<Buffer> {
	const pixels = Buffer.alloc(width * height * 3);
	let state = seed;
	for (let i = 0; i < pixels.length; i++) {
		state = (state * 1_103_515_245 + 12_345) >>> 0;
		pixels[i] = state >>> 24;
	}
	return sharp(pixels, { raw: { width, height, channels: 3 } })
		.png()
		.toBuffer();
}

/** Textbook definition, O(n⁴): full 32×32 DCT-II, then the 8×8 corner, median without DC, bit = coefficient > median. */
function referenceHash(pixels: Uint8Array): bigint {
	const n = 32;
	const coefficient = (u: number, v: number) => {
		let sum = 0;
		for (let y = 0; y < n; y++) {
			for (let x = 0; x < n; x++) {
				sum +=
					(pixels[y * n + x] as number) * Math.cos(((2 * y + 1) * u * Math.PI) / (2 * n)) * Math.cos(((2 * x + 1) * v * Math.PI) / (2 * n));
			}
		}
		return sum;
	};
	const block: number[] = [];
	for (let u = 0; u < 8; u++) for (let v = 0; v < 8; v++) block.push(coefficient(u, v));
	const sorted = block.slice(1).sort((a, b) => a - b);
	const median = sorted[31] as number;
	return block.reduce((hash, value) => (hash << 1n) | (value > median ? 1n : 0n), 0n);
}

const popcount = (value: bigint) => [...value.toString(2)].filter((bit) => bit === "1").length;
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });

describe("perceptualHashFromPixels", () => {
	it("matches the textbook 2-D DCT-II definition", () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1024, maxLength: 1024 }), (pixels) => {
				expect(perceptualHashFromPixels(pixels)).toBe(referenceHash(pixels));
			}),
			{ numRuns: 10 },
		);
	});

	it("refuses anything but 32×32 bytes", () => {
		expect(() => perceptualHashFromPixels(new Uint8Array(1000))).toThrow(RangeError);
	});
});

describe("perceptualHash", () => {
	it("gives the same hash for an encoded image and for its 32×32 grey pixels", async () => {
		const image = await scene(0);
		const pixels = await toHashInput(sharp(image, { autoOrient: true })).toBuffer();
		expect(pixels.length).toBe(HASH_INPUT_SIZE * HASH_INPUT_SIZE);
		const fromPixels = await perceptualHash({ data: pixels, width: HASH_INPUT_SIZE, height: HASH_INPUT_SIZE });
		expect(await perceptualHash(image)).toBe(fromPixels);
	});

	it("refuses grey pixels of another size", async () => {
		await expect(perceptualHash({ data: new Uint8Array(256), width: 16, height: 16 } as never)).rejects.toThrow(RangeError);
	});

	it("keeps re-encoded, resized and slightly brightened copies within 8 bits", async () => {
		const original = await scene(0);
		const hash = await perceptualHash(original);
		const copies = await Promise.all([
			sharp(original).jpeg({ quality: 60 }).toBuffer(),
			sharp(original).webp({ quality: 50 }).toBuffer(),
			sharp(original).resize(320, 240).toBuffer(),
			sharp(original).resize(1024, 768).jpeg({ quality: 80 }).toBuffer(),
			sharp(original).modulate({ brightness: 1.1 }).toBuffer(),
			sharp(original).blur(1.5).toBuffer(),
		]);
		for (const copy of copies) expect(hammingDistance(hash, await perceptualHash(copy))).toBeLessThanOrEqual(8);
	});

	it("ignores EXIF orientation once applied: a rotated copy stored with its orientation tag hashes alike", async () => {
		const original = await scene(1);
		const storedSideways = await sharp(original).rotate(-90).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
		expect(hammingDistance(await perceptualHash(original), await perceptualHash(storedSideways))).toBeLessThanOrEqual(8);
	});

	it("puts different pictures far apart", async () => {
		const hashes = await Promise.all(
			[scene(0), scene(1), scene(2), noise(400, 300, 1), noise(400, 300, 2)].map((image) => image.then(perceptualHash)),
		);
		for (let i = 0; i < hashes.length; i++) {
			for (let j = i + 1; j < hashes.length; j++) expect(hammingDistance(hashes[i] as bigint, hashes[j] as bigint)).toBeGreaterThan(16);
		}
	});
});

describe("hammingDistance", () => {
	it("counts differing bits", () => {
		expect(hammingDistance(0n, 0n)).toBe(0);
		expect(hammingDistance(0n, 0xffffffffffffffffn)).toBe(64);
		expect(hammingDistance(0x8000000000000001n, 1n)).toBe(1);
		fc.assert(fc.property(uint64, uint64, (a, b) => expect(hammingDistance(a, b)).toBe(popcount(a ^ b))));
	});
});

describe("toHex and fromHex", () => {
	it("write 16 zero-padded lowercase hex characters and read them back", () => {
		expect(toHex(1n)).toBe("0000000000000001");
		expect(toHex(0xabcdef0123456789n)).toBe("abcdef0123456789");
		expect(fromHex("ABCDEF0123456789")).toBe(0xabcdef0123456789n);
		fc.assert(
			fc.property(uint64, (hash) => {
				const hex = toHex(hash);
				expect(hex).toMatch(/^[0-9a-f]{16}$/);
				expect(fromHex(hex)).toBe(hash);
			}),
		);
	});

	it("refuse values that are not 64-bit hashes", () => {
		expect(() => toHex(-1n)).toThrow(RangeError);
		expect(() => toHex(2n ** 64n)).toThrow(RangeError);
		for (const bad of ["", "123", "0x00000000000001", "zz00000000000000", "00000000000000000"])
			expect(() => fromHex(bad)).toThrow(RangeError);
	});
});
