import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { assertSafeKey, datasetObjectKey, isSafeKey, MAX_KEY_LENGTH, resolveUnder } from "../../../../services/storage/keys";

const ROOT = path.join(os.tmpdir(), "pixcrawler-keys-root");
const SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

const SAFE = [
	"a",
	"x.jpg",
	"datasets/abc/def.png",
	`datasets/665f1c2e9b1e8a0012345678/${SHA}.jpg`,
	"exports/e1/archive.zip",
	"a/b/c/d/e",
	"_under/-dash/1.2.3",
	"file.",
	"a.b..c",
	"a".repeat(MAX_KEY_LENGTH),
];

const UNSAFE = [
	"",
	"..",
	".",
	"../x",
	"x/..",
	"a/../../b",
	"a/./b",
	"./a",
	"/abs",
	"/etc/passwd",
	"a//b",
	"a/",
	"a\\b",
	"..\\x",
	"C:\\windows",
	"C:/windows",
	"%2e%2e/x",
	"%2E%2E/x",
	"a%2fb",
	"a\u0000b",
	"\u0000",
	".hidden",
	"a/.hidden",
	"...",
	"a/..b",
	"a b",
	"a\nb",
	"caf\u00e9.jpg",
	"\u2025/x",
	"\uff0e\uff0e/x",
	"a?b",
	"a#b",
	"~/x",
	"a".repeat(MAX_KEY_LENGTH + 1),
];

describe("isSafeKey", () => {
	it.each(SAFE)("accepts %j", (key) => {
		expect(isSafeKey(key)).toBe(true);
	});

	it.each(UNSAFE)("refuses %j", (key) => {
		expect(isSafeKey(key)).toBe(false);
	});

	it.each([undefined, null, 42, {}, ["a"]])("refuses the non-string %j", (value) => {
		expect(isSafeKey(value as unknown as string)).toBe(false);
	});
});

describe("assertSafeKey", () => {
	it("passes a safe key", () => {
		expect(() => assertSafeKey("datasets/d/x.jpg")).not.toThrow();
	});

	it.each(UNSAFE)("throws a 422 validation error for %j", (key) => {
		expect(() => assertSafeKey(key)).toThrow(
			expect.objectContaining({ code: 422, type: "VALIDATION_ERROR", data: [{ field: "key", message: "Not a valid storage key" }] }),
		);
	});

	it("names the field it was given", () => {
		expect(() => assertSafeKey("../x", "prefix")).toThrow(
			expect.objectContaining({ data: [{ field: "prefix", message: "Not a valid storage key" }] }),
		);
	});
});

describe("resolveUnder", () => {
	it("places a key under the root", () => {
		expect(resolveUnder(ROOT, "datasets/d/x.jpg")).toBe(path.join(path.resolve(ROOT), "datasets", "d", "x.jpg"));
	});

	it("resolves against a relative or untidy root", () => {
		expect(resolveUnder(`${ROOT}/sub/../`, "x.jpg")).toBe(path.join(path.resolve(ROOT), "x.jpg"));
		expect(resolveUnder("relative-root", "x.jpg")).toBe(path.resolve("relative-root", "x.jpg"));
	});

	it("keeps a root that is the file system root working", () => {
		expect(resolveUnder(path.parse(ROOT).root, "x.jpg")).toBe(path.resolve(path.parse(ROOT).root, "x.jpg"));
	});

	it.each(UNSAFE)("throws 422 for %j", (key) => {
		expect(() => resolveUnder(ROOT, key)).toThrow(expect.objectContaining({ code: 422 }));
	});

	it("does not let a key reach a sibling directory that shares the root's name as a prefix", () => {
		// /tmp/root-evil starts with "/tmp/root" but is not under it
		expect(() => resolveUnder(ROOT, `../${path.basename(ROOT)}-evil/x`)).toThrow(expect.objectContaining({ code: 422 }));
	});

	const awkward = fc.constantFrom(
		"..",
		".",
		"/",
		"//",
		"\\",
		"%2e",
		"%2E",
		"%2f",
		"%5c",
		"%00",
		"\u0000",
		"~",
		":",
		"C:",
		"\u2025",
		"\uff0e",
		"\u00e9",
		"\u{1f600}",
		"a",
		"b.c",
		"-",
		"_",
	);
	const anything = fc.oneof(
		fc.string({ unit: "binary", maxLength: 8 }),
		fc.string({ unit: "grapheme", maxLength: 8 }),
		fc.string({ unit: "binary-ascii", maxLength: 8 }),
		awkward,
	);
	const arbitraryKey = fc.oneof(
		fc.array(anything, { maxLength: 12 }).map((parts) => parts.join("")),
		fc.array(anything, { maxLength: 8 }).map((parts) => parts.join("/")),
		fc.string({ unit: "binary", maxLength: 64 }),
	);

	it("never resolves anything outside the root (property)", () => {
		const base = path.resolve(ROOT) + path.sep;
		fc.assert(
			fc.property(arbitraryKey, (key) => {
				let resolved: string;
				try {
					resolved = resolveUnder(ROOT, key);
				} catch (error) {
					expect(error).toMatchObject({ code: 422 });
					return;
				}
				expect(resolved.startsWith(base)).toBe(true);
				expect(resolved.length).toBeGreaterThan(base.length);
				// nothing was normalised away: the key is the path below the root, as given
				expect(path.relative(path.resolve(ROOT), resolved).split(path.sep).join("/")).toBe(key);
			}),
			{ numRuns: 3000 },
		);
	});

	const safeSegment = fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,30}$/);
	const safeKey = fc.array(safeSegment, { minLength: 1, maxLength: 10 }).map((segments) => segments.join("/"));

	it("resolves every key built from safe segments (property)", () => {
		const base = path.resolve(ROOT) + path.sep;
		fc.assert(
			fc.property(safeKey, (key) => {
				expect(isSafeKey(key)).toBe(true);
				const resolved = resolveUnder(ROOT, key);
				expect(resolved).toBe(base + key.split("/").join(path.sep));
			}),
			{ numRuns: 1000 },
		);
	});
});

describe("datasetObjectKey", () => {
	it("builds datasets/<datasetId>/<sha256>.<ext>", () => {
		expect(datasetObjectKey("665f1c2e9b1e8a0012345678", SHA, "jpg")).toBe(`datasets/665f1c2e9b1e8a0012345678/${SHA}.jpg`);
	});

	it("lower-cases the hash and the extension and drops a leading dot", () => {
		expect(datasetObjectKey("d1", SHA.toUpperCase(), ".PNG")).toBe(`datasets/d1/${SHA}.png`);
		expect(datasetObjectKey("d1", SHA, ".webp")).toBe(`datasets/d1/${SHA}.webp`);
	});

	it("is the same key for the same content, and another for other content", () => {
		expect(datasetObjectKey("d1", SHA, "jpg")).toBe(datasetObjectKey("d1", SHA.toUpperCase(), "JPG"));
		expect(datasetObjectKey("d1", SHA, "jpg")).not.toBe(datasetObjectKey("d2", SHA, "jpg"));
	});

	it.each([
		["../d", SHA, "jpg"],
		["d/../..", SHA, "jpg"],
		["", SHA, "jpg"],
		[".d", SHA, "jpg"],
		["d1", "../../etc/passwd", "jpg"],
		["d1", SHA, "/jpg"],
		["d1", SHA, "jpg/../../x"],
		["d1", SHA, "j\u0000pg"],
		["d1", `${SHA}%2f..`, "jpg"],
		["d1", SHA, "j\\pg"],
		["d1", SHA, ""],
		["d1", SHA, "."],
		["d1", "abc", "jpg"],
		["d1", "", "jpg"],
		["d1", `${SHA}0`, "jpg"],
		["d1", "g".repeat(64), "jpg"],
	])("refuses the unsafe parts (%j, %j, %j) with 422", (datasetId, sha256, extension) => {
		expect(() => datasetObjectKey(datasetId, sha256, extension)).toThrow(expect.objectContaining({ code: 422 }));
	});
});
