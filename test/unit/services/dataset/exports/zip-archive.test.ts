import { randomBytes } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { ZipArchive } from "../../../../../services/dataset/exports/zip-archive";
import { readZip } from "../../../../support/zip";

const MTIME = new Date("2024-05-06T07:08:10.000Z");

/** Collects the archive's output: resolves with its bytes, or rejects with the error it ended with. */
async function collect(output: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of output) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** A source that gives some bytes, then fails. */
function failingSource(error: Error, before = Buffer.from("partial")): Readable {
	let sent = false;
	return new Readable({
		read() {
			if (!sent) {
				sent = true;
				this.push(before);
			} else this.destroy(error);
		},
	});
}

describe("ZipArchive", () => {
	it("writes streams and texts as entries that read back with their names and contents, in order", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		const big = randomBytes(300_000);
		const small = Buffer.from("tiny image");
		await archive.addStream("train/cat/a.jpg", Readable.from(big));
		await archive.addStream("train/dog/b.png", Readable.from([small.subarray(0, 4), small.subarray(4)]), small.length);
		await archive.addStream("empty.bin", Readable.from([]));
		archive.addText("labels.csv", "file,label\r\ntrain/cat/a.jpg,cat\r\n");
		archive.addText("README.md", `# Ünïcödé ✓\n${"repeated line\n".repeat(1000)}`);
		archive.finish();

		const entries = await readZip(await output);
		expect(entries.map((entry) => entry.name)).toEqual(["train/cat/a.jpg", "train/dog/b.png", "empty.bin", "labels.csv", "README.md"]);
		expect(entries[0].content.equals(big)).toBe(true);
		expect(entries[1].content.equals(small)).toBe(true);
		expect(entries[2].content.length).toBe(0);
		expect(entries[3].content.toString("utf8")).toBe("file,label\r\ntrain/cat/a.jpg,cat\r\n");
		expect(entries[4].content.toString("utf8")).toBe(`# Ünïcödé ✓\n${"repeated line\n".repeat(1000)}`);
	});

	it("stores images as they are and deflates text files, all dated with the export time", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		await archive.addStream("a.jpg", Readable.from(Buffer.alloc(10_000, 1)));
		archive.addText("manifest.jsonl", "{}\n".repeat(1000));
		archive.finish();
		const buffer = await output;
		const [image, text] = await readZip(buffer);
		expect(image.compressionMethod).toBe(0);
		expect(text.compressionMethod).toBe(8);
		// stored: the 10 000 bytes are in the archive as they are; deflated: 3 000 bytes of text take far less
		expect(buffer.length).toBeGreaterThan(10_000);
		expect(buffer.length).toBeLessThan(11_000);
		expect(image.modified).toEqual(MTIME);
		expect(text.modified).toEqual(MTIME);
	});

	it("writes an empty archive when nothing is added", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		archive.finish();
		expect(await readZip(await output)).toEqual([]);
	});

	it("fails the entry and ends the output with the error when a source stream fails", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		await archive.addStream("first.jpg", Readable.from(Buffer.from("fine")));
		const failure = new Error("the source broke");
		await expect(archive.addStream("second.jpg", failingSource(failure))).rejects.toBe(failure);
		await expect(output).rejects.toBe(failure);
		expect(archive.output.destroyed).toBe(true);
	});

	it("refuses everything after a failure, with that failure, destroying streams it is given", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		const failure = new Error("the source broke");
		await expect(archive.addStream("a.jpg", failingSource(failure))).rejects.toBe(failure);
		await expect(output).rejects.toBe(failure);

		const next = new PassThrough();
		await expect(archive.addStream("b.jpg", next)).rejects.toBe(failure);
		expect(next.destroyed).toBe(true);
		expect(() => archive.addText("README.md", "x")).toThrow(failure);
		expect(() => archive.finish()).toThrow(failure);
	});

	it("abort() rejects the entry being written, destroys its source and ends the output with the error", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		const source = new PassThrough();
		source.write(Buffer.from("some bytes, and more to come"));
		const adding = archive.addStream("slow.jpg", source);
		await new Promise((resolve) => setImmediate(resolve));
		const stop = new Error("export deleted");
		archive.abort(stop);
		await expect(adding).rejects.toBe(stop);
		await expect(output).rejects.toBe(stop);
		expect(source.destroyed).toBe(true);
	});

	it("abort() between entries ends the output with the error; a second abort changes nothing", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		await archive.addStream("a.jpg", Readable.from(Buffer.from("a")));
		const first = new Error("first");
		archive.abort(first);
		archive.abort(new Error("second"));
		await expect(output).rejects.toBe(first);
		await expect(archive.addStream("b.jpg", Readable.from(Buffer.from("b")))).rejects.toBe(first);
	});

	it("fails when a stream's size is not the size it was given", async () => {
		const archive = new ZipArchive(MTIME);
		const output = collect(archive.output);
		archive.addStream("a.jpg", Readable.from(Buffer.from("five!")), 4).catch(() => undefined);
		await expect(output).rejects.toThrow("unexpected number of bytes");
		expect(() => archive.finish()).toThrow("unexpected number of bytes");
	});
});
