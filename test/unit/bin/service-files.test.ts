import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serviceFiles } from "../../../bin/service-files";

// serviceFiles picks the extension of its own file: .ts here, since jest runs the source.
describe("serviceFiles", () => {
	let dir: string;
	const file = (name: string) => path.join(dir, name);

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-services-"));
		for (const name of [
			"api.service.ts",
			"auth.service.ts",
			"dataset.service.ts",
			"crawl.service.ts",
			"helpers.ts",
			"api.service.js",
			"notes.service.ts.bak",
		]) {
			fs.writeFileSync(file(name), "export default {};\n");
		}
		fs.mkdirSync(file("api"));
		fs.writeFileSync(file("api/rate-limiter.ts"), "export {};\n");
	});
	afterEach(() => {
		fs.rmSync(dir, { recursive: true, force: true });
	});

	it("returns every service file with the running extension when nothing is selected", () => {
		expect(serviceFiles(dir, []).sort()).toEqual(
			[file("api.service.ts"), file("auth.service.ts"), file("crawl.service.ts"), file("dataset.service.ts")].sort(),
		);
	});

	it("returns absolute paths inside the directory", () => {
		for (const found of serviceFiles(dir, [])) {
			expect(path.isAbsolute(found)).toBe(true);
			expect(path.dirname(found)).toBe(dir);
		}
	});

	it("ignores helpers, other extensions and subdirectories", () => {
		const found = serviceFiles(dir, []).map((name) => path.basename(name));
		expect(found).not.toContain("helpers.ts");
		expect(found).not.toContain("api.service.js");
		expect(found).not.toContain("notes.service.ts.bak");
		expect(found).not.toContain("rate-limiter.ts");
	});

	it("returns only the selected services", () => {
		expect(serviceFiles(dir, ["api"])).toEqual([file("api.service.ts")]);
		expect(serviceFiles(dir, ["dataset", "auth"]).sort()).toEqual([file("auth.service.ts"), file("dataset.service.ts")]);
	});

	it("matches service names exactly, not by prefix", () => {
		fs.writeFileSync(file("api-docs.service.ts"), "export default {};\n");
		expect(serviceFiles(dir, ["api"])).toEqual([file("api.service.ts")]);
	});

	it("throws naming an unknown service and listing the available ones", () => {
		expect(() => serviceFiles(dir, ["api", "billing"])).toThrow(/^SERVICES: unknown service\(s\) billing; available: /);
		try {
			serviceFiles(dir, ["billing", "mailer"]);
			throw new Error("expected serviceFiles to throw");
		} catch (error) {
			const message = (error as Error).message;
			expect(message).toContain("billing, mailer");
			for (const name of ["api", "auth", "crawl", "dataset"]) expect(message).toContain(name);
		}
	});

	it("returns nothing for an empty directory and refuses any selection there", () => {
		const empty = fs.mkdtempSync(path.join(os.tmpdir(), "pixcrawler-services-"));
		try {
			expect(serviceFiles(empty, [])).toEqual([]);
			expect(() => serviceFiles(empty, ["api"])).toThrow("unknown service(s) api");
		} finally {
			fs.rmSync(empty, { recursive: true, force: true });
		}
	});

	it("finds the project's own services directory contents", () => {
		const services = path.join(__dirname, "../../../services");
		const names = serviceFiles(services, []).map((name) => path.basename(name, ".service.ts"));
		expect(names).toContain("api");
	});
});
