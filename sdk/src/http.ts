import { randomUUID } from "node:crypto";
import {
	AuthenticationError,
	errorFromResponse,
	NetworkError,
	PixCrawlerError,
	type ProblemDetails,
	parseRetryAfter,
	TimeoutError,
} from "./errors";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
	/** API token (`pxc_…`) or JWT access token; defaults to `PIXCRAWLER_API_TOKEN`. */
	token?: string;
	/** Where the platform runs; defaults to `PIXCRAWLER_BASE_URL`, else `http://localhost:3000`. `/api/v1` is added when missing. */
	baseUrl?: string;
	/** Time allowed for each attempt, until the answer's body is read (streamed downloads: until the headers). Default 30000. */
	timeoutMs?: number;
	/** Further attempts after a retryable failure of an idempotent request. Default 3. */
	maxRetries?: number;
	/** First backoff step in milliseconds; attempt n waits a random time up to `retryBaseMs * 2^n`. Default 500. */
	retryBaseMs?: number;
	/** Longest wait between attempts in milliseconds, Retry-After included. Default 30000. */
	retryMaxMs?: number;
	/** A fetch implementation; defaults to the global one. */
	fetch?: FetchLike;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
	query?: object;
	body?: unknown;
	signal?: AbortSignal;
	headers?: Record<string, string>;
	/** POSTs only: the Idempotency-Key to send on every attempt; a new UUID when absent. */
	idempotencyKey?: string;
}

export const DEFAULT_BASE_URL = "http://localhost:3000";
const IDEMPOTENT = new Set(["GET", "HEAD", "DELETE", "PUT"]);
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/**
 * A POST is retried only with its Idempotency-Key, and only when the API cannot have run it yet (429), or
 * the attempt got no answer at all (the gateway kept the answer if it ran it). A 5xx may or may not have
 * taken effect, so it is not retried.
 */
const POST_RETRYABLE_STATUSES = new Set([429]);
const IDEMPOTENCY_KEY = "Idempotency-Key";

/** `base` with `/api/v1` at the end, once. */
export function apiRoot(base: string): string {
	const trimmed = base.replace(/\/+$/, "");
	return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(signal.reason);
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(signal?.reason);
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener("abort", onAbort);
			resolve();
		}, ms);
		signal?.addEventListener("abort", onAbort, { once: true });
	});
}

/**
 * A signal that aborts with a TimeoutError after `timeoutMs`, or with the caller's reason when `outer` aborts
 * first; for waits that span many requests. Call `dispose` when done.
 */
export function deadlineSignal(timeoutMs: number, message: string, outer?: AbortSignal): { signal: AbortSignal; dispose(): void } {
	const controller = new AbortController();
	const onOuterAbort = () => controller.abort(outer?.reason);
	if (outer?.aborted) controller.abort(outer.reason);
	else outer?.addEventListener("abort", onOuterAbort, { once: true });
	const timer = setTimeout(() => controller.abort(new TimeoutError(message)), timeoutMs);
	return {
		signal: controller.signal,
		dispose() {
			clearTimeout(timer);
			outer?.removeEventListener("abort", onOuterAbort);
		},
	};
}

/** One attempt's signal: the caller's, plus a timeout that marks itself so it can be told apart. */
function attemptSignal(timeoutMs: number, outer?: AbortSignal) {
	const controller = new AbortController();
	let timedOut = false;
	const onOuterAbort = () => controller.abort(outer?.reason);
	if (outer?.aborted) controller.abort(outer.reason);
	else outer?.addEventListener("abort", onOuterAbort, { once: true });
	const timer = setTimeout(() => {
		timedOut = true;
		controller.abort(new TimeoutError(`The request took longer than ${timeoutMs} ms`));
	}, timeoutMs);
	return {
		signal: controller.signal,
		timedOut: () => timedOut,
		clearTimer: () => clearTimeout(timer),
		dispose() {
			clearTimeout(timer);
			outer?.removeEventListener("abort", onOuterAbort);
		},
	};
}

function queryString(query?: object): string {
	if (!query) return "";
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null) continue;
		params.append(key, String(value));
	}
	const text = params.toString();
	return text ? `?${text}` : "";
}

async function problemOf(response: Response): Promise<ProblemDetails | null> {
	const text = await response.text().catch(() => "");
	if (!text) return null;
	try {
		const parsed = JSON.parse(text);
		return parsed && typeof parsed === "object" ? (parsed as ProblemDetails) : null;
	} catch {
		return { detail: text.slice(0, 500) };
	}
}

/** Authenticated JSON over HTTP with timeouts, retries and typed errors. */
export class Transport {
	readonly baseUrl: string;
	readonly timeoutMs: number;
	readonly maxRetries: number;
	private readonly token: string | undefined;
	private readonly retryBaseMs: number;
	private readonly retryMaxMs: number;
	private readonly fetchImpl: FetchLike;

	constructor(options: TransportOptions = {}) {
		this.token = options.token ?? process.env.PIXCRAWLER_API_TOKEN ?? undefined;
		this.baseUrl = apiRoot(options.baseUrl ?? process.env.PIXCRAWLER_BASE_URL ?? DEFAULT_BASE_URL);
		this.timeoutMs = options.timeoutMs ?? 30000;
		this.maxRetries = Math.max(0, options.maxRetries ?? 3);
		this.retryBaseMs = options.retryBaseMs ?? 500;
		this.retryMaxMs = options.retryMaxMs ?? 30000;
		const fetchImpl = options.fetch ?? (globalThis.fetch as FetchLike | undefined);
		if (!fetchImpl) throw new PixCrawlerError("No fetch implementation: use Node 20 or later, or pass `fetch`");
		this.fetchImpl = fetchImpl;
	}

	/** Sends a request and answers its JSON body (undefined for 204). */
	async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
		return this.send(method, path, options, async (response) => {
			if (response.status === 204) return undefined as T;
			const text = await response.text();
			return (text ? JSON.parse(text) : undefined) as T;
		});
	}

	/** Sends a request and answers the successful response itself, its body unread (the timeout no longer applies to it). */
	async stream(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
		return this.send(method, path, options, async (response) => response, false);
	}

	/**
	 * GETs a signed link the API handed out (absolute, or relative to the platform's origin), body unread.
	 * The link is its own credential: the token is never sent along, so it cannot leak to an object store.
	 */
	async streamLink(link: string, options: RequestOptions = {}): Promise<Response> {
		const url = new URL(link, this.baseUrl).toString();
		return this.send("GET", url, options, async (response) => response, false, false);
	}

	private async send<T>(
		method: string,
		path: string,
		options: RequestOptions,
		read: (response: Response) => Promise<T>,
		timeoutCoversBody = true,
		authorized = true,
	): Promise<T> {
		if (authorized && !this.token) {
			throw new AuthenticationError("No API token: pass `token` to the client or set PIXCRAWLER_API_TOKEN");
		}
		const verb = method.toUpperCase();
		const url = authorized ? `${this.baseUrl}${path}${queryString(options.query)}` : path;
		const headers: Record<string, string> = {
			Accept: "application/json",
			...(authorized ? { Authorization: `Bearer ${this.token}` } : {}),
			...options.headers,
		};
		let body: string | undefined;
		if (options.body !== undefined) {
			headers["Content-Type"] = "application/json";
			body = JSON.stringify(options.body);
		}
		// one key per call, the same on each of its attempts: the API runs the POST at most once
		const keyed = authorized && verb === "POST";
		if (keyed && !Object.keys(headers).some((name) => name.toLowerCase() === IDEMPOTENCY_KEY.toLowerCase())) {
			headers[IDEMPOTENCY_KEY] = options.idempotencyKey ?? randomUUID();
		}
		const retryable = IDEMPOTENT.has(verb) || keyed;
		for (let attempt = 0; ; attempt++) {
			const canRetry = retryable && attempt < this.maxRetries;
			const scope = attemptSignal(this.timeoutMs, options.signal);
			let retryAfter: number | null = null;
			let handedOver = false;
			try {
				let response: Response;
				try {
					response = await this.fetchImpl(url, { method: verb, headers, body, signal: scope.signal });
				} catch (error) {
					throw this.failure(error, scope.timedOut(), options.signal);
				}
				if (response.ok) {
					if (!timeoutCoversBody) {
						// the caller reads the body at its own pace; its signal still aborts it
						scope.clearTimer();
						handedOver = true;
						return await read(response);
					}
					try {
						return await read(response);
					} catch (error) {
						throw this.failure(error, scope.timedOut(), options.signal);
					}
				}
				const problem = await problemOf(response);
				const error = errorFromResponse(response.status, problem, response.headers);
				if (!canRetry || !this.worthRetrying(verb, response, attempt)) throw error;
				retryAfter = parseRetryAfter(response.headers.get("retry-after"));
				// a budget that refills later than this client waits (a daily plan limit resets in hours): a sooner
				// attempt is refused again, so the caller hears of the limit now
				if (response.status === 429 && retryAfter !== null && retryAfter * 1000 > this.retryMaxMs) throw error;
			} catch (error) {
				if (!(error instanceof NetworkError) || !canRetry) throw error;
			} finally {
				if (!handedOver) scope.dispose();
			}
			await sleep(this.delay(attempt, retryAfter), options.signal);
		}
	}

	/**
	 * Idempotent methods: 429 and 5xx other than 500. POSTs: 429, and a 409 with Retry-After once an earlier
	 * attempt of this call may have reached the API (its first run is still going on).
	 */
	private worthRetrying(verb: string, response: Response, attempt: number): boolean {
		if (verb !== "POST") return RETRYABLE_STATUSES.has(response.status);
		if (response.status === 409) return attempt > 0 && response.headers.has("retry-after");
		return POST_RETRYABLE_STATUSES.has(response.status);
	}

	/** What a failed fetch becomes: the caller's abort reason as is, a TimeoutError, or a NetworkError. */
	private failure(error: unknown, timedOut: boolean, outer?: AbortSignal): unknown {
		if (error instanceof PixCrawlerError) return error;
		if (timedOut) return new TimeoutError(`The request took longer than ${this.timeoutMs} ms`, { cause: error });
		if (outer?.aborted) return outer.reason;
		const message = error instanceof Error ? error.message : String(error);
		return new NetworkError(`The request failed: ${message}`, { cause: error });
	}

	/** Full-jitter exponential backoff, or the server's Retry-After when it gave one; never more than retryMaxMs. */
	delay(attempt: number, retryAfterSeconds: number | null): number {
		if (retryAfterSeconds !== null) return Math.min(this.retryMaxMs, retryAfterSeconds * 1000);
		return Math.random() * Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** attempt);
	}
}
