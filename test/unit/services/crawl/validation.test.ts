import { createHash } from "node:crypto";
import zlib from "node:zlib";
import sharp, { type Sharp } from "sharp";
import { fromHex, hammingDistance } from "../../../../services/crawl/phash";
import {
	IMAGE_FORMATS,
	type ImageFormat,
	type RejectedImage,
	type ValidatedImage,
	type ValidationLevel,
	type ValidationOptions,
	validateImage,
} from "../../../../services/crawl/validation";

const LEVELS: ValidationLevel[] = ["basic", "standard", "strict"];

const options = (level: ValidationLevel, extra: Partial<ValidationOptions> = {}): ValidationOptions => ({
	level,
	formats: [...IMAGE_FORMATS],
	minWidth: 64,
	minHeight: 64,
	maxPixels: 100_000_000,
	...extra,
});

/** A picture with gradients and shapes, drawn by sharp from SVG. */
function scene(width = 320, height = 240): Sharp {
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
		<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#a8dadc"/><stop offset="1" stop-color="#1d3557"/></linearGradient></defs>
		<rect width="100%" height="100%" fill="url(#g)"/>
		<circle cx="${width * 0.3}" cy="${height * 0.4}" r="${Math.min(width, height) * 0.25}" fill="#e4572e"/>
		<rect x="${width * 0.6}" y="${height * 0.55}" width="${width * 0.3}" height="${height * 0.35}" fill="#f3a712"/></svg>`;
	return sharp(Buffer.from(svg));
}

function encode(pipeline: Sharp, format: ImageFormat): Promise<Buffer> {
	return pipeline.toFormat(format === "avif" ? "avif" : format).toBuffer();
}

/** One colour, optionally with ±1 of noise so that it is near-uniform rather than exactly uniform. */
function flat(width: number, height: number, jitter = false): Sharp {
	const pixels = Buffer.alloc(width * height * 3, 128);
	if (jitter) for (let i = 0; i < pixels.length; i += 7) pixels[i] = 129;
	return sharp(pixels, { raw: { width, height, channels: 3 } });
}

function pngChunk(type: string, data: Buffer): Buffer {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(zlib.crc32(body) >>> 0);
	return Buffer.concat([length, body, crc]);
}

/**
 * A 177-byte PNG whose header claims 50000×50000 1-bit grey pixels (2.5 gigapixels, 312 MB once inflated);
 * its IDAT carries only the first rows, so a decoder that trusted the header would start allocating before
 * noticing anything wrong.
 */
function pngBomb(width = 50_000, height = 50_000): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header[8] = 1; // bit depth
	header[9] = 0; // greyscale
	const firstRows = Buffer.alloc((1 + Math.ceil(width / 8)) * 16);
	return Buffer.concat([
		Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
		pngChunk("IHDR", header),
		pngChunk("IDAT", zlib.deflateSync(firstRows)),
		pngChunk("IEND", Buffer.alloc(0)),
	]);
}

/** A real small JPEG whose frame header (SOF) is rewritten to claim 60000×60000. */
async function jpegBomb(): Promise<Buffer> {
	const jpeg = Buffer.from(await scene(64, 64).jpeg().toBuffer());
	for (let offset = 2; offset < jpeg.length; ) {
		const marker = jpeg[offset + 1] as number;
		const length = jpeg.readUInt16BE(offset + 2);
		if (marker >= 0xc0 && marker <= 0xc2) {
			jpeg.writeUInt16BE(60_000, offset + 5); // height
			jpeg.writeUInt16BE(60_000, offset + 7); // width
			return jpeg;
		}
		offset += 2 + length;
	}
	throw new Error("no SOF marker");
}

function expectAccepted(result: ValidatedImage | RejectedImage): ValidatedImage {
	if (!result.ok) throw new Error(`rejected: ${result.reason} (${result.detail})`);
	return result;
}

function expectRejected(result: ValidatedImage | RejectedImage, reason: RejectedImage["reason"]): RejectedImage {
	expect(result).toMatchObject({ ok: false, reason });
	return result as RejectedImage;
}

describe("validateImage accepts the five formats", () => {
	const cases = LEVELS.flatMap((level) => IMAGE_FORMATS.map((format) => [format, level] as const));

	it.each(cases)("%s at %s", async (format, level) => {
		const bytes = await encode(scene(), format);
		const result = expectAccepted(await validateImage(bytes, options(level)));
		expect(result).toMatchObject({ format, width: 320, height: 240 });
		expect(result.phash).toMatch(/^[0-9a-f]{16}$/);
		expect(result.sha256).toBe(createHash("sha256").update(result.bytes).digest("hex"));
		if (level === "strict") {
			expect((await sharp(result.bytes).metadata()).format).toBe(format === "avif" ? "heif" : format);
		} else {
			expect(result.bytes).toBe(bytes);
		}
	});

	it("computes nearly the same perceptual hash at every level", async () => {
		const bytes = await scene(640, 480).jpeg().toBuffer();
		const hashes = await Promise.all(
			LEVELS.map(async (level) => fromHex(expectAccepted(await validateImage(bytes, options(level))).phash)),
		);
		for (const hash of hashes) expect(hammingDistance(hash, hashes[0] as bigint)).toBeLessThanOrEqual(4);
	});
});

describe("validateImage refuses what is not an allowed image", () => {
	it.each(LEVELS)("a format left out of the options (%s)", async (level) => {
		const png = await scene().png().toBuffer();
		const result = expectRejected(await validateImage(png, options(level, { formats: ["jpeg", "webp"] })), "unsupported_format");
		expect(result.detail).toContain("png");
	});

	const notImages: Array<[string, Buffer]> = [
		["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="500" height="500"/></svg>')],
		["SVG with an XML declaration", Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')],
		["HTML", Buffer.from("<!doctype html><html><head><title>Not found</title></head><body><img src=x.jpg></body></html>")],
		["XML", Buffer.from('<?xml version="1.0" encoding="UTF-8"?><error><code>AccessDenied</code></error>')],
		["text", Buffer.from("This image is no longer available.")],
		["JSON", Buffer.from('{"error":"rate limited"}')],
		["PDF", Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n")],
		["an empty body", Buffer.alloc(0)],
	];
	const notImageCases = notImages.flatMap(([name, bytes]) => LEVELS.map((level) => [name, level, bytes] as const));

	it.each(notImageCases)("%s at %s as not_an_image", async (_name, level, bytes) => {
		expectRejected(await validateImage(bytes, options(level)), "not_an_image");
	});

	it.each(LEVELS)("other image types (TIFF) as unsupported_format at %s", async (level) => {
		const tiff = await scene().tiff().toBuffer();
		const result = expectRejected(await validateImage(tiff, options(level)), "unsupported_format");
		expect(result.detail).toContain("image/tiff");
	});
});

describe("validateImage refuses decompression bombs from the header, at every level", () => {
	it.each(LEVELS)("a PNG claiming 50000×50000 at %s", async (level) => {
		const bomb = pngBomb();
		expect(bomb.length).toBeLessThan(1000);
		const started = performance.now();
		const result = expectRejected(await validateImage(bomb, options(level)), "decompression_bomb");
		// The figures come from the header check, which runs before any decode is attempted.
		expect(result.detail).toContain("50000×50000");
		expect(performance.now() - started).toBeLessThan(1000);
	});

	it.each(LEVELS)("a JPEG claiming 60000×60000 at %s", async (level) => {
		const result = expectRejected(await validateImage(await jpegBomb(), options(level)), "decompression_bomb");
		expect(result.detail).toContain("60000×60000");
	});

	it.each(LEVELS)("an ordinary image over a low pixel limit at %s", async (level) => {
		const jpeg = await scene().jpeg().toBuffer();
		expectRejected(await validateImage(jpeg, options(level, { maxPixels: 320 * 240 - 1 })), "decompression_bomb");
		expectAccepted(await validateImage(jpeg, options(level, { maxPixels: 320 * 240 })));
	});
});

describe("validateImage decodes fully from standard on", () => {
	it("lets a truncated JPEG with an intact header through at basic only", async () => {
		const jpeg = await scene(640, 480).jpeg().toBuffer();
		const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
		expect(expectAccepted(await validateImage(truncated, options("basic")))).toMatchObject({ format: "jpeg", width: 640, height: 480 });
		for (const level of ["standard", "strict"] as const) expectRejected(await validateImage(truncated, options(level)), "truncated");
	});

	it("refuses a truncated PNG from standard on", async () => {
		const png = await scene(640, 480).png().toBuffer();
		const truncated = png.subarray(0, Math.floor(png.length * 0.6));
		for (const level of ["standard", "strict"] as const) expectRejected(await validateImage(truncated, options(level)), "truncated");
	});

	it("refuses images whose header itself is cut off, at every level", async () => {
		const webp = await scene().webp().toBuffer();
		for (const level of LEVELS) expectRejected(await validateImage(webp.subarray(0, 40), options(level)), "truncated");
	});
});

describe("validateImage bounds from standard on", () => {
	it("refuses images under the minimum resolution", async () => {
		const small = await scene(100, 60).png().toBuffer();
		const result = expectRejected(await validateImage(small, options("standard")), "too_small");
		expect(result.detail).toContain("100×60");
		expectRejected(await validateImage(small, options("strict")), "too_small");
		expectAccepted(await validateImage(small, options("basic")));
		expectAccepted(await validateImage(small, options("standard", { minWidth: 100, minHeight: 60 })));
	});

	it("refuses files outside the byte bounds", async () => {
		const jpeg = await scene().jpeg().toBuffer();
		expectRejected(await validateImage(jpeg, options("standard", { minBytes: jpeg.length + 1 })), "too_small");
		expectRejected(await validateImage(jpeg, options("standard", { maxBytes: jpeg.length - 1 })), "too_large");
		expectAccepted(await validateImage(jpeg, options("standard", { minBytes: jpeg.length, maxBytes: jpeg.length })));
		expectAccepted(await validateImage(jpeg, options("basic", { maxBytes: 10 })));
	});

	it("refuses extreme aspect ratios, either way round", async () => {
		const wide = await scene(1100, 100).png().toBuffer();
		const tall = await scene(100, 1100).png().toBuffer();
		const result = expectRejected(await validateImage(wide, options("standard")), "bad_aspect_ratio");
		expect(result.detail).toContain("11.00");
		expectRejected(await validateImage(tall, options("strict")), "bad_aspect_ratio");
		expectAccepted(await validateImage(wide, options("standard", { maxAspectRatio: 11 })));
		expectAccepted(await validateImage(tall, options("basic")));
	});
});

describe("validateImage at strict", () => {
	it("refuses blank and near-uniform images, which lower levels accept", async () => {
		const blank = await flat(200, 200).png().toBuffer();
		const nearlyBlank = await flat(200, 200, true).jpeg().toBuffer();
		const transparent = await sharp({ create: { width: 200, height: 200, channels: 4, background: { r: 200, g: 10, b: 10, alpha: 0 } } })
			.png()
			.toBuffer();
		for (const bytes of [blank, nearlyBlank, transparent]) {
			expectRejected(await validateImage(bytes, options("strict")), "blank");
			expectAccepted(await validateImage(bytes, options("standard")));
		}
	});

	it("keeps a mostly empty image that has something on it", async () => {
		const logo = await flat(400, 400)
			.composite([
				{
					input: await sharp({ create: { width: 40, height: 40, channels: 3, background: "#c00" } })
						.png()
						.toBuffer(),
					top: 180,
					left: 180,
				},
			])
			.png()
			.toBuffer();
		expectAccepted(await validateImage(logo, options("strict")));
	});

	it("applies the EXIF orientation and strips every piece of metadata", async () => {
		// Stored 300×200 with the red quarter top-left; orientation 6 means "turn 90° clockwise to display",
		// so the displayed image is 200×300 with the red quarter top-right.
		const stored = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#0000ff" } })
			.composite([
				{
					input: await sharp({ create: { width: 150, height: 100, channels: 3, background: "#ff0000" } })
						.png()
						.toBuffer(),
					top: 0,
					left: 0,
				},
			])
			.jpeg({ quality: 95 })
			.withMetadata({ orientation: 6 })
			.withExif({ IFD0: { Copyright: "Someone", Artist: "Somebody" } })
			.toBuffer();
		const before = await sharp(stored).metadata();
		expect(before).toMatchObject({ orientation: 6, width: 300, height: 200 });
		expect(before.exif).toBeDefined();

		const standard = expectAccepted(await validateImage(stored, options("standard")));
		expect(standard).toMatchObject({ width: 200, height: 300 });
		expect(standard.bytes).toBe(stored);

		const strict = expectAccepted(await validateImage(stored, options("strict")));
		expect(strict).toMatchObject({ format: "jpeg", width: 200, height: 300 });
		expect(strict.sha256).toBe(createHash("sha256").update(strict.bytes).digest("hex"));
		expect(strict.sha256).not.toBe(createHash("sha256").update(stored).digest("hex"));
		const after = await sharp(strict.bytes).metadata();
		expect(after).toMatchObject({ width: 200, height: 300 });
		expect(after.orientation).toBeUndefined();
		expect(after.exif).toBeUndefined();
		expect(after.xmp).toBeUndefined();
		expect(after.icc).toBeUndefined();

		const { data, info } = await sharp(strict.bytes).raw().toBuffer({ resolveWithObject: true });
		const pixel = (x: number, y: number) => [
			...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3),
		];
		const [topRight, topLeft] = [pixel(190, 10), pixel(10, 10)];
		expect(topRight[0]).toBeGreaterThan(200);
		expect(topRight[2]).toBeLessThan(60);
		expect(topLeft[0]).toBeLessThan(60);
		expect(topLeft[2]).toBeGreaterThan(200);
	});

	it("measures an animation by its frame and keeps only the first frame", async () => {
		const frames = await Promise.all(
			["#f00", "#0f0", "#00f"].map((colour) => scene(120, 80).flatten({ background: colour }).tint(colour).png().toBuffer()),
		);
		const gif = await sharp(frames, { join: { animated: true } })
			.gif()
			.toBuffer();
		expect((await sharp(gif).metadata()).pages).toBe(3);
		const standard = expectAccepted(await validateImage(gif, options("standard")));
		expect(standard).toMatchObject({ format: "gif", width: 120, height: 80 });
		const strict = expectAccepted(await validateImage(gif, options("strict")));
		expect(await sharp(strict.bytes).metadata()).toMatchObject({ format: "gif", width: 120, height: 80, pages: 1 });
	});

	it("strips EXIF from WebP too", async () => {
		const webp = await scene()
			.webp()
			.withExif({ IFD0: { Copyright: "Someone" } })
			.toBuffer();
		expect((await sharp(webp).metadata()).exif).toBeDefined();
		const strict = expectAccepted(await validateImage(webp, options("strict")));
		expect((await sharp(strict.bytes).metadata()).exif).toBeUndefined();
	});
});
