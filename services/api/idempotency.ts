import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type Redis from "ioredis";
import { LRUCache } from "lru-cache";
import type { Config } from "../../lib/config";
import { BadRequest, Conflict, Unavailable, ValidationFailed } from "../../lib/errors";
import type { AuthLevel, Principal } from "../../lib/types";

/**
 * `Idempotency-Key` on POST routes (Stripe's semantics; IETF draft-ietf-httpapi-idempotency-key-header):
 * the first request with a key runs and its answer is kept; a repeat with the same key and the same body
 * gets that answer again (marked `Idempotent-Replayed: true`) without running the action a second time.
 * Keys are scoped to the caller, the method and the path. The store is Redis when configured (every
 * gateway replica sees the same keys) and an in-memory LRU otherwise (one gateway).
 */

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";

/** Printable ASCII, as the header may carry it (Node has trimmed surrounding spaces). */
const KEY_SYNTAX = /^[\x20-\x7e]{1,255}$/;
/** The headers of the first answer a replay repeats; request ids, rate limits and security headers belong to each answer. */
const REPLAYED_HEADERS = ["content-type", "location"];
/** Answers that say "not now" rather than what the request did: the key stays free for the retry. */
const NOT_STORED = new Set([408, 429]);
/** A claim outlives the gateway's request timeout by this much, so a gateway that died mid-request frees its keys. */
const CLAIM_MARGIN_MS = 5000;
/** Larger answers are not kept (none of the API's POST answers comes near it). */
const MAX_STORED_ANSWER_BYTES = 8 * 1024 * 1024;
const MEMORY_STORE_BYTES = 64 * 1024 * 1024;

/** The few request fields the check reads, as moleculer-web leaves them on the request. */
export interface KeyedRequest extends IncomingMessage {
	body?: unknown;
	originalUrl?: string;
	$action?: { auth?: AuthLevel };
	$ctx?: { meta: { user?: Principal | null; idempotencyKey?: string } };
}

interface Answer {
	status: number;
	headers: Record<string, string>;
	/** base64 */
	body: string;
}

type Entry = { state: "running"; fingerprint: string } | { state: "done"; fingerprint: string; answer: Answer };

/** Opaque values under keys, with the atomic steps the check needs. */
export interface IdempotencyStore {
	/** Stores `value` unless the key holds one; answers the value already there, or null when this call claimed the key. */
	claim(key: string, value: string, ttlMs: number): Promise<string | null>;
	/** Replaces `expected` (this request's claim) with `value`; does nothing when the key holds something else. */
	replace(key: string, expected: string, value: string, ttlMs: number): Promise<void>;
	/** Removes `expected` (this request's claim); does nothing when the key holds something else. */
	release(key: string, expected: string): Promise<void>;
}

const REPLACE_SCRIPT = `if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("SET", KEYS[1], ARGV[2], "PX", ARGV[3]) end return 0`;
const RELEASE_SCRIPT = `if redis.call("GET", KEYS[1]) == ARGV[1] then redis.call("DEL", KEYS[1]) end return 0`;

/** Shared by every gateway replica: the claim is one `SET NX PX`, the later steps compare-and-set scripts. */
export class RedisIdempotencyStore implements IdempotencyStore {
	constructor(
		private readonly client: Redis,
		private readonly prefix: string,
	) {}

	async claim(key: string, value: string, ttlMs: number): Promise<string | null> {
		const name = `${this.prefix}${key}`;
		// the holder may expire between the SET and the GET: claim again then
		for (let attempt = 0; attempt < 3; attempt++) {
			if ((await this.client.set(name, value, "PX", ttlMs, "NX")) === "OK") return null;
			const existing = await this.client.get(name);
			if (existing !== null) return existing;
		}
		throw new Error("the idempotency key changed hands three times in a row");
	}

	async replace(key: string, expected: string, value: string, ttlMs: number): Promise<void> {
		await this.client.eval(REPLACE_SCRIPT, 1, `${this.prefix}${key}`, expected, value, String(ttlMs));
	}

	async release(key: string, expected: string): Promise<void> {
		await this.client.eval(RELEASE_SCRIPT, 1, `${this.prefix}${key}`, expected);
	}
}

/** One gateway's keys, bounded in bytes (least recently used go first). Each step is synchronous, hence atomic. */
export class MemoryIdempotencyStore implements IdempotencyStore {
	private readonly entries = new LRUCache<string, string>({
		maxSize: MEMORY_STORE_BYTES,
		sizeCalculation: (value, key) => value.length + key.length,
	});

	async claim(key: string, value: string, ttlMs: number): Promise<string | null> {
		const existing = this.entries.get(key);
		if (existing !== undefined) return existing;
		this.entries.set(key, value, { ttl: ttlMs });
		return null;
	}

	async replace(key: string, expected: string, value: string, ttlMs: number): Promise<void> {
		if (this.entries.get(key) === expected) this.entries.set(key, value, { ttl: ttlMs });
	}

	async release(key: string, expected: string): Promise<void> {
		if (this.entries.get(key) === expected) this.entries.delete(key);
	}
}

/**
 * The key as sent: 1–255 printable ASCII characters, or the draft's quoted form (`"…"`, a structured
 * field string), which means the same key. Anything else, or the header sent twice, is a 400.
 */
export function parseIdempotencyKey(req: IncomingMessage): string | undefined {
	const sent = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
	if (sent === undefined) return undefined;
	const occurrences = req.rawHeaders.filter((_value, index) => index % 2 === 0 && _value.toLowerCase() === "idempotency-key").length;
	if (occurrences > 1 || Array.isArray(sent)) throw new BadRequest(`Send one ${IDEMPOTENCY_KEY_HEADER} header, not ${occurrences}`);
	const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(sent);
	const key = quoted ? quoted[1].replace(/\\(["\\])/g, "$1") : sent;
	if (!KEY_SYNTAX.test(key)) {
		throw new BadRequest(`The ${IDEMPOTENCY_KEY_HEADER} header must be 1 to 255 printable ASCII characters (a UUID is a good choice)`, {
			header: IDEMPOTENCY_KEY_HEADER,
		});
	}
	return key;
}

/** JSON with object keys sorted at every depth: the same body however its fields were ordered. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
	if (value !== null && typeof value === "object") {
		const fields = Object.entries(value as Record<string, unknown>)
			.filter(([, field]) => field !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${fields.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(",")}}`;
	}
	return JSON.stringify(value ?? null);
}

/** SHA-256 of the canonical body; a POST without a body counts as `{}` (body-parser's own reading of it). */
export function bodyFingerprint(body: unknown): string {
	return createHash("sha256")
		.update(canonicalJson(body ?? {}))
		.digest("hex");
}

/**
 * Entries are sealed (AES-256-GCM) with a key derived from the client's Idempotency-Key, which is never
 * stored: whoever reads Redis or a memory dump sees neither the answers (one of them carries a new API
 * token) nor fingerprints of the bodies (a password change carries passwords).
 */
function sealingKey(idempotencyKey: string, scope: string): Buffer {
	return createHmac("sha256", idempotencyKey).update(`pixcrawler idempotent answer\n${scope}`).digest();
}

function seal(entry: Entry, key: Buffer): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv("aes-256-gcm", key, iv);
	const sealed = Buffer.concat([cipher.update(JSON.stringify(entry), "utf8"), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64");
}

function unseal(value: string, key: Buffer): Entry {
	const bytes = Buffer.from(value, "base64");
	const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
	decipher.setAuthTag(bytes.subarray(12, 28));
	return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8")) as Entry;
}

type Logger = { warn(...args: unknown[]): void; debug(...args: unknown[]): void };
type Write = (...args: unknown[]) => boolean;
type End = (...args: unknown[]) => ServerResponse;

/** The check around the gateway's call of an action: `run(req, res, call)` calls it at most once per key. */
export class IdempotentRequests {
	constructor(
		private readonly store: IdempotencyStore,
		private readonly ttlMs: number,
		private readonly claimTtlMs: number,
		private readonly logger: Logger,
	) {}

	/** Redis when the gateway has a client, else memory; entries live GATEWAY_IDEMPOTENCY_TTL_SECONDS. */
	static fromConfig(config: Config, redis: Redis | undefined, logger: Logger): IdempotentRequests {
		const store = redis ? new RedisIdempotencyStore(redis, `${config.redis.keyPrefix}idem:`) : new MemoryIdempotencyStore();
		return new IdempotentRequests(
			store,
			config.gateway.idempotencyTtlSeconds * 1000,
			config.gateway.requestTimeoutMs + CLAIM_MARGIN_MS,
			logger,
		);
	}

	/**
	 * POSTs to routes with a caller carry keys; public routes (sign-up and sessions: nobody to scope
	 * the key to) and other methods run as they are.
	 */
	async run(req: KeyedRequest, res: ServerResponse, call: () => Promise<unknown>): Promise<unknown> {
		const user = req.$ctx?.meta.user;
		if (req.method !== "POST" || req.$action?.auth === "public" || !user) return call();
		const key = parseIdempotencyKey(req);
		if (key === undefined) return call();

		const path = (req.originalUrl ?? req.url ?? "").split("?")[0];
		const scope = createHash("sha256")
			.update(JSON.stringify(["idempotency", user.id, req.method, path, key]))
			.digest("hex");
		const secret = sealingKey(key, scope);
		const fingerprint = bodyFingerprint(req.body);
		const claim = seal({ state: "running", fingerprint }, secret);

		let held: string | null;
		try {
			held = await this.store.claim(scope, claim, this.claimTtlMs);
		} catch (error) {
			this.logger.warn({ err: error }, "Idempotency store unreachable");
			throw new Unavailable("The idempotency store is unreachable; retry with the same key");
		}
		if (held !== null) {
			const entry = unseal(held, secret);
			if (entry.fingerprint !== fingerprint) {
				throw new ValidationFailed(
					[{ field: IDEMPOTENCY_KEY_HEADER, message: "This key was already used with a different request body" }],
					`The ${IDEMPOTENCY_KEY_HEADER} was already used for a different request; use a new key for a new request`,
				);
			}
			if (entry.state === "running") {
				res.setHeader("Retry-After", "1");
				throw new Conflict(`A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry once it has finished`, {
					header: IDEMPOTENCY_KEY_HEADER,
				});
			}
			this.logger.debug({ scope }, "Idempotent replay");
			replay(res, entry.answer);
			return true;
		}

		// services see the scoped key, so a one-write action can make that write unique on it
		if (req.$ctx) req.$ctx.meta.idempotencyKey = scope;
		this.settleWhenAnswered(res, async (answer) => {
			if (answer && answer.status < 500 && !NOT_STORED.has(answer.status)) {
				await this.store.replace(scope, claim, seal({ state: "done", fingerprint, answer }, secret), this.ttlMs);
			} else {
				// a failure of ours (or an answer too large to keep): the key stays usable for a retry
				await this.store.release(scope, claim);
			}
		});
		return call();
	}

	/**
	 * Records the answer as moleculer-web writes it (success or problem alike) and settles the key before
	 * the answer leaves: a client that repeats the request the moment it has the first answer finds it kept.
	 */
	private settleWhenAnswered(res: ServerResponse, settle: (answer: Answer | null) => Promise<void>): void {
		const chunks: Buffer[] = [];
		let size = 0;
		const write = res.write as unknown as Write;
		const end = res.end as unknown as End;
		const keep = (chunk: unknown, encoding: unknown) => {
			if (chunk === undefined || chunk === null || typeof chunk === "function") return;
			const bytes =
				typeof chunk === "string"
					? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
					: Buffer.from(chunk as Uint8Array);
			size += bytes.length;
			if (size <= MAX_STORED_ANSWER_BYTES) chunks.push(bytes);
		};
		(res as unknown as { write: Write }).write = (...args: unknown[]) => {
			keep(args[0], args[1]);
			return write.apply(res, args);
		};
		(res as unknown as { end: End }).end = (...args: unknown[]) => {
			(res as unknown as { write: Write }).write = write;
			(res as unknown as { end: End }).end = end;
			keep(args[0], args[1]);
			const answer =
				size <= MAX_STORED_ANSWER_BYTES
					? { status: res.statusCode, headers: replayedHeaders(res), body: Buffer.concat(chunks).toString("base64") }
					: null;
			settle(answer)
				.catch((error: Error) => this.logger.warn({ err: error }, "Could not record an idempotent answer"))
				.finally(() => end.apply(res, args));
			return res;
		};
	}
}

function replayedHeaders(res: ServerResponse): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const name of REPLAYED_HEADERS) {
		const value = res.getHeader(name);
		if (value !== undefined) headers[name] = String(value);
	}
	return headers;
}

function replay(res: ServerResponse, answer: Answer): void {
	const body = Buffer.from(answer.body, "base64");
	res.statusCode = answer.status;
	for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
	res.setHeader(REPLAYED_HEADER, "true");
	if (answer.status !== 204 && answer.status !== 304) res.setHeader("Content-Length", body.length);
	res.end(body);
}
