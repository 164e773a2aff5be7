import type { LICENSES } from "../../dataset/definition";

/** One of the dataset licence names (cc0, public-domain, cc-by, …, unknown). */
export type LicenseName = (typeof LICENSES)[number];

/**
 * Openverse's licence codes for our names (its `license` query parameter and result field).
 * `unknown` has no counterpart: every Openverse image carries a licence.
 */
const OPENVERSE_CODES: Record<Exclude<LicenseName, "unknown">, string> = {
	cc0: "cc0",
	"public-domain": "pdm",
	"cc-by": "by",
	"cc-by-sa": "by-sa",
	"cc-by-nd": "by-nd",
	"cc-by-nc": "by-nc",
	"cc-by-nc-sa": "by-nc-sa",
	"cc-by-nc-nd": "by-nc-nd",
};

/** The Creative Commons families, matched after "CC", spaces and underscores are folded into dashes. */
const CC_FAMILY = /^(?:cc-?)?(by(?:-nc)?(?:-sa|-nd)?)(?:-\d.*)?$/;
const CC0 = /^(?:cc-?0|cc-?zero)(?:-\d.*)?$/;
const PUBLIC_DOMAIN = /^(?:public-?domain(?:-mark)?(?:-\d.*)?|pd|pdm|pd-.+)$/;

/**
 * Maps what a source says about a licence to our name: short names as Wikimedia Commons writes them
 * ("CC BY-SA 4.0", "Public domain", "CC0"), template-like names ("CC-BY-SA-3.0-DE", "PD-self"),
 * Openverse codes ("by-nc", "pdm"), and creativecommons.org URLs. Anything else is `unknown`: a
 * licence we cannot name is never guessed into a free one.
 */
export function normaliseLicense(text: string | null | undefined): LicenseName {
	if (typeof text !== "string") return "unknown";
	const trimmed = text.trim();
	if (trimmed === "") return "unknown";
	const fromUrl = licenseFromUrl(trimmed);
	if (fromUrl) return fromUrl;
	const folded = trimmed
		.toLowerCase()
		.replace(/[\s_]+/g, "-")
		.replace(/-+/g, "-");
	if (CC0.test(folded)) return "cc0";
	if (PUBLIC_DOMAIN.test(folded)) return "public-domain";
	const family = CC_FAMILY.exec(folded);
	if (family) return `cc-${family[1]}` as LicenseName;
	return "unknown";
}

function licenseFromUrl(text: string): LicenseName | undefined {
	const match = /creativecommons\.org\/(licenses|publicdomain)\/([a-z0-9-]+)/i.exec(text);
	if (!match) return undefined;
	const [, kind, code] = match;
	if (kind.toLowerCase() === "publicdomain") {
		if (code.toLowerCase() === "zero") return "cc0";
		if (code.toLowerCase() === "mark") return "public-domain";
		return "unknown";
	}
	const family = CC_FAMILY.exec(code.toLowerCase());
	return family ? (`cc-${family[1]}` as LicenseName) : "unknown";
}

/** Openverse codes for a dataset's licence filter; names without a counterpart are dropped. */
export function openverseLicenseCodes(licenses: readonly string[]): string[] {
	const codes = new Set<string>();
	for (const license of licenses) {
		const code = OPENVERSE_CODES[license as keyof typeof OPENVERSE_CODES];
		if (code) codes.add(code);
	}
	return [...codes];
}

/** Openverse code for one of our names (fixtures render results with it); undefined for `unknown`. */
export function openverseLicenseCode(license: string): string | undefined {
	return OPENVERSE_CODES[license as keyof typeof OPENVERSE_CODES];
}
