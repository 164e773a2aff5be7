import fc from "fast-check";
import { findEmbeddedMarkup } from "../../../../services/crawl/embedded-markup";

/** The rule as a regular expression over the bytes read as latin1: the scanner must answer exactly as it does. */
const RULE = /<(?:script|html|body|iframe|object|embed)[\s/>]|<\?php\s|%PDF-\d\.\d/i;

function byRule(bytes: Buffer) {
	const match = RULE.exec(bytes.toString("latin1"));
	return match ? { text: match[0], index: match.index } : null;
}

/** Pieces that come near a match (a prefix, a case change, a wrong follower) as well as the real ones. */
const PIECES = [
	"<script>",
	"<SCRIPT ",
	"<ScRiPt/",
	"<script",
	"<scripts",
	"<html\n",
	"<HTML\u00a0",
	"<htm ",
	"<body>",
	"<iframe ",
	"<object/",
	"<embed\t",
	"<?php ",
	"<?PHP\r",
	"<?php",
	"<?phpx",
	"%PDF-1.7",
	"%pdf-2.0",
	"%PDF-1",
	"%PDF-a.b",
	"%PDF-1x7",
	"<",
	"%",
	"<<",
	"%%PDF-1.4",
	"<<script ",
];

const chunk = fc.oneof(
	fc.uint8Array({ minLength: 0, maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
	fc.constantFrom(...PIECES).map((piece) => Buffer.from(piece, "latin1")),
);

describe("findEmbeddedMarkup", () => {
	it("finds what the regular expression over the latin1 text finds, at the same place, in random bytes with near misses", () => {
		fc.assert(
			fc.property(fc.array(chunk, { maxLength: 12 }), (chunks) => {
				const bytes = Buffer.concat(chunks);
				expect(findEmbeddedMarkup(bytes)).toEqual(byRule(bytes));
			}),
			{ numRuns: 5000 },
		);
	});

	it.each([
		["an HTML page in a JPEG comment", "\xff\xd8\xff\xfe\x00\x10<html><body>", { text: "<html>", index: 6 }],
		["a PHP shell", "GIF89a\x00<?php system($_GET['c']); ?>", { text: "<?php ", index: 7 }],
		["a PDF header before markup", "%PDF-1.7 <script>", { text: "%PDF-1.7", index: 0 }],
		["markup before a PDF header", "<embed/%PDF-1.7", { text: "<embed/", index: 0 }],
		["a tag cut off at the end", "\x00\x01<script", null],
		["a version cut off at the end", "%PDF-1.", null],
	])("%s", (_name, text, expected) => {
		expect(findEmbeddedMarkup(Buffer.from(text, "latin1"))).toEqual(expected);
	});

	it("finds nothing in compressed-looking random data", () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 0, maxLength: 4096 }), (bytes) => {
				const buffer = Buffer.from(bytes);
				expect(findEmbeddedMarkup(buffer)).toEqual(byRule(buffer));
			}),
			{ numRuns: 500 },
		);
	});
});
