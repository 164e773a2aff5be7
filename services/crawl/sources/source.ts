import type { Config } from "../../../lib/config";

/** One image a source found: where it is, where it was shown, and what the source says about it. */
export interface SearchResult {
	imageUrl: string;
	pageUrl?: string;
	thumbnailUrl?: string;
	title?: string;
	width?: number;
	height?: number;
	/** Normalised to the dataset licence names (cc0, public-domain, cc-by, cc-by-sa, …, unknown). */
	license?: string;
	author?: string;
}

/** Where the next page starts; opaque to callers, JSON-serialisable (it travels in task payloads). */
export type SearchCursor = string | number | Record<string, string | number> | null;

export interface SearchPage {
	results: SearchResult[];
	/** null when the source has nothing more for this keyword. */
	next: SearchCursor;
}

export interface SearchRequest {
	keyword: string;
	/** null for the first page. */
	cursor: SearchCursor;
	/** How many results the caller would like (sources may answer fewer or more). */
	pageSize: number;
	/** The dataset's licence filter; empty means any. Sources that can filter server-side do. */
	licenses: string[];
	/** The category's URL list, for the `urls` source. */
	urls?: string[];
	signal?: AbortSignal;
}

/** The HTTP a source may use: GET a text body. The crawler's safe client implements it. */
export interface SourceHttp {
	getText(url: string, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<SourceResponse>;
}

export interface SourceResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

export interface ImageSource {
	readonly name: string;
	/** Throws TransientError when blocked or rate-limited (retry later), PermanentError when the request cannot work. */
	search(request: SearchRequest, http: SourceHttp): Promise<SearchPage>;
}

export type SourceFactory = (config: Config["crawl"]) => ImageSource;
