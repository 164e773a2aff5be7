import net from "node:net";
import { Agent, buildConnector, type Dispatcher, request } from "undici";
import { parseRetryAfter } from "../crawl/downloader";
import { classifyAddress, guardedLookup, isAddressAllowed, type ResolveHost, systemLookup } from "../crawl/ssrf-guard";

/** How much of a receiver's answer is read (then the connection is dropped): nobody needs more than its status. */
export const RESPONSE_MAX_BYTES = 64 * 1024;
/** Answers whose headers are larger are refused, as the crawler refuses them. */
const MAX_HEADER_BYTES = 16 * 1024;

/** One attempt, as it is recorded on the delivery. */
export interface AttemptResult {
	ok: boolean;
	/** The receiver's status, or null when no answer came (refused, timed out, blocked). */
	statusCode: number | null;
	durationMs: number;
	error: string | null;
	/** A 429 or 503 answer's Retry-After, in milliseconds. */
	retryAfterMs?: number;
}

export interface WebhookClientOptions {
	allowPrivateNetworks: boolean;
	timeoutMs: number;
	userAgent: string;
	/** Name resolution; tests inject names that resolve where they want. Defaults to the system resolver. */
	lookup?: ResolveHost;
}

class BlockedAddress extends Error {
	constructor(host: string, addresses: string[]) {
		const kinds = [...new Set(addresses.map(classifyAddress))].join(", ");
		super(`refusing to connect to ${host} (${addresses.join(", ")}: ${kinds})`);
		this.name = "BlockedAddress";
	}
}

/**
 * The webhook sender: one POST per attempt, through the crawler's SSRF rules applied to the address
 * actually connected to (after DNS, on every connection), so a name that starts resolving to a private or
 * metadata address is refused at that moment. No redirect is followed (a 3xx is a failed attempt), the
 * whole attempt is bounded by the timeout, and at most RESPONSE_MAX_BYTES of the answer are read.
 */
/** undici's fast timers tick every half second; a second more keeps them behind the precise signal. */
const UNDICI_TIMER_SLACK_MS = 1000;

export class WebhookClient {
	private readonly agent: Agent;
	private readonly allowAddress: (address: string) => boolean;
	private readonly resolveHost: ResolveHost;

	constructor(private readonly options: WebhookClientOptions) {
		this.allowAddress = (address) => isAddressAllowed(address, options.allowPrivateNetworks);
		this.resolveHost = options.lookup ?? systemLookup;
		const connectThroughGuard = buildConnector({
			timeout: options.timeoutMs,
			lookup: guardedLookup(this.resolveHost, this.allowAddress, (hostname, addresses) => new BlockedAddress(hostname, addresses)),
		});
		this.agent = new Agent({
			connect: (connectOptions, callback) => {
				// net.connect skips `lookup` for IP literals: those are judged here, before any socket exists
				const literal = connectOptions.hostname.replace(/^\[|\]$/g, "");
				if (net.isIP(literal) && !this.allowAddress(literal)) {
					callback(new BlockedAddress(literal, [literal]), null);
					return;
				}
				connectThroughGuard(connectOptions, callback);
			},
			// undici runs these on its coarse timers, which can fire up to half a second early: the attempt's
			// bound is the AbortSignal below, and these only back it up
			headersTimeout: options.timeoutMs + UNDICI_TIMER_SLACK_MS,
			bodyTimeout: options.timeoutMs + UNDICI_TIMER_SLACK_MS,
			maxHeaderSize: MAX_HEADER_BYTES,
		});
	}

	/** Sends the body; answers how it went, never throws. 2xx is success; anything else is a failed attempt. */
	async post(url: string, body: string, headers: Record<string, string>): Promise<AttemptResult> {
		const started = performance.now();
		const elapsed = () => Math.round(performance.now() - started);
		const signal = AbortSignal.timeout(this.options.timeoutMs);
		try {
			const response = await request(url, {
				dispatcher: this.agent,
				method: "POST",
				headers: { ...headers, "content-type": "application/json", "user-agent": this.options.userAgent },
				body,
				signal,
			});
			await readAtMost(response.body, RESPONSE_MAX_BYTES);
			const status = response.statusCode;
			if (status >= 200 && status < 300) return { ok: true, statusCode: status, durationMs: elapsed(), error: null };
			const result: AttemptResult = {
				ok: false,
				statusCode: status,
				durationMs: elapsed(),
				error: status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`,
			};
			const retryAfter = status === 429 || status === 503 ? parseRetryAfter(headerValue(response.headers["retry-after"])) : undefined;
			if (retryAfter !== undefined) result.retryAfterMs = retryAfter;
			return result;
		} catch (error) {
			return { ok: false, statusCode: null, durationMs: elapsed(), error: this.describe(error, signal) };
		}
	}

	async close(): Promise<void> {
		await this.agent.close();
	}

	/** A failed attempt in a few words for the delivery's record: never a stack, never the request's headers. */
	private describe(error: unknown, signal: AbortSignal): string {
		const blocked = causeMatching(error, (cause) => cause instanceof BlockedAddress);
		if (blocked) return (blocked as Error).message;
		if (signal.aborted) return `timeout: no answer within ${this.options.timeoutMs} ms`;
		const coded = causeMatching(error, (cause) => typeof (cause as { code?: unknown }).code === "string") as
			| { code: string; message?: string }
			| undefined;
		switch (coded?.code) {
			case "ENOTFOUND":
			case "EAI_AGAIN":
				return "host not found";
			case "ECONNREFUSED":
				return "connection refused";
			case "ECONNRESET":
			case "UND_ERR_SOCKET":
				return "connection closed by the receiver";
			case "UND_ERR_CONNECT_TIMEOUT":
			case "UND_ERR_HEADERS_TIMEOUT":
			case "UND_ERR_BODY_TIMEOUT":
				return `timeout: no answer within ${this.options.timeoutMs} ms`;
			case "UND_ERR_HEADERS_OVERFLOW":
				return `answer headers larger than ${MAX_HEADER_BYTES} bytes`;
			default: {
				const message = error instanceof Error ? error.message : String(error);
				return `network error: ${message.slice(0, 200)}${coded ? ` (${coded.code})` : ""}`;
			}
		}
	}
}

/** Reads up to `maxBytes` of an answer and drops the rest with the connection; an answer cut short is no failure. */
async function readAtMost(body: Dispatcher.ResponseData["body"], maxBytes: number): Promise<void> {
	let received = 0;
	try {
		for await (const chunk of body) {
			received += (chunk as Buffer).length;
			if (received >= maxBytes) break;
		}
	} catch {
		// the status has arrived; what follows it does not change the outcome
	} finally {
		if (!body.destroyed) {
			body.on("error", () => {});
			body.destroy();
		}
	}
}

function headerValue(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function causeMatching(error: unknown, test: (candidate: unknown) => boolean): unknown {
	let current: unknown = error;
	for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
		if (test(current)) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
