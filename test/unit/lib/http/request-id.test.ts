import { requestIdFrom } from "../../../../lib/http/request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("requestIdFrom", () => {
	it("keeps a safe client-supplied id", () => {
		expect(requestIdFrom("abc-123_XYZ.9:0")).toBe("abc-123_XYZ.9:0");
		expect(requestIdFrom("0123456789abcdef0123456789abcdef")).toBe("0123456789abcdef0123456789abcdef");
	});

	it("takes the first of repeated headers", () => {
		expect(requestIdFrom(["first-id-123", "second-id-456"])).toBe("first-id-123");
	});

	it("generates a UUID when the header is missing or empty", () => {
		expect(requestIdFrom(undefined)).toMatch(UUID);
		expect(requestIdFrom("")).toMatch(UUID);
		expect(requestIdFrom([])).toMatch(UUID);
	});

	it("replaces ids that could forge or flood log lines", () => {
		for (const unsafe of [
			"short",
			"has space inside",
			"line\nbreak-123",
			"tab\there-123",
			"<script>alert</script>",
			"x".repeat(129),
			"ünïcödé-1234",
		]) {
			const id = requestIdFrom(unsafe);
			expect(id).not.toBe(unsafe);
			expect(id).toMatch(UUID);
		}
	});

	it("accepts ids at the length limits 8 and 128", () => {
		expect(requestIdFrom("12345678")).toBe("12345678");
		expect(requestIdFrom("y".repeat(128))).toBe("y".repeat(128));
	});

	it("generates a different id each time", () => {
		expect(requestIdFrom(undefined)).not.toBe(requestIdFrom(undefined));
	});
});
