import http from "node:http";

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export interface RawRequest {
	method?: string;
	/** Sent exactly as given: no normalisation of slashes, dots, case or percent-encoding. */
	path: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Read only the status and headers, then close (event streams, large downloads). */
	headersOnly?: boolean;
}

/** Keep-alive connections, so a sweep of thousands of requests does not open thousands of sockets. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One request to `base` (http://127.0.0.1:port) with the path on the wire exactly as given. */
export function rawRequest(base: string, request: RawRequest): Promise<RawResponse> {
	const { hostname, port } = new URL(base);
	return new Promise((resolve, reject) => {
		const headers: Record<string, string | number> = { ...request.headers };
		if (request.body !== undefined) headers["Content-Length"] = Buffer.byteLength(request.body);
		const req = http.request(
			{ host: hostname, port, method: request.method ?? "GET", path: request.path, headers, agent: request.headersOnly ? false : agent },
			(res) => {
				if (request.headersOnly) {
					resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
					res.destroy();
					return;
				}
				const chunks: Buffer[] = [];
				res.on("data", (chunk: Buffer) => chunks.push(chunk));
				res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
				res.on("error", reject);
			},
		);
		req.on("error", reject);
		req.end(request.body);
	});
}

/** Runs `work` over `items` with at most `concurrency` in flight, answering results in order. */
export async function inBatches<T, R>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		for (let index = next++; index < items.length; index = next++) results[index] = await work(items[index], index);
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
	return results;
}

/** Closes the shared keep-alive sockets (end of a suite). */
export function closeConnections(): void {
	agent.destroy();
}
