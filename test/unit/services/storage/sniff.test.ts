import { SNIFF_BYTES, sniffContentType } from "../../../../services/storage/sniff";

const bytes = (...values: (number | string)[]) =>
	Buffer.concat(values.map((value) => (typeof value === "string" ? Buffer.from(value, "latin1") : Buffer.from([value]))));

/** An ISO-BMFF `ftyp` box head: 4 bytes of size, "ftyp", then the major brand. */
const ftyp = (brand: string) => bytes(0x00, 0x00, 0x00, 0x1c, "ftyp", brand, 0x00, 0x00, 0x00, 0x00);

describe("sniffContentType", () => {
	it.each([
		["a JPEG (JFIF)", bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, "JFIF", 0x00), "image/jpeg"],
		["a JPEG (Exif)", bytes(0xff, 0xd8, 0xff, 0xe1, 0x12, 0x34, "Exif", 0x00, 0x00), "image/jpeg"],
		["a bare JPEG start of image", bytes(0xff, 0xd8, 0xff), "image/jpeg"],
		["a PNG", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, "IHDR"), "image/png"],
		["a GIF87a", bytes("GIF87a", 0x01, 0x00, 0x01, 0x00), "image/gif"],
		["a GIF89a", bytes("GIF89a", 0x01, 0x00, 0x01, 0x00), "image/gif"],
		["a WEBP", bytes("RIFF", 0x24, 0x00, 0x00, 0x00, "WEBP", "VP8 "), "image/webp"],
		["an AVIF", ftyp("avif"), "image/avif"],
		["an AVIF image sequence", ftyp("avis"), "image/avif"],
		["a ZIP", bytes("PK", 0x03, 0x04, 0x14, 0x00, 0x00, 0x00), "application/zip"],
	])("recognises %s", (_name, head, type) => {
		expect(sniffContentType(head)).toBe(type);
	});

	it.each([
		["nothing", Buffer.alloc(0)],
		["one byte", bytes(0xff)],
		["half a JPEG marker", bytes(0xff, 0xd8)],
		["a truncated PNG signature", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a)],
		["a PNG signature with one byte wrong", bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0b)],
		["a GIF of an unknown version", bytes("GIF88a", 0x01, 0x00)],
		["a RIFF WAVE file", bytes("RIFF", 0x24, 0x00, 0x00, 0x00, "WAVE", "fmt ")],
		["a RIFF header without its form type", bytes("RIFF", 0x24, 0x00, 0x00, 0x00)],
		["a HEIC", ftyp("heic")],
		["an MP4", ftyp("isom")],
		["an empty ZIP (end of central directory only)", bytes("PK", 0x05, 0x06, 0x00, 0x00)],
		["HTML", Buffer.from("<!DOCTYPE html><html><script>alert(1)</script>")],
		["SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">')],
		["a PDF", Buffer.from("%PDF-1.7\n")],
		["plain text", Buffer.from("hello world, this is not an image")],
		["zeros", Buffer.alloc(SNIFF_BYTES)],
	])("falls back to application/octet-stream for %s", (_name, head) => {
		expect(sniffContentType(head)).toBe("application/octet-stream");
	});

	it("needs no more than SNIFF_BYTES to recognise any supported type", () => {
		const heads = [
			bytes(0xff, 0xd8, 0xff, 0xdb),
			bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a),
			bytes("GIF89a"),
			bytes("RIFF", 0, 0, 0, 0, "WEBP"),
			ftyp("avif"),
			bytes("PK", 0x03, 0x04),
		];
		for (const head of heads) {
			const padded = Buffer.concat([head, Buffer.alloc(64, 0x41)]);
			expect(sniffContentType(padded.subarray(0, SNIFF_BYTES))).toBe(sniffContentType(padded));
			expect(sniffContentType(padded)).not.toBe("application/octet-stream");
		}
	});

	it("looks only at the first bytes, not at a signature further in", () => {
		expect(sniffContentType(Buffer.concat([Buffer.from("junk"), bytes(0xff, 0xd8, 0xff, 0xe0)]))).toBe("application/octet-stream");
	});
});
