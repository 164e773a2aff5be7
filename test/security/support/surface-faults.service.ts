import path from "node:path";
import { defineService } from "../../../lib/define-service";
import { projectRoot } from "../../../lib/project";

/** A secret the faults below carry in their messages; no answer may ever show it. */
export const FAULT_SECRET = "hunter2-surface-fault-secret";
/** A file-system path of the kind server-side errors name. */
export const FAULT_PATH = path.join(projectRoot, "data", "storage", "datasets", "d1", "missing.jpg");

/** An error as a library throws it: a message with driver or file-system text, and its own fields. */
function libraryError(message: string, fields: Record<string, unknown>): Error {
	return Object.assign(new Error(message), fields);
}

/**
 * What each fault throws: unexpected errors of the kinds a real deployment meets (file system, database
 * drivers, the network), each carrying paths, driver text or a secret the gateway must not pass on.
 */
export const FAULTS: Record<string, () => unknown> = {
	unexpected: () => {
		throw new Error(`ENOENT: no such file or directory, open '${FAULT_PATH}' (password ${FAULT_SECRET})`);
	},
	mongo: () => {
		throw libraryError('E11000 duplicate key error collection: pixcrawler.users index: email_1 dup key: { email: "ada@example.com" }', {
			name: "MongoServerError",
			code: 11000,
			errmsg: "E11000 duplicate key",
			keyValue: { email: "ada@example.com" },
		});
	},
	nedb: () => {
		throw libraryError("Can't insert key ada@example.com, it violates the unique constraint (nedb datastore users.db)", {
			errorType: "uniqueViolated",
			key: "ada@example.com",
		});
	},
	refused: () => {
		throw libraryError(`connect ECONNREFUSED 10.0.0.5:27017 (mongodb://admin:${FAULT_SECRET}@10.0.0.5:27017/pixcrawler)`, {
			code: "ECONNREFUSED",
			errno: -111,
			syscall: "connect",
			address: "10.0.0.5",
			port: 27017,
		});
	},
	enoent: () => {
		throw libraryError(`ENOENT: no such file or directory, stat '${FAULT_PATH}'`, {
			code: "ENOENT",
			errno: -2,
			syscall: "stat",
			path: FAULT_PATH,
		});
	},
	// a library error that happens to carry a client status: its status may be told, its text may not
	clientStatus: () => {
		throw libraryError(`EACCES: permission denied, open '${FAULT_PATH}' at node_modules/nedb/lib/persistence.js:42:7`, {
			status: 400,
			code: "EACCES",
			errno: -13,
		});
	},
	// thrown values that are not errors at all
	notAnError: () => {
		throw { message: `/tmp/pixcrawler/${FAULT_SECRET}`, stack: `Error\n    at handler (${FAULT_PATH}:1:1)` };
	},
	rejected: () => Promise.reject(`MongoNetworkError: connection to mongodb://admin:${FAULT_SECRET}@db:27017 closed`),
};

/** A stand-in service whose public routes fail in every way the gateway must answer without leaking. */
export const faultsService = defineService({
	name: "faults",
	settings: { rest: "/" },
	actions: {
		raise: {
			rest: "GET /faults/:kind",
			auth: "public",
			summary: "Fail in the named way (test only)",
			params: { kind: { type: "enum", values: Object.keys(FAULTS) } },
			handler(ctx) {
				return FAULTS[ctx.params.kind as string]();
			},
		},
		slow: {
			rest: "GET /faults-slow",
			auth: "public",
			summary: "Answer after the given time (test only)",
			params: { ms: { type: "number", integer: true, min: 0, max: 10000, convert: true } },
			async handler(ctx) {
				await new Promise((resolve) => setTimeout(resolve, ctx.params.ms));
				return { waited: ctx.params.ms };
			},
		},
		unavailable: {
			rest: "GET /faults-unavailable",
			auth: "public",
			summary: "Call a service that no node runs (test only)",
			handler(ctx) {
				return ctx.call("ghost-service.anything", {});
			},
		},
	},
});
