import { isAddressAllowed, literalAddress } from "../crawl/ssrf-guard";

/** Longest webhook URL accepted (the common practical limit of browsers and proxies). */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

/**
 * Why a webhook URL is refused, or null when it may be registered. The same rules as the crawler's
 * (services/crawl/ssrf-guard.ts): only HTTPS — plain HTTP only where private networks are allowed
 * (CRAWL_ALLOW_PRIVATE_NETWORKS, tests and local demos) — no credentials, and no address the crawler
 * could not reach. A host name is looked up once here so an obvious mistake (`localhost`) is refused at
 * once; the check that counts runs again on every connection (services/notify/webhook-client.ts), since
 * a name can resolve elsewhere later. A name that does not resolve now is accepted: its deliveries fail.
 */
export async function webhookUrlProblem(input: string, allowPrivateNetworks: boolean, lookup: ResolveHost): Promise<string | null> {
	if (input.length > MAX_WEBHOOK_URL_LENGTH) return `The URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`;
	let url: URL;
	try {
		url = new URL(input);
	} catch {
		return "Not a valid absolute URL";
	}
	if (url.protocol !== "https:" && url.protocol !== "http:") return `The scheme ${url.protocol} is not allowed; use https`;
	if (url.protocol === "http:" && !allowPrivateNetworks) return "Webhooks must use https";
	if (url.username !== "" || url.password !== "") return "The URL cannot carry credentials; check the signature instead";
	if (url.hostname === "" || url.hostname === "[]") return "The URL has no host";
	if (url.hash !== "") return "The URL cannot have a fragment";
	const literal = literalAddress(url);
	if (literal !== null)
		return isAddressAllowed(literal, allowPrivateNetworks) ? null : `The address ${literal} is not reachable from PixCrawler`;
	let addresses: { address: string }[];
	try {
		addresses = await lookup(url.hostname);
	} catch {
		return null;
	}
	if (addresses.length > 0 && addresses.every((entry) => !isAddressAllowed(entry.address, allowPrivateNetworks))) {
		return `${url.hostname} resolves to an address PixCrawler does not reach (private, loopback or metadata)`;
	}
	return null;
}
