import type { ImageStatus, ListImagesParams } from "../../api/types";

/** What the gallery shows, as its URL query carries it: `?label=cat&status=valid&source=…&license=…`. */
export interface GalleryFilters {
	label: string;
	status: ImageStatus | "";
	source: string;
	license: string;
}

export const IMAGE_STATUSES: readonly ImageStatus[] = ["valid", "duplicate", "rejected"];

export const EMPTY_FILTERS: GalleryFilters = { label: "", status: "", source: "", license: "" };

const KEYS = ["label", "status", "source", "license"] as const;

/** The filters of a query string; an unknown status is dropped rather than sent (the API would answer 422). */
export function filtersFromSearch(search: URLSearchParams | string): GalleryFilters {
	const params = typeof search === "string" ? new URLSearchParams(search) : search;
	const status = params.get("status") ?? "";
	return {
		label: params.get("label") ?? "",
		status: (IMAGE_STATUSES as readonly string[]).includes(status) ? (status as ImageStatus) : "",
		source: params.get("source") ?? "",
		license: params.get("license") ?? "",
	};
}

/** The query string of the filters (without `?`), in a fixed order and without the unset ones. */
export function searchFromFilters(filters: GalleryFilters): string {
	const params = new URLSearchParams();
	for (const key of KEYS) if (filters[key]) params.set(key, filters[key]);
	return params.toString();
}

/** The API's list parameters for one label's images under these filters. */
export function listParams(filters: GalleryFilters, label: string, page: number, pageSize: number): ListImagesParams {
	return {
		label,
		page,
		pageSize,
		...(filters.status ? { status: filters.status } : {}),
		...(filters.source ? { source: filters.source } : {}),
		...(filters.license ? { license: filters.license } : {}),
	};
}

/** The labels to show: the chosen one (if the dataset has it), else every label of the dataset. */
export function labelsToShow(filters: GalleryFilters, labels: string[]): string[] {
	if (!filters.label) return labels;
	return labels.includes(filters.label) ? [filters.label] : [];
}

export function hasFilters(filters: GalleryFilters): boolean {
	return KEYS.some((key) => filters[key] !== "");
}
