/**
 * Markup and documents other programs find anywhere in a file: an HTML page or script (`<script`, `<html`…
 * followed by whitespace, `>` or `/`), PHP (`<?php ` — the classic web shell in an image comment) and a PDF
 * header (`%PDF-1.7`), all matched case-insensitively. Random bytes (compressed image data) produce one of
 * these about once per 10¹² bytes, so only a deliberate payload trips it.
 *
 * This is what `/<(?:script|html|body|iframe|object|embed)[\s/>]|<\?php\s|%PDF-\d\.\d/i` finds in the bytes
 * read as latin1, without that copy: every image a crawl keeps passes through here, and the latin1 string
 * plus the regular expression cost more than half a millisecond of the event loop per 1.3 MP JPEG. Here
 * memchr (Buffer.indexOf) finds each `<` and `%`, about one byte in 256 of compressed data, and a few byte
 * comparisons settle each.
 */

const LESS_THAN = 0x3c;
const PERCENT = 0x25;
const TAGS = ["script", "html", "body", "iframe", "object", "embed"].map((tag) => Buffer.from(tag, "latin1"));
const PHP = Buffer.from("?php", "latin1");
const PDF = Buffer.from("pdf-", "latin1");

export interface EmbeddedMarkup {
	/** The matched bytes as latin1 text, e.g. `<script ` or `%PDF-1.7`. */
	text: string;
	/** Offset of its first byte. */
	index: number;
}

/** \s of a JavaScript regular expression, for the bytes of a latin1 string: tab to carriage return, space, no-break space. */
function isSpace(byte: number): boolean {
	return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0;
}

const isDigit = (byte: number) => byte >= 0x30 && byte <= 0x39;

/** Whether `word` (lower-case ASCII letters and punctuation) is at `at`, ASCII letters compared without case. */
function wordAt(bytes: Buffer, at: number, word: Buffer): boolean {
	if (at + word.length > bytes.length) return false;
	for (let i = 0; i < word.length; i++) {
		const byte = bytes[at + i] as number;
		// setting 0x20 folds A–Z onto a–z; only letters of `word` are compared that way
		const expected = word[i] as number;
		if (byte !== expected && !(expected >= 0x61 && expected <= 0x7a && (byte | 0x20) === expected)) return false;
	}
	return true;
}

/** Length of the markup that starts with the `<` at `at`, or 0. */
function markupAt(bytes: Buffer, at: number): number {
	const after = at + 1;
	if (wordAt(bytes, after, PHP))
		return after + PHP.length < bytes.length && isSpace(bytes[after + PHP.length] as number) ? PHP.length + 2 : 0;
	for (const tag of TAGS) {
		if (!wordAt(bytes, after, tag)) continue;
		const end = after + tag.length;
		if (end >= bytes.length) return 0;
		const next = bytes[end] as number;
		return isSpace(next) || next === 0x2f || next === 0x3e ? tag.length + 2 : 0;
	}
	return 0;
}

/** Length of the PDF header that starts with the `%` at `at` (`%PDF-1.7`), or 0. */
function pdfAt(bytes: Buffer, at: number): number {
	const version = at + 1 + PDF.length;
	if (!wordAt(bytes, at + 1, PDF) || version + 3 > bytes.length) return 0;
	return isDigit(bytes[version] as number) && bytes[version + 1] === 0x2e && isDigit(bytes[version + 2] as number) ? 1 + PDF.length + 3 : 0;
}

function first(bytes: Buffer, marker: number, lengthAt: (bytes: Buffer, at: number) => number, before: number): EmbeddedMarkup | null {
	for (let at = bytes.indexOf(marker); at !== -1 && at < before; at = bytes.indexOf(marker, at + 1)) {
		const length = lengthAt(bytes, at);
		if (length > 0) return { text: bytes.toString("latin1", at, at + length), index: at };
	}
	return null;
}

/** The first embedded markup or PDF header in `bytes`, or null. */
export function findEmbeddedMarkup(bytes: Buffer): EmbeddedMarkup | null {
	const markup = first(bytes, LESS_THAN, markupAt, bytes.length);
	const pdf = first(bytes, PERCENT, pdfAt, markup ? markup.index : bytes.length);
	return pdf ?? markup;
}
