/** Content types recognised from a file's first bytes; anything else is served as opaque bytes. */
const SIGNATURES: { type: string; test: (head: Buffer) => boolean }[] = [
	{ type: "image/jpeg", test: (h) => h.length >= 3 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff },
	{ type: "image/png", test: (h) => h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
	{ type: "image/gif", test: (h) => ["GIF87a", "GIF89a"].includes(h.subarray(0, 6).toString("latin1")) },
	{ type: "image/webp", test: (h) => h.subarray(0, 4).toString("latin1") === "RIFF" && h.subarray(8, 12).toString("latin1") === "WEBP" },
	{
		type: "image/avif",
		test: (h) => h.subarray(4, 8).toString("latin1") === "ftyp" && ["avif", "avis"].includes(h.subarray(8, 12).toString("latin1")),
	},
	{ type: "application/zip", test: (h) => h.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) },
];

export const SNIFF_BYTES = 16;

export function sniffContentType(head: Buffer): string {
	return SIGNATURES.find((signature) => signature.test(head))?.type ?? "application/octet-stream";
}
