import { useCallback, useEffect, useReducer, useRef } from "react";
import type { ApiClient } from "../../api/client";
import type { Image } from "../../api/types";
import { type GalleryFilters, labelsToShow, listParams, searchFromFilters } from "./gallery-query";
import { galleryReducer, hasMore, initialGallery } from "./gallery-state";

/** Thumbnails per request: four rows of six on a wide screen. */
export const GALLERY_PAGE_SIZE = 24;

/**
 * The gallery's groups under `filters`: `loadMore(label)` fetches that label's next page (each group
 * asks for its first page when it scrolls into view). Changing the filters starts afresh and aborts
 * what was still loading.
 */
export function useGallery(api: ApiClient, datasetId: string, labels: string[], filters: GalleryFilters) {
	const shown = labelsToShow(filters, labels);
	const key = `${datasetId}?${searchFromFilters(filters)}#${shown.join("\u0000")}`;
	const [state, dispatch] = useReducer(galleryReducer, undefined, () => initialGallery(key, shown));
	// new filters: start afresh in this render, so no group asks for a page under the old ones
	if (state.key !== key) dispatch({ type: "reset", key, labels: shown });

	const stateRef = useRef(state);
	stateRef.current = state;
	const controllers = useRef(new Map<string, AbortController>());
	const controllerFor = useCallback((forKey: string) => {
		let controller = controllers.current.get(forKey);
		if (!controller) {
			controller = new AbortController();
			controllers.current.set(forKey, controller);
		}
		return controller;
	}, []);
	useEffect(
		() => () => {
			controllers.current.get(key)?.abort();
			controllers.current.delete(key);
		},
		[key],
	);

	const filtersRef = useRef(filters);
	filtersRef.current = filters;
	const loadMore = useCallback(
		(label: string) => {
			const current = stateRef.current;
			const group = current.groups[label];
			if (current.key !== key || !group || group.status === "loading" || !hasMore(group)) return;
			const signal = controllerFor(key).signal;
			dispatch({ type: "loading", key, label });
			// the group is marked loading before the answer comes, so a second call cannot ask twice
			stateRef.current = galleryReducer(current, { type: "loading", key, label });
			api.images.list(datasetId, listParams(filtersRef.current, label, group.nextPage, GALLERY_PAGE_SIZE), signal).then(
				(page) => dispatch({ type: "loaded", key, label, page }),
				(error: unknown) => {
					if (!signal.aborted) dispatch({ type: "failed", key, label, error });
				},
			);
		},
		[api, datasetId, key, controllerFor],
	);

	const relabelled = useCallback((image: Image, from: string) => dispatch({ type: "relabelled", image, from }), []);
	const removed = useCallback((image: Image) => dispatch({ type: "removed", image }), []);

	const visible = state.key === key ? state : initialGallery(key, shown);
	return { labels: visible.labels, groups: visible.groups, loadMore, relabelled, removed };
}
