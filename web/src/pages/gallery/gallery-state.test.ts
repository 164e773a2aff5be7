import { describe, expect, it } from "vitest";
import { image } from "./fixtures";
import { galleryReducer, hasMore, initialGallery } from "./gallery-state";

const page = (items: ReturnType<typeof image>[], total: number, number = 1) => ({ items, total, page: number, pageSize: 2 });

describe("the gallery's groups", () => {
	it("appends pages, skipping images already shown, and knows when there is more", () => {
		let state = initialGallery("k", ["cat", "dog"]);
		expect(hasMore(state.groups.cat)).toBe(true);
		state = galleryReducer(state, { type: "loading", key: "k", label: "cat" });
		expect(state.groups.cat.status).toBe("loading");
		state = galleryReducer(state, { type: "loaded", key: "k", label: "cat", page: page([image("a"), image("b")], 3) });
		expect(state.groups.cat).toMatchObject({ status: "ready", total: 3, nextPage: 2 });
		expect(hasMore(state.groups.cat)).toBe(true);
		// an image added meanwhile pushed "b" onto page 2: it is not shown twice
		state = galleryReducer(state, { type: "loaded", key: "k", label: "cat", page: page([image("b"), image("c")], 3, 2) });
		expect(state.groups.cat.items.map((item) => item.id)).toEqual(["a", "b", "c"]);
		expect(hasMore(state.groups.cat)).toBe(false);
	});

	it("drops answers asked under other filters", () => {
		const state = initialGallery("new", ["cat"]);
		const after = galleryReducer(state, { type: "loaded", key: "old", label: "cat", page: page([image("a")], 1) });
		expect(after).toBe(state);
	});

	it("moves a relabelled image to its new label's group and removes a deleted one", () => {
		let state = initialGallery("k", ["cat", "dog"]);
		state = galleryReducer(state, { type: "loaded", key: "k", label: "cat", page: page([image("a"), image("b")], 2) });
		state = galleryReducer(state, { type: "loaded", key: "k", label: "dog", page: page([image("d", { label: "dog" })], 1) });
		state = galleryReducer(state, { type: "relabelled", image: image("a", { label: "dog" }), from: "cat" });
		expect(state.groups.cat.items.map((item) => item.id)).toEqual(["b"]);
		expect(state.groups.cat.total).toBe(1);
		expect(state.groups.dog.items.map((item) => item.id)).toEqual(["a", "d"]);
		expect(state.groups.dog.total).toBe(2);
		state = galleryReducer(state, { type: "removed", image: image("b") });
		expect(state.groups.cat).toMatchObject({ items: [], total: 0 });
	});

	it("leaves a label not shown or not loaded yet alone when an image moves to it", () => {
		let state = initialGallery("k", ["cat", "dog"]);
		state = galleryReducer(state, { type: "loaded", key: "k", label: "cat", page: page([image("a")], 1) });
		state = galleryReducer(state, { type: "relabelled", image: image("a", { label: "dog" }), from: "cat" });
		expect(state.groups.dog).toMatchObject({ items: [], total: null, status: "idle" });
		const onlyCats = initialGallery("k", ["cat"]);
		expect(galleryReducer(onlyCats, { type: "relabelled", image: image("x", { label: "dog" }), from: "cat" })).toBe(onlyCats);
	});
});
