import { randomUUID } from "node:crypto";
import { once } from "node:events";
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ByteRange } from "../../lib/http/byte-range";
import { MeteredStream, type ObjectInfo, type StorageDriver, type StoredObject } from "./driver";
import { isSafeKey, resolveUnder } from "./keys";

const TEMP_DIR = ".incoming";

/** A path that cannot exist: nothing there, or a file where a directory would have to be. */
function isMissing(error: unknown): boolean {
	const code = (error as NodeJS.ErrnoException).code;
	return code === "ENOENT" || code === "ENOTDIR";
}

/** Files under one directory. Writes land in a temporary file and are renamed into place when complete. */
export class LocalDriver implements StorageDriver {
	readonly name = "local" as const;
	private readonly root: string;

	constructor(root: string) {
		this.root = path.resolve(root);
		fs.mkdirSync(path.join(this.root, TEMP_DIR), { recursive: true });
	}

	async put(key: string, body: Readable, options: { contentType: string; maxBytes: number }): Promise<StoredObject> {
		const target = resolveUnder(this.root, key);
		const temporary = path.join(this.root, TEMP_DIR, randomUUID());
		const meter = new MeteredStream(options.maxBytes);
		const writer = fs.createWriteStream(temporary, { flags: "wx" });
		try {
			await pipeline(body, meter, writer);
			await moveInto(temporary, target);
		} catch (error) {
			// a body that fails at once can beat the file's open: wait until it is closed, or the file
			// would appear after the removal below
			if (!writer.closed) await once(writer, "close").catch(() => undefined);
			await fs.promises.rm(temporary, { force: true });
			throw error;
		}
		return { key, bytes: meter.bytes, sha256: meter.digest(), head: meter.head };
	}

	async get(key: string, range?: ByteRange): Promise<Readable | null> {
		const file = resolveUnder(this.root, key);
		try {
			const handle = await fs.promises.open(file, "r");
			let isFile = false;
			try {
				isFile = (await handle.stat()).isFile();
			} finally {
				// a key naming a directory (a prefix of other keys) is no object, as on S3
				if (!isFile) await handle.close();
			}
			return isFile ? handle.createReadStream(range ? { start: range.start, end: range.end } : {}) : null;
		} catch (error) {
			if (isMissing(error)) return null;
			throw error;
		}
	}

	async head(key: string): Promise<ObjectInfo | null> {
		try {
			const stat = await fs.promises.stat(resolveUnder(this.root, key));
			return stat.isFile() ? { key, bytes: stat.size } : null;
		} catch (error) {
			if (isMissing(error)) return null;
			throw error;
		}
	}

	async delete(key: string): Promise<void> {
		const file = resolveUnder(this.root, key);
		if (!(await this.head(key))) return;
		await fs.promises.rm(file, { force: true });
		// drop directories the delete left empty, up to the root
		let dir = path.dirname(file);
		while (dir.startsWith(this.root + path.sep)) {
			try {
				await fs.promises.rmdir(dir);
			} catch {
				break;
			}
			dir = path.dirname(dir);
		}
	}

	async *list(prefix: string): AsyncIterable<ObjectInfo> {
		const start = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
		if (start && !isSafeKey(start)) return;
		const walk = async function* (this: LocalDriver, relative: string): AsyncIterable<ObjectInfo> {
			let entries: fs.Dirent[];
			try {
				entries = await fs.promises.readdir(path.join(this.root, relative), { withFileTypes: true });
			} catch {
				return;
			}
			for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
				const key = relative ? `${relative}/${entry.name}` : entry.name;
				if (key === TEMP_DIR) continue;
				if (entry.isDirectory()) yield* walk.call(this, key);
				else if (key.startsWith(prefix)) yield { key, bytes: (await fs.promises.stat(path.join(this.root, key))).size };
			}
		};
		yield* walk.call(this, start);
	}

	async presignedUrl(): Promise<null> {
		return null;
	}

	async checkWritable(): Promise<void> {
		await fs.promises.access(path.join(this.root, TEMP_DIR), fs.constants.W_OK);
	}

	async close(): Promise<void> {}
}

/**
 * Renames the finished file to its key, making the key's directory only when the rename finds it missing:
 * the objects of a dataset share a directory, so a build's puts after the first skip the mkdir.
 */
async function moveInto(temporary: string, target: string): Promise<void> {
	try {
		await fs.promises.rename(temporary, target);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
		await fs.promises.mkdir(path.dirname(target), { recursive: true });
		await fs.promises.rename(temporary, target);
	}
}
