import { createHash, type Hash } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { NetworkError, PixCrawlerError } from "./errors";
import { sleep } from "./http";

export interface DownloadProgress {
	/** Bytes on disk so far, a resumed part included. */
	bytes: number;
	/** The file's size when known. */
	total: number | null;
}

export interface DownloadResult {
	path: string;
	bytes: number;
	sha256: string;
	/** Whether the download continued a part left by an earlier, interrupted one. */
	resumed: boolean;
}

export interface FileTransfer {
	/** Where the verified file goes. */
	path: string;
	/** Hex SHA-256 the file must have. */
	sha256: string;
	/** Its size, when the API reported one. */
	bytes: number | null;
	/** What is being downloaded, for messages. */
	what: string;
	/** Fetches the file, from `offset` on when above 0 (a range request the server may ignore by answering 200). */
	open(offset: number): Promise<Response>;
	signal?: AbortSignal;
	onProgress?: (progress: DownloadProgress) => void;
	/** Further attempts after the connection broke mid-body. */
	maxRetries: number;
	delay(attempt: number): number;
}

/** The part file of a download: next to the target, named after the content so a part of another file is never continued. */
export function partPath(path: string, sha256: string): string {
	return join(dirname(path), `.${basename(path)}.${sha256.slice(0, 16)}.part`);
}

async function sizeOf(path: string): Promise<number> {
	try {
		return (await stat(path)).size;
	} catch {
		return 0;
	}
}

async function hashFile(hash: Hash, path: string, signal?: AbortSignal): Promise<void> {
	for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
}

/**
 * Streams a file to `<dir>/.<name>.<sha>.part` while hashing it, continues with a range request when the
 * connection breaks (and when a previous call left a part behind), checks the SHA-256 and only then renames
 * the part to `path`. A corrupt result is removed and throws; an interrupted one keeps its part for the
 * next call to continue.
 */
export async function downloadVerified(transfer: FileTransfer): Promise<DownloadResult> {
	const expected = transfer.sha256.toLowerCase();
	const part = partPath(transfer.path, expected);
	let resumed = false;
	for (let attempt = 0; ; attempt++) {
		let offset = await sizeOf(part);
		if (transfer.bytes !== null && offset > transfer.bytes) {
			await unlink(part);
			offset = 0;
		}
		const hash = createHash("sha256");
		try {
			if (offset === 0 || offset !== transfer.bytes) {
				const response = await transfer.open(offset);
				if (!response.body) throw new PixCrawlerError(`The download of ${transfer.what} had no body`, { status: response.status });
				// 206 continues the part; 200 is the whole file again (no range support, or the file changed)
				const appending = offset > 0 && response.status === 206;
				if (!appending) offset = 0;
				else await hashFile(hash, part, transfer.signal);
				resumed ||= appending;
				await appendBody(response.body, part, appending, (chunk) => {
					hash.update(chunk);
					offset += chunk.length;
					transfer.onProgress?.({ bytes: offset, total: transfer.bytes });
				});
			} else {
				await hashFile(hash, part, transfer.signal);
			}
		} catch (error) {
			if (transfer.signal?.aborted) throw transfer.signal.reason;
			if (attempt >= transfer.maxRetries || !brokeMidway(error)) throw asNetworkError(error, transfer.what);
			await sleep(transfer.delay(attempt), transfer.signal);
			continue;
		}
		const sha256 = hash.digest("hex");
		const bytes = await sizeOf(part);
		if (sha256 !== expected) {
			await unlink(part).catch(() => undefined);
			throw new PixCrawlerError(`The download of ${transfer.what} is corrupt: its SHA-256 is ${sha256}, expected ${expected}`);
		}
		await rename(part, transfer.path);
		return { path: transfer.path, bytes, sha256, resumed };
	}
}

/**
 * Writes a body to the file, and on a break keeps every byte that arrived: the file is closed gracefully
 * whatever happens (a pipeline would destroy it and drop the writes still queued), so a later range
 * request continues exactly after them.
 */
async function appendBody(body: ReadableStream<Uint8Array>, file: string, append: boolean, onChunk: (chunk: Buffer) => void) {
	const out = createWriteStream(file, { flags: append ? "a" : "w" });
	try {
		for await (const chunk of Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>)) {
			const bytes = chunk as Buffer;
			onChunk(bytes);
			if (!out.write(bytes)) await once(out, "drain");
		}
	} finally {
		await new Promise<void>((resolve, reject) => {
			out.once("error", reject);
			out.end(resolve);
		});
	}
}

/** An Error of any realm (fetch's errors come from Node's own, which `instanceof Error` misses under test runners). */
function isErrorLike(error: unknown): error is { name: string; message: string } {
	return typeof error === "object" && error !== null && typeof (error as { message?: unknown }).message === "string";
}

/** A body that broke off (reset, closed early) rather than an answer the API gave. */
function brokeMidway(error: unknown): boolean {
	if (error instanceof NetworkError) return true;
	if (error instanceof PixCrawlerError || !isErrorLike(error)) return false;
	// a local file error (disk full, no permission) names its path; retrying the network would not help
	if ("path" in error) return false;
	return !["AbortError", "TimeoutError"].includes(error.name);
}

function asNetworkError(error: unknown, what: string): unknown {
	if (error instanceof PixCrawlerError || !brokeMidway(error)) return error;
	return new NetworkError(`The download of ${what} broke off: ${(error as { message: string }).message}`, { cause: error });
}
