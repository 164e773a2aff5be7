import net from "node:net";
import { LRUCache } from "lru-cache";
import { Agent, buildConnector, type Dispatcher, request } from "undici";
import type { Config } from "../../lib/config";
import { PermanentError, TransientError } from "./errors";
import { HostLimiter, type Release, Semaphore } from "./host-limiter";
import { ALLOW_ALL, parseRobots, ROBOTS_MAX_BYTES, type RobotsPolicy, robotsTagForbidsAi, robotsUrlFor, userAgentToken } from "./robots";
import type { SourceHttp, SourceResponse } from "./sources/source";
import {
	classifyAddress,
	guardedLookup,
	isAddressAllowed,
	literalAddress,
	parseCrawlUrl,
	type ResolveHost,
	systemLookup,
} from "./ssrf-guard";

export type DownloaderConfig = Pick<
	Config["crawl"],
	| "allowPrivateNetworks"
	| "userAgent"
	| "connectTimeoutMs"
	| "headersTimeoutMs"
	| "totalTimeoutMs"
	| "maxImageBytes"
	| "concurrency"
	| "perHostConcurrency"
	| "respectRobots"
>;

export type { ResolveHost } from "./ssrf-guard";

export interface DownloaderOptions {
	/** Name resolution; tests inject names that resolve where they want. Defaults to the system resolver. */
	lookup?: ResolveHost;
	/**
	 * Tests only: decides which addresses may be connected to, replacing the default rule (public addresses,
	 * plus private ones when `allowPrivateNetworks`). Lets a fixture on a loopback address play a public host.
	 */
	isAddressAllowed?: (address: string) => boolean;
}

export interface DownloadOptions {
	/** Overrides `maxImageBytes` for this download. */
	maxBytes?: number;
	signal?: AbortSignal;
}

export interface DownloadResult {
	/** The URL finally answered, after redirects. */
	url: string;
	status: number;
	contentType: string | null;
	/** Response headers, lower-case names; repeated headers joined with ", ". */
	headers: Record<string, string>;
	body: Buffer;
}

export const MAX_REDIRECTS = 5;
/** Search pages and API answers are text; a bigger one is not what the source expects. */
export const TEXT_MAX_BYTES = 5 * 1024 * 1024;
export const ROBOTS_TTL_MS = 60 * 60 * 1000;
/** A robots.txt that could not be read (5xx, timeout) allows everything, but only for a short while. */
export const ROBOTS_RETRY_TTL_MS = 60 * 1000;
const ROBOTS_CACHE_ORIGINS = 10_000;
/**
 * Response headers larger than this are refused (`headers_too_large`): Node's own default, set here so a
 * `--max-http-header-size` flag cannot lift it. undici counts the bytes as they arrive, so a 1 MiB header or
 * 10 000 small ones cost at most this much.
 */
export const MAX_HEADER_BYTES = 16 * 1024;
/** How much of an unwanted body (redirect, error page) is read to keep the connection reusable. */
const DISCARD_LIMIT = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8,*/*;q=0.5";
/** Headers a caller may not set: we speak for ourselves (User-Agent), and we do not decode compressed bodies. */
const RESERVED_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "accept-encoding", "user-agent", "upgrade"]);

const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
/** Content codings that leave the body as it is; anything else would have to be inflated first. */
const IDENTITY_ENCODINGS = new Set(["", "identity"]);

type Hop<T> = { next: URL } | { value: T };

interface TextHop {
	url: URL;
	status: number;
	headers: Record<string, string>;
	body: string;
}

/**
 * The crawler's only way out to the web. Every connection goes through a connector that checks the address
 * actually connected to — after DNS resolution, on each connection — so a URL, a redirect or a DNS answer that
 * changes between two looks cannot lead the crawler into the private network.
 * Image downloads share `concurrency` slots; every request (images, robots.txt, search pages) holds one of
 * its host's `perHostConcurrency` slots while it is on the wire.
 */
export class Downloader implements SourceHttp {
	private readonly agent: Agent;
	private readonly resolveHost: ResolveHost;
	private readonly allowAddress: (address: string) => boolean;
	private readonly global: Semaphore;
	private readonly hosts: HostLimiter;
	private readonly robotsToken: string;
	private readonly robots = new LRUCache<string, RobotsPolicy>({ max: ROBOTS_CACHE_ORIGINS, ttl: ROBOTS_TTL_MS });
	private readonly robotsInFlight = new Map<string, Promise<RobotsPolicy>>();

	constructor(
		private readonly config: DownloaderConfig,
		options: DownloaderOptions = {},
	) {
		this.resolveHost = options.lookup ?? systemLookup;
		this.allowAddress = options.isAddressAllowed ?? ((address) => isAddressAllowed(address, config.allowPrivateNetworks));
		this.global = new Semaphore(config.concurrency);
		this.hosts = new HostLimiter(config.perHostConcurrency);
		this.robotsToken = userAgentToken(config.userAgent);
		const connectThroughGuard = buildConnector({
			timeout: config.connectTimeoutMs,
			lookup: guardedLookup(this.resolveHost, this.allowAddress, (hostname, addresses) => blockedAddress(hostname, addresses.join(", "))),
		});
		this.agent = new Agent({
			connect: (options, callback) => {
				// net.connect skips `lookup` for IP literals, so those are judged here, before any socket exists.
				const literal = options.hostname.replace(/^\[|\]$/g, "");
				if (net.isIP(literal) && !this.allowAddress(literal)) {
					callback(blockedAddress(literal, literal), null);
					return;
				}
				connectThroughGuard(options, callback);
			},
			headersTimeout: config.headersTimeoutMs,
			maxHeaderSize: MAX_HEADER_BYTES,
			// A body that stalls gets the same patience as headers that do not come; the total timeout bounds the rest.
			bodyTimeout: config.headersTimeoutMs,
		});
	}

	/** Downloads an image: robots.txt and X-Robots-Tag honoured, size bounded, failures classified. */
	async download(input: string, options: DownloadOptions = {}): Promise<DownloadResult> {
		const maxBytes = options.maxBytes ?? this.config.maxImageBytes;
		const start = this.checkedUrl(input);
		let releaseGlobal: Release;
		try {
			releaseGlobal = await this.global.acquire(options.signal);
		} catch (error) {
			throw abortError(options.signal, error);
		}
		const deadline = new Deadline(this.config.totalTimeoutMs, options.signal);
		try {
			return await this.follow(start, async (url) => {
				if (this.config.respectRobots) await this.checkRobots(url, deadline.signal);
				// identity: a compliant server then never compresses, and a body that still comes compressed is refused
				const headers = { "user-agent": this.config.userAgent, accept: IMAGE_ACCEPT, "accept-encoding": "identity" };
				return this.withHost(url, headers, deadline.signal, (response) => this.imageHop(url, response, maxBytes));
			});
		} catch (error) {
			throw this.classify(error, start, deadline, options.signal);
		} finally {
			deadline.clear();
			releaseGlobal();
		}
	}

	/**
	 * GETs a text resource for a search source: same address guard, redirects and timeouts as images, a 5 MiB
	 * limit, no robots.txt (search APIs are addressed as API clients). HTTP errors are returned for the source to
	 * interpret; network failures throw TransientError, refused addresses PermanentError("blocked_address").
	 */
	async getText(input: string, options: { headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<SourceResponse> {
		const start = this.checkedUrl(input);
		const deadline = new Deadline(this.config.totalTimeoutMs, options.signal);
		try {
			const { status, headers, body } = await this.fetchText(
				start,
				callerHeaders(options.headers),
				deadline.signal,
				TEXT_MAX_BYTES,
				"throw",
			);
			return { status, headers, body };
		} catch (error) {
			throw this.classify(error, start, deadline, options.signal);
		} finally {
			deadline.clear();
		}
	}

	/** Closes the connection pool (waiting for requests in flight) and forgets cached robots.txt files. */
	async close(): Promise<void> {
		this.robots.clear();
		await this.agent.close();
	}

	/** Parses the URL and refuses literal addresses right away, without opening a connection. */
	private checkedUrl(input: string | URL): URL {
		const url = parseCrawlUrl(input);
		const literal = literalAddress(url);
		if (literal !== null && !this.allowAddress(literal)) throw blockedAddress(url.hostname, literal);
		return url;
	}

	/** Runs hops until one gives a value, following at most MAX_REDIRECTS redirects, each target re-checked. */
	private async follow<T>(start: URL, hop: (url: URL) => Promise<Hop<T>>): Promise<T> {
		let url = start;
		for (let redirects = 0; ; redirects++) {
			const outcome = await hop(url);
			if ("value" in outcome) return outcome.value;
			if (redirects + 1 > MAX_REDIRECTS) {
				throw new PermanentError("too_many_redirects", `more than ${MAX_REDIRECTS} redirects starting at ${start.href}`);
			}
			url = outcome.next;
		}
	}

	/** Sends one GET while holding a slot of the URL's host, and hands the response to `handle`. */
	private async withHost<T>(
		url: URL,
		headers: Record<string, string>,
		signal: AbortSignal,
		handle: (response: Dispatcher.ResponseData) => Promise<T>,
	): Promise<T> {
		const release = await this.hosts.acquire(url.hostname, signal);
		try {
			const response = await request(url, { dispatcher: this.agent, method: "GET", headers, signal });
			try {
				return await handle(response);
			} catch (error) {
				destroyQuietly(response.body);
				throw error;
			}
		} finally {
			release();
		}
	}

	/** Where a redirect response points, parsed and checked like any URL; null when it is not a redirect. */
	private redirectTarget(url: URL, response: Dispatcher.ResponseData): URL | null {
		if (!REDIRECT_STATUSES.has(response.statusCode)) return null;
		const location = headerValue(response.headers.location);
		if (!location) return null;
		let target: URL;
		try {
			target = new URL(location, url);
		} catch {
			throw new PermanentError("bad_url", `redirect from ${url.href} to an invalid URL`);
		}
		return this.checkedUrl(target);
	}

	private async imageHop(url: URL, response: Dispatcher.ResponseData, maxBytes: number): Promise<Hop<DownloadResult>> {
		const status = response.statusCode;
		const next = this.redirectTarget(url, response);
		if (next) {
			await discard(response.body);
			return { next };
		}
		if (status < 200 || status >= 300) {
			await discard(response.body);
			throw statusError(url, status, headerValue(response.headers["retry-after"]));
		}
		const headers = flattenHeaders(response.headers);
		if (this.config.respectRobots && robotsTagForbidsAi(response.headers["x-robots-tag"])) {
			throw new PermanentError("noai", `${url.href} is marked X-Robots-Tag: ${headers["x-robots-tag"]}`);
		}
		// Never inflated: a few MB of gzip or brotli expand to gigabytes (a decompression bomb), and no image
		// format gains from HTTP compression. Refused from the headers, before a byte of the body is read.
		const encoding = (headers["content-encoding"] ?? "").trim().toLowerCase();
		if (!IDENTITY_ENCODINGS.has(encoding)) {
			throw new PermanentError(
				"unsupported_encoding",
				`${url.href} is sent with Content-Encoding: ${encoding} (only identity is accepted)`,
			);
		}
		const body = await readBody(response, url, maxBytes, "throw");
		return { value: { url: url.href, status, contentType: headers["content-type"] ?? null, headers, body } };
	}

	/** GET with redirects, returning the final response whatever its status. Caller headers stay on the first origin. */
	private fetchText(
		start: URL,
		headers: Record<string, string>,
		signal: AbortSignal,
		maxBytes: number,
		onLimit: "throw" | "truncate",
	): Promise<TextHop> {
		return this.follow(start, (url) => {
			const sent = { ...(url.origin === start.origin ? headers : {}), "user-agent": this.config.userAgent };
			return this.withHost(url, sent, signal, async (response): Promise<Hop<TextHop>> => {
				const next = this.redirectTarget(url, response);
				if (next) {
					await discard(response.body);
					return { next };
				}
				const responseHeaders = flattenHeaders(response.headers);
				const bytes = await readBody(response, url, maxBytes, onLimit);
				const body = decodeText(bytes, responseHeaders["content-type"]);
				return { value: { url, status: response.statusCode, headers: responseHeaders, body } };
			});
		});
	}

	private async checkRobots(url: URL, signal: AbortSignal): Promise<void> {
		const policy = await this.robotsFor(url, signal);
		if (!policy.isAllowed(url)) {
			throw new PermanentError("robots_disallowed", `${robotsUrlFor(url)} disallows ${url.pathname}${url.search}`);
		}
	}

	/** One fetch per origin however many downloads ask at once; each asker still honours its own signal. */
	private robotsFor(url: URL, signal: AbortSignal): Promise<RobotsPolicy> {
		const origin = url.origin;
		const cached = this.robots.get(origin);
		if (cached) return Promise.resolve(cached);
		let pending = this.robotsInFlight.get(origin);
		if (!pending) {
			pending = this.fetchRobots(url).finally(() => this.robotsInFlight.delete(origin));
			this.robotsInFlight.set(origin, pending);
		}
		return untilAborted(pending, signal);
	}

	private async fetchRobots(url: URL): Promise<RobotsPolicy> {
		const robotsUrl = robotsUrlFor(url);
		const remember = (policy: RobotsPolicy, ttl: number) => {
			this.robots.set(url.origin, policy, { ttl });
			return policy;
		};
		try {
			// Not tied to one download's signal: other downloads of the same origin wait for this answer too.
			const signal = AbortSignal.timeout(this.config.totalTimeoutMs);
			const answer = await this.fetchText(new URL(robotsUrl), {}, signal, ROBOTS_MAX_BYTES, "truncate");
			if (answer.status >= 200 && answer.status < 300) {
				return remember(parseRobots(robotsUrl, answer.body, this.robotsToken), ROBOTS_TTL_MS);
			}
			// RFC 9309: a robots.txt that does not exist (4xx) means no restriction. A server error or rate limit
			// would mean "disallow everything" there; we allow, but ask again soon.
			const clientError = answer.status >= 400 && answer.status < 500 && answer.status !== 429;
			return remember(ALLOW_ALL, clientError ? ROBOTS_TTL_MS : ROBOTS_RETRY_TTL_MS);
		} catch {
			// Unreachable, too slow, or redirected somewhere refused: allow for now. The image request itself still
			// goes through the address guard, so a refused host stays refused.
			return remember(ALLOW_ALL, ROBOTS_RETRY_TTL_MS);
		}
	}

	/** Turns whatever went wrong into the crawl error vocabulary. */
	private classify(error: unknown, url: URL, deadline: Deadline, callerSignal: AbortSignal | undefined): Error {
		const known = findCause(error, (candidate) => candidate instanceof PermanentError || candidate instanceof TransientError);
		if (known) return known as Error;
		if (callerSignal?.aborted) return abortError(callerSignal, error);
		if (deadline.expired) {
			return new TransientError(`timeout: ${url.href} took more than ${this.config.totalTimeoutMs} ms`, undefined, "timeout");
		}
		const code = errorCode(error);
		const detail = `${url.href}: ${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ""}`;
		if (code !== undefined && TIMEOUT_CODES.has(code)) {
			return new TransientError(`timeout: ${detail}`, undefined, "timeout");
		}
		if (code === "ENOTFOUND") return new PermanentError("host_not_found", `host not found: ${detail}`);
		if (code === "UND_ERR_HEADERS_OVERFLOW") {
			return new PermanentError("headers_too_large", `response headers over ${MAX_HEADER_BYTES} bytes: ${detail}`);
		}
		// The server closed the connection before sending the body its Content-Length announced: a server that
		// crashed or a proxy that gave up looks the same, so it is retried, under its own name.
		if (code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH") return new TransientError(`truncated: ${detail}`, undefined, "truncated");
		return new TransientError(`network error: ${detail}`, undefined, "network_error");
	}
}

/** The total time budget of one request, aborting its signal when spent; also aborts when the caller does. */
class Deadline {
	private readonly controller = new AbortController();
	private readonly timer: NodeJS.Timeout;
	readonly signal: AbortSignal;
	expired = false;

	constructor(ms: number, callerSignal?: AbortSignal) {
		this.timer = setTimeout(() => {
			this.expired = true;
			this.controller.abort(new DOMException(`timed out after ${ms} ms`, "TimeoutError"));
		}, ms);
		this.signal = callerSignal ? AbortSignal.any([callerSignal, this.controller.signal]) : this.controller.signal;
	}

	clear(): void {
		clearTimeout(this.timer);
	}
}

function blockedAddress(host: string, addresses: string): PermanentError {
	const kinds = [...new Set(addresses.split(", ").map(classifyAddress))].join(", ");
	return new PermanentError("blocked_address", `refusing to connect to ${host} (${addresses}: ${kinds})`);
}

function abortError(signal: AbortSignal | undefined, fallback: unknown): Error {
	const reason = signal?.aborted ? signal.reason : fallback;
	return reason instanceof Error ? reason : new DOMException("The download was aborted", "AbortError");
}

function statusError(url: URL, status: number, retryAfter: string | undefined): Error {
	const message = `${url.href} answered HTTP ${status}`;
	if (status === 404 || status === 410) return new PermanentError("not_found", message);
	if (status === 429 || status >= 500) return new TransientError(message, parseRetryAfter(retryAfter), "http_error");
	return new PermanentError("http_error", message);
}

/**
 * Retry-After as milliseconds from now: either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; a date in the past means "now" (0).
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
	if (value === null || value === undefined) return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text) * 1000;
	if (!/[a-z]/i.test(text)) return undefined;
	const date = Date.parse(text);
	if (Number.isNaN(date)) return undefined;
	return Math.max(0, date - now);
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: Dispatcher.ResponseData["headers"]): Record<string, string> {
	const flat: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
	}
	return flat;
}

function callerHeaders(headers: Record<string, string> | undefined): Record<string, string> {
	const kept: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (!RESERVED_HEADERS.has(name.toLowerCase())) kept[name.toLowerCase()] = value;
	}
	return kept;
}

/** Reads a body up to `maxBytes`: refused up front from Content-Length, and counted while streaming (chunked bodies). */
async function readBody(response: Dispatcher.ResponseData, url: URL, maxBytes: number, onLimit: "throw" | "truncate"): Promise<Buffer> {
	const tooLarge = (what: string) => new PermanentError("too_large", `${url.href} is larger than ${maxBytes} bytes (${what})`);
	const declared = Number(headerValue(response.headers["content-length"]));
	if (onLimit === "throw" && Number.isFinite(declared) && declared > maxBytes) throw tooLarge(`Content-Length ${declared}`);
	const chunks: Buffer[] = [];
	let received = 0;
	for await (const chunk of response.body) {
		const bytes = chunk as Buffer;
		if (received + bytes.length > maxBytes) {
			if (onLimit === "throw") throw tooLarge("while streaming");
			chunks.push(bytes.subarray(0, maxBytes - received));
			received = maxBytes;
			destroyQuietly(response.body);
			break;
		}
		chunks.push(bytes);
		received += bytes.length;
	}
	return Buffer.concat(chunks, received);
}

/** Drops a body we will not read; undici then reports an "aborted" error on the stream, which nobody needs. */
function destroyQuietly(body: Dispatcher.ResponseData["body"]): void {
	body.on("error", () => {});
	body.destroy();
}

async function discard(body: Dispatcher.ResponseData["body"]): Promise<void> {
	try {
		await body.dump({ limit: DISCARD_LIMIT });
	} catch {
		// The connection is dropped instead of reused; nothing else depends on this body.
	}
}

function decodeText(bytes: Buffer, contentType: string | undefined): string {
	const charset = contentType?.match(/charset\s*=\s*"?([^";\s]+)/i)?.[1];
	try {
		return new TextDecoder(charset ?? "utf-8").decode(bytes);
	} catch {
		return new TextDecoder("utf-8").decode(bytes);
	}
}

/** The error itself or one of its causes that satisfies `test`. */
function findCause(error: unknown, test: (candidate: unknown) => boolean): unknown {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
		if (test(current)) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function errorCode(error: unknown): string | undefined {
	const withCode = findCause(error, (candidate) => typeof (candidate as { code?: unknown }).code === "string");
	return withCode ? (withCode as { code: string }).code : undefined;
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener("abort", onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener("abort", onAbort);
				resolve(value);
			},
			(error) => {
				signal.removeEventListener("abort", onAbort);
				reject(error);
			},
		);
	});
}
