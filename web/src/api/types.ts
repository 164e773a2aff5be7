/**
 * The API's shapes for the dashboard: the SDK's types (sdk/src/types.ts, checked against the OpenAPI
 * document) plus the few routes the SDK does not wrap. Type-only imports: nothing Node-only reaches the bundle.
 */
export type {
	Account,
	ApiToken,
	BuildStarted,
	Category,
	CategoryInput,
	CreateDatasetRequest,
	CreatedApiToken,
	CreateExportRequest,
	CreateTokenRequest,
	Dataset,
	DatasetMetadata,
	DatasetOptions,
	DatasetOptionsInput,
	DatasetSort,
	DatasetStatus,
	Export,
	ExportFormat,
	ExportSplit,
	ExportStatus,
	Image,
	ImageFormat,
	ImageStatus,
	Job,
	JobLog,
	JobProgress,
	JobStatus,
	JobStep,
	KeywordExpansion,
	License,
	ListDatasetsParams,
	ListImagesParams,
	ListJobsParams,
	ListTasksParams,
	Page,
	PageParams,
	RetryResult,
	Scope,
	Source,
	Task,
	TaskStatus,
	UpdateDatasetRequest,
	User,
	ValidationLevel,
} from "../../../sdk/src/types";

import type { Scope, Source, Timestamp } from "../../../sdk/src/types";

export interface Project {
	id: string;
	ownerId: string;
	name: string;
	description: string;
	/** Datasets in the project. */
	datasets: number;
	createdAt: Timestamp;
	updatedAt: Timestamp;
}

export interface ProjectInput {
	name: string;
	description?: string;
}

export interface RegisterRequest {
	email: string;
	password: string;
	name: string;
}

/**
 * A sign-in or refresh answered to the dashboard: its refresh token travels in the httpOnly
 * `pixcrawler_refresh` cookie, never in the body (docs/api.md, "Browser sessions").
 */
export interface SessionTokens {
	accessToken: string;
	tokenType: "Bearer";
	expiresIn: number;
}

/** Every token scope, in the order docs/api.md lists them. */
export const SCOPES: readonly Scope[] = ["account:read", "datasets:read", "datasets:write", "crawl:run", "exports:read", "tokens:manage"];

/** What each scope allows (docs/api.md, "API tokens"). */
export const SCOPE_DESCRIPTIONS: Record<Scope, string> = {
	"account:read": "Read your account and notifications",
	"datasets:read": "Read projects, datasets and images",
	"datasets:write": "Create and change projects, datasets and images",
	"crawl:run": "Start and cancel builds",
	"exports:read": "Create and download exports",
	"tokens:manage": "List, create and revoke API tokens",
};

/** Every image source (docs/api.md, "Projects and datasets"). */
export const SOURCES: readonly Source[] = ["bing", "duckduckgo", "google", "baidu", "wikimedia", "openverse", "urls"];
