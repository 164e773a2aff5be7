import { readServerSentEvents, type ServerSentEvent } from "../../../sdk/src/sse";
import { ApiError, type ProblemDetails } from "./errors";
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
	Project,
	ProjectInput,
	RegisterRequest,
	RetryResult,
	SessionTokens,
	Task,
	UpdateDatasetRequest,
	User,
} from "./types";

/** The header that asks for (and is required to use) the httpOnly refresh cookie: a cross-site form cannot send it. */
export const SESSION_HEADER = "X-PixCrawler-Session";

/** Where the client gets its access token; the auth context implements it (web/src/auth/session.ts). */
export interface TokenProvider {
	/** A valid access token (refreshed first when it is about to expire), or null when signed out. */
	accessToken(): Promise<string | null>;
	/** After a 401: get a new access token once; true when there is one to retry with. */
	renew(): Promise<boolean>;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
	query?: Query;
	body?: unknown;
	signal?: AbortSignal;
	headers?: Record<string, string>;
	/** false: send no Authorization header and never refresh (sign-in, sign-up, refresh itself). */
	authenticated?: boolean;
}

export interface ApiClientOptions {
	/** Default `/api/v1` (same origin). */
	baseUrl?: string;
	fetch?: typeof fetch;
	tokens?: TokenProvider;
}

/** `?a=1&b=x`, leaving out unset and empty values. */
export function queryString(query: Query | undefined): string {
	if (!query) return "";
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined || value === null || value === "") continue;
		params.set(key, String(value));
	}
	const text = params.toString();
	return text ? `?${text}` : "";
}

const segment = (value: string) => encodeURIComponent(value);

async function problemOf(response: Response): Promise<ProblemDetails | null> {
	const type = response.headers.get("content-type") ?? "";
	if (!type.includes("json")) return null;
	try {
		return (await response.json()) as ProblemDetails;
	} catch {
		return null;
	}
}

/** A typed client of /api/v1 for the browser: JSON in and out, problem+json errors as ApiError, one refresh on a 401. */
export class ApiClient {
	private readonly baseUrl: string;
	private readonly fetcher: typeof fetch;
	private tokens: TokenProvider | null;

	constructor(options: ApiClientOptions = {}) {
		this.baseUrl = options.baseUrl ?? "/api/v1";
		// bound: window.fetch refuses to run with another `this`
		this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
		this.tokens = options.tokens ?? null;
	}

	setTokens(tokens: TokenProvider | null) {
		this.tokens = tokens;
	}

	/** The raw answer of a request (2xx or not), with the Authorization header and one refresh after a 401. */
	async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
		const authenticated = options.authenticated !== false && this.tokens !== null;
		const attempt = async () => {
			const headers: Record<string, string> = { Accept: "application/json, application/problem+json", ...options.headers };
			if (options.body !== undefined) headers["Content-Type"] = "application/json";
			if (authenticated) {
				const token = await this.tokens?.accessToken();
				if (token) headers.Authorization = `Bearer ${token}`;
			}
			try {
				return await this.fetcher(`${this.baseUrl}${path}${queryString(options.query)}`, {
					method,
					headers,
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
					signal: options.signal,
					// the refresh cookie is scoped to /api/v1/auth and same-site only; nothing else uses cookies
					credentials: "same-origin",
				});
			} catch (error) {
				if ((error as Error).name === "AbortError") throw error;
				throw new ApiError("The server could not be reached", { status: 0 });
			}
		};
		let response = await attempt();
		if (response.status === 401 && authenticated && (await this.tokens?.renew())) response = await attempt();
		return response;
	}

	/** A JSON request; non-2xx answers throw ApiError. */
	async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
		const response = await this.send(method, path, options);
		if (!response.ok) throw await this.errorFrom(response);
		if (response.status === 204) return undefined as T;
		const type = response.headers.get("content-type") ?? "";
		return (type.includes("json") ? await response.json() : await response.text()) as T;
	}

	async errorFrom(response: Response): Promise<ApiError> {
		const problem = await problemOf(response);
		const retryAfter = Number(response.headers.get("retry-after"));
		return new ApiError(problem?.detail ?? problem?.title ?? `The server answered ${response.status}`, {
			status: response.status,
			problem,
			requestId: response.headers.get("x-request-id"),
			retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
		});
	}

	/**
	 * The events of a Server-Sent Events route, read with fetch (EventSource cannot send the Authorization
	 * header). Ends when the server closes the stream or `signal` aborts.
	 */
	async *events(path: string, options: { signal?: AbortSignal; lastEventId?: string | null } = {}): AsyncGenerator<ServerSentEvent> {
		const headers: Record<string, string> = { Accept: "text/event-stream, application/problem+json" };
		if (options.lastEventId) headers["Last-Event-ID"] = options.lastEventId;
		const response = await this.send("GET", path, { signal: options.signal, headers });
		if (!response.ok) throw await this.errorFrom(response);
		if (!response.body) throw new ApiError("The event stream is not available", { status: response.status });
		yield* readServerSentEvents(response.body);
	}

	// ---------------------------------------------------------------- account and sessions

	readonly auth = {
		register: (request: RegisterRequest) => this.request<User>("POST", "/auth/register", { body: request, authenticated: false }),
		/** Signs in; the refresh token is set as the httpOnly cookie, the answer carries the access token only. */
		login: (email: string, password: string) =>
			this.request<SessionTokens>("POST", "/auth/login", {
				body: { email, password },
				headers: { [SESSION_HEADER]: "cookie" },
				authenticated: false,
			}),
		/** A new access token from the refresh cookie (which rotates). */
		refresh: () =>
			this.request<SessionTokens>("POST", "/auth/refresh", { body: {}, headers: { [SESSION_HEADER]: "cookie" }, authenticated: false }),
		/** Ends the session of the refresh cookie and clears it. */
		logout: () => this.request<void>("POST", "/auth/logout", { body: {}, headers: { [SESSION_HEADER]: "cookie" }, authenticated: false }),
		me: (signal?: AbortSignal) => this.request<Account>("GET", "/auth/me", { signal }),
		updateMe: (changes: { name: string }) => this.request<User>("PATCH", "/auth/me", { body: changes }),
	};

	readonly tokensApi = {
		list: (params: PageParams = {}, signal?: AbortSignal) =>
			this.request<Page<ApiToken>>("GET", "/tokens", { query: { ...params }, signal }),
		create: (request: CreateTokenRequest) => this.request<CreatedApiToken>("POST", "/tokens", { body: request }),
		revoke: (id: string) => this.request<void>("DELETE", `/tokens/${segment(id)}`),
	};

	// ---------------------------------------------------------------- projects and datasets

	readonly projects = {
		list: (params: PageParams & { name?: string } = {}, signal?: AbortSignal) =>
			this.request<Page<Project>>("GET", "/projects", { query: { ...params }, signal }),
		get: (id: string, signal?: AbortSignal) => this.request<Project>("GET", `/projects/${segment(id)}`, { signal }),
		create: (request: ProjectInput) => this.request<Project>("POST", "/projects", { body: request }),
		update: (id: string, changes: Partial<ProjectInput>) => this.request<Project>("PATCH", `/projects/${segment(id)}`, { body: changes }),
		delete: (id: string) => this.request<void>("DELETE", `/projects/${segment(id)}`),
	};

	readonly datasets = {
		list: (params: ListDatasetsParams = {}, signal?: AbortSignal) =>
			this.request<Page<Dataset>>("GET", "/datasets", { query: { ...params }, signal }),
		get: (id: string, signal?: AbortSignal) => this.request<Dataset>("GET", `/datasets/${segment(id)}`, { signal }),
		create: (request: CreateDatasetRequest) => this.request<Dataset>("POST", "/datasets", { body: request }),
		update: (id: string, changes: UpdateDatasetRequest) => this.request<Dataset>("PATCH", `/datasets/${segment(id)}`, { body: changes }),
		delete: (id: string) => this.request<void>("DELETE", `/datasets/${segment(id)}`),
		metadata: (id: string, signal?: AbortSignal) => this.request<DatasetMetadata>("GET", `/datasets/${segment(id)}/metadata`, { signal }),
		build: (id: string) => this.request<BuildStarted>("POST", `/datasets/${segment(id)}/build`),
		cancel: (id: string) => this.request<Job>("POST", `/datasets/${segment(id)}/cancel`),
		/** `GET /datasets/:id/events`: the dataset's current build and any build started while it is open. */
		events: (id: string, options: { signal?: AbortSignal; lastEventId?: string | null } = {}) =>
			this.events(`/datasets/${segment(id)}/events`, options),
	};

	// ---------------------------------------------------------------- images and exports

	readonly images = {
		list: (datasetId: string, params: ListImagesParams = {}, signal?: AbortSignal) =>
			this.request<Page<Image>>("GET", `/datasets/${segment(datasetId)}/images`, { query: { ...params }, signal }),
		get: (datasetId: string, imageId: string, signal?: AbortSignal) =>
			this.request<Image>("GET", `/datasets/${segment(datasetId)}/images/${segment(imageId)}`, { signal }),
		relabel: (datasetId: string, imageId: string, label: string) =>
			this.request<Image>("PATCH", `/datasets/${segment(datasetId)}/images/${segment(imageId)}`, { body: { label } }),
		delete: (datasetId: string, imageId: string) =>
			this.request<void>("DELETE", `/datasets/${segment(datasetId)}/images/${segment(imageId)}`),
	};

	readonly exports = {
		list: (datasetId: string, params: PageParams = {}, signal?: AbortSignal) =>
			this.request<Page<Export>>("GET", `/datasets/${segment(datasetId)}/exports`, { query: { ...params }, signal }),
		get: (id: string, signal?: AbortSignal) => this.request<Export>("GET", `/exports/${segment(id)}`, { signal }),
		create: (datasetId: string, request: CreateExportRequest) =>
			this.request<Export>("POST", `/datasets/${segment(datasetId)}/exports`, { body: request }),
		delete: (id: string) => this.request<void>("DELETE", `/exports/${segment(id)}`),
	};

	// ---------------------------------------------------------------- builds

	readonly jobs = {
		list: (params: ListJobsParams = {}, signal?: AbortSignal) => this.request<Page<Job>>("GET", "/jobs", { query: { ...params }, signal }),
		get: (id: string, signal?: AbortSignal) => this.request<Job>("GET", `/jobs/${segment(id)}`, { signal }),
		tasks: (id: string, params: ListTasksParams = {}, signal?: AbortSignal) =>
			this.request<Page<Task>>("GET", `/jobs/${segment(id)}/tasks`, { query: { ...params }, signal }),
		logs: (id: string, params: PageParams = {}, signal?: AbortSignal) =>
			this.request<Page<JobLog>>("GET", `/jobs/${segment(id)}/logs`, { query: { ...params }, signal }),
		cancel: (id: string) => this.request<Job>("POST", `/jobs/${segment(id)}/cancel`),
		/** Requeues the build's failed and dead tasks. */
		retry: (id: string) => this.request<RetryResult>("POST", `/jobs/${segment(id)}/retry`),
	};
}
