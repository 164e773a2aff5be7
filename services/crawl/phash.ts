import sharp, { type Sharp } from "sharp";

/**
 * 64-bit DCT perceptual hash (the pHash family): near copies of a picture — re-encoded, resized, slightly
 * brightened or recompressed — get hashes a few bits apart, different pictures about 32 bits apart.
 *
 * 1. The image is flattened on white, turned grey and squashed to 32×32 (aspect ratio ignored).
 * 2. A 2-D DCT-II of the 32×32 block; only the top-left 8×8 (lowest frequencies) is kept.
 * 3. The median of those 64 coefficients WITHOUT the DC term (the DC term is the mean brightness,
 *    far larger than the others, and would drag the median).
 * 4. Bit i (i = row × 8 + column, row = vertical frequency, bit 63 is (0,0)) is coefficient > median.
 *    The DC bit is therefore almost always 1; it is kept so that the hash is 64 bits wide.
 *
 * The DCT is left unnormalised (no √(2/N) or 1/√2 factors, as scipy's default): the bits compare
 * coefficients with each other, and a uniform scale changes nothing.
 */

/** Side of the grey square the hash is computed from. */
export const HASH_INPUT_SIZE = 32;
/** Side of the low-frequency block that becomes the 64 bits. */
const BLOCK = 8;

/** 32×32 grey pixels, one byte each, row by row: what validation already has after its one decode. */
export interface GreyPixels {
	data: Uint8Array;
	width: typeof HASH_INPUT_SIZE;
	height: typeof HASH_INPUT_SIZE;
}

/** cos((2x + 1)uπ / 2N) for u < 8, x < 32, computed once. */
const COSINES: Float64Array = (() => {
	const table = new Float64Array(BLOCK * HASH_INPUT_SIZE);
	for (let u = 0; u < BLOCK; u++) {
		for (let x = 0; x < HASH_INPUT_SIZE; x++) {
			table[u * HASH_INPUT_SIZE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_INPUT_SIZE));
		}
	}
	return table;
})();

/**
 * The sharp pipeline that turns any decodable image into hash input. Validation applies the same steps
 * (orientation, flatten, grey, 32×32 fill) so that a hash does not depend on the validation level.
 */
export function toHashInput(pipeline: Sharp): Sharp {
	return pipeline
		.flatten({ background: "#ffffff" })
		.greyscale()
		.resize(HASH_INPUT_SIZE, HASH_INPUT_SIZE, { fit: "fill" })
		.raw({ depth: "uchar" });
}

/** Hash of 32×32 grey pixels (1024 bytes, row by row); synchronous, no decoding. */
export function perceptualHashFromPixels(pixels: Uint8Array): bigint {
	const n = HASH_INPUT_SIZE;
	if (pixels.length !== n * n) {
		throw new RangeError(`expected ${n}×${n} = ${n * n} grey pixels, got ${pixels.length} bytes`);
	}
	// Separable DCT, low frequencies only: first along each row (horizontal frequency v < 8)…
	const rows = new Float64Array(n * BLOCK);
	for (let y = 0; y < n; y++) {
		for (let v = 0; v < BLOCK; v++) {
			let sum = 0;
			for (let x = 0; x < n; x++) sum += (pixels[y * n + x] as number) * (COSINES[v * n + x] as number);
			rows[y * BLOCK + v] = sum;
		}
	}
	// …then down each of those 8 columns (vertical frequency u < 8).
	const block = new Float64Array(BLOCK * BLOCK);
	for (let u = 0; u < BLOCK; u++) {
		for (let v = 0; v < BLOCK; v++) {
			let sum = 0;
			for (let y = 0; y < n; y++) sum += (rows[y * BLOCK + v] as number) * (COSINES[u * n + y] as number);
			block[u * BLOCK + v] = sum;
		}
	}
	// 63 AC coefficients: the median is the 32nd smallest, exactly one of them.
	const ac = Array.from(block.subarray(1)).sort((a, b) => a - b);
	const median = ac[(ac.length - 1) / 2] as number;
	let hash = 0n;
	for (let i = 0; i < BLOCK * BLOCK; i++) {
		hash = (hash << 1n) | ((block[i] as number) > median ? 1n : 0n);
	}
	return hash;
}

function isGreyPixels(image: Buffer | GreyPixels): image is GreyPixels {
	return !Buffer.isBuffer(image) && typeof image === "object" && image !== null && "data" in image;
}

/**
 * Hash of an encoded image (any format sharp decodes; EXIF orientation applied) or of 32×32 grey pixels.
 * For untrusted bytes, validate them first: this function decodes without a pixel limit of its own.
 */
export async function perceptualHash(image: Buffer | GreyPixels): Promise<bigint> {
	if (isGreyPixels(image)) {
		if (image.width !== HASH_INPUT_SIZE || image.height !== HASH_INPUT_SIZE) {
			throw new RangeError(`expected ${HASH_INPUT_SIZE}×${HASH_INPUT_SIZE} pixels, got ${image.width}×${image.height}`);
		}
		return perceptualHashFromPixels(image.data);
	}
	const pixels = await toHashInput(sharp(image, { autoOrient: true })).toBuffer();
	return perceptualHashFromPixels(pixels);
}

export { fromHex, hammingDistance, toHex } from "../../lib/hash-bits";
