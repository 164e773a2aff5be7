import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { PixCrawlerError, TimeoutError } from "./errors";
import { sleep, Transport, type TransportOptions } from "./http";
import type {
	ApiToken,
	BuildStarted,
	CreateDatasetRequest,
	CreatedApiToken,
	CreateExportRequest,
	CreateTokenRequest,
	Dataset,
	DatasetMetadata,
	Export,
	Image,
	Job,
	JobLog,
	ListDatasetsParams,
	ListImagesParams,
	ListJobsParams,
	ListTasksParams,
	Page,
	PageParams,
	RetryResult,
	Task,
	UpdateDatasetRequest,
	User,
} from "./types";

export type PixCrawlerOptions = TransportOptions;

/** Per-call options every method accepts. */
export interface CallOptions {
	signal?: AbortSignal;
}

export interface WaitOptions extends CallOptions {
	/** Longest wait in milliseconds. Default 600000 (10 minutes). */
	timeoutMs?: number;
	/** Time between polls in milliseconds. Default 1000. */
	intervalMs?: number;
	/** Called with each state seen while waiting. */
	onProgress?: (current: Export) => void;
}

export interface DownloadResult {
	path: string;
	bytes: number;
	sha256: string;
}

const id = (value: string) => encodeURIComponent(value);

/** Walks every page of a list, one request per page, yielding items in order. */
export async function* paginate<T>(fetchPage: (page: number) => Promise<Page<T>>, firstPage = 1): AsyncGenerator<T, void, undefined> {
	let seen = 0;
	for (let page = firstPage; ; page++) {
		const current = await fetchPage(page);
		for (const item of current.items) yield item;
		seen += current.items.length;
		if (current.items.length === 0 || seen + (firstPage - 1) * current.pageSize >= current.total) return;
	}
}

/** Projects, datasets, builds: `/datasets`. */
export class DatasetsResource {
	constructor(private readonly http: Transport) {}

	/** One page of your datasets. */
	list(params: ListDatasetsParams = {}, options: CallOptions = {}): Promise<Page<Dataset>> {
		return this.http.request("GET", "/datasets", { query: params, ...options });
	}

	/** Every dataset matching the filters, across all pages. */
	iterate(params: ListDatasetsParams = {}, options: CallOptions = {}): AsyncGenerator<Dataset, void, undefined> {
		return paginate((page) => this.list({ ...params, page }, options), params.page ?? 1);
	}

	get(datasetId: string, options: CallOptions = {}): Promise<Dataset> {
		return this.http.request("GET", `/datasets/${id(datasetId)}`, options);
	}

	/** Defines a dataset; it starts as a draft. */
	create(definition: CreateDatasetRequest, options: CallOptions = {}): Promise<Dataset> {
		return this.http.request("POST", "/datasets", { body: definition, ...options });
	}

	/** Changes any field of the definition (409 while a build is queued or running). */
	update(datasetId: string, changes: UpdateDatasetRequest, options: CallOptions = {}): Promise<Dataset> {
		return this.http.request("PATCH", `/datasets/${id(datasetId)}`, { body: changes, ...options });
	}

	/** Deletes the dataset with its images, files and exports. */
	async delete(datasetId: string, options: CallOptions = {}): Promise<void> {
		await this.http.request("DELETE", `/datasets/${id(datasetId)}`, options);
	}

	metadata(datasetId: string, options: CallOptions = {}): Promise<DatasetMetadata> {
		return this.http.request("GET", `/datasets/${id(datasetId)}/metadata`, options);
	}

	/** Starts a build; follow it with `jobs.get(jobId)`. */
	build(datasetId: string, options: CallOptions = {}): Promise<BuildStarted> {
		return this.http.request("POST", `/datasets/${id(datasetId)}/build`, options);
	}

	/** Cancels the dataset's current build. */
	cancel(datasetId: string, options: CallOptions = {}): Promise<Job> {
		return this.http.request("POST", `/datasets/${id(datasetId)}/cancel`, options);
	}
}

/** A dataset's images: `/datasets/:id/images`. */
export class ImagesResource {
	constructor(private readonly http: Transport) {}

	list(datasetId: string, params: ListImagesParams = {}, options: CallOptions = {}): Promise<Page<Image>> {
		return this.http.request("GET", `/datasets/${id(datasetId)}/images`, { query: params, ...options });
	}

	iterate(datasetId: string, params: ListImagesParams = {}, options: CallOptions = {}): AsyncGenerator<Image, void, undefined> {
		return paginate((page) => this.list(datasetId, { ...params, page }, options), params.page ?? 1);
	}

	get(datasetId: string, imageId: string, options: CallOptions = {}): Promise<Image> {
		return this.http.request("GET", `/datasets/${id(datasetId)}/images/${id(imageId)}`, options);
	}

	/** Moves the image to another of the dataset's labels. */
	relabel(datasetId: string, imageId: string, label: string, options: CallOptions = {}): Promise<Image> {
		return this.http.request("PATCH", `/datasets/${id(datasetId)}/images/${id(imageId)}`, { body: { label }, ...options });
	}

	async delete(datasetId: string, imageId: string, options: CallOptions = {}): Promise<void> {
		await this.http.request("DELETE", `/datasets/${id(datasetId)}/images/${id(imageId)}`, options);
	}
}

/** Archives of a dataset: `/datasets/:id/exports` and `/exports/:id`. */
export class ExportsResource {
	constructor(private readonly http: Transport) {}

	/** Starts writing an archive in the background; wait for it with `waitUntilReady`. */
	create(datasetId: string, request: CreateExportRequest, options: CallOptions = {}): Promise<Export> {
		return this.http.request("POST", `/datasets/${id(datasetId)}/exports`, { body: request, ...options });
	}

	get(exportId: string, options: CallOptions = {}): Promise<Export> {
		return this.http.request("GET", `/exports/${id(exportId)}`, options);
	}

	/** A dataset's exports, newest first. */
	list(datasetId: string, params: PageParams = {}, options: CallOptions = {}): Promise<Page<Export>> {
		return this.http.request("GET", `/datasets/${id(datasetId)}/exports`, { query: params, ...options });
	}

	async delete(exportId: string, options: CallOptions = {}): Promise<void> {
		await this.http.request("DELETE", `/exports/${id(exportId)}`, options);
	}

	/**
	 * Polls the export until it is ready and answers it; a failed export throws PixCrawlerError with the
	 * reason, and running out of time throws TimeoutError.
	 */
	async waitUntilReady(exportId: string, options: WaitOptions = {}): Promise<Export> {
		const timeoutMs = options.timeoutMs ?? 600_000;
		const intervalMs = options.intervalMs ?? 1000;
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const current = await this.get(exportId, { signal: options.signal });
			options.onProgress?.(current);
			if (current.status === "ready") return current;
			if (current.status === "failed") {
				throw new PixCrawlerError(`Export ${exportId} failed: ${current.error ?? "no reason given"}`, { status: 0 });
			}
			const left = deadline - Date.now();
			if (left <= 0) throw new TimeoutError(`Export ${exportId} was not ready within ${timeoutMs} ms (it is ${current.status})`);
			await sleep(Math.min(intervalMs, left), options.signal);
		}
	}

	/**
	 * Streams the archive to a temporary file next to `path`, checks its SHA-256 against the one the API
	 * reports for the export, and only then renames it to `path`. A mismatch removes the file and throws.
	 */
	async download(exportId: string, path: string, options: CallOptions = {}): Promise<DownloadResult> {
		const record = await this.get(exportId, options);
		if (record.status !== "ready" || !record.sha256) {
			throw new PixCrawlerError(`Export ${exportId} is ${record.status}, not ready for download`, { status: 0 });
		}
		const response = await this.http.stream("GET", `/exports/${id(exportId)}/download`, {
			...options,
			headers: { Accept: "application/zip, application/problem+json" },
		});
		if (!response.body) throw new PixCrawlerError(`The download of export ${exportId} had no body`, { status: response.status });
		const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.part`);
		const hash = createHash("sha256");
		let bytes = 0;
		const digest = new Transform({
			transform(chunk: Buffer, _encoding, callback) {
				hash.update(chunk);
				bytes += chunk.length;
				callback(null, chunk);
			},
		});
		try {
			await pipeline(
				Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
				digest,
				createWriteStream(temporary),
				options.signal ? { signal: options.signal } : {},
			);
			const sha256 = hash.digest("hex");
			if (sha256 !== record.sha256.toLowerCase()) {
				throw new PixCrawlerError(`The download of export ${exportId} is corrupt: its SHA-256 is ${sha256}, expected ${record.sha256}`, {
					status: response.status,
					requestId: response.headers.get("x-request-id"),
				});
			}
			await rename(temporary, path);
			return { path, bytes, sha256 };
		} catch (error) {
			await unlink(temporary).catch(() => undefined);
			throw error;
		}
	}
}

/** Builds: `/jobs`. */
export class JobsResource {
	constructor(private readonly http: Transport) {}

	get(jobId: string, options: CallOptions = {}): Promise<Job> {
		return this.http.request("GET", `/jobs/${id(jobId)}`, options);
	}

	list(params: ListJobsParams = {}, options: CallOptions = {}): Promise<Page<Job>> {
		return this.http.request("GET", "/jobs", { query: params, ...options });
	}

	tasks(jobId: string, params: ListTasksParams = {}, options: CallOptions = {}): Promise<Page<Task>> {
		return this.http.request("GET", `/jobs/${id(jobId)}/tasks`, { query: params, ...options });
	}

	logs(jobId: string, params: PageParams = {}, options: CallOptions = {}): Promise<Page<JobLog>> {
		return this.http.request("GET", `/jobs/${id(jobId)}/logs`, { query: params, ...options });
	}

	cancel(jobId: string, options: CallOptions = {}): Promise<Job> {
		return this.http.request("POST", `/jobs/${id(jobId)}/cancel`, options);
	}

	/** Requeues the job's failed and dead tasks. */
	retry(jobId: string, options: CallOptions = {}): Promise<RetryResult> {
		return this.http.request("POST", `/jobs/${id(jobId)}/retry`, options);
	}
}

/** Long-lived API tokens: `/tokens`. */
export class TokensResource {
	constructor(private readonly http: Transport) {}

	list(params: PageParams = {}, options: CallOptions = {}): Promise<Page<ApiToken>> {
		return this.http.request("GET", "/tokens", { query: params, ...options });
	}

	/** Creates a token; its secret is in `token` and is shown this once. */
	create(request: CreateTokenRequest, options: CallOptions = {}): Promise<CreatedApiToken> {
		return this.http.request("POST", "/tokens", { body: request, ...options });
	}

	async revoke(tokenId: string, options: CallOptions = {}): Promise<void> {
		await this.http.request("DELETE", `/tokens/${id(tokenId)}`, options);
	}
}

/** The PixCrawler API client. */
export class PixCrawler {
	readonly datasets: DatasetsResource;
	readonly images: ImagesResource;
	readonly exports: ExportsResource;
	readonly jobs: JobsResource;
	readonly tokens: TokensResource;
	private readonly http: Transport;

	constructor(options: PixCrawlerOptions = {}) {
		this.http = new Transport(options);
		this.datasets = new DatasetsResource(this.http);
		this.images = new ImagesResource(this.http);
		this.exports = new ExportsResource(this.http);
		this.jobs = new JobsResource(this.http);
		this.tokens = new TokensResource(this.http);
	}

	/** The API root the client talks to, `/api/v1` included. */
	get baseUrl(): string {
		return this.http.baseUrl;
	}

	/** The signed-in account. */
	me(options: CallOptions = {}): Promise<User> {
		return this.http.request("GET", "/auth/me", options);
	}
}
