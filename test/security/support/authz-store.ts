import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ServiceBroker } from "moleculer";

/**
 * What a user has stored, read beneath the API: the raw documents of every repository (each local
 * service with a moleculer-db adapter, so a new collection is included without being named here) and
 * the files of the local storage driver.
 */

interface Adapter {
	find(params: { query: Record<string, unknown> }): Promise<Record<string, unknown>[]>;
}

export interface Repository {
	service: string;
	adapter: Adapter;
}

/** The repositories of the broker's local services. */
export function repositoriesOf(broker: ServiceBroker): Repository[] {
	return (broker.services as unknown as { name: string; adapter?: Adapter }[])
		.filter((service) => service.adapter && typeof service.adapter.find === "function")
		.map((service) => ({ service: service.name, adapter: service.adapter as Adapter }));
}

function stringsIn(value: unknown, found: string[] = []): string[] {
	if (typeof value === "string") found.push(value);
	else if (Array.isArray(value)) for (const item of value) stringsIn(item, found);
	else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
		for (const item of Object.values(value)) stringsIn(item, found);
	}
	return found;
}

export interface OwnedDocuments {
	/** Per repository, the JSON of each of the user's documents as stored (field order included), sorted. */
	documents: Record<string, string[]>;
	/** The ids of those documents, and the user's own. */
	ids: Set<string>;
}

/**
 * A user's documents in every repository: those naming the user's id, then those naming any of their
 * documents' ids (an image names its dataset, a task its job, a stats record its dataset), until
 * nothing new is found.
 */
export async function documentsOf(repositories: Repository[], userId: string): Promise<OwnedDocuments> {
	const all = await Promise.all(
		repositories.map(async (repository) => ({
			service: repository.service,
			docs: (await repository.adapter.find({ query: {} })).map((doc) => ({ doc, strings: new Set(stringsIn(doc)) })),
		})),
	);
	const ids = new Set([userId]);
	const owned = new Map<string, Set<Record<string, unknown>>>(all.map(({ service }) => [service, new Set()]));
	let grew = true;
	while (grew) {
		grew = false;
		for (const { service, docs } of all) {
			const mine = owned.get(service) as Set<Record<string, unknown>>;
			for (const { doc, strings } of docs) {
				if (mine.has(doc) || ![...strings].some((text) => ids.has(text))) continue;
				mine.add(doc);
				if (typeof doc._id === "string") ids.add(doc._id);
				grew = true;
			}
		}
	}
	const documents = Object.fromEntries([...owned].map(([service, docs]) => [service, [...docs].map((doc) => JSON.stringify(doc)).sort()]));
	return { documents, ids };
}

/** SHA-256 of every file under a directory, by path relative to it. */
export function filesUnder(root: string): Record<string, string> {
	const files: Record<string, string> = {};
	if (!fs.existsSync(root)) return files;
	for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
		if (!entry.isFile()) continue;
		const full = path.join(entry.parentPath, entry.name);
		files[path.relative(root, full)] = createHash("sha256").update(fs.readFileSync(full)).digest("hex");
	}
	return files;
}
