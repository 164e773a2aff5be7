import { PermanentError, TransientError } from "../../../../../services/crawl/errors";
import { checkStatus, cleanText, endpoint, httpUrl, retryAfterMs, stripHtml } from "../../../../../services/crawl/sources/common";

describe("what the sources share", () => {
	it("builds URLs under a base with a path prefix", () => {
		expect(endpoint("https://x.test/prefix", "/images/async", { q: "a b&c", first: 1, skip: undefined })).toBe(
			"https://x.test/prefix/images/async?q=a+b%26c&first=1",
		);
		expect(endpoint("https://x.test", "/", {})).toBe("https://x.test/");
	});

	it("reads Retry-After in seconds or as a date", () => {
		expect(retryAfterMs("7")).toBe(7000);
		expect(retryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(30_000);
		expect(retryAfterMs("soon")).toBeUndefined();
		expect(retryAfterMs(undefined)).toBeUndefined();
	});

	it.each([
		[429, TransientError],
		[403, TransientError],
		[500, TransientError],
		[503, TransientError],
		[404, PermanentError],
		[400, PermanentError],
	])("treats HTTP %i as %p", (status, kind) => {
		expect(() => checkStatus("test", { status, headers: { "Retry-After": "3" }, body: "" })).toThrow(kind);
	});

	it("passes 2xx and carries Retry-After whatever its header's case", () => {
		expect(() => checkStatus("test", { status: 200, headers: {}, body: "" })).not.toThrow();
		let thrown: unknown;
		try {
			checkStatus("test", { status: 429, headers: { "Retry-After": "3" }, body: "" });
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toMatchObject({ retryAfterMs: 3000, reason: "source_blocked" });
	});

	it("cleans text: highlight marks, whitespace, HTML", () => {
		expect(cleanText("\uE000Tabby\uE001  cat\n")).toBe("Tabby cat");
		expect(cleanText("   ")).toBeUndefined();
		expect(cleanText(7)).toBeUndefined();
		expect(stripHtml('<a href="//x">Jane</a> &amp; <b>John</b>')).toBe("Jane & John");
		expect(stripHtml("plain")).toBe("plain");
	});

	it("keeps only http(s) URLs, completing protocol-relative ones and undoing a leftover &amp;", () => {
		expect(httpUrl("//upload.wikimedia.org/a.jpg")).toBe("https://upload.wikimedia.org/a.jpg");
		expect(httpUrl("https://a.example/x.jpg?w=1&amp;h=2")).toBe("https://a.example/x.jpg?w=1&h=2");
		expect(httpUrl("javascript:alert(1)")).toBeUndefined();
		expect(httpUrl("data:image/png;base64,AAAA")).toBeUndefined();
		expect(httpUrl("not a url")).toBeUndefined();
		expect(httpUrl(undefined)).toBeUndefined();
	});
});
