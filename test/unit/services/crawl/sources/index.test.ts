import { PermanentError } from "../../../../../services/crawl/errors";
import { SOURCE_FACTORIES, sourceFor } from "../../../../../services/crawl/sources";
import { SOURCES } from "../../../../../services/dataset/definition";
import { testConfig } from "./helpers";

describe("the source registry", () => {
	it("has one source for every name a dataset may use, each answering to its name", () => {
		expect(Object.keys(SOURCE_FACTORIES).sort()).toEqual([...SOURCES].sort());
		for (const name of SOURCES) expect(sourceFor(name, testConfig()).name).toBe(name);
	});

	it("refuses an unknown name", () => {
		expect(() => sourceFor("altavista", testConfig())).toThrow(PermanentError);
		expect(() => sourceFor("toString", testConfig())).toThrow(PermanentError);
	});
});
