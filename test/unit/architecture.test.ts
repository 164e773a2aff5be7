import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../../lib/config";
import type { PixServiceSchema } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";
import { sampleService } from "../support/sample.service";

/** Rules the code base keeps as it grows, checked on the source tree itself. */

const ROOT = path.resolve(__dirname, "../..");
const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist", "coverage", "data", "tmp"]);
const SOURCE_EXTENSIONS = new Set([".ts", ".js", ".mjs", ".cjs"]);

function sourceFiles(...entries: string[]): string[] {
	const found: string[] = [];
	const visit = (absolute: string) => {
		if (!fs.existsSync(absolute)) return;
		if (fs.statSync(absolute).isDirectory()) {
			for (const child of fs.readdirSync(absolute)) {
				if (child.startsWith(".") || SKIPPED_DIRECTORIES.has(child)) continue;
				visit(path.join(absolute, child));
			}
		} else if (SOURCE_EXTENSIONS.has(path.extname(absolute)) && !absolute.endsWith(".d.ts")) {
			found.push(absolute);
		}
	};
	for (const entry of entries) visit(path.join(ROOT, entry));
	return found.sort();
}

const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");

/** `file:line: text` for every line of the files that matches. */
function linesMatching(files: string[], pattern: RegExp): string[] {
	const hits: string[] = [];
	for (const file of files) {
		fs.readFileSync(file, "utf8")
			.split("\n")
			.forEach((line, index) => {
				if (pattern.test(line)) hits.push(`${relative(file)}:${index + 1}: ${line.trim()}`);
			});
	}
	return hits;
}

// Assembled from halves so that this file does not trip its own rule.
const MARKERS = ["TO" + "DO", "FIX" + "ME", "X" + "XX", "HA" + "CK"];
const UNFINISHED_WORK = new RegExp(`\\b(?:${MARKERS.join("|")})\\b`);

const STORE_PACKAGES = ["mongoose", "moleculer-db-adapter-mongoose", "moleculer-db", "@seald-io/nedb", "nedb"];
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const STORE_IMPORT = new RegExp(
	`(?:\\bfrom\\s*|\\bimport\\s*\\(?\\s*|\\brequire\\s*\\(\\s*)["'](?:${STORE_PACKAGES.map(escapeRegExp).join("|")})(?:/[^"']*)?["']`,
);

const PROCESS_ENV = /\bprocess\s*(?:\.\s*env\b|\[\s*["'`]env["'`]\s*\])|\{[^}]*\benv\b[^}]*\}\s*=\s*process\b/;

describe("the source tree", () => {
	it("has no unfinished-work markers", () => {
		const files = sourceFiles("lib", "mixins", "services", "bin", "test", "moleculer.config.ts");
		expect(files.length).toBeGreaterThan(10);
		expect(linesMatching(files, UNFINISHED_WORK)).toEqual([]);
	});

	it("imports database drivers and adapters only in mixins/db.mixin.ts", () => {
		const files = sourceFiles("lib", "mixins", "services", "bin", "moleculer.config.ts").filter(
			(file) => relative(file) !== "mixins/db.mixin.ts",
		);
		expect(linesMatching(files, STORE_IMPORT)).toEqual([]);
	});

	it("reads process.env only in lib/config/index.ts", () => {
		const files = sourceFiles("lib", "services", "mixins").filter((file) => relative(file) !== "lib/config/index.ts");
		expect(linesMatching(files, PROCESS_ENV)).toEqual([]);
	});
});

describe("the rule patterns", () => {
	it.each([
		...MARKERS.map((marker) => `// ${marker}: later`),
		...MARKERS.map((marker) => `/* ${marker} */`),
		"const a = 1; // FIX" + "ME(alice) soon",
	])("flag an unfinished-work marker in %j", (line) => {
		expect(UNFINISHED_WORK.test(line)).toBe(true);
	});

	it.each(["// todo in lower case is prose", "const XXXL = 3;", "hackathon", "TODOS", "mongoose"])("leave %j alone", (line) => {
		expect(UNFINISHED_WORK.test(line)).toBe(false);
	});

	it.each([
		'import mongoose from "mongoose";',
		'import type { Model } from "mongoose";',
		"const { Schema } = require('mongoose');",
		'import DbService from "moleculer-db";',
		'import Adapter from "moleculer-db-adapter-mongoose";',
		'import Datastore from "@seald-io/nedb";',
		'const Datastore = require("nedb");',
		'const mod = await import("mongoose");',
		'import "moleculer-db";',
		'import { ObjectId } from "mongoose/lib/types";',
	])("flag the store import %j", (line) => {
		expect(STORE_IMPORT.test(line)).toBe(true);
	});

	it.each([
		'import { DbMixin } from "../mixins/db.mixin";',
		'import x from "mongoose-lean-virtuals";',
		'import x from "moleculer-dbx";',
		'import x from "moleculer";',
		"// the mongoose adapter is chosen when MONGO_URI is set",
	])("leave the import %j alone", (line) => {
		expect(STORE_IMPORT.test(line)).toBe(false);
	});

	it.each(["const port = process.env.PORT;", 'const port = process.env["PORT"];', "const e = process['env'];", "const { env } = process;"])(
		"flag the environment read %j",
		(line) => {
			expect(PROCESS_ENV.test(line)).toBe(true);
		},
	);

	it.each(["const port = config.gateway.port;", "process.exit(1);", "const environment = readEnvironment();"])("leave %j alone", (line) => {
		expect(PROCESS_ENV.test(line)).toBe(false);
	});
});

type ActionDefinition = Record<string, unknown>;
type SchemaLike = Pick<PixServiceSchema, "actions"> & { mixins?: unknown[] };

const AUTH_LEVELS = new Set(["public", "user", "superuser"]);

/** The actions a schema ends up with, merged the way moleculer merges mixins: earlier mixins win, the schema itself wins over all. */
function effectiveActions(schema: SchemaLike): Map<string, ActionDefinition> {
	const merged = new Map<string, ActionDefinition>();
	const apply = (actions: Record<string, unknown>) => {
		for (const [name, definition] of Object.entries(actions)) {
			if (definition === false) {
				merged.delete(name);
				continue;
			}
			const action =
				typeof definition === "function" ? { handler: definition } : definition === true ? {} : (definition as ActionDefinition);
			merged.set(name, { ...(merged.get(name) ?? {}), ...action });
		}
	};
	for (const mixin of [...(schema.mixins ?? [])].reverse()) apply(Object.fromEntries(effectiveActions(mixin as SchemaLike)));
	apply((schema.actions ?? {}) as Record<string, unknown>);
	return merged;
}

/**
 * Actions the gateway would route without knowing who may call them. moleculer-web publishes an action
 * with a `rest` line unless its visibility is other than "published", so protected CRUD does not count.
 */
function undeclaredRoutes(schema: SchemaLike): string[] {
	const offending: string[] = [];
	for (const [name, action] of effectiveActions(schema)) {
		if (action.rest === undefined || action.rest === null) continue;
		if (action.visibility !== undefined && action.visibility !== "published") continue;
		if (!AUTH_LEVELS.has(action.auth as string)) offending.push(name);
	}
	return offending.sort();
}

describe("auth levels on routed actions", () => {
	const serviceFiles = fs
		.readdirSync(path.join(ROOT, "services"))
		.filter((file) => file.endsWith(".service.ts"))
		.sort();

	it("finds the service files", () => {
		expect(serviceFiles.length).toBeGreaterThan(0);
	});

	it.each(serviceFiles)("services/%s declares public, user or superuser on every action with a rest line", (file) => {
		const schema = require(path.join(ROOT, "services", file)).default as SchemaLike;
		expect(schema).toEqual(expect.objectContaining({ name: expect.any(String) }));
		expect(undeclaredRoutes(schema)).toEqual([]);
	});

	it("catches the sample service's action that declares no level", () => {
		expect(undeclaredRoutes(sampleService as SchemaLike)).toEqual(["forgotten"]);
	});

	it("catches an undeclared level inherited from a mixin, and a misspelt one", () => {
		const mixin = { actions: { exported: { rest: "GET /exported", handler() {} } } };
		expect(undeclaredRoutes({ mixins: [mixin], actions: {} })).toEqual(["exported"]);
		expect(undeclaredRoutes({ actions: { typo: { rest: "GET /typo", auth: "users" as never } } })).toEqual(["typo"]);
	});

	it("accepts a level the service adds to a mixin's action, and an action the service removes", () => {
		const mixin = { actions: { exported: { rest: "GET /exported", handler() {} }, dropped: { rest: "GET /dropped", handler() {} } } };
		expect(undeclaredRoutes({ mixins: [mixin], actions: { exported: { auth: "user" }, dropped: false } })).toEqual([]);
	});

	it("lets the earlier of two mixins win, as moleculer does", () => {
		const first = { actions: { shared: { rest: "GET /shared", auth: "public" as const } } };
		const second = { actions: { shared: { rest: "GET /shared", handler() {} } } };
		expect(undeclaredRoutes({ mixins: [first, second], actions: {} })).toEqual([]);
		expect(undeclaredRoutes({ mixins: [second, { actions: { shared: { rest: "GET /shared" } } }], actions: {} })).toEqual(["shared"]);
	});

	it("ignores the DB mixin's protected CRUD actions, whose rest lines the gateway never publishes", () => {
		const config = loadConfig({ ...process.env, MONGO_URI: "", PIXCRAWLER_DB_IN_MEMORY: "true" });
		const repository = { mixins: [DbMixin({ collection: "architecture_probe" }, config)], actions: {} };
		const routed = [...effectiveActions(repository)].filter(([, action]) => action.rest !== undefined).map(([name]) => name);
		expect(routed.length).toBeGreaterThan(0);
		expect(undeclaredRoutes(repository)).toEqual([]);
	});
});
