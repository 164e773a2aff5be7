import type { Image, Page } from "../../api/types";

/** One label's thumbnails: the pages loaded so far, appended by "Load more". */
export interface LabelGroup {
	items: Image[];
	/** Images of this label under the filters; null until the first page answers. */
	total: number | null;
	/** The page "Load more" asks for next. */
	nextPage: number;
	status: "idle" | "loading" | "ready" | "error";
	error: unknown;
}

/**
 * The gallery under one set of filters (`key`): a group per label shown. Answers carry the key they
 * were asked under, so a page that answers after the filters changed is dropped, never mixed in.
 */
export interface GalleryState {
	key: string;
	labels: string[];
	groups: Record<string, LabelGroup>;
}

export type GalleryAction =
	| { type: "reset"; key: string; labels: string[] }
	| { type: "loading"; key: string; label: string }
	| { type: "loaded"; key: string; label: string; page: Page<Image> }
	| { type: "failed"; key: string; label: string; error: unknown }
	| { type: "relabelled"; image: Image; from: string }
	| { type: "removed"; image: Image };

export const emptyGroup = (): LabelGroup => ({ items: [], total: null, nextPage: 1, status: "idle", error: null });

export function initialGallery(key: string, labels: string[]): GalleryState {
	return { key, labels, groups: Object.fromEntries(labels.map((label) => [label, emptyGroup()])) };
}

/** More to load: nothing asked yet, or fewer shown than the API counts. */
export function hasMore(group: LabelGroup): boolean {
	return group.total === null || group.items.length < group.total;
}

function withGroup(state: GalleryState, label: string, change: (group: LabelGroup) => LabelGroup): GalleryState {
	const group = state.groups[label];
	if (!group) return state;
	const changed = change(group);
	return changed === group ? state : { ...state, groups: { ...state.groups, [label]: changed } };
}

function without(group: LabelGroup, id: string): LabelGroup {
	const items = group.items.filter((item) => item.id !== id);
	if (items.length === group.items.length) return group;
	return { ...group, items, total: group.total === null ? null : Math.max(0, group.total - 1) };
}

export function galleryReducer(state: GalleryState, action: GalleryAction): GalleryState {
	switch (action.type) {
		case "reset":
			return initialGallery(action.key, action.labels);
		case "loading":
			if (action.key !== state.key) return state;
			return withGroup(state, action.label, (group) => ({ ...group, status: "loading", error: null }));
		case "loaded":
			if (action.key !== state.key) return state;
			return withGroup(state, action.label, (group) => {
				// images added while paging shift the pages: an image already shown is not shown twice
				const seen = new Set(group.items.map((item) => item.id));
				const fresh = action.page.items.filter((item) => !seen.has(item.id));
				return {
					items: [...group.items, ...fresh],
					total: action.page.total,
					nextPage: action.page.page + 1,
					status: "ready",
					error: null,
				};
			});
		case "failed":
			if (action.key !== state.key) return state;
			return withGroup(state, action.label, (group) => ({ ...group, status: "error", error: action.error }));
		case "relabelled": {
			const moved = withGroup(state, action.from, (group) => without(group, action.image.id));
			// a target group already loaded shows it at once; one not loaded yet finds it when it loads
			return withGroup(moved, action.image.label, (group) =>
				group.total === null || group.items.some((item) => item.id === action.image.id)
					? group
					: { ...group, items: [action.image, ...group.items], total: group.total + 1 },
			);
		}
		case "removed":
			return withGroup(state, action.image.label, (group) => without(group, action.image.id));
	}
}
