/**
 * Requests and answers of the PixCrawler REST API (`/api/v1`), written to match its OpenAPI document.
 * sdk/test/types-match.ts checks them against the types generated from that document (./openapi.ts).
 */

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
/** `deleting` is seen only while a delete is under way; lists cannot filter on it. */
export type DatasetStatus = "draft" | "queued" | "running" | "ready" | "failed" | "cancelled" | "deleting";
export type ImageStatus = "valid" | "duplicate" | "rejected";
export type ExportFormat = "imagefolder" | "huggingface" | "csv" | "json" | "yaml" | "txt" | "coco" | "yolo";
export type ExportStatus = "queued" | "running" | "ready" | "failed";
export type JobStatus = "queued" | "running" | "done" | "failed" | "cancelled";
export type TaskStatus = "waiting" | "queued" | "running" | "retrying" | "done" | "failed" | "dead" | "cancelled";
export type TaskType = "crawl.plan" | "crawl.search" | "crawl.download" | "crawl.finalize";
/** Where a build is: planning, searching, downloading, finalizing a round, or done. */
export type JobStep = "plan" | "search" | "download" | "finalize" | "done";
export type Scope = "account:read" | "datasets:read" | "datasets:write" | "crawl:run" | "exports:read" | "tokens:manage";
export type Role = "user" | "superuser";
export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "avif";
export type ValidationLevel = "basic" | "standard" | "strict";
export type KeywordExpansion = "none" | "predefined" | "llm";

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

/** Names of the plan limits: what one user may have or do. */
export type PlanLimitName = "concurrentJobs" | "imagesPerDay" | "datasets" | "storageBytes" | "apiRequestsPerMinute";

/** The limits that apply to a user; null means no limit. */
export type PlanLimits = Record<PlanLimitName, number | null>;

/** How much of each limit a user uses; null when the service counting it did not answer. */
export interface PlanUsage {
	concurrentJobs: number | null;
	/** Images the user's builds stored today (UTC). */
	imagesPerDay: number | null;
	/** When today's image count starts again from zero. */
	imagesPerDayResetsAt: Timestamp;
	datasets: number | null;
	storageBytes: number | null;
}

/** `GET /auth/me`: the account with its plan limits and usage. */
export interface Account extends User {
	limits: PlanLimits;
	usage: PlanUsage;
}

/** The plan limit that stopped a build adding images. */
export interface LimitReached {
	limit: "imagesPerDay" | "storageBytes";
	max: number;
	used: number;
	/** When the limit starts afresh (images per day). */
	resetsAt?: Timestamp;
}

/** `POST /auth/login` and `POST /auth/refresh`. */
export interface AuthTokens {
	/** A JWT for the Authorization header. */
	accessToken: string;
	/** Works once, with `POST /auth/refresh`. */
	refreshToken: string;
	tokenType: "Bearer";
	/** Seconds the access token lasts. */
	expiresIn: number;
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

/** A category as a dataset answers it: keywords and URLs are always there (maybe empty). */
export interface Category {
	/** Unique within the dataset; letters, digits, space, `.`, `-`, `_`. */
	label: string;
	keywords: string[];
	urls: string[];
}

/** A category in a dataset definition: keywords to search for, URLs to fetch, or both. */
export interface CategoryInput {
	/** Unique within the dataset; letters, digits, space, `.`, `-`, `_`. */
	label: string;
	keywords?: string[];
	urls?: string[];
}

/** Quality options as a dataset answers them, defaults filled in. */
export interface DatasetOptions {
	maxImagesPerKeyword: number;
	minWidth: number;
	minHeight: number;
	formats: ImageFormat[];
	validationLevel: ValidationLevel;
	/** Hamming distance (0–16) under which perceptual hashes count as the same image. */
	dedupThreshold: number;
	/** Empty: any licence. */
	licenses: License[];
	keywordExpansion: KeywordExpansion;
}

/** Options in a definition: any left out keep their defaults (or, on update, their current values). */
export type DatasetOptionsInput = Partial<DatasetOptions>;

export interface DatasetStats {
	images: number;
	valid: number;
	duplicates: number;
	rejected: number;
	/** Bytes of the stored images. */
	bytes: number;
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
	categories: CategoryInput[];
	sources: Source[];
	options?: DatasetOptionsInput;
}

export type UpdateDatasetRequest = Partial<CreateDatasetRequest>;

export type DatasetSort = "createdAt" | "-createdAt" | "updatedAt" | "-updatedAt" | "name" | "-name";

export interface ListDatasetsParams extends PageParams {
	projectId?: string;
	/** Any status but `deleting`. */
	status?: DatasetStatus;
	/** A part of the name. */
	name?: string;
	sort?: DatasetSort;
}

/** Smallest and largest, in pixels. */
export interface SizeRange {
	min: number;
	max: number;
}

/** `GET /datasets/:id/metadata`: counts per label, status, source and licence, sizes and the current job. */
export interface DatasetMetadata {
	datasetId: string;
	status: DatasetStatus;
	currentJobId: string | null;
	/** Image records of every status. */
	images: number;
	/** Valid images per label (every label, 0 included). */
	perLabel: Record<string, number>;
	perStatus: Record<ImageStatus, number>;
	/** Valid images per source. */
	perSource: Record<string, number>;
	/** Valid images per licence. */
	perLicense: Record<string, number>;
	duplicates: number;
	/** Rejected images per reason. */
	rejectionReasons: Record<string, number>;
	/** Bytes of the valid and duplicate images. */
	bytes: number;
	/** Null while no image has a size. */
	width: SizeRange | null;
	height: SizeRange | null;
}

export interface BuildStarted {
	jobId: string;
	status: "queued";
}

// ---------------------------------------------------------------- images

export interface Image {
	id: string;
	datasetId: string;
	label: string;
	/** The search that found it. */
	keyword?: string;
	source: string;
	/** Where the bytes came from. */
	sourceUrl?: string;
	/** The page showing the image. */
	pageUrl?: string;
	/** A licence code; `unknown` when the source gave none. */
	license: string;
	author?: string;
	/** Where the file is stored; null once a near-duplicate's file was removed. */
	storageKey?: string | null;
	/** Hex SHA-256 of the bytes (of the URL, for a download that was rejected). */
	sha256: string;
	/** Perceptual hash, 16 hex digits. */
	phash?: string;
	width?: number;
	height?: number;
	format?: string;
	bytes?: number;
	status: ImageStatus;
	/** Why it was rejected or is a duplicate. */
	reason?: string;
	/** The kept image this one duplicates. */
	duplicateOf?: string;
	/** A signed link that downloads the file without a token until `urlExpiresAt`; null without a stored file. */
	url: string | null;
	urlExpiresAt?: Timestamp;
	createdAt: Timestamp;
	updatedAt: Timestamp;
}

export interface ListImagesParams extends PageParams {
	label?: string;
	status?: ImageStatus;
	source?: string;
	license?: string;
	/** The near-duplicates of this image (their `duplicateOf`). */
	duplicateOf?: string;
}

// ---------------------------------------------------------------- exports

/** Fractions that add up to 1 (train above 0); the same seed gives the same split (default 42). */
export interface ExportSplit {
	train: number;
	val: number;
	test: number;
	seed?: number;
}

/** The split an export applied: its seed is always there. */
export interface AppliedExportSplit extends ExportSplit {
	seed: number;
}

export interface CreateExportRequest {
	format: ExportFormat;
	split?: ExportSplit;
	licences?: License[];
}

export interface Export {
	id: string;
	datasetId: string;
	ownerId: string;
	format: ExportFormat;
	split: AppliedExportSplit | null;
	/** Null: every licence. */
	licences: License[] | null;
	status: ExportStatus;
	taskId: string;
	attempts: number;
	progress: { done: number; total: number };
	imageCount: number | null;
	skipped: number | null;
	bytes: number | null;
	/** Hex SHA-256 of the archive, once ready. */
	sha256: string | null;
	fileName: string;
	error: string | null;
	/** Signed download link, once ready (`GET /exports/:id` only). */
	url?: string;
	urlExpiresAt?: Timestamp;
	createdAt: Timestamp;
	startedAt: Timestamp | null;
	finishedAt: Timestamp | null;
	updatedAt: Timestamp;
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
	ownerId: string;
	status: JobStatus;
	step: JobStep;
	/** Rounds fetch further result pages for labels left short of their target. */
	round: number;
	progress: JobProgress;
	/** Images wanted per label. */
	targets: Record<string, number>;
	/** Valid images per label at the end of the last round; null before. */
	counts: Record<string, number> | null;
	error: string | null;
	/** The plan limit that stopped the build adding images (images per day, storage), or null. */
	limitReached?: LimitReached | null;
	/** Number of the latest event (the ids of `GET /jobs/:id/events`). */
	eventSeq: number;
	createdAt: Timestamp;
	startedAt: Timestamp | null;
	finishedAt: Timestamp | null;
	updatedAt: Timestamp;
}

export interface ListJobsParams extends PageParams {
	datasetId?: string;
	status?: JobStatus;
}

export interface Task {
	id: string;
	jobId: string;
	ownerId: string;
	type: TaskType;
	/** Unique within the job. */
	key: string;
	groupId: string | null;
	/** What the task works on (depends on its type). */
	payload: Record<string, unknown>;
	status: TaskStatus;
	attempts: number;
	maxAttempts: number;
	/** When a retrying task runs again. */
	nextRunAt: Timestamp | null;
	/** Until when a running task's worker holds it. */
	leaseUntil: Timestamp | null;
	lastError: string | null;
	/** What the task produced (depends on its type), or null. */
	result: unknown;
	createdAt: Timestamp;
	startedAt: Timestamp | null;
	finishedAt: Timestamp | null;
	updatedAt: Timestamp;
}

export interface ListTasksParams extends PageParams {
	/** A task type (see `TaskType`). */
	type?: string;
	status?: TaskStatus;
}

export interface JobLog {
	id: string;
	jobId: string;
	level: "info" | "warn" | "error";
	message: string;
	/** Details: counts, targets, a task id. */
	data: Record<string, unknown>;
	createdAt: Timestamp;
}

export interface RetryResult {
	requeued: number;
}
