import { type DownloadProgress, type DownloadResult, downloadVerified } from "./download";
import { AuthenticationError, NotFoundError, PermissionError, PixCrawlerError, TimeoutError } from "./errors";
import { deadlineSignal, sleep, Transport, type TransportOptions } from "./http";
import { readServerSentEvents } from "./sse";
import type {
	Account,
	ApiToken,
	BuildStarted,
	CreateDatasetRequest,
	CreatedApiToken,
	CreateExportRequest,
	CreateTokenRequest,
	Dataset,
	DatasetMetadata,
	DatasetStatus,
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
} from "./types";

export type PixCrawlerOptions = TransportOptions;

/** Per-call options every method accepts. */
export interface CallOptions {
	signal?: AbortSignal;
	/** POSTs: the Idempotency-Key to send (default: a new UUID per call), e.g. one stored to resume after a crash. */
	idempotencyKey?: string;
}

export interface WaitOptions extends CallOptions {
	/** Longest wait in milliseconds. Default 600000 (10 minutes). */
	timeoutMs?: number;
	/** Time between polls in milliseconds. Default 1000. */
	intervalMs?: number;
	/** Called with each state seen while waiting. */
	onProgress?: (current: Export) => void;
}

export interface BuildWaitOptions extends CallOptions {
	/** Longest wait in milliseconds. Default 3600000 (an hour). */
	timeoutMs?: number;
	/** Time between polls when the event stream is unavailable, in milliseconds. Default 2000. */
	intervalMs?: number;
	/** Called with the build's job each time it changes. */
	onProgress?: (job: Job) => void;
}

export interface DownloadOptions extends CallOptions {
	/** Called as bytes arrive. */
	onProgress?: (progress: DownloadProgress) => void;
}

/** A dataset whose build ended without making it ready. */
export class BuildFailedError extends PixCrawlerError {
	constructor(
		readonly dataset: Dataset,
		readonly job: Job | null,
	) {
		super(`The build of dataset ${dataset.id} ended ${dataset.status}${job?.error ? `: ${job.error}` : ""}`);
	}
}

const SETTLED: ReadonlySet<DatasetStatus> = new Set(["ready", "failed", "cancelled"]);

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

/**
 * What every list method answers: awaited, one page (`{items, total, page, pageSize}`); iterated with
 * `for await`, every item of every page from `page` on, one request per page. Nothing is sent until one
 * of the two is asked for.
 */
export class PagedList<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
	private first?: Promise<Page<T>>;

	constructor(
		private readonly fetchPage: (page: number) => Promise<Page<T>>,
		private readonly firstPage = 1,
	) {}

	// biome-ignore lint/suspicious/noThenProperty: a PagedList is meant to be awaited for its first page
	then<A = Page<T>, B = never>(
		onFulfilled?: ((page: Page<T>) => A | PromiseLike<A>) | null,
		onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
	): Promise<A | B> {
		this.first ??= this.fetchPage(this.firstPage);
		return this.first.then(onFulfilled, onRejected);
	}

	[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
		return paginate(this.fetchPage, this.firstPage);
	}

	/** Every item of every page, in an array. */
	async all(): Promise<T[]> {
		const items: T[] = [];
		for await (const item of this) items.push(item);
		return items;
	}
}

/** Projects, datasets, builds: `/datasets`. */
export class DatasetsResource {
	constructor(private readonly http: Transport) {}

	/** Your datasets: await it for one page, or `for await` over every dataset of every page. */
	list(params: ListDatasetsParams = {}, options: CallOptions = {}): PagedList<Dataset> {
		return new PagedList((page) => this.http.request("GET", "/datasets", { query: { ...params, page }, ...options }), params.page ?? 1);
	}

	/** Every dataset matching the filters, across all pages (the same as iterating `list`). */
	iterate(params: ListDatasetsParams = {}, options: CallOptions = {}): AsyncGenerator<Dataset, void, undefined> {
		return this.list(params, options)[Symbol.asyncIterator]();
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

	/**
	 * Follows the dataset's build until it settles and answers the ready dataset. Progress comes from the
	 * Server-Sent Events stream; when that is unavailable (a proxy that buffers, a dropped connection) it
	 * polls instead. A build that fails or is cancelled throws BuildFailedError; running out of time
	 * throws TimeoutError.
	 */
	async waitUntilReady(datasetId: string, options: BuildWaitOptions = {}): Promise<Dataset> {
		const timeoutMs = options.timeoutMs ?? 3_600_000;
		const deadline = deadlineSignal(timeoutMs, `Dataset ${datasetId} was not ready within ${timeoutMs} ms`, options.signal);
		const signal = deadline.signal;
		try {
			let dataset = await this.get(datasetId, { signal });
			if (dataset.status === "draft" && !dataset.currentJobId) {
				throw new PixCrawlerError(`Dataset ${datasetId} has no build: start one with datasets.build`);
			}
			let last: Job | null = null;
			const progress = (job: Job) => {
				last = job;
				options.onProgress?.(job);
			};
			if (!SETTLED.has(dataset.status)) {
				await this.followEvents(datasetId, progress, signal).catch((error: unknown) => {
					if (signal.aborted || !worthPolling(error)) throw error;
				});
				dataset = await this.get(datasetId, { signal });
			}
			while (!SETTLED.has(dataset.status)) {
				if (dataset.currentJobId) progress(await this.http.request<Job>("GET", `/jobs/${id(dataset.currentJobId)}`, { signal }));
				await sleep(options.intervalMs ?? 2000, signal);
				dataset = await this.get(datasetId, { signal });
			}
			if (dataset.status === "ready") return dataset;
			const job = dataset.currentJobId ? await this.http.request<Job>("GET", `/jobs/${id(dataset.currentJobId)}`, { signal }) : last;
			throw new BuildFailedError(dataset, job);
		} catch (error) {
			throw signal.aborted ? signal.reason : error;
		} finally {
			deadline.dispose();
		}
	}

	/** Reads the dataset's event stream until its build completes. */
	private async followEvents(datasetId: string, onJob: (job: Job) => void, signal: AbortSignal): Promise<void> {
		const response = await this.http.stream("GET", `/datasets/${id(datasetId)}/events`, {
			signal,
			headers: { Accept: "text/event-stream, application/problem+json" },
		});
		if (!response.body || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
			await response.body?.cancel();
			throw new PixCrawlerError("The dataset's event stream is not available");
		}
		for await (const event of readServerSentEvents(response.body)) {
			const job = JSON.parse(event.data) as Job;
			onJob(job);
			if (event.event === "completed") return;
		}
		throw new PixCrawlerError("The dataset's event stream ended before its build did");
	}
}

/** Whether a failure of the event stream leaves polling worth trying (not for a token or dataset the API refused). */
function worthPolling(error: unknown): boolean {
	return !(error instanceof AuthenticationError || error instanceof PermissionError || error instanceof NotFoundError);
}

/** A dataset's images: `/datasets/:id/images`. */
export class ImagesResource {
	constructor(private readonly http: Transport) {}

	/** A dataset's images: await it for one page, or `for await` over every image of every page. */
	list(datasetId: string, params: ListImagesParams = {}, options: CallOptions = {}): PagedList<Image> {
		return new PagedList(
			(page) => this.http.request("GET", `/datasets/${id(datasetId)}/images`, { query: { ...params, page }, ...options }),
			params.page ?? 1,
		);
	}

	iterate(datasetId: string, params: ListImagesParams = {}, options: CallOptions = {}): AsyncGenerator<Image, void, undefined> {
		return this.list(datasetId, params, options)[Symbol.asyncIterator]();
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

	/** Saves the image's file to `path` through its signed link, checked against the image's SHA-256. */
	async download(datasetId: string, imageId: string, path: string, options: DownloadOptions = {}): Promise<DownloadResult> {
		const image = await this.get(datasetId, imageId, options);
		if (!image.url) throw new PixCrawlerError(`Image ${imageId} has no stored file to download`);
		const link = image.url;
		return downloadVerified({
			path,
			sha256: image.sha256,
			bytes: image.bytes ?? null,
			what: `image ${imageId}`,
			open: (offset) => this.http.streamLink(link, { signal: options.signal, headers: rangeFrom(offset, image.sha256) }),
			signal: options.signal,
			onProgress: options.onProgress,
			maxRetries: this.http.maxRetries,
			delay: (attempt) => this.http.delay(attempt, null),
		});
	}
}

/** Headers asking for the rest of a file from `offset`, provided it is still the same file. */
function rangeFrom(offset: number, sha256: string): Record<string, string> {
	const accept = { Accept: "application/octet-stream, application/zip, image/*, application/problem+json" };
	return offset > 0 ? { ...accept, Range: `bytes=${offset}-`, "If-Range": `"${sha256.toLowerCase()}"` } : accept;
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
	list(datasetId: string, params: PageParams = {}, options: CallOptions = {}): PagedList<Export> {
		return new PagedList(
			(page) => this.http.request("GET", `/datasets/${id(datasetId)}/exports`, { query: { ...params, page }, ...options }),
			params.page ?? 1,
		);
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
	 * Streams the archive to a part file next to `path` while hashing it, checks the SHA-256 the API reports
	 * for the export, and only then renames it to `path`. A broken connection continues where it stopped
	 * (a range request); so does a later call after an interrupted one, from the part file it left. A
	 * corrupt result is removed and throws.
	 */
	async download(exportId: string, path: string, options: DownloadOptions = {}): Promise<DownloadResult> {
		const record = await this.get(exportId, options);
		const sha256 = record.sha256;
		if (record.status !== "ready" || !sha256) {
			throw new PixCrawlerError(`Export ${exportId} is ${record.status}, not ready for download`, { status: 0 });
		}
		return downloadVerified({
			path,
			sha256,
			bytes: record.bytes,
			what: `export ${exportId}`,
			open: (offset) =>
				this.http.stream("GET", `/exports/${id(exportId)}/download`, { signal: options.signal, headers: rangeFrom(offset, sha256) }),
			signal: options.signal,
			onProgress: options.onProgress,
			maxRetries: this.http.maxRetries,
			delay: (attempt) => this.http.delay(attempt, null),
		});
	}
}

/** Builds: `/jobs`. */
export class JobsResource {
	constructor(private readonly http: Transport) {}

	get(jobId: string, options: CallOptions = {}): Promise<Job> {
		return this.http.request("GET", `/jobs/${id(jobId)}`, options);
	}

	list(params: ListJobsParams = {}, options: CallOptions = {}): PagedList<Job> {
		return new PagedList((page) => this.http.request("GET", "/jobs", { query: { ...params, page }, ...options }), params.page ?? 1);
	}

	tasks(jobId: string, params: ListTasksParams = {}, options: CallOptions = {}): PagedList<Task> {
		return new PagedList(
			(page) => this.http.request("GET", `/jobs/${id(jobId)}/tasks`, { query: { ...params, page }, ...options }),
			params.page ?? 1,
		);
	}

	logs(jobId: string, params: PageParams = {}, options: CallOptions = {}): PagedList<JobLog> {
		return new PagedList(
			(page) => this.http.request("GET", `/jobs/${id(jobId)}/logs`, { query: { ...params, page }, ...options }),
			params.page ?? 1,
		);
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

	list(params: PageParams = {}, options: CallOptions = {}): PagedList<ApiToken> {
		return new PagedList((page) => this.http.request("GET", "/tokens", { query: { ...params, page }, ...options }), params.page ?? 1);
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

	/** The signed-in account, with its plan limits and how much of each it uses. */
	me(options: CallOptions = {}): Promise<Account> {
		return this.http.request("GET", "/auth/me", options);
	}

	/** Fetches a signed link the API answered (an image's or an export's `url`); the token is not sent along. */
	fetchLink(url: string, options: CallOptions = {}): Promise<Response> {
		return this.http.streamLink(url, options);
	}
}
