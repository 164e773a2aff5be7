import type { Readable } from "node:stream";
import { ZipFile } from "yazl";

/**
 * A zip written as a stream, one entry at a time: an image is read from its source only while it is
 * being written, so memory stays flat however many images the archive holds. Images are stored as
 * they are (already compressed); text files are deflated. Zip64 is used when the archive needs it.
 */
export class ZipArchive {
	private readonly zip = new ZipFile();
	private readonly mtime: Date;
	private failure: Error | null = null;
	private current: { body: Readable; reject: (error: Error) => void } | null = null;
	readonly output: Readable;

	constructor(mtime: Date) {
		this.mtime = mtime;
		this.output = this.zip.outputStream as unknown as Readable;
		this.zip.on("error", (error: Error) => this.abort(error));
		// failures reach callers through the rejected promises and the consumer's own listener; without
		// this one, aborting before anyone reads the output would be an uncaught error
		this.output.on("error", () => undefined);
	}

	/** Resolves once the body has been written into the archive. */
	addStream(path: string, body: Readable, size?: number): Promise<void> {
		if (this.failure) {
			body.destroy();
			return Promise.reject(this.failure);
		}
		return new Promise((resolve, reject) => {
			this.current = { body, reject };
			body.once("error", (error) => this.abort(error));
			body.once("end", () => {
				this.current = null;
				resolve();
			});
			this.zip.addReadStream(body, path, { compress: false, mtime: this.mtime, ...(size === undefined ? {} : { size }) });
		});
	}

	addText(path: string, content: string): void {
		if (this.failure) throw this.failure;
		this.zip.addBuffer(Buffer.from(content, "utf8"), path, { compress: true, mtime: this.mtime });
	}

	finish(): void {
		if (this.failure) throw this.failure;
		this.zip.end();
	}

	/** Stops the archive: the entry being written fails and the output ends with the error. */
	abort(error: Error): void {
		if (this.failure) return;
		this.failure = error;
		const current = this.current;
		this.current = null;
		current?.body.destroy();
		current?.reject(error);
		this.output.destroy(error);
	}
}
