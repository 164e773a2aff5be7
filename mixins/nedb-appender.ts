import fs from "node:fs";
import { createRequire } from "node:module";

/**
 * NeDB persists every insert, update and removal by appending lines to the collection file with
 * `fs.promises.appendFile`: an open, a write and a close, each a trip through the thread pool and a file
 * handle made and destroyed. A build stores several records per image (the stored object, usage, the image,
 * the dataset's counters), and those opens and closes were a tenth of the event loop's time in the pipeline
 * benchmark (bench/RESULTS.md, "Pipeline throughput").
 *
 * This keeps one append-mode handle per collection file open between writes: the same lines, in the same
 * order (NeDB's executor still runs one operation of a store at a time), as durable as before (neither
 * syncs). The handle is closed before anything replaces or removes the file — a compaction writes a new
 * file and renames it over the old one, which an open handle would keep writing to, unseen — and when the
 * repository stops.
 */

// NeDB is moleculer-db's dependency: its line format comes from its own model module.
const nedbModel = createRequire(require.resolve("moleculer-db"))("@seald-io/nedb/lib/model.js") as {
	serialize(document: unknown): string;
};

export interface NedbPersistence {
	filename?: string;
	inMemoryOnly?: boolean;
	modes?: { fileMode?: number };
	afterSerialization(line: string): string;
	persistNewStateAsync(documents: unknown[]): Promise<void>;
	persistCachedDatabaseAsync(): Promise<void>;
	dropDatabaseAsync?(): Promise<void>;
}

export interface KeptOpenAppends {
	/** Closes the file handle (the next write opens it again). */
	close(): Promise<void>;
}

export function keepAppendsOpen(persistence: NedbPersistence | undefined): KeptOpenAppends {
	const filename = persistence?.filename;
	if (!persistence || persistence.inMemoryOnly || !filename) return { close: async () => {} };

	let handle: Promise<fs.promises.FileHandle> | null = null;
	const close = async () => {
		const open = handle;
		handle = null;
		if (open) await (await open.catch(() => null))?.close();
	};

	persistence.persistNewStateAsync = async (documents) => {
		let lines = "";
		for (const document of documents) lines += `${persistence.afterSerialization(nedbModel.serialize(document))}\n`;
		if (lines.length === 0) return;
		const open = handle ?? fs.promises.open(filename, "a", persistence.modes?.fileMode);
		if (!handle) {
			handle = open;
			// a failed open is reported to this write and tried again by the next
			open.catch(() => {
				if (handle === open) handle = null;
			});
		}
		await (await open).appendFile(lines, "utf8");
	};

	const compact = persistence.persistCachedDatabaseAsync.bind(persistence);
	persistence.persistCachedDatabaseAsync = async () => {
		await close();
		await compact();
	};
	const drop = persistence.dropDatabaseAsync?.bind(persistence);
	if (drop) {
		persistence.dropDatabaseAsync = async () => {
			await close();
			await drop();
			// a write that slipped in between opened the file that is now gone
			await close();
		};
	}
	return { close };
}
