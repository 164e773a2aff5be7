import robotsParser from "robots-parser";

/**
 * robots.txt (RFC 9309) and X-Robots-Tag, as pure functions. Matching is delegated to robots-parser, which
 * follows Google's reference matcher: the group for our product token (else `*`), the longest matching rule
 * wins, Allow wins a tie, `*` matches any run of characters and a final `$` anchors the end.
 */

export interface RobotsPolicy {
	/** Whether our crawler may fetch this URL (same origin as the robots.txt it was parsed from). */
	isAllowed(url: string | URL): boolean;
}

/** What a missing robots.txt (4xx) or an unreachable one means for us: everything may be fetched. */
export const ALLOW_ALL: RobotsPolicy = { isAllowed: () => true };

/** RFC 9309 asks parsers to read at least 500 KiB; anything after that is ignored. */
export const ROBOTS_MAX_BYTES = 512 * 1024;

/** The product token robots.txt groups name us by: "PixCrawler/0.1 (+https://…)" → "PixCrawler". */
export function userAgentToken(userAgent: string): string {
	const token = userAgent.trim().split(/[\s/;(]/, 1)[0];
	return token === "" ? "*" : token;
}

/** Where the robots.txt that governs a URL lives: its origin (scheme, host and port) plus /robots.txt. */
export function robotsUrlFor(url: URL): string {
	return `${url.origin}/robots.txt`;
}

/** Parses robots.txt text fetched from `robotsUrl`, for the crawler whose product token is `token`. */
export function parseRobots(robotsUrl: string, text: string, token: string): RobotsPolicy {
	// robots-parser does not strip a UTF-8 byte order mark, which would hide the first User-agent line.
	const robots = robotsParser(robotsUrl, text.replace(/^\uFEFF/, ""));
	return {
		isAllowed(url) {
			// undefined means "another origin": that file does not govern the URL, so it cannot forbid it.
			return robots.isAllowed(String(url), token) !== false;
		},
	};
}

const AI_OPT_OUT = new Set(["noai", "noimageai"]);

/**
 * True when an X-Robots-Tag header asks not to use the content for AI (`noai`, `noimageai`), in any casing,
 * in a comma list, with or without a user-agent prefix (`googlebot: noai`). A prefix naming another crawler
 * is honoured too: the wish is about AI training, which is what a dataset builder does whatever our name.
 */
export function robotsTagForbidsAi(header: string | readonly string[] | null | undefined): boolean {
	if (header === null || header === undefined) return false;
	const values = typeof header === "string" ? [header] : header;
	return values.some((value) =>
		value
			.toLowerCase()
			.split(/[\s,:;]+/)
			.some((token) => AI_OPT_OUT.has(token)),
	);
}
