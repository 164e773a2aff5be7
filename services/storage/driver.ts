import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { Transform, type TransformCallback } from "node:stream";
import { PayloadTooLarge } from "../../lib/errors";
import type { ByteRange } from "../../lib/http/byte-range";

export interface StoredObject {
	key: string;
	bytes: number;
	sha256: string;
	/** The first bytes, for sniffing the content type. */
	head: Buffer;
}

export interface ObjectInfo {
	key: string;
	bytes: number;
}

/** One blob store. Writes are all-or-nothing: a failed or oversized put leaves nothing behind. */
export interface StorageDriver {
	readonly name: "local" | "s3";
	put(key: string, body: Readable, options: { contentType: string; maxBytes: number }): Promise<StoredObject>;
	/** The object's bytes, or only those of `range` (inclusive, already checked against its size). */
	get(key: string, range?: ByteRange): Promise<Readable | null>;
	head(key: string): Promise<ObjectInfo | null>;
	delete(key: string): Promise<void>;
	list(prefix: string): AsyncIterable<ObjectInfo>;
	/** A URL the client can fetch directly, for stores that sign their own (S3); null for the local driver. */
	presignedUrl(key: string, ttlSeconds: number, downloadName?: string): Promise<string | null>;
	/** Throws when the store cannot take a write right now. */
	checkWritable(): Promise<void>;
	close(): Promise<void>;
}

const HEAD_BYTES = 16;

/** Passes bytes through while counting and hashing them, failing once they exceed the limit. */
export class MeteredStream extends Transform {
	bytes = 0;
	/** The first few bytes, kept for content sniffing. */
	head = Buffer.alloc(0);
	private readonly hash = createHash("sha256");

	constructor(private readonly maxBytes: number) {
		super();
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
		this.bytes += chunk.length;
		if (this.bytes > this.maxBytes) {
			done(new PayloadTooLarge(`The file is larger than the ${this.maxBytes} bytes allowed`, { maxBytes: this.maxBytes }));
			return;
		}
		this.hash.update(chunk);
		if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
		done(null, chunk);
	}

	digest(): string {
		return this.hash.digest("hex");
	}
}
