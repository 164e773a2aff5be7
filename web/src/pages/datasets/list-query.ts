import type { DatasetStatus, ListDatasetsParams } from "../../api/types";

/** Statuses a list can filter on (`deleting` is transient and not filterable). */
export const DATASET_STATUSES: DatasetStatus[] = ["draft", "queued", "running", "ready", "failed", "cancelled"];

export const DATASETS_PAGE_SIZE = 12;

/** The datasets list's filters live in the address (`?project=…&status=…&name=…&page=…`), so they survive reloads and links. */
export interface DatasetListFilters {
	project: string;
	status: string;
	name: string;
	page: number;
}

export function filtersFromSearch(search: string): DatasetListFilters {
	const params = new URLSearchParams(search);
	const page = Number(params.get("page"));
	const status = params.get("status") ?? "";
	return {
		project: params.get("project") ?? "",
		status: DATASET_STATUSES.includes(status as DatasetStatus) ? status : "",
		name: params.get("name") ?? "",
		page: Number.isInteger(page) && page > 1 ? page : 1,
	};
}

export function searchFromFilters(filters: DatasetListFilters): string {
	const params = new URLSearchParams();
	if (filters.project) params.set("project", filters.project);
	if (filters.status) params.set("status", filters.status);
	if (filters.name.trim()) params.set("name", filters.name.trim());
	if (filters.page > 1) params.set("page", String(filters.page));
	const text = params.toString();
	return text ? `?${text}` : "";
}

/** The API query of the filters, newest changes first. */
export function listParams(filters: DatasetListFilters): ListDatasetsParams {
	return {
		projectId: filters.project || undefined,
		status: (filters.status || undefined) as DatasetStatus | undefined,
		name: filters.name.trim() || undefined,
		sort: "-updatedAt",
		page: filters.page,
		pageSize: DATASETS_PAGE_SIZE,
	};
}
