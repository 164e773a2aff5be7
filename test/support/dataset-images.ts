import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { ServiceBroker } from "moleculer";

/**
 * Stores an image's bytes and records it in its dataset, as a crawl worker does: content-addressed
 * key, the owner's storage, then `dataset.addImage` with the given fields over sensible defaults.
 */
export async function addStoredImage(
	broker: ServiceBroker,
	owner: string,
	datasetId: string,
	bytes: Buffer,
	fields: Record<string, unknown> = {},
) {
	const sha256 = createHash("sha256").update(bytes).digest("hex");
	const storageKey = `datasets/${datasetId}/${sha256}.jpg`;
	await broker.call("storage.put", {}, { stream: Readable.from([bytes]), meta: { key: storageKey, ownerId: owner } });
	const image = await broker.call<Record<string, unknown>, Record<string, unknown>>("dataset.addImage", {
		datasetId,
		label: "cat",
		source: "wikimedia",
		storageKey,
		sha256,
		format: "jpeg",
		bytes: bytes.length,
		status: "valid",
		...fields,
	});
	return { image, sha256, storageKey };
}
