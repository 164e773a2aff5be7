import { createHash } from "node:crypto";
import { type CallOptions, PixCrawler, type PixCrawlerOptions } from "./client";
import type { DownloadProgress, DownloadResult } from "./download";
import { PixCrawlerError } from "./errors";
import type { CreateExportRequest, Dataset, DatasetMetadata, Export, ExportSplit, Image, License, ListDatasetsParams } from "./types";

/**
 * Module-level functions for the common path, the way dataset libraries read:
 * `auth(token)`, then `listDatasets()`, `getDataset(id)`, `downloadDataset(id, path)`, `loadDataset(id)`.
 * They share one client: the one `auth` made, else one from PIXCRAWLER_API_TOKEN and PIXCRAWLER_BASE_URL.
 */
let shared: PixCrawler | null = null;

/** Sets the client the module-level functions use, and answers it. */
export function auth(token: string, baseUrl?: string, options: Omit<PixCrawlerOptions, "token" | "baseUrl"> = {}): PixCrawler {
	shared = new PixCrawler({ ...options, token, ...(baseUrl ? { baseUrl } : {}) });
	return shared;
}

/** The client the module-level functions use. */
export function defaultClient(): PixCrawler {
	shared ??= new PixCrawler();
	return shared;
}

/** Every dataset of yours matching the filters, across all pages. */
export async function listDatasets(params: Omit<ListDatasetsParams, "page"> = {}, options: CallOptions = {}): Promise<Dataset[]> {
	const datasets: Dataset[] = [];
	for await (const dataset of defaultClient().datasets.iterate({ pageSize: 100, ...params }, options)) datasets.push(dataset);
	return datasets;
}

export function getDataset(datasetId: string, options: CallOptions = {}): Promise<Dataset> {
	return defaultClient().datasets.get(datasetId, options);
}

/** A dataset with its summary: counts per label, status, source and licence, sizes and the current build. */
export interface DatasetInfo extends Dataset {
	metadata: DatasetMetadata;
}

export async function getDatasetInfo(datasetId: string, options: CallOptions = {}): Promise<DatasetInfo> {
	const client = defaultClient();
	const [dataset, metadata] = await Promise.all([client.datasets.get(datasetId, options), client.datasets.metadata(datasetId, options)]);
	return { ...dataset, metadata };
}

export interface DownloadDatasetOptions extends CallOptions, Partial<CreateExportRequest> {
	/** Use a ready export with the same format, split and licences instead of writing a new one. Default true. */
	reuse?: boolean;
	/** Longest wait for the archive to be written, in milliseconds. Default 600000. */
	timeoutMs?: number;
	/** Called while the archive is being written. */
	onExportProgress?: (current: Export) => void;
	/** Called as the archive's bytes arrive. */
	onProgress?: (progress: DownloadProgress) => void;
}

export interface DatasetDownload extends DownloadResult {
	export: Export;
}

const sameSplit = (a: ExportSplit | null, b: ExportSplit | null) =>
	a === b || (a !== null && b !== null && a.train === b.train && a.val === b.val && a.test === b.test && (a.seed ?? 42) === (b.seed ?? 42));
const sameLicences = (a: License[] | null | undefined, b: License[] | null | undefined) =>
	[...(a ?? [])].sort().join() === [...(b ?? [])].sort().join();
const sameRequest = (existing: Export, request: CreateExportRequest) =>
	existing.status === "ready" &&
	existing.format === request.format &&
	sameSplit(existing.split ?? null, request.split ?? null) &&
	sameLicences(existing.licences, request.licences);

/**
 * Saves the dataset as a zip archive at `path` (format `imagefolder` unless told otherwise): an existing
 * ready export of the same kind is reused, else one is written and waited for; the download is checked
 * against the archive's SHA-256.
 */
export async function downloadDataset(datasetId: string, path: string, options: DownloadDatasetOptions = {}): Promise<DatasetDownload> {
	const client = defaultClient();
	const request: CreateExportRequest = {
		format: options.format ?? "imagefolder",
		...(options.split ? { split: options.split } : {}),
		...(options.licences ? { licences: options.licences } : {}),
	};
	const call = { signal: options.signal };
	let found: Export | undefined;
	if (options.reuse ?? true) {
		const recent = await client.exports.list(datasetId, { pageSize: 100 }, call);
		found = recent.items.find((existing) => sameRequest(existing, request));
	}
	const chosen =
		found ??
		(await client.exports.waitUntilReady((await client.exports.create(datasetId, request, call)).id, {
			...call,
			timeoutMs: options.timeoutMs,
			onProgress: options.onExportProgress,
		}));
	const result = await client.exports.download(chosen.id, path, { ...call, onProgress: options.onProgress });
	return { ...result, export: chosen };
}

export interface LoadDatasetOptions extends CallOptions {
	/** Which images: `valid` (default) keeps the clean set. */
	status?: Image["status"];
	/** Only these labels. */
	labels?: string[];
}

/** One image of a loaded dataset, its bytes fetched on demand. */
export interface DatasetItem extends Image {
	/** The file's bytes, checked against its SHA-256. */
	read(options?: CallOptions): Promise<Buffer>;
}

/** A dataset's index: its labels and images, in the API's order. */
export interface LoadedDataset {
	dataset: Dataset;
	labels: string[];
	items: DatasetItem[];
	/** Images per label. */
	counts: Record<string, number>;
}

/**
 * Loads the dataset's index (every image's label, licence, author, source and hash) so it can be filtered
 * and read image by image from code. For training at scale, `downloadDataset` an `imagefolder` or
 * `huggingface` archive instead.
 */
export async function loadDataset(datasetId: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
	const client = defaultClient();
	const call = { signal: options.signal };
	const dataset = await client.datasets.get(datasetId, call);
	const labels = options.labels ?? dataset.categories.map((category) => category.label);
	const items: DatasetItem[] = [];
	const counts: Record<string, number> = Object.fromEntries(labels.map((label) => [label, 0]));
	for (const label of labels) {
		for await (const image of client.images.iterate(datasetId, { label, status: options.status ?? "valid", pageSize: 100 }, call)) {
			counts[label] += 1;
			items.push({ ...image, read: (readOptions = {}) => readImage(client, image, readOptions) });
		}
	}
	return { dataset, labels, items, counts };
}

async function readImage(client: PixCrawler, image: Image, options: CallOptions): Promise<Buffer> {
	// the signed link in a listing may have expired by the time the image is read: ask for a fresh one
	const fresh = await client.images.get(image.datasetId, image.id, options);
	if (!fresh.url) throw new PixCrawlerError(`Image ${image.id} has no stored file`);
	const response = await client.fetchLink(fresh.url, options);
	const bytes = Buffer.from(await response.arrayBuffer());
	const sha256 = createHash("sha256").update(bytes).digest("hex");
	if (sha256 !== image.sha256.toLowerCase()) throw new PixCrawlerError(`Image ${image.id} arrived corrupt: its SHA-256 is ${sha256}`);
	return bytes;
}
