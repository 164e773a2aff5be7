import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Datastore from "@seald-io/nedb";
import { keepAppendsOpen, type NedbPersistence } from "../../../mixins/nedb-appender";

type Doc = { _id: string; n: number; tag?: string; at?: Date };

describe("keepAppendsOpen (NeDB writes through one open handle)", () => {
	let dir: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), "nedb-appender-"));
	});
	afterEach(() => {
		jest.restoreAllMocks();
		fs.rmSync(dir, { recursive: true, force: true });
	});

	async function opened(file: string) {
		const db = new Datastore<Doc>({ filename: file });
		await db.loadDatabaseAsync();
		return db;
	}
	const persistenceOf = (db: Datastore<Doc>) => (db as unknown as { persistence: NedbPersistence }).persistence;
	const sorted = (docs: Doc[]) => [...docs].sort((a, b) => a.n - b.n);

	it("writes the lines NeDB's own appends write, so the file loads to the same documents", async () => {
		const kept = path.join(dir, "kept.db");
		const plain = path.join(dir, "plain.db");
		const [withHandle, withoutHandle] = [await opened(kept), await opened(plain)];
		const appends = keepAppendsOpen(persistenceOf(withHandle));
		for (const db of [withHandle, withoutHandle]) {
			for (let n = 0; n < 20; n++) await db.insertAsync({ _id: `id${n}`, n, at: new Date(Date.UTC(2026, 0, n + 1)) });
			await db.updateAsync({ n: { $lt: 5 } }, { $set: { tag: "low" } }, { multi: true });
			await db.removeAsync({ n: 7 }, {});
		}
		await appends.close();
		expect(fs.readFileSync(kept, "utf8")).toBe(fs.readFileSync(plain, "utf8"));
		const reloaded = await opened(kept);
		const documents = sorted(await reloaded.findAsync({}));
		expect(documents).toHaveLength(19);
		expect(documents[0]).toEqual({ _id: "id0", n: 0, tag: "low", at: new Date(Date.UTC(2026, 0, 1)) });
	});

	it("opens the file once for many writes instead of once per write", async () => {
		const db = await opened(path.join(dir, "count.db"));
		const open = jest.spyOn(fs.promises, "open");
		const appends = keepAppendsOpen(persistenceOf(db));
		for (let n = 0; n < 50; n++) await db.insertAsync({ _id: `id${n}`, n });
		expect(open).toHaveBeenCalledTimes(1);
		await appends.close();
	});

	it("closes before a compaction replaces the file, and the writes after it land in the new file", async () => {
		const file = path.join(dir, "compacted.db");
		const db = await opened(file);
		const appends = keepAppendsOpen(persistenceOf(db));
		for (let n = 0; n < 10; n++) await db.insertAsync({ _id: `id${n}`, n });
		await db.updateAsync({}, { $set: { tag: "x" } }, { multi: true });
		await db.compactDatafileAsync();
		// one line per document after the compaction
		expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(10);
		await db.insertAsync({ _id: "after", n: 100 });
		await db.removeAsync({ n: 0 }, {});
		await appends.close();
		const documents = sorted(await (await opened(file)).findAsync({}));
		expect(documents.map((document) => document._id)).toEqual([...Array.from({ length: 9 }, (_, i) => `id${i + 1}`), "after"]);
	});

	it("reports a failed open to the write that needed it and opens again for the next", async () => {
		const file = path.join(dir, "missing", "late.db");
		fs.mkdirSync(path.dirname(file));
		const db = await opened(file);
		const appends = keepAppendsOpen(persistenceOf(db));
		fs.rmSync(path.dirname(file), { recursive: true });
		await expect(db.insertAsync({ _id: "lost", n: 1 })).rejects.toThrow(/ENOENT/);
		fs.mkdirSync(path.dirname(file));
		await db.insertAsync({ _id: "kept", n: 2 });
		await appends.close();
		expect(fs.readFileSync(file, "utf8")).toContain('"_id":"kept"');
	});

	it("leaves in-memory stores alone", async () => {
		const persistence = persistenceOf(new Datastore<Doc>({ inMemoryOnly: true }));
		const original = persistence.persistNewStateAsync;
		await keepAppendsOpen(persistence).close();
		expect(persistence.persistNewStateAsync).toBe(original);
	});
});
