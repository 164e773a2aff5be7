import { flag, list, optionalText, port, positiveInt, url, variable } from "../../../../lib/config/variable";

describe("flag", () => {
	it("reads true and false words in any case, ignoring surrounding spaces", () => {
		for (const word of ["true", "TRUE", " yes ", "1", "on"]) expect(flag.parse(word)).toBe(true);
		for (const word of ["false", "False", " no", "0", "OFF"]) expect(flag.parse(word)).toBe(false);
	});

	it("refuses any other word with a message saying what it expects", () => {
		const result = flag.safeParse("maybe");
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe("expected true or false");
	});
});

describe("port", () => {
	it("accepts 0 through 65535", () => {
		expect(port.parse("0")).toBe(0);
		expect(port.parse("65535")).toBe(65535);
	});

	it("refuses out-of-range, fractional and non-numeric values", () => {
		for (const text of ["65536", "-1", "1.5", "abc"]) expect(port.safeParse(text).success).toBe(false);
	});
});

describe("positiveInt", () => {
	it("accepts positive integers and refuses zero", () => {
		expect(positiveInt.parse("7")).toBe(7);
		expect(positiveInt.safeParse("0").success).toBe(false);
	});
});

describe("list", () => {
	it("splits on commas, trims items and drops blanks", () => {
		expect(list.parse(" a , b,, ,c ")).toEqual(["a", "b", "c"]);
		expect(list.parse("")).toEqual([]);
	});
});

describe("optionalText", () => {
	it("trims text and turns blank text into undefined", () => {
		expect(optionalText.parse("  node-1 ")).toBe("node-1");
		expect(optionalText.parse("   ")).toBeUndefined();
	});
});

describe("url", () => {
	const redis = url(["redis", "rediss"]);

	it("accepts the listed protocols and treats blank as unset", () => {
		expect(redis.parse(" redis://localhost:6379 ")).toBe("redis://localhost:6379");
		expect(redis.parse("rediss://cache:6380")).toBe("rediss://cache:6380");
		expect(redis.parse("  ")).toBeUndefined();
	});

	it("refuses another protocol naming the expected ones", () => {
		const result = redis.safeParse("http://localhost");
		expect(result.success).toBe(false);
		expect(result.error?.issues[0].message).toBe("expected a redis or rediss URL");
	});

	it("refuses text that is not a URL", () => {
		expect(redis.safeParse("not a url").error?.issues[0].message).toBe("expected a URL");
	});
});

describe("variable", () => {
	it("returns the specification unchanged", () => {
		const spec = { env: "X", schema: flag, description: "x", default: "true" };
		expect(variable(spec)).toBe(spec);
	});
});
