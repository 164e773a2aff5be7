/**
 * Seeded synthetic pictures for the fixture web and the benchmarks: the same pixels on every machine.
 *
 * xorshift32 is a small seeded PRNG. The drawing loops avoid `Math.*` calls: inside jest's module
 * sandbox each one costs about half a microsecond, which made one drawing take a second.
 */
export function random(seed: number): () => number {
	let state = seed >>> 0 || 0x9e3779b9;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 4294967296;
	};
}

/** How busy a drawing is: how many shapes, how large (a fraction of each side), and how much noise. */
export interface DrawingStyle {
	minShapes: number;
	/** Shapes drawn: minShapes plus 0 … extraShapes − 1. */
	extraShapes: number;
	minSide: number;
	sideSpread: number;
	/** Per-channel noise of ± this much. */
	noise: number;
}

/**
 * Raw RGB pixels: a gradient at a random angle between two colours, large rectangles and ellipses, and
 * per-pixel noise. Large shapes make the low frequencies (which perceptual hashes keep) differ from one
 * seed to the next; noise brings the JPEG's entropy-coded data closer to a photograph's.
 */
export function drawPixels(seed: number, width: number, height: number, style: DrawingStyle): Buffer {
	const bytes = Buffer.alloc(width * height * 3);
	// Writes through a clamped view saturate at 0 and 255 by themselves.
	const pixels = new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length);
	const next = random(seed);
	// Warm the generator up: nearby seeds start from nearby states.
	for (let round = 0; round < 8; round++) next();
	const colour = () => [(next() * 256) | 0, (next() * 256) | 0, (next() * 256) | 0];
	const from = colour();
	const to = colour();
	const angle = next() * Math.PI * 2;
	const dx = Math.cos(angle);
	const dy = Math.sin(angle);
	const span = Math.abs(dx) * width + Math.abs(dy) * height;
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			const t = ((x - width / 2) * dx + (y - height / 2) * dy) / span + 0.5;
			const at = (y * width + x) * 3;
			pixels[at] = from[0] + (to[0] - from[0]) * t;
			pixels[at + 1] = from[1] + (to[1] - from[1]) * t;
			pixels[at + 2] = from[2] + (to[2] - from[2]) * t;
		}
	}
	const shapes = style.minShapes + ((next() * style.extraShapes) | 0);
	for (let shape = 0; shape < shapes; shape++) {
		const fill = colour();
		const w = (width * (style.minSide + next() * style.sideSpread)) | 0;
		const h = (height * (style.minSide + next() * style.sideSpread)) | 0;
		const left = (next() * (width - w)) | 0;
		const top = (next() * (height - h)) | 0;
		const ellipse = next() < 0.5;
		for (let y = top; y < top + h; y++) {
			for (let x = left; x < left + w; x++) {
				if (ellipse) {
					const u = (x - left - w / 2) / (w / 2);
					const v = (y - top - h / 2) / (h / 2);
					if (u * u + v * v > 1) continue;
				}
				const at = (y * width + x) * 3;
				pixels[at] = fill[0];
				pixels[at + 1] = fill[1];
				pixels[at + 2] = fill[2];
			}
		}
	}
	const levels = style.noise * 2 + 1;
	for (let at = 0; at < pixels.length; at++) pixels[at] += ((next() * levels) | 0) - style.noise;
	return bytes;
}
