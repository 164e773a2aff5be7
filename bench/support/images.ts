import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { MultiIndexHashIndex } from "../../lib/multi-index-hash";
import { perceptualHash } from "../../services/crawl/phash";
import { DEFAULT_OPTIONS } from "../../services/dataset/definition";
import { type DrawingStyle, drawPixels } from "../../test/support/drawing";

/**
 * Distinct JPEG photographs-alike for the benchmarks, generated once with sharp and cached in
 * os.tmpdir() by size: a set of N images is the first N files of its size's cache, so a rerun (or a
 * smaller set) costs nothing and a larger set only draws the missing ones.
 *
 * "Distinct" means what the platform means: no two images of a size are within the default near-duplicate
 * threshold of each other (64-bit pHash, with a margin), so a build keeps every one of them. An image that
 * lands too close to an earlier one is drawn again from the next seed.
 */

export interface ImageSize {
	/** Short name used in tables and URLs, e.g. "1.3MP". */
	name: string;
	width: number;
	height: number;
}

export const SIZES = {
	small: { name: "0.3MP", width: 640, height: 480 },
	medium: { name: "1.3MP", width: 1280, height: 1024 },
	large: { name: "6MP", width: 3000, height: 2000 },
	warmup: { name: "warmup", width: 800, height: 600 },
} satisfies Record<string, ImageSize>;

export interface ImageSet {
	size: ImageSize;
	/** Directory holding `<index>.jpg`. */
	dir: string;
	count: number;
	/** Total bytes of the set's files. */
	bytes: number;
}

/** Bumped whenever the drawing changes, so stale caches are not reused. */
const VERSION = 2;
/** JPEG quality of the generated files: what cameras and the web commonly serve. */
const QUALITY = 85;
/** Distinct means farther apart than the platform's default threshold, with room to spare. */
const MIN_DISTANCE = DEFAULT_OPTIONS.dedupThreshold + 3;

interface Manifest {
	version: number;
	/** One entry per generated index: the seed variant used and the pHash (hex). */
	entries: { variant: number; phash: string; bytes: number }[];
}

const cacheRoot = () => path.join(os.tmpdir(), "pixcrawler-bench-images");

export function cacheDir(size: ImageSize): string {
	return path.join(cacheRoot(), `v${VERSION}-${size.width}x${size.height}`);
}

const hash32 = (text: string) => createHash("sha256").update(text).digest().readUInt32BE(0);

/** Busier than the fixture web's: more and smaller shapes, and noise of ±12, so a 1.3 MP image weighs
 * about what a camera JPEG of that size does (a few hundred KB). */
const BENCH_STYLE: DrawingStyle = { minShapes: 4, extraShapes: 6, minSide: 0.15, sideSpread: 0.45, noise: 12 };

function draw(seed: number, width: number, height: number): Buffer {
	return drawPixels(seed, width, height, BENCH_STYLE);
}

function render(size: ImageSize, index: number, variant: number): Promise<Buffer> {
	const raw = draw(hash32(`${size.width}x${size.height}:${index}:${variant}`), size.width, size.height);
	return sharp(raw, { raw: { width: size.width, height: size.height, channels: 3 } })
		.jpeg({ quality: QUALITY })
		.toBuffer();
}

function readManifest(dir: string): Manifest {
	try {
		const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as Manifest;
		if (manifest.version === VERSION) return manifest;
	} catch {
		// none yet, or unreadable: start over
	}
	return { version: VERSION, entries: [] };
}

/** The first `count` images of a size, drawing (and caching) those not generated yet. */
export async function imageSet(size: ImageSize, count: number, log: (line: string) => void = () => {}): Promise<ImageSet> {
	const dir = cacheDir(size);
	fs.mkdirSync(dir, { recursive: true });
	const manifest = readManifest(dir);
	// trust the manifest only as far as its files exist
	let valid = 0;
	while (valid < manifest.entries.length && fs.existsSync(path.join(dir, `${valid}.jpg`))) valid++;
	manifest.entries.length = valid;
	if (valid < count) {
		log(`generating ${count - valid} ${size.name} images (${size.width}×${size.height}) into ${dir}`);
		const index = new MultiIndexHashIndex();
		manifest.entries.forEach((entry, i) => {
			index.add(String(i), BigInt(`0x${entry.phash}`));
		});
		const started = Date.now();
		for (let i = valid; i < count; i++) {
			for (let variant = 0; ; variant++) {
				const bytes = await render(size, i, variant);
				const phash = await perceptualHash(bytes);
				if (index.findWithin(phash, MIN_DISTANCE - 1).length > 0) continue;
				index.add(String(i), phash);
				fs.writeFileSync(path.join(dir, `${i}.jpg`), bytes);
				manifest.entries.push({ variant, phash: phash.toString(16).padStart(16, "0"), bytes: bytes.length });
				break;
			}
			if ((i + 1) % 250 === 0 || i + 1 === count) {
				fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
				log(`  ${i + 1}/${count} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
			}
		}
	}
	const bytes = manifest.entries.slice(0, count).reduce((sum, entry) => sum + entry.bytes, 0);
	return { size, dir, count, bytes };
}

/** URL paths of a set on the image host: `/<dir name>/<index>.jpg`. */
export function imagePaths(set: ImageSet): string[] {
	const name = path.basename(set.dir);
	return Array.from({ length: set.count }, (_, i) => `/${name}/${i}.jpg`);
}
