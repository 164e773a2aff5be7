import http from "node:http";

/** What came back, as far as the fuzzer reads it. */
export interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The body; streams (downloads, Server-Sent Events) are cut after `maxBodyBytes` or `streamIdleMs`. */
	body: Buffer;
	/** The stream was cut by us, not ended by the server. */
	truncated: boolean;
	durationMs: number;
}

export interface RawRequest {
	method: string;
	/** Sent as it is: percent-encoding, dot segments and invalid UTF-8 escapes reach the server untouched. */
	path: string;
	headers?: Record<string, string>;
	body?: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One request over a plain socket: `fetch` would normalise the path (resolving `..`, re-encoding
 * escapes) and refuse some of what a hostile client sends. An answer that does not come within
 * `timeoutMs` rejects (a blocked event loop shows up as exactly that).
 */
export function send(
	baseUrl: string,
	request: RawRequest,
	options: { timeoutMs?: number; maxBodyBytes?: number; streamIdleMs?: number } = {},
): Promise<RawAnswer> {
	const { timeoutMs = 10_000, maxBodyBytes = 4 * 1024 * 1024, streamIdleMs = 300 } = options;
	const base = new URL(baseUrl);
	const started = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const headers: Record<string, string> = { ...request.headers };
		if (request.body) headers["Content-Length"] = String(request.body.length);
		const req = http.request({
			agent,
			host: base.hostname,
			port: base.port,
			method: request.method,
			path: request.path,
			headers,
		});
		let answered = false;
		const deadline = setTimeout(() => {
			req.destroy(new Error(`no complete answer within ${timeoutMs} ms`));
		}, timeoutMs);
		req.on("error", (error) => {
			// a server may answer (413) and close before it has read the whole body: the answer counts
			if (answered) return;
			clearTimeout(deadline);
			reject(error);
		});
		req.on("response", (res) => {
			answered = true;
			const chunks: Buffer[] = [];
			let size = 0;
			let idle: NodeJS.Timeout | undefined;
			const streaming = String(res.headers["content-type"] ?? "").startsWith("text/event-stream");
			const finish = (truncated: boolean) => {
				clearTimeout(deadline);
				if (idle) clearTimeout(idle);
				resolve({
					status: res.statusCode ?? 0,
					headers: res.headers,
					body: Buffer.concat(chunks),
					truncated,
					durationMs: Number(process.hrtime.bigint() - started) / 1e6,
				});
			};
			const cut = () => {
				res.removeAllListeners("end");
				res.destroy();
				req.destroy();
				finish(true);
			};
			// an event stream stays open while its job may change: read what it says at once, then leave
			const armIdle = () => {
				if (!streaming) return;
				if (idle) clearTimeout(idle);
				idle = setTimeout(cut, streamIdleMs);
			};
			armIdle();
			res.on("data", (chunk: Buffer) => {
				chunks.push(chunk);
				size += chunk.length;
				if (size >= maxBodyBytes) cut();
				else armIdle();
			});
			res.on("end", () => finish(false));
			res.on("error", () => finish(true));
		});
		req.end(request.body);
	});
}

/** Closes the pooled sockets (end of the suite). */
export function closeConnections(): void {
	agent.destroy();
}
