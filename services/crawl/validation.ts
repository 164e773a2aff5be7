import { createHash } from "node:crypto";
// The core entry point: buffer sniffing needs nothing Node-specific, and unlike the package root (whose export map
// offers only "import" and "module-sync") it has a "default" export that jest's resolver can follow too.
import { fileTypeFromBuffer } from "file-type/core";
import sharp, { type Metadata, type OutputInfo, type Sharp, type SharpOptions } from "sharp";
import { findEmbeddedMarkup } from "./embedded-markup";
import type { RejectReason } from "./errors";
import { perceptualHashFromPixels, toHashInput, toHex } from "./phash";

/**
 * Image validation, pure: downloaded bytes in, a verdict out (docs/validation.md is the user-facing copy).
 *
 * Every level, always:
 *   - the type is sniffed from the bytes (file-type), never taken from the URL or Content-Type; only JPEG,
 *     PNG (APNG counts as PNG), WebP, GIF and AVIF go on. Unrecognised bytes, SVG, HTML, XML, text, PDF… are
 *     `not_an_image`; other image types (TIFF, BMP, HEIC, JPEG XL…) and formats not in `options.formats` are
 *     `unsupported_format`. Nothing else ever reaches a decoder, so sharp's SVG renderer is never used.
 *   - a picture that is also something else is `polyglot`: a ZIP archive (a JAR makes a GIFAR) that archive
 *     readers find from its end-of-central-directory record, or HTML/script markup, PHP or a PDF anywhere in
 *     the bytes (a comment, a metadata segment, after the end of the image). basic and standard store the
 *     downloaded bytes as they are, so such a payload would be kept and served with the picture.
 *   - the header is parsed (sharp metadata: header only, no pixel data) and must name the same format.
 *   - width × height > maxPixels is `decompression_bomb`, decided from the header BEFORE any decode; every
 *     decoding sharp call also gets `limitInputPixels: maxPixels` as a second lock.
 * basic: the above, plus one decode for the perceptual hash, tolerant of damaged pixel data (failOn "none"):
 *   a truncated JPEG with an intact header passes (its missing rows decode grey).
 * standard: + byte bounds (`too_small` under minBytes, `too_large` over maxBytes), minimum resolution
 *   (`too_small`), aspect ratio (`bad_aspect_ratio` when the long side exceeds maxAspectRatio × the short side),
 *   all from the header, then a full decode that fails on damaged data (failOn "error"): `truncated`.
 * strict: + blank or near-uniform images (`blank`: every colour channel's standard deviation under
 *   blankStdev, or fully transparent), EXIF orientation applied and all metadata (EXIF, XMP, ICC, comments)
 *   stripped by re-encoding in the same format (colour converted to sRGB, 8 bits per channel, first frame of
 *   an animation); `bytes` and `sha256` are then those of the re-encoded image.
 * Width and height are reported as displayed, i.e. after EXIF orientation, and the limits use them.
 *
 * One decode per image. basic and standard decode once, straight to the 32×32 grey square of the hash
 * (JPEG and WebP decoders then scale while decoding, but still read every byte, so truncation and corrupt
 * data are caught by the same pass). strict decodes once to full-size raw pixels and derives the statistics,
 * the hash input and the re-encoded image from that buffer; it therefore holds width × height × channels
 * bytes (at most maxPixels × 4) in memory while it works, which is the price of not decoding three times.
 */

export type ValidationLevel = "basic" | "standard" | "strict";
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "avif";
export const IMAGE_FORMATS: readonly ImageFormat[] = ["jpeg", "png", "webp", "gif", "avif"];

export interface ValidationOptions {
	level: ValidationLevel;
	/** Formats accepted, a subset of IMAGE_FORMATS. */
	formats: readonly string[];
	minWidth: number;
	minHeight: number;
	/** Largest width × height decoded (config.crawl.maxPixels). */
	maxPixels: number;
	minBytes?: number;
	/** Largest file accepted at standard and strict (config.crawl.maxImageBytes). */
	maxBytes?: number;
	/** Long side over short side; DEFAULT_MAX_ASPECT_RATIO when absent. */
	maxAspectRatio?: number;
	/** strict: per-channel standard deviation (0–255 scale) under which an image is blank; DEFAULT_BLANK_STDEV when absent. */
	blankStdev?: number;
}

export const DEFAULT_MAX_ASPECT_RATIO = 10;
/** Flat colour re-encoded as JPEG measures about 0.5; a small logo on white (1 % of the area) about 20. */
export const DEFAULT_BLANK_STDEV = 3;

export interface ValidatedImage {
	ok: true;
	format: ImageFormat;
	width: number;
	height: number;
	/** The bytes to store: the original, or at strict the normalised re-encoded image. */
	bytes: Buffer;
	/** Hex SHA-256 of `bytes`. */
	sha256: string;
	/** 64-bit DCT perceptual hash, 16 hex characters. */
	phash: string;
}

export interface RejectedImage {
	ok: false;
	reason: RejectReason;
	detail: string;
}

const MIME_FORMATS: Record<string, ImageFormat> = {
	"image/jpeg": "jpeg",
	"image/png": "png",
	"image/apng": "png",
	"image/webp": "webp",
	"image/gif": "gif",
	"image/avif": "avif",
};

const reject = (reason: RejectReason, detail: string): RejectedImage => ({ ok: false, reason, detail });

/** sharp's own wording when its pixel limit trips; kept as a reason rather than "corrupt". */
const PIXEL_LIMIT_MESSAGE = /exceeds pixel limit/i;

/** "PK\x05\x06": a ZIP's end-of-central-directory record, which archive readers look for from the end of a file. */
const ZIP_END = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** "PK\x01\x02": a central directory entry. */
const ZIP_CENTRAL_ENTRY = 0x02014b50;

/** What else the bytes are, besides a picture; null when nothing was found. */
function hiddenPayload(bytes: Buffer): string | null {
	// Each candidate record must point back at a central directory entry: four bytes alone occur by chance.
	for (let at = bytes.lastIndexOf(ZIP_END); at >= 0; at = at === 0 ? -1 : bytes.lastIndexOf(ZIP_END, at - 1)) {
		if (at + 22 > bytes.length) continue;
		const entries = bytes.readUInt16LE(at + 10);
		const directoryStart = at - bytes.readUInt32LE(at + 12);
		if (entries > 0 && directoryStart >= 0 && bytes.readUInt32LE(directoryStart) === ZIP_CENTRAL_ENTRY) {
			return `a ZIP archive (${entries} entries) ends at byte ${at + 22}`;
		}
	}
	const markup = findEmbeddedMarkup(bytes);
	return markup ? `${JSON.stringify(markup.text)} at byte ${markup.index}` : null;
}

function decodeFailure(error: unknown, maxPixels: number): RejectedImage {
	const message = error instanceof Error ? error.message : String(error);
	if (PIXEL_LIMIT_MESSAGE.test(message)) return reject("decompression_bomb", `more than ${maxPixels} pixels`);
	return reject("truncated", `damaged image data: ${message.split("\n")[0]}`);
}

/** The sharp format (and, for HEIF, compression) a sniffed format must decode as. */
function sameFormat(format: ImageFormat, metadata: Metadata): boolean {
	if (format === "avif") return metadata.format === "heif" && metadata.compression === "av1";
	return metadata.format === format;
}

function encoder(format: ImageFormat, pipeline: Sharp): Sharp {
	switch (format) {
		case "jpeg":
			return pipeline.jpeg({ quality: 92 });
		case "png":
			return pipeline.png();
		case "webp":
			return pipeline.webp({ quality: 90 });
		case "gif":
			return pipeline.gif();
		case "avif":
			return pipeline.avif({ quality: 70 });
	}
}

function accepted(format: ImageFormat, width: number, height: number, bytes: Buffer, hashInput: Uint8Array): ValidatedImage {
	return {
		ok: true,
		format,
		width,
		height,
		bytes,
		sha256: createHash("sha256").update(bytes).digest("hex"),
		phash: toHex(perceptualHashFromPixels(hashInput)),
	};
}

export async function validateImage(bytes: Buffer, options: ValidationOptions): Promise<ValidatedImage | RejectedImage> {
	const { level, maxPixels } = options;
	if (bytes.length === 0) return reject("not_an_image", "empty body");

	// 1. What the bytes are, whatever the server said.
	const sniffed = await fileTypeFromBuffer(bytes);
	if (!sniffed) return reject("not_an_image", "content not recognised as an image (text, HTML, SVG or unknown binary)");
	const format = MIME_FORMATS[sniffed.mime];
	if (!format) {
		return sniffed.mime.startsWith("image/")
			? reject("unsupported_format", `${sniffed.mime} is not one of ${IMAGE_FORMATS.join(", ")}`)
			: reject("not_an_image", `content is ${sniffed.mime}`);
	}
	if (!options.formats.includes(format)) return reject("unsupported_format", `${format} is not allowed (${options.formats.join(", ")})`);
	const payload = hiddenPayload(bytes);
	if (payload) return reject("polyglot", `${format} that is also something else: ${payload}`);

	// 2. The header: dimensions and pixel count, before any pixel is decoded. metadata() reads the header only,
	// so it runs without the pixel limit (sharp would refuse with a generic message) and the check is ours.
	let metadata: Metadata;
	try {
		metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
	} catch (error) {
		return decodeFailure(error, maxPixels);
	}
	if (!sameFormat(format, metadata)) {
		return reject("unsupported_format", `bytes look like ${format} but decode as ${metadata.format}`);
	}
	const { width: storedWidth, height: storedHeight } = metadata;
	if (!storedWidth || !storedHeight) return reject("not_an_image", "header has no dimensions");
	if (storedWidth * storedHeight > maxPixels) {
		return reject("decompression_bomb", `${storedWidth}×${storedHeight} = ${storedWidth * storedHeight} pixels exceeds ${maxPixels}`);
	}
	const width = metadata.autoOrient?.width ?? storedWidth;
	const height = metadata.autoOrient?.height ?? storedHeight;

	// 3. Cheap bounds from the header, before the decode they would spare.
	if (level !== "basic") {
		if (options.minBytes !== undefined && bytes.length < options.minBytes) {
			return reject("too_small", `${bytes.length} bytes is under ${options.minBytes}`);
		}
		if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
			return reject("too_large", `${bytes.length} bytes is over ${options.maxBytes}`);
		}
		if (width < options.minWidth || height < options.minHeight) {
			return reject("too_small", `${width}×${height} is under ${options.minWidth}×${options.minHeight}`);
		}
		const maxAspectRatio = options.maxAspectRatio ?? DEFAULT_MAX_ASPECT_RATIO;
		const ratio = Math.max(width, height) / Math.min(width, height);
		if (ratio > maxAspectRatio) {
			return reject("bad_aspect_ratio", `${width}×${height} has aspect ratio ${ratio.toFixed(2)} > ${maxAspectRatio}`);
		}
	}

	const decodeOptions: SharpOptions = {
		failOn: level === "basic" ? "none" : "error",
		limitInputPixels: maxPixels,
		autoOrient: true,
	};

	// 4. basic and standard: the one decode goes straight to the hash input.
	if (level !== "strict") {
		let hashInput: Buffer;
		try {
			hashInput = await toHashInput(sharp(bytes, decodeOptions)).toBuffer();
		} catch (error) {
			return decodeFailure(error, maxPixels);
		}
		return accepted(format, width, height, bytes, hashInput);
	}

	// 5. strict: one full decode (oriented, sRGB, 8-bit); statistics, hash and re-encoding all read that buffer.
	let decoded: { data: Buffer; info: OutputInfo };
	try {
		decoded = await sharp(bytes, decodeOptions).raw({ depth: "uchar" }).toBuffer({ resolveWithObject: true });
	} catch (error) {
		return decodeFailure(error, maxPixels);
	}
	const { data, info } = decoded;
	const raw = { raw: { width: info.width, height: info.height, channels: info.channels } };
	const stats = await sharp(data, raw).stats();
	const hasAlpha = info.channels === 2 || info.channels === 4;
	const colour = stats.channels.slice(0, hasAlpha ? info.channels - 1 : info.channels);
	const alpha = hasAlpha ? stats.channels[info.channels - 1] : undefined;
	if (alpha && alpha.max === 0) return reject("blank", "fully transparent");
	const blankStdev = options.blankStdev ?? DEFAULT_BLANK_STDEV;
	const spread = Math.max(...colour.map((channel) => channel.stdev));
	if (spread < blankStdev) return reject("blank", `near-uniform: largest channel standard deviation ${spread.toFixed(2)} < ${blankStdev}`);

	const [hashInput, normalised] = await Promise.all([
		toHashInput(sharp(data, raw)).toBuffer(),
		encoder(format, sharp(data, raw)).toBuffer(),
	]);
	return accepted(format, info.width, info.height, normalised, hashInput);
}
