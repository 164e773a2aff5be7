/**
 * A scripted stand-in for the PixCrawler API, for SDK tests: a node:http server on 127.0.0.1 and a free
 * port that records every request and answers each with the next queued reply (or the fallback). The
 * client under test talks to it with the real global fetch, so headers, bodies, sockets, timeouts and
 * aborts all go through a real HTTP stack.
 *
 *   const api = await startLocalApi();
 *   api.reply(problem(503, {}, { "Retry-After": "0" }), json({ id: "d1" }));
 *   await new PixCrawler({ token: "pxc_test", baseUrl: api.url }).datasets.get("d1");
 *   expect(api.requests.map((r) => r.url)).toEqual(["/api/v1/datasets/d1", "/api/v1/datasets/d1"]);
 *   await api.close();
 */
import { createHash } from "node:crypto";
import http, { type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
	method: string;
	/** Path and query, as sent: `/api/v1/datasets?page=2`. */
	url: string;
	/** Names in lower case, as node:http gives them. */
	headers: IncomingHttpHeaders;
	body: string;
	/** Date.now() when the request (body included) had arrived. */
	receivedAt: number;
}

/** Answers one request. A reply that throws before answering turns into a 500 naming the error. */
export type Reply = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface LocalApi {
	/** `http://127.0.0.1:<port>` */
	url: string;
	/** Every request received, in order. */
	requests: RecordedRequest[];
	/** Requests that found neither a queued reply nor a fallback (each got a 500 saying so). */
	unexpected: RecordedRequest[];
	/** Queues replies, used one per request in order. */
	reply(...replies: Reply[]): void;
	/** Answers every request the queue does not cover (a route polled repeatedly); null removes it. */
	fallback(reply: Reply | null): void;
	/** Stops the server, dropping open and keep-alive connections; pending stalls and trickles end with them. */
	close(): Promise<void>;
}

export async function startLocalApi(): Promise<LocalApi> {
	const queue: Reply[] = [];
	let fallbackReply: Reply | null = null;
	const requests: RecordedRequest[] = [];
	const unexpected: RecordedRequest[] = [];

	const server = http.createServer(async (req, res) => {
		const chunks: Buffer[] = [];
		try {
			for await (const chunk of req) chunks.push(chunk as Buffer);
		} catch {
			return; // the client went away while sending
		}
		const request: RecordedRequest = {
			method: req.method ?? "GET",
			url: req.url ?? "/",
			headers: req.headers,
			body: Buffer.concat(chunks).toString("utf8"),
			receivedAt: Date.now(),
		};
		requests.push(request);
		const reply = queue.shift() ?? fallbackReply;
		if (!reply) {
			unexpected.push(request);
			problem(500, { title: "No reply queued", detail: `local-api: no reply queued for ${request.method} ${request.url}` })(request, res);
			return;
		}
		try {
			await reply(request, res);
		} catch (error) {
			if (res.headersSent) res.destroy();
			else
				problem(500, { title: "Reply failed", detail: `local-api: the reply to ${request.method} ${request.url} threw: ${error}` })(
					request,
					res,
				);
		}
	});
	await new Promise<void>((resolve, reject) => {
		server.once("error", reject);
		server.listen(0, "127.0.0.1", () => resolve());
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		unexpected,
		reply: (...replies) => {
			queue.push(...replies);
		},
		fallback: (reply) => {
			fallbackReply = reply;
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
	};
}

/**
 * Waits `ms`, or less when the connection closes first (the client aborted, or close() ran); answers
 * whether the response can still be written. Never keeps the process alive past the connection.
 */
function pause(res: ServerResponse, ms: number): Promise<boolean> {
	return new Promise((resolve) => {
		const done = () => {
			clearTimeout(timer);
			res.off("close", done);
			resolve(!res.destroyed);
		};
		const timer = setTimeout(done, ms);
		res.once("close", done);
	});
}

/** A JSON answer. */
export const json =
	(body: unknown, status = 200, headers: Record<string, string> = {}): Reply =>
	(_request, res) => {
		res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
		res.end(body === undefined ? "" : JSON.stringify(body));
	};

/** A plain text answer (a proxy's error page, say). */
export const text =
	(body: string, status = 200, headers: Record<string, string> = {}): Reply =>
	(_request, res) => {
		res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", ...headers });
		res.end(body);
	};

/**
 * An RFC 9457 problem as the API sends it: `{type, title, status, detail, requestId}` with `extra` merged
 * in; the body's requestId is `req-<status>`, the X-Request-ID header `hdr-<status>` (so tests can tell
 * which one the client used).
 */
export const problem =
	(status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Reply =>
	(_request, res) => {
		res.writeHead(status, { "Content-Type": "application/problem+json; charset=utf-8", "X-Request-ID": `hdr-${status}`, ...headers });
		res.end(
			JSON.stringify({
				type: `https://pixcrawler.dev/problems/http-${status}`,
				title: http.STATUS_CODES[status] ?? "Error",
				status,
				detail: `failed with ${status}`,
				requestId: `req-${status}`,
				...extra,
			}),
		);
	};

/** Destroys the connection without answering: the client sees a network error. */
export const hangUp: Reply = (_request, res) => {
	res.socket?.destroy();
};

/** Answers nothing for `ms` (timeout and abort tests), then `then` (by default: hangs up). */
export const stall =
	(ms: number, then: Reply = hangUp): Reply =>
	async (request, res) => {
		if (await pause(res, ms)) await then(request, res);
	};

/** Runs `effect` when the request arrives (abort a controller, take a time), then answers with `reply`. */
export const tap =
	(effect: (request: RecordedRequest) => void, reply: Reply): Reply =>
	(request, res) => {
		effect(request);
		return reply(request, res);
	};

export interface BinaryOptions {
	/** Default application/zip. */
	contentType?: string;
	headers?: Record<string, string>;
	/** Send the body in writes of this many bytes (default: all at once)… */
	chunkBytes?: number;
	/** …with this pause before each write after the first (a slow download). */
	delayMs?: number;
	/** Destroy the connection once this many body bytes went out (an interrupted download). */
	cutAfter?: number;
	/**
	 * Answer `Range: bytes=<from>-[<to>]` like the API's export download: 206 with Content-Range, 416 past
	 * the end, the whole body when `If-Range` does not match the ETag. Off by default (200 always).
	 */
	ranges?: boolean;
}

/**
 * A binary download as the API sends an export: Content-Length, `ETag: "<sha256>"`, Repr-Digest and
 * Accept-Ranges, optionally trickled, cut short, or sliced by a Range request.
 */
export const binary =
	(body: Buffer, options: BinaryOptions = {}): Reply =>
	async (request, res) => {
		const digest = createHash("sha256").update(body).digest();
		const etag = `"${digest.toString("hex")}"`;
		const headers: Record<string, string> = {
			"Content-Type": options.contentType ?? "application/zip",
			ETag: etag,
			"Repr-Digest": `sha-256=:${digest.toString("base64")}:`,
			...(options.ranges ? { "Accept-Ranges": "bytes" } : {}),
			...options.headers,
		};
		let status = 200;
		let part = body;
		const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ""));
		const ifRange = request.headers["if-range"];
		if (options.ranges && range && (ifRange === undefined || ifRange === etag)) {
			const start = Number(range[1]);
			const end = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
			if (start >= body.length || start > end) {
				problem(416, { detail: `The export has ${body.length} bytes` }, { "Content-Range": `bytes */${body.length}` })(request, res);
				return;
			}
			status = 206;
			part = body.subarray(start, end + 1);
			headers["Content-Range"] = `bytes ${start}-${end}/${body.length}`;
		}
		res.writeHead(status, { ...headers, "Content-Length": String(part.length) });
		res.flushHeaders();
		const limit = Math.min(part.length, options.cutAfter ?? part.length);
		const step = Math.max(1, options.chunkBytes ?? part.length);
		for (let sent = 0; sent < limit; sent += step) {
			if (sent > 0 && options.delayMs && !(await pause(res, options.delayMs))) return;
			if (res.destroyed) return;
			// waits until the bytes are handed to the socket, so a cut that follows does not swallow them
			await new Promise<void>((resolve) => res.write(part.subarray(sent, Math.min(sent + step, limit)), () => resolve()));
		}
		// a FIN after the bytes sent, not a reset that could discard them unread on the client
		if (limit < part.length) res.socket?.end();
		else res.end();
	};
