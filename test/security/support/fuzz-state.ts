import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { ServiceBroker } from "moleculer";

/**
 * What the platform has stored: every repository's documents (each local service with a moleculer-db
 * adapter: count and content) and every file under the data directory (NeDB files grow with each
 * write; storage blobs are files). Two equal snapshots around a refused request prove it wrote nothing.
 */
export interface StoredState {
	repositories: Map<string, { count: number; digest: string; documents: Map<string, string> }>;
	files: Map<string, number>;
}

interface Repository {
	name: string;
	adapter: { find(params: object): Promise<Record<string, unknown>[]>; db?: { persistence?: { filename?: string } } };
}

export function repositoriesOf(broker: ServiceBroker): Repository[] {
	return (broker.services as unknown as Partial<Repository>[]).filter(
		(service): service is Repository => typeof service.name === "string" && typeof service.adapter?.find === "function",
	);
}

function filesUnder(dir: string, root = dir, out = new Map<string, number>()): Map<string, number> {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) filesUnder(full, root, out);
		else out.set(path.relative(root, full), fs.statSync(full).size);
	}
	return out;
}

/**
 * `ignored` names repositories whose writes are not the request's own: an audit log records every
 * state-changing request whatever its outcome. Their NeDB files are left out too.
 */
export async function snapshot(broker: ServiceBroker, dataDir: string, ignored: ReadonlySet<string> = new Set()): Promise<StoredState> {
	const repositories: StoredState["repositories"] = new Map();
	const ignoredFiles = new Set<string>();
	for (const repository of repositoriesOf(broker)) {
		if (ignored.has(repository.name)) {
			const file = repository.adapter.db?.persistence?.filename;
			if (file) ignoredFiles.add(path.relative(dataDir, file));
			continue;
		}
		const documents = new Map<string, string>();
		for (const document of await repository.adapter.find({})) documents.set(String(document._id ?? document.id), JSON.stringify(document));
		const digest = createHash("sha256")
			.update([...documents.entries()].sort(([a], [b]) => a.localeCompare(b)).join("\n"))
			.digest("hex");
		repositories.set(repository.name, { count: documents.size, digest, documents });
	}
	const files = filesUnder(dataDir);
	for (const file of ignoredFiles) files.delete(file);
	return { repositories, files };
}

/** What changed between two snapshots, one line per repository or file (empty: nothing). */
export function differences(before: StoredState, after: StoredState): string[] {
	const lines: string[] = [];
	for (const [name, was] of before.repositories) {
		const now = after.repositories.get(name);
		if (!now) {
			lines.push(`${name}: repository gone`);
			continue;
		}
		if (now.digest === was.digest) continue;
		const changed = [...new Set([...was.documents.keys(), ...now.documents.keys()])]
			.filter((id) => was.documents.get(id) !== now.documents.get(id))
			.slice(0, 3)
			.map(
				(id) => `${id}: ${(was.documents.get(id) ?? "(none)").slice(0, 160)} -> ${(now.documents.get(id) ?? "(removed)").slice(0, 160)}`,
			);
		lines.push(`${name}: ${was.count} -> ${now.count} documents; ${changed.join("; ")}`);
	}
	for (const name of after.repositories.keys()) if (!before.repositories.has(name)) lines.push(`${name}: new repository`);
	for (const [file, size] of after.files)
		if (before.files.get(file) !== size) lines.push(`${file}: ${before.files.get(file) ?? "absent"} -> ${size} bytes`);
	for (const file of before.files.keys()) if (!after.files.has(file)) lines.push(`${file}: removed`);
	return lines;
}

/**
 * The prototypes a polluted merge would change, in this realm (jest's, where the platform's modules
 * run) and in Node's own (objects made by core modules, such as http's status table).
 */
const PROTOTYPES: Record<string, object> = {
	"Object.prototype": Object.prototype,
	"Array.prototype": Array.prototype,
	"String.prototype": String.prototype,
	"Function.prototype": Function.prototype,
	"Object.prototype (node realm)": Object.getPrototypeOf(http.STATUS_CODES) as object,
};

export type PrototypeBaseline = Record<string, string[]>;

export function prototypeBaseline(): PrototypeBaseline {
	return Object.fromEntries(Object.entries(PROTOTYPES).map(([name, prototype]) => [name, Reflect.ownKeys(prototype).map(String).sort()]));
}

/** Keys added to a shared prototype since the baseline, and the markers the payloads carry. */
export function pollution(baseline: PrototypeBaseline): string[] {
	const found: string[] = [];
	for (const [name, prototype] of Object.entries(PROTOTYPES)) {
		const known = new Set(baseline[name]);
		const added = Reflect.ownKeys(prototype)
			.map(String)
			.filter((key) => !known.has(key));
		if (added.length > 0) found.push(`${name} gained ${added.join(", ")}`);
	}
	const probe = {} as Record<string, unknown>;
	for (const marker of ["polluted", "isAdmin"]) if (marker in probe) found.push(`({}).${marker} is ${String(probe[marker])}`);
	return found;
}
