import { createHash } from "node:crypto";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { MeteredStream } from "../../../../services/storage/driver";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Pipes the chunks through a meter into a collector; resolves with what came out, or rejects with the meter's error. */
async function meter(chunks: Buffer[], maxBytes: number): Promise<{ meter: MeteredStream; output: Buffer; error?: unknown }> {
	const metered = new MeteredStream(maxBytes);
	const received: Buffer[] = [];
	const sink = new Writable({
		write(chunk: Buffer, _encoding, done) {
			received.push(chunk);
			done();
		},
	});
	try {
		await pipeline(Readable.from(chunks), metered, sink);
		return { meter: metered, output: Buffer.concat(received) };
	} catch (error) {
		return { meter: metered, output: Buffer.concat(received), error };
	}
}

describe("MeteredStream", () => {
	it("passes the bytes through unchanged, counting and hashing them", async () => {
		const chunks = [Buffer.from("hello, "), Buffer.from("metered "), Buffer.alloc(100_000, 7), Buffer.from("world")];
		const all = Buffer.concat(chunks);
		const { meter: metered, output, error } = await meter(chunks, 1_000_000);
		expect(error).toBeUndefined();
		expect(output).toEqual(all);
		expect(metered.bytes).toBe(all.length);
		expect(metered.digest()).toBe(sha256(all));
	});

	it("hashes an empty stream to the sha256 of nothing", async () => {
		const { meter: metered, output, error } = await meter([], 0);
		expect(error).toBeUndefined();
		expect(output.length).toBe(0);
		expect(metered.bytes).toBe(0);
		expect(metered.digest()).toBe(sha256(Buffer.alloc(0)));
	});

	it("accepts exactly maxBytes", async () => {
		const chunks = [Buffer.alloc(40, 1), Buffer.alloc(60, 2)];
		const { meter: metered, error } = await meter(chunks, 100);
		expect(error).toBeUndefined();
		expect(metered.bytes).toBe(100);
		expect(metered.digest()).toBe(sha256(Buffer.concat(chunks)));
	});

	it("fails with 413 once the bytes exceed maxBytes, passing nothing of the chunk that overflowed", async () => {
		const chunks = [Buffer.alloc(40, 1), Buffer.alloc(60, 2), Buffer.alloc(1, 3), Buffer.alloc(50, 4)];
		const { output, error } = await meter(chunks, 100);
		expect(error).toMatchObject({ code: 413, type: "PAYLOAD_TOO_LARGE", name: "PayloadTooLarge", data: { maxBytes: 100 } });
		expect((error as Error).message).toContain("100 bytes");
		expect(output.length).toBeLessThanOrEqual(100);
		expect(output).toEqual(Buffer.concat(chunks).subarray(0, output.length));
	});

	it("fails on a single chunk larger than the limit", async () => {
		const { output, error } = await meter([Buffer.alloc(2048)], 1024);
		expect(error).toMatchObject({ code: 413 });
		expect(output.length).toBe(0);
	});

	it("fails on the first byte when the limit is zero", async () => {
		const { error } = await meter([Buffer.from("x")], 0);
		expect(error).toMatchObject({ code: 413 });
	});

	it("emits the error to a consumer that reads it directly", async () => {
		const metered = new MeteredStream(10);
		const source = new PassThrough();
		source.pipe(metered);
		const failure = new Promise((resolve) => metered.once("error", resolve));
		metered.resume();
		source.end(Buffer.alloc(11));
		await expect(failure).resolves.toMatchObject({ code: 413 });
	});

	it("counts many small chunks exactly", async () => {
		const chunks = Array.from({ length: 1000 }, (_, index) => Buffer.from([index % 256]));
		const { meter: metered, error } = await meter(chunks, 1000);
		expect(error).toBeUndefined();
		expect(metered.bytes).toBe(1000);
		expect(metered.digest()).toBe(sha256(Buffer.concat(chunks)));
	});

	it("keeps the first bytes for sniffing, across chunk boundaries", async () => {
		const chunks = [Buffer.from("GI"), Buffer.from("F8"), Buffer.from("9a and the rest of a long body")];
		const { meter: metered } = await meter(chunks, 1000);
		const all = Buffer.concat(chunks);
		expect(Buffer.from(metered.head)).toEqual(all.subarray(0, metered.head.length));
		expect(metered.head.length).toBeGreaterThanOrEqual(12);
	});
});
