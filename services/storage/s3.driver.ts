import type { Readable } from "node:stream";
import {
	DeleteObjectCommand,
	GetObjectCommand,
	HeadBucketCommand,
	HeadObjectCommand,
	ListObjectsV2Command,
	NoSuchKey,
	S3Client,
	NotFound as S3NotFound,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Config } from "../../lib/config";
import type { ByteRange } from "../../lib/http/byte-range";
import { attachment } from "../../lib/http/content-disposition";
import { MeteredStream, type ObjectInfo, type StorageDriver, type StoredObject } from "./driver";
import { assertSafeKey } from "./keys";

function isMissing(error: unknown): boolean {
	const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
	return error instanceof NoSuchKey || error instanceof S3NotFound || e.name === "NotFound" || e.$metadata?.httpStatusCode === 404;
}

/** Any S3-compatible store. Uploads stream in parts (lib-storage) and are aborted, not completed, on failure. */
export class S3Driver implements StorageDriver {
	readonly name = "s3" as const;
	private readonly client: S3Client;
	/** Signs links for clients; a second client when they reach the store under another address than we do. */
	private readonly signer: S3Client;
	private readonly bucket: string;

	constructor(settings: Config["storage"]) {
		this.bucket = settings.s3Bucket as string;
		const clientFor = (endpoint: string | undefined) =>
			new S3Client({
				region: settings.s3Region,
				endpoint,
				forcePathStyle: settings.s3ForcePathStyle,
				credentials:
					settings.s3AccessKeyId && settings.s3SecretAccessKey
						? { accessKeyId: settings.s3AccessKeyId, secretAccessKey: settings.s3SecretAccessKey }
						: undefined,
				// checksums only where S3 requires them: many S3-compatible stores reject the newer trailers
				requestChecksumCalculation: "WHEN_REQUIRED",
				responseChecksumValidation: "WHEN_REQUIRED",
			});
		this.client = clientFor(settings.s3Endpoint);
		// a signature covers the host, so links for browsers must be signed for the address browsers use
		this.signer = settings.s3PublicEndpoint ? clientFor(settings.s3PublicEndpoint) : this.client;
	}

	async put(key: string, body: Readable, options: { contentType: string; maxBytes: number }): Promise<StoredObject> {
		assertSafeKey(key);
		const meter = new MeteredStream(options.maxBytes);
		const upload = new Upload({
			client: this.client,
			params: { Bucket: this.bucket, Key: key, Body: meter, ContentType: options.contentType },
		});
		const source = body.pipe(meter);
		let failure: unknown;
		const onError = (error: unknown) => {
			failure ??= error;
			void upload.abort().catch(() => undefined);
		};
		// pipe() does not forward errors: end the metered stream too, or the upload waits for a part forever
		const forward = (error: Error) => meter.destroy(error);
		body.once("error", forward);
		body.once("error", onError);
		meter.once("error", onError);
		try {
			await upload.done();
		} catch (error) {
			throw failure ?? error;
		} finally {
			body.off("error", onError);
			body.off("error", forward);
			source.off("error", onError);
		}
		if (failure) throw failure;
		return { key, bytes: meter.bytes, sha256: meter.digest(), head: meter.head };
	}

	async get(key: string, range?: ByteRange): Promise<Readable | null> {
		assertSafeKey(key);
		try {
			const answer = await this.client.send(
				new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
			);
			return answer.Body as Readable;
		} catch (error) {
			if (isMissing(error)) return null;
			throw error;
		}
	}

	async head(key: string): Promise<ObjectInfo | null> {
		assertSafeKey(key);
		try {
			const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
			return { key, bytes: answer.ContentLength ?? 0 };
		} catch (error) {
			if (isMissing(error)) return null;
			throw error;
		}
	}

	async delete(key: string): Promise<void> {
		assertSafeKey(key);
		await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
	}

	async *list(prefix: string): AsyncIterable<ObjectInfo> {
		let continuationToken: string | undefined;
		do {
			const page = await this.client.send(
				new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: continuationToken }),
			);
			for (const item of page.Contents ?? []) if (item.Key) yield { key: item.Key, bytes: item.Size ?? 0 };
			continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
		} while (continuationToken);
	}

	async presignedUrl(key: string, ttlSeconds: number, downloadName?: string): Promise<string> {
		assertSafeKey(key);
		const command = new GetObjectCommand({
			Bucket: this.bucket,
			Key: key,
			ResponseContentDisposition: downloadName ? attachment(downloadName) : undefined,
		});
		return getSignedUrl(this.signer, command, { expiresIn: ttlSeconds });
	}

	async checkWritable(): Promise<void> {
		await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
	}

	async close(): Promise<void> {
		this.client.destroy();
		if (this.signer !== this.client) this.signer.destroy();
	}
}
