import { normaliseLicense, openverseLicenseCode, openverseLicenseCodes } from "../../../../../services/crawl/sources/licenses";
import { LICENSES } from "../../../../../services/dataset/definition";
import { commonsLicenseShortName } from "../../../../support/source-fixtures";

describe("licence names", () => {
	it.each([
		// Wikimedia Commons LicenseShortName values
		["CC BY-SA 4.0", "cc-by-sa"],
		["CC BY-SA 3.0", "cc-by-sa"],
		["CC BY 2.0", "cc-by"],
		["CC BY-SA 2.5,2.0,1.0", "cc-by-sa"],
		["CC-BY-SA-3.0-migrated", "cc-by-sa"],
		["CC BY-SA 3.0 DE", "cc-by-sa"],
		["CC BY-NC-ND 4.0", "cc-by-nc-nd"],
		["cc-by-nc-sa-2.0", "cc-by-nc-sa"],
		["CC BY-ND 4.0", "cc-by-nd"],
		["Public domain", "public-domain"],
		["Public Domain Mark 1.0", "public-domain"],
		["PD-self", "public-domain"],
		["PD-old-70", "public-domain"],
		["CC0", "cc0"],
		["CC0 1.0", "cc0"],
		["cc-zero", "cc0"],
		// Openverse codes
		["by", "cc-by"],
		["by-sa", "cc-by-sa"],
		["by-nc", "cc-by-nc"],
		["by-nd", "cc-by-nd"],
		["by-nc-sa", "cc-by-nc-sa"],
		["by-nc-nd", "cc-by-nc-nd"],
		["cc0", "cc0"],
		["pdm", "public-domain"],
		// URLs
		["https://creativecommons.org/licenses/by-sa/3.0", "cc-by-sa"],
		["http://creativecommons.org/licenses/by-nc/2.0/deed.en", "cc-by-nc"],
		["http://creativecommons.org/publicdomain/zero/1.0/deed.en", "cc0"],
		["https://creativecommons.org/publicdomain/mark/1.0/", "public-domain"],
		// Not ours to guess
		["GFDL", "unknown"],
		["Attribution", "unknown"],
		["No restrictions", "unknown"],
		["sampling+", "unknown"],
		["All rights reserved", "unknown"],
		["https://creativecommons.org/licenses/sampling+/1.0/", "unknown"],
		["", "unknown"],
		["   ", "unknown"],
	])("%j is %s", (text, name) => {
		expect(normaliseLicense(text)).toBe(name);
	});

	it("calls missing values unknown", () => {
		expect(normaliseLicense(undefined)).toBe("unknown");
		expect(normaliseLicense(null)).toBe("unknown");
	});

	it("only ever answers a dataset licence name", () => {
		for (const text of ["by-sa-nc", "cc", "BY", "public", "pd", "cc-by-sa-4.0-int"]) expect(LICENSES).toContain(normaliseLicense(text));
	});

	it("maps every name but unknown to an Openverse code and back", () => {
		for (const name of LICENSES.filter((license) => license !== "unknown")) {
			const code = openverseLicenseCode(name);
			expect(code).toBeDefined();
			expect(normaliseLicense(code)).toBe(name);
			expect(normaliseLicense(commonsLicenseShortName(name))).toBe(name);
		}
		expect(openverseLicenseCode("unknown")).toBeUndefined();
		expect(openverseLicenseCodes(["cc-by", "unknown", "cc-by", "public-domain"])).toEqual(["by", "pdm"]);
	});
});
