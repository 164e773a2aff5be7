import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { S3Client } from "@aws-sdk/client-s3";
import type { StorageDriver, StoredObject } from "../../services/storage/driver";
import { LocalDriver } from "../../services/storage/local.driver";
import { S3Driver } from "../../services/storage/s3.driver";
import { SNIFF_BYTES } from "../../services/storage/sniff";
import { type S3TestServer, startS3Server } from "../support/s3-server";

/**
 * The storage driver contract: the local driver and the S3 driver (against s3rver, a real S3-protocol
 * server) behave the same to the services above them.
 */

const CHUNK = 64 * 1024;
const LARGE_BYTES = 24 * 1024 * 1024;
const MAX = 100 * 1024 * 1024;
const CONTENT_TYPE = "application/octet-stream";

interface Harness {
	driver: StorageDriver;
	/** Files a failed write could have left behind outside the visible keys (the local driver's `.incoming`). */
	strayFiles(): string[];
	tearDown(): Promise<void>;
}

interface Variant {
	name: "local" | "s3";
	setUp(): Promise<Harness>;
}

let s3: S3TestServer | undefined;

const variants: Variant[] = [
	{
		name: "local",
		async setUp() {
			const root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-storage-local-"));
			const driver = new LocalDriver(root);
			return {
				driver,
				strayFiles: () => fs.readdirSync(path.join(root, ".incoming")),
				async tearDown() {
					await driver.close();
					fs.rmSync(root, { recursive: true, force: true });
				},
			};
		},
	},
	{
		name: "s3",
		async setUp() {
			s3 = await startS3Server();
			const server = s3;
			const driver = new S3Driver(server.storageConfig());
			return {
				driver,
				strayFiles: () => [],
				async tearDown() {
					await driver.close();
					await server.stop();
				},
			};
		},
	},
];

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** Deterministic, non-repeating-looking content: chunk `index` of a large object. */
function chunkAt(index: number, size = CHUNK): Buffer {
	const chunk = Buffer.alloc(size);
	for (let offset = 0; offset < size; offset += 4) chunk.writeUInt32LE((index * 2654435761 + offset * 40503) >>> 0, offset);
	return chunk;
}

/** `total` bytes in 64 KiB chunks, produced on demand; throws after `failAfter` bytes when given. */
function* chunks(total: number, failAfter?: number): Generator<Buffer> {
	let sent = 0;
	for (let index = 0; sent < total; index++) {
		if (failAfter !== undefined && sent >= failAfter) throw new Error("the source broke off");
		const chunk = chunkAt(index, Math.min(CHUNK, total - sent));
		sent += chunk.length;
		yield chunk;
	}
}

function generated(total: number, failAfter?: number): Readable {
	return Readable.from(chunks(total, failAfter), { objectMode: false });
}

function expectedDigest(total: number): string {
	const hash = createHash("sha256");
	for (const chunk of chunks(total)) hash.update(chunk);
	return hash.digest("hex");
}

/** Reads a stream without keeping it: byte count and sha256. */
async function digestOf(stream: Readable): Promise<{ bytes: number; sha256: string }> {
	const hash = createHash("sha256");
	let bytes = 0;
	for await (const chunk of stream) {
		bytes += (chunk as Buffer).length;
		hash.update(chunk as Buffer);
	}
	return { bytes, sha256: hash.digest("hex") };
}

async function readAll(stream: Readable | null): Promise<Buffer> {
	if (!stream) throw new Error("expected a stream, got null");
	const parts: Buffer[] = [];
	for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(parts);
}

/** What a put reports: the key, its size, its sha256 and its first bytes (for content sniffing). */
function expectStored(stored: StoredObject, expected: { key: string; bytes: number; sha256: string; start: Buffer }) {
	expect({ key: stored.key, bytes: stored.bytes, sha256: stored.sha256 }).toEqual({
		key: expected.key,
		bytes: expected.bytes,
		sha256: expected.sha256,
	});
	expect(Buffer.from(stored.head)).toEqual(expected.start.subarray(0, SNIFF_BYTES));
}

async function keysUnder(driver: StorageDriver, prefix: string): Promise<string[]> {
	const keys: string[] = [];
	for await (const item of driver.list(prefix)) keys.push(item.key);
	return keys.sort();
}

const UNSAFE_KEYS = ["../x", "/abs", "a/../../b", "a//b", "a\\b", "%2e%2e/x", "a\u0000b", ".hidden", "", "a/./b", "a/", "..", "a/.."];

describe.each(variants)("the $name storage driver", (variant) => {
	let harness: Harness;
	let driver: StorageDriver;
	let counter = 0;
	/** A key prefix of its own for every test, so tests never see each other's objects. */
	const fresh = () => `t${++counter}-${variant.name}`;

	beforeAll(async () => {
		harness = await variant.setUp();
		driver = harness.driver;
	});

	afterAll(async () => {
		await harness?.tearDown();
	});

	it(`is named ${variant.name}`, () => {
		expect(driver.name).toBe(variant.name);
	});

	it("stores an object, reports its size and sha256, and streams the same bytes back", async () => {
		const key = `${fresh()}/datasets/d1/object.jpg`;
		const body = Buffer.from("hello, pixcrawler \u00e9\u00e8 \u{1f600}");
		const stored = await driver.put(key, Readable.from([body]), { contentType: "image/jpeg", maxBytes: MAX });
		expectStored(stored, { key, bytes: body.length, sha256: sha256(body), start: body });
		expect(await readAll(await driver.get(key))).toEqual(body);
		expect(await driver.head(key)).toEqual({ key, bytes: body.length });
	});

	it("reports the first bytes of a body that arrives in tiny chunks", async () => {
		const key = `${fresh()}/tiny-chunks.gif`;
		const body = Buffer.from("GIF89a, one byte at a time, well past the sniffed head");
		const stored = await driver.put(key, Readable.from([...body].map((byte) => Buffer.from([byte]))), {
			contentType: "image/gif",
			maxBytes: MAX,
		});
		expectStored(stored, { key, bytes: body.length, sha256: sha256(body), start: body });
		expect(await readAll(await driver.get(key))).toEqual(body);
	});

	it("stores an empty object", async () => {
		const key = `${fresh()}/empty.bin`;
		const stored = await driver.put(key, Readable.from([]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expectStored(stored, { key, bytes: 0, sha256: sha256(""), start: Buffer.alloc(0) });
		expect(await driver.head(key)).toEqual({ key, bytes: 0 });
		expect(await readAll(await driver.get(key))).toEqual(Buffer.alloc(0));
	});

	it("round-trips a 24 MiB object streamed in 64 KiB chunks", async () => {
		const key = `${fresh()}/large.bin`;
		const expected = expectedDigest(LARGE_BYTES);
		const stored = await driver.put(key, generated(LARGE_BYTES), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expectStored(stored, { key, bytes: LARGE_BYTES, sha256: expected, start: chunkAt(0) });
		expect(await driver.head(key)).toEqual({ key, bytes: LARGE_BYTES });
		const stream = await driver.get(key);
		expect(stream).not.toBeNull();
		expect(await digestOf(stream as Readable)).toEqual({ bytes: LARGE_BYTES, sha256: expected });
	});

	it("accepts an object of exactly maxBytes", async () => {
		const key = `${fresh()}/exact.bin`;
		const stored = await driver.put(key, generated(3 * CHUNK), { contentType: CONTENT_TYPE, maxBytes: 3 * CHUNK });
		expect(stored.bytes).toBe(3 * CHUNK);
		expect(await driver.head(key)).toEqual({ key, bytes: 3 * CHUNK });
	});

	it("answers null to head and get of a missing key", async () => {
		const prefix = fresh();
		expect(await driver.head(`${prefix}/missing.bin`)).toBeNull();
		expect(await driver.get(`${prefix}/missing.bin`)).toBeNull();
		expect(await driver.head(`${prefix}/no/such/directory/file.bin`)).toBeNull();
	});

	/** get() of a key, closing whatever stream came back so that a wrong answer leaks no file handle. */
	async function getAndClose(key: string): Promise<Readable | null> {
		const stream = await driver.get(key);
		stream?.destroy();
		return stream;
	}

	it("answers null to get of a key that is only the prefix of other keys", async () => {
		const prefix = fresh();
		await driver.put(`${prefix}/dir/inner.bin`, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expect(await getAndClose(`${prefix}/dir`)).toBeNull();
	});

	it("answers null to head of a key that is only the prefix of other keys", async () => {
		const prefix = fresh();
		await driver.put(`${prefix}/dir/inner.bin`, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expect(await driver.head(`${prefix}/dir`)).toBeNull();
	});

	it("answers null to head and get of a key below an existing object", async () => {
		const prefix = fresh();
		await driver.put(`${prefix}/file.bin`, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expect(await driver.head(`${prefix}/file.bin/below`)).toBeNull();
		expect(await getAndClose(`${prefix}/file.bin/below`)).toBeNull();
	});

	it("deletes an object, and deleting a missing key is fine", async () => {
		const prefix = fresh();
		const key = `${prefix}/a/b/gone.bin`;
		const sibling = `${prefix}/a/kept.bin`;
		await driver.put(key, Readable.from([Buffer.from("bye")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await driver.put(sibling, Readable.from([Buffer.from("stay")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await driver.delete(key);
		expect(await driver.head(key)).toBeNull();
		expect(await driver.get(key)).toBeNull();
		expect(await keysUnder(driver, `${prefix}/`)).toEqual([sibling]);
		expect(await readAll(await driver.get(sibling))).toEqual(Buffer.from("stay"));
		await expect(driver.delete(key)).resolves.toBeUndefined();
		await expect(driver.delete(`${prefix}/never/was/here.bin`)).resolves.toBeUndefined();
	});

	it("deleting a key that is only the prefix of other keys leaves them alone", async () => {
		const prefix = fresh();
		const inner = `${prefix}/dir/inner.bin`;
		await driver.put(inner, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await expect(driver.delete(`${prefix}/dir`)).resolves.toBeUndefined();
		expect(await driver.head(inner)).toEqual({ key: inner, bytes: 1 });
	});

	it("lists exactly the keys under a prefix, with their sizes", async () => {
		const prefix = fresh();
		const inside = [`${prefix}/datasets/ab/1.jpg`, `${prefix}/datasets/ab/2.png`, `${prefix}/datasets/ab/deep/er/3.gif`];
		const outside = [`${prefix}/datasets/abc/4.jpg`, `${prefix}/datasets/a/5.jpg`, `${prefix}/datasets/ab.jpg`, `${prefix}/other/ab/6.jpg`];
		for (const [index, key] of [...inside, ...outside].entries()) {
			await driver.put(key, Readable.from([Buffer.alloc(index + 1, index)]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		}
		const listed: { key: string; bytes: number }[] = [];
		for await (const item of driver.list(`${prefix}/datasets/ab/`)) listed.push(item);
		expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual(inside.map((key, index) => ({ key, bytes: index + 1 })));
		expect(await keysUnder(driver, `${prefix}/datasets/nothing/`)).toEqual([]);
		expect(await keysUnder(driver, `${prefix}/`)).toEqual([...inside, ...outside].sort());
	});

	it("treats a prefix without a trailing slash as a plain string prefix, as S3 does", async () => {
		const prefix = fresh();
		const keys = [`${prefix}/datasets/ab/1.jpg`, `${prefix}/datasets/abc/2.jpg`, `${prefix}/datasets/ab.jpg`];
		for (const key of keys) await driver.put(key, Readable.from([Buffer.from(key)]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await driver.put(`${prefix}/datasets/a/3.jpg`, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expect(await keysUnder(driver, `${prefix}/datasets/ab`)).toEqual([...keys].sort());
	});

	it("lists many keys under one prefix", async () => {
		const prefix = `${fresh()}/many/`;
		const keys = Array.from({ length: 40 }, (_, index) => `${prefix}${String(index).padStart(3, "0")}.bin`);
		await Promise.all(keys.map((key) => driver.put(key, Readable.from([Buffer.from(key)]), { contentType: CONTENT_TYPE, maxBytes: MAX })));
		expect(await keysUnder(driver, prefix)).toEqual(keys);
	});

	it("refuses a put over maxBytes with 413 and leaves nothing behind", async () => {
		const key = `${fresh()}/too-large.bin`;
		const put = driver.put(key, generated(2 * 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: 1024 * 1024 });
		await expect(put).rejects.toMatchObject({ code: 413, name: "PayloadTooLarge" });
		expect(await driver.head(key)).toBeNull();
		expect(await keysUnder(driver, key)).toEqual([]);
		expect(harness.strayFiles()).toEqual([]);
	});

	it("refuses an oversized put that would have been a multipart upload, leaving nothing behind", async () => {
		const key = `${fresh()}/too-large-multipart.bin`;
		const put = driver.put(key, generated(12 * 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: 11 * 1024 * 1024 });
		await expect(put).rejects.toMatchObject({ code: 413 });
		expect(await driver.head(key)).toBeNull();
		expect(harness.strayFiles()).toEqual([]);
	});

	it("rejects a put whose body fails part-way and leaves nothing behind", async () => {
		const key = `${fresh()}/broken.bin`;
		const put = driver.put(key, generated(4 * 1024 * 1024, 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await expect(put).rejects.toThrow("the source broke off");
		expect(await driver.head(key)).toBeNull();
		expect(await keysUnder(driver, key)).toEqual([]);
		expect(harness.strayFiles()).toEqual([]);
	});

	it("rejects a put whose body fails at once and leaves nothing behind", async () => {
		const key = `${fresh()}/broken-at-once.bin`;
		const put = driver.put(key, generated(1024, 0), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await expect(put).rejects.toThrow("the source broke off");
		expect(await driver.head(key)).toBeNull();
		expect(harness.strayFiles()).toEqual([]);
	});

	it("rejects a put whose body fails after a multipart upload has begun, and leaves nothing behind", async () => {
		const key = `${fresh()}/broken-multipart.bin`;
		const put = driver.put(key, generated(16 * 1024 * 1024, 11 * 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await expect(put).rejects.toThrow("the source broke off");
		expect(await driver.head(key)).toBeNull();
		expect(harness.strayFiles()).toEqual([]);
	});

	it("keeps the previous object when an overwrite fails", async () => {
		const key = `${fresh()}/kept.bin`;
		await driver.put(key, Readable.from([Buffer.from("original")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		await expect(driver.put(key, generated(1024 * 1024, 256 * 1024), { contentType: CONTENT_TYPE, maxBytes: MAX })).rejects.toThrow();
		await expect(driver.put(key, generated(64 * 1024), { contentType: CONTENT_TYPE, maxBytes: 1024 })).rejects.toMatchObject({ code: 413 });
		expect(await readAll(await driver.get(key))).toEqual(Buffer.from("original"));
	});

	it("replaces an object when a key is written again", async () => {
		const key = `${fresh()}/replaced.bin`;
		await driver.put(key, Readable.from([Buffer.from("first version, rather long")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		const second = Buffer.from("second");
		const stored = await driver.put(key, Readable.from([second]), { contentType: CONTENT_TYPE, maxBytes: MAX });
		expectStored(stored, { key, bytes: second.length, sha256: sha256(second), start: second });
		expect(await driver.head(key)).toEqual({ key, bytes: second.length });
		expect(await readAll(await driver.get(key))).toEqual(second);
		expect(await keysUnder(driver, key)).toEqual([key]);
	});

	describe.each(UNSAFE_KEYS)("the unsafe key %j", (key) => {
		it("is refused with 422 by put, get, head, delete and presignedUrl", async () => {
			const refused = { code: 422, type: "VALIDATION_ERROR" };
			await expect(driver.put(key, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX })).rejects.toMatchObject(
				refused,
			);
			await expect(driver.get(key)).rejects.toMatchObject(refused);
			await expect(driver.head(key)).rejects.toMatchObject(refused);
			await expect(driver.delete(key)).rejects.toMatchObject(refused);
			if (variant.name === "s3") await expect(driver.presignedUrl(key, 60)).rejects.toMatchObject(refused);
			expect(harness.strayFiles()).toEqual([]);
		});
	});

	it("resolves checkWritable", async () => {
		await expect(driver.checkWritable()).resolves.toBeUndefined();
	});

	if (variant.name === "local") {
		it("has no presigned URLs", async () => {
			const key = `${fresh()}/local.bin`;
			await driver.put(key, Readable.from([Buffer.from("x")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
			expect(await driver.presignedUrl(key, 60)).toBeNull();
			expect(await driver.presignedUrl(key, 60, "name.bin")).toBeNull();
		});
	}

	if (variant.name === "s3") {
		it("signs a URL that downloads the object", async () => {
			const key = `${fresh()}/signed.png`;
			const body = Buffer.from("\x89PNG\r\n\x1a\n signed body", "latin1");
			await driver.put(key, Readable.from([body]), { contentType: "image/png", maxBytes: MAX });
			const url = await driver.presignedUrl(key, 60);
			expect(url).toEqual(expect.stringContaining(`${s3?.endpoint}/${s3?.bucket}/`));
			const response = await fetch(url as string);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-type")).toBe("image/png");
			expect(Buffer.from(await response.arrayBuffer())).toEqual(body);
		});

		it("signs links for the public endpoint when clients reach the store at another address", async () => {
			const server = s3 as S3TestServer;
			const publicEndpoint = server.endpoint.replace("127.0.0.1", "localhost");
			const outside = new S3Driver(server.storageConfig({ s3PublicEndpoint: publicEndpoint }));
			const key = `${fresh()}/public.bin`;
			await outside.put(key, Readable.from([Buffer.from("seen from outside")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
			const url = (await outside.presignedUrl(key, 60)) as string;
			expect(url.startsWith(`${publicEndpoint}/${server.bucket}/`)).toBe(true);
			const response = await fetch(url);
			expect(response.status).toBe(200);
			expect(await response.text()).toBe("seen from outside");
			await outside.close();
		});

		it("signs a URL that offers the download name", async () => {
			const key = `${fresh()}/named.bin`;
			await driver.put(key, Readable.from([Buffer.from("named")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
			const response = await fetch((await driver.presignedUrl(key, 60, 'cat "1".jpg')) as string);
			expect(response.status).toBe(200);
			expect(response.headers.get("content-disposition")).toBe(
				`attachment; filename="cat _1_.jpg"; filename*=UTF-8''${encodeURIComponent('cat "1".jpg')}`,
			);
			expect(await response.text()).toBe("named");
		});

		/** The S3 commands the driver sends while `action` runs, and for up to a second after it settles. */
		async function commandsDuring(action: () => Promise<unknown>, until: string): Promise<string[]> {
			const client = (driver as unknown as { client: S3Client }).client;
			const sent: string[] = [];
			const name = "pixcrawlerTestRecorder";
			client.middlewareStack.add(
				(next, context) => async (args) => {
					sent.push(context.commandName ?? "?");
					return next(args);
				},
				{ step: "initialize", name },
			);
			try {
				await action().catch(() => undefined);
				for (let waited = 0; waited < 1000 && !sent.includes(until); waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
			} finally {
				client.middlewareStack.remove(name);
			}
			return sent;
		}

		it("aborts the multipart upload of an oversized put", async () => {
			const key = `${fresh()}/aborted-413.bin`;
			const sent = await commandsDuring(
				() => driver.put(key, generated(16 * 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: 15 * 1024 * 1024 }),
				"AbortMultipartUploadCommand",
			);
			expect(sent).toContain("CreateMultipartUploadCommand");
			expect(sent).toContain("AbortMultipartUploadCommand");
			expect(sent).not.toContain("CompleteMultipartUploadCommand");
		});

		// Known bug (see the report): when the body itself fails, the driver never ends the stream it
		// feeds to lib-storage, so the multipart upload is left open on the store instead of aborted.
		it("aborts the multipart upload of a put whose body fails", async () => {
			const key = `${fresh()}/aborted-broken.bin`;
			const sent = await commandsDuring(
				() => driver.put(key, generated(16 * 1024 * 1024, 15 * 1024 * 1024), { contentType: CONTENT_TYPE, maxBytes: MAX }),
				"AbortMultipartUploadCommand",
			);
			expect(sent).toContain("CreateMultipartUploadCommand");
			expect(sent).toContain("AbortMultipartUploadCommand");
			expect(sent).not.toContain("CompleteMultipartUploadCommand");
		});

		it("refuses a signed URL once it has expired", async () => {
			const key = `${fresh()}/expiring.bin`;
			await driver.put(key, Readable.from([Buffer.from("soon gone")]), { contentType: CONTENT_TYPE, maxBytes: MAX });
			const url = (await driver.presignedUrl(key, 1)) as string;
			await new Promise((resolve) => setTimeout(resolve, 2500));
			const response = await fetch(url);
			expect(response.status).toBe(403);
			await response.arrayBuffer();
		});

		it("rejects checkWritable for a bucket that does not exist", async () => {
			const missing = new S3Driver((s3 as S3TestServer).storageConfig({ s3Bucket: "pixcrawler-no-such-bucket" }));
			try {
				await expect(missing.checkWritable()).rejects.toThrow();
			} finally {
				await missing.close();
			}
		});

		it("rejects checkWritable for a store that cannot be reached", async () => {
			const unreachable = new S3Driver((s3 as S3TestServer).storageConfig({ s3Endpoint: "http://127.0.0.1:1" }));
			try {
				await expect(unreachable.checkWritable()).rejects.toThrow();
			} finally {
				await unreachable.close();
			}
		});
	}
});

describe("the local driver", () => {
	let root: string;

	beforeAll(() => {
		root = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-storage-local-extra-"));
	});

	afterAll(() => {
		fs.rmSync(root, { recursive: true, force: true });
	});

	it("keeps objects under its root and removes directories a delete leaves empty", async () => {
		const driver = new LocalDriver(root);
		const key = "datasets/d1/deep/abc.jpg";
		await driver.put(key, Readable.from([Buffer.from("x")]), { contentType: "image/jpeg", maxBytes: 10 });
		expect(fs.readFileSync(path.join(root, "datasets", "d1", "deep", "abc.jpg"), "utf8")).toBe("x");
		await driver.delete(key);
		expect(fs.existsSync(path.join(root, "datasets"))).toBe(false);
		expect(fs.readdirSync(root)).toEqual([".incoming"]);
	});

	it("does not list its temporary directory", async () => {
		const driver = new LocalDriver(root);
		fs.writeFileSync(path.join(root, ".incoming", "half-written"), "x");
		try {
			expect(await keysUnder(driver, "")).toEqual([]);
		} finally {
			fs.rmSync(path.join(root, ".incoming", "half-written"));
		}
	});

	it("rejects checkWritable when its temporary directory is gone", async () => {
		const driver = new LocalDriver(root);
		fs.rmSync(path.join(root, ".incoming"), { recursive: true });
		try {
			await expect(driver.checkWritable()).rejects.toThrow();
		} finally {
			fs.mkdirSync(path.join(root, ".incoming"));
		}
	});
});
