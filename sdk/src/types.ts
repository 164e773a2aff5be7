/** Requests and answers of the PixCrawler REST API (`/api/v1`), written to match its OpenAPI document. */

/** ISO 8601 timestamps, as the API sends them. */
export type Timestamp = string;

/** Every list answers one page of items with the total across pages. */
export interface Page<T> {
	items: T[];
	total: number;
	page: number;
	pageSize: number;
}

/** `page` ≥ 1, `pageSize` 1–100 (default 20). */
export interface PageParams {
	page?: number;
	pageSize?: number;
}

export type Source = "bing" | "duckduckgo" | "google" | "baidu" | "wikimedia" | "openverse" | "urls";
export type License = "cc0" | "public-domain" | "cc-by" | "cc-by-sa" | "cc-by-nd" | "cc-by-nc" | "cc-by-nc-sa" | "cc-by-nc-nd" | "unknown";
export type DatasetStatus = "draft" | "queued" | "running" | "ready" | "failed" | "cancelled";
export type ImageStatus = "valid" | "duplicate" | "rejected";
export type ExportFormat = "imagefolder" | "huggingface" | "csv" | "json" | "yaml" | "txt" | "coco" | "yolo";
export type ExportStatus = "queued" | "running" | "ready" | "failed";
export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled";
export type TaskStatus = "waiting" | "queued" | "running" | "retrying" | "done" | "failed" | "dead" | "cancelled";
export type Scope = "account:read" | "datasets:read" | "datasets:write" | "crawl:run" | "exports:read" | "tokens:manage";
export type Role = "user" | "superuser";

// ---------------------------------------------------------------- account

export interface User {
	id: string;
	email: string;
	name: string;
	role: Role;
	active: boolean;
	lastLoginAt: Timestamp | null;
	createdAt: Timestamp;
	updatedAt: Timestamp;
}

// ---------------------------------------------------------------- API tokens

export interface ApiToken {
	id: string;
	name: string;
	/** The first characters of the token, to recognise it. */
	prefix: string;
	scopes: Scope[];
	expiresAt: Timestamp | null;
	lastUsedAt: Timestamp | null;
	revokedAt: Timestamp | null;
	createdAt: Timestamp;
	updatedAt: Timestamp;
}

export interface CreateTokenRequest {
	name: string;
	scopes: Scope[];
	/** 1–3650 days. */
	expiresInDays?: number;
}

/** A new token: `token` is shown this once. */
export interface CreatedApiToken extends ApiToken {
	token: string;
}

// ---------------------------------------------------------------- datasets

export interface Category {
	/** Unique within the dataset; letters, digits, space, `.`, `-`, `_`. */
	label: string;
	keywords?: string[];
	urls?: string[];
}

export interface DatasetOptions {
	maxImagesPerKeyword?: number;
	minWidth?: number;
	minHeight?: number;
	formats?: string[];
	validationLevel?: string;
	dedupThreshold?: number;
	licenses?: License[];
	keywordExpansion?: string;
	[option: string]: unknown;
}

export interface DatasetStats {
	images: number;
	valid: number;
	duplicates: number;
	rejected: number;
	bytes: number;
	[counter: string]: number;
}

export interface Dataset {
	id: string;
	ownerId: string;
	projectId: string | null;
	name: string;
	description: string;
	categories: Category[];
	sources: Source[];
	options: DatasetOptions;
	status: DatasetStatus;
	stats: DatasetStats;
	currentJobId: string | null;
	createdAt: Timestamp;
	updatedAt: Timestamp;
}

export interface CreateDatasetRequest {
	name: string;
	description?: string;
	projectId?: string | null;
	categories: Category[];
	sources: Source[];
	options?: DatasetOptions;
}

export type UpdateDatasetRequest = Partial<CreateDatasetRequest>;

export type DatasetSort = "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt" | "name" | "-name";

export interface ListDatasetsParams extends PageParams {
	projectId?: string;
	status?: DatasetStatus;
	/** A part of the name. */
	name?: string;
	sort?: DatasetSort;
}

/** `GET /datasets/:id/metadata`: counts per label, status, source and licence, sizes and the current job. */
export interface DatasetMetadata {
	datasetId: string;
	status: DatasetStatus;
	currentJobId: string | null;
	[summary: string]: unknown;
}

export interface BuildStarted {
	jobId: string;
	status: JobStatus;
}

// ---------------------------------------------------------------- images

export interface Image {
	id: string;
	datasetId: string;
	label: string;
	keyword?: string | null;
	source: string;
	sourceUrl?: string | null;
	pageUrl?: string | null;
	license?: string | null;
	author?: string | null;
	sha256: string;
	phash?: string | null;
	width?: number | null;
	height?: number | null;
	format?: string | null;
	bytes?: number | null;
	status: ImageStatus;
	reason?: string | null;
	duplicateOf?: string | null;
	/** A signed link that downloads the file without a token, while it lasts. */
	url?: string | null;
	createdAt?: Timestamp;
	updatedAt?: Timestamp;
}

export interface ListImagesParams extends PageParams {
	label?: string;
	status?: ImageStatus;
	source?: string;
	license?: string;
}

// ---------------------------------------------------------------- exports

/** Fractions that add up to 1 (train above 0); the same seed gives the same split (default 42). */
export interface ExportSplit {
	train: number;
	val: number;
	test: number;
	seed?: number;
}

export interface CreateExportRequest {
	format: ExportFormat;
	split?: ExportSplit;
	licences?: License[];
}

export interface Export {
	id: string;
	datasetId: string;
	ownerId?: string;
	format: ExportFormat;
	split: ExportSplit | null;
	licences: License[] | null;
	status: ExportStatus;
	taskId: string;
	attempts?: number;
	progress: { done: number; total: number };
	imageCount: number | null;
	skipped: number | null;
	bytes: number | null;
	/** Hex SHA-256 of the archive, once ready. */
	sha256: string | null;
	fileName: string;
	error: string | null;
	/** Signed download link, once ready. */
	url?: string;
	urlExpiresAt?: Timestamp;
	createdAt?: Timestamp;
	startedAt: Timestamp | null;
	finishedAt: Timestamp | null;
	updatedAt?: Timestamp;
}

// ---------------------------------------------------------------- jobs

export interface JobProgress {
	found: number;
	downloaded: number;
	valid: number;
	duplicates: number;
	rejected: number;
	failedTasks: number;
}

export interface Job {
	id: string;
	datasetId: string;
	ownerId?: string;
	status: JobStatus;
	step: string | null;
	round: number;
	progress: JobProgress;
	targets: Record<string, number>;
	counts?: Record<string, number> | null;
	error: string | null;
	eventSeq?: number;
	createdAt: Timestamp;
	startedAt: Timestamp | null;
	finishedAt: Timestamp | null;
	updatedAt?: Timestamp;
}

export interface ListJobsParams extends PageParams {
	datasetId?: string;
	status?: JobStatus;
}

export interface Task {
	id: string;
	jobId: string;
	type: string;
	key: string;
	groupId?: string | null;
	payload?: unknown;
	status: TaskStatus;
	attempts: number;
	maxAttempts: number;
	nextRunAt?: Timestamp | null;
	leaseUntil?: Timestamp | null;
	lastError: string | null;
	result?: unknown;
	createdAt: Timestamp;
	startedAt?: Timestamp | null;
	finishedAt?: Timestamp | null;
	updatedAt?: Timestamp;
}

export interface ListTasksParams extends PageParams {
	type?: string;
	status?: TaskStatus;
}

export interface JobLog {
	id: string;
	jobId: string;
	level: string;
	message: string;
	data?: unknown;
	createdAt: Timestamp;
}

export interface RetryResult {
	requeued: number;
}
