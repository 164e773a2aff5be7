/**
 * The SDK's hand-written types (src/types.ts) agree with the types generated from the OpenAPI document
 * (src/openapi.ts, `npm run sdk:types`). Type-level only: `npm run typecheck` compiles this file, and a
 * type that drifted from the document is a compile error naming the check below.
 *
 * Answers must be mutually assignable with their schema: the SDK promises no field the API does not
 * send, and misses or loosens none it does. Requests must accept everything the API accepts and send
 * nothing it refuses; the two loosenings the SDK keeps on purpose are spelt out where they are checked.
 */
import type { components, operations } from "../src/openapi";
import type * as sdk from "../src/types";

type Schemas = components["schemas"];

/** `true` when every A is a B. */
type Assignable<A, B> = [A] extends [B] ? true : false;
/** `true` when A and B accept the same values. */
type Mutual<A, B> = Assignable<A, B> extends true ? Assignable<B, A> : false;
type Not<T extends boolean> = T extends true ? false : true;
/** Compiles only for `true`. */
type Expect<T extends true> = T;

type JsonBody<Operation extends keyof operations> =
	NonNullable<operations[Operation]["requestBody"]> extends {
		content: { "application/json": infer Body };
	}
		? Body
		: never;
type Query<Operation extends keyof operations> = NonNullable<operations[Operation]["parameters"]["query"]>;

export type Answers = [
	Expect<Mutual<sdk.User, Schemas["User"]>>,
	Expect<Mutual<sdk.Account, Schemas["Account"]>>,
	Expect<Mutual<sdk.PlanLimits, Schemas["PlanLimits"]>>,
	Expect<Mutual<sdk.PlanUsage, Schemas["PlanUsage"]>>,
	Expect<Mutual<sdk.AuthTokens, Schemas["AuthTokens"]>>,
	Expect<Mutual<sdk.ApiToken, Schemas["ApiToken"]>>,
	Expect<Mutual<sdk.CreatedApiToken, Schemas["CreatedApiToken"]>>,
	Expect<Mutual<sdk.Category, Schemas["Category"]>>,
	Expect<Mutual<sdk.DatasetOptions, Schemas["DatasetOptions"]>>,
	Expect<Mutual<sdk.DatasetStats, Schemas["DatasetStats"]>>,
	Expect<Mutual<sdk.Dataset, Schemas["Dataset"]>>,
	Expect<Mutual<sdk.SizeRange | null, Schemas["SizeRange"]>>,
	Expect<Mutual<sdk.DatasetMetadata, Schemas["DatasetMetadata"]>>,
	Expect<Mutual<sdk.BuildStarted, Schemas["BuildStarted"]>>,
	Expect<Mutual<sdk.Image, Schemas["Image"]>>,
	Expect<Mutual<sdk.AppliedExportSplit, Schemas["ExportSplit"]>>,
	Expect<Mutual<sdk.Export, Schemas["Export"]>>,
	Expect<Mutual<sdk.JobProgress, Schemas["JobProgress"]>>,
	Expect<Mutual<sdk.Job, Schemas["Job"]>>,
	Expect<Mutual<sdk.Task, Schemas["Task"]>>,
	Expect<Mutual<sdk.JobLog, Schemas["JobLog"]>>,
	Expect<Mutual<sdk.RetryResult, Schemas["RetryResult"]>>,
	// pages
	Expect<Mutual<sdk.Page<sdk.Dataset>, Schemas["DatasetPage"]>>,
	Expect<Mutual<sdk.Page<sdk.Image>, Schemas["ImagePage"]>>,
	Expect<Mutual<sdk.Page<sdk.Export>, Schemas["ExportPage"]>>,
	Expect<Mutual<sdk.Page<sdk.Job>, Schemas["JobPage"]>>,
	Expect<Mutual<sdk.Page<sdk.Task>, Schemas["TaskPage"]>>,
	Expect<Mutual<sdk.Page<sdk.JobLog>, Schemas["JobLogPage"]>>,
	Expect<Mutual<sdk.Page<sdk.ApiToken>, Schemas["ApiTokenPage"]>>,
	Expect<Mutual<sdk.Page<sdk.User>, Schemas["UserPage"]>>,
	// the enumerations the SDK names
	Expect<Mutual<sdk.DatasetStatus, Schemas["Dataset"]["status"]>>,
	Expect<Mutual<sdk.Source, Schemas["Dataset"]["sources"][number]>>,
	Expect<Mutual<sdk.License, NonNullable<Schemas["Export"]["licences"]>[number]>>,
	Expect<Mutual<sdk.ExportFormat, Schemas["Export"]["format"]>>,
	Expect<Mutual<sdk.ExportStatus, Schemas["Export"]["status"]>>,
	Expect<Mutual<sdk.JobStatus, Schemas["Job"]["status"]>>,
	Expect<Mutual<sdk.TaskStatus, Schemas["Task"]["status"]>>,
	Expect<Mutual<sdk.TaskType, Schemas["Task"]["type"]>>,
	Expect<Mutual<sdk.Scope, Schemas["ApiToken"]["scopes"][number]>>,
	Expect<Mutual<sdk.ImageStatus, Schemas["Image"]["status"]>>,
];

export type Requests = [
	Expect<Mutual<sdk.CreateDatasetRequest, JsonBody<"datasetCreateDataset">>>,
	Expect<Mutual<sdk.UpdateDatasetRequest, JsonBody<"datasetUpdateDataset">>>,
	Expect<Mutual<sdk.CreateExportRequest, JsonBody<"datasetCreateExport">>>,
	Expect<Mutual<sdk.CreateTokenRequest, JsonBody<"authCreateToken">>>,
	Expect<Mutual<{ label: string }, JsonBody<"datasetRelabelImage">>>,
	Expect<Mutual<sdk.ListImagesParams, Query<"datasetListImages">>>,
	Expect<Mutual<sdk.ListJobsParams, Query<"crawlListJobs">>>,
	Expect<Mutual<sdk.PageParams, Query<"datasetListExports">>>,
	Expect<Mutual<sdk.PageParams, Query<"crawlJobLogs">>>,
	Expect<Mutual<sdk.PageParams, Query<"authListTokens">>>,
	// `status` shares DatasetStatus with the answers, whose transient `deleting` the filter refuses (422)
	Expect<Assignable<Query<"datasetListDatasets">, sdk.ListDatasetsParams>>,
	Expect<Mutual<sdk.ListDatasetsParams & { status?: Exclude<sdk.DatasetStatus, "deleting"> }, Query<"datasetListDatasets">>>,
	// `type` takes any string (the CLI passes what it is given); the API refuses an unknown type (422)
	Expect<Assignable<Query<"crawlListTasks">, sdk.ListTasksParams>>,
	Expect<Mutual<sdk.ListTasksParams & { type?: sdk.TaskType }, Query<"crawlListTasks">>>,
];

/** The checks fail for a type that drifted: a field lost, made optional, loosened or added. */
export type Sensitivity = [
	Expect<Not<Mutual<Omit<sdk.Job, "ownerId">, Schemas["Job"]>>>,
	Expect<Not<Mutual<Partial<sdk.Dataset>, Schemas["Dataset"]>>>,
	Expect<Not<Mutual<Omit<sdk.Image, "url"> & { url?: string | null }, Schemas["Image"]>>>,
	Expect<Not<Mutual<Omit<sdk.Export, "split"> & { split: sdk.ExportSplit | null }, Schemas["Export"]>>>,
	Expect<Not<Mutual<sdk.Task & { worker: string }, Schemas["Task"]>>>,
	Expect<Not<Mutual<Omit<sdk.CreateTokenRequest, "scopes"> & { scopes: string[] }, JsonBody<"authCreateToken">>>>,
];
