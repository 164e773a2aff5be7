import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { claimCollectionFile, releaseCollectionFile } from "../../../mixins/db.mixin";

describe("NeDB collection ownership", () => {
	let dir: string;
	let lock: string;
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-owner-"));
		lock = path.join(dir, "users.db.owner");
	});
	afterEach(() => {
		releaseCollectionFile(lock);
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it("records this process as the owner and releases the file on stop", () => {
		claimCollectionFile(lock);
		expect(JSON.parse(fs.readFileSync(lock, "utf8"))).toEqual({ pid: process.pid, host: os.hostname() });
		releaseCollectionFile(lock);
		expect(fs.existsSync(lock)).toBe(false);
	});

	it("refuses a second claim in the same process", () => {
		claimCollectionFile(lock);
		expect(() => claimCollectionFile(lock)).toThrow("users.db is already open in this process");
	});

	it("refuses a file owned by another live process on this host", async () => {
		const other = spawn(process.execPath, ["-e", "setTimeout(() => {}, 10000)"]);
		try {
			fs.writeFileSync(lock, JSON.stringify({ pid: other.pid, host: os.hostname() }));
			expect(() => claimCollectionFile(lock)).toThrow(`users.db is in use by process ${other.pid}`);
		} finally {
			other.kill();
		}
	});

	it("takes over a record left by a process that has stopped", async () => {
		const gone = spawn(process.execPath, ["-e", ""]);
		await new Promise((resolve) => gone.once("exit", resolve));
		fs.writeFileSync(lock, JSON.stringify({ pid: gone.pid, host: os.hostname() }));
		claimCollectionFile(lock);
		expect(JSON.parse(fs.readFileSync(lock, "utf8")).pid).toBe(process.pid);
	});

	it("takes over a record from another host, warning about it", () => {
		fs.writeFileSync(lock, JSON.stringify({ pid: 1, host: "previous-container" }));
		const warn = jest.fn();
		claimCollectionFile(lock, { warn });
		expect(warn).toHaveBeenCalled();
		expect(JSON.parse(fs.readFileSync(lock, "utf8")).host).toBe(os.hostname());
	});
});
