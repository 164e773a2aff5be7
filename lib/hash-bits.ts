/** 64-bit hash helpers shared by the crawler (perceptual hashes) and the dataset service (near-duplicate lookup). */
const MASK_32 = 0xffffffffn;

function popcount32(value: number): number {
	let v = value - ((value >>> 1) & 0x55555555);
	v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
	return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 64-bit hashes. */
export function hammingDistance(a: bigint, b: bigint): number {
	const x = BigInt.asUintN(64, a ^ b);
	return popcount32(Number(x & MASK_32)) + popcount32(Number(x >> 32n));
}

/** 16 lowercase hex characters, zero-padded. */
export function toHex(hash: bigint): string {
	if (hash < 0n || hash > 0xffffffffffffffffn) throw new RangeError("a perceptual hash is an unsigned 64-bit integer");
	return hash.toString(16).padStart(16, "0");
}

const HEX_64 = /^[0-9a-f]{16}$/i;

/** Inverse of toHex; refuses anything but exactly 16 hex characters. */
export function fromHex(hex: string): bigint {
	if (!HEX_64.test(hex)) throw new RangeError(`a perceptual hash is 16 hex characters, got ${JSON.stringify(hex)}`);
	return BigInt(`0x${hex}`);
}
