import { numberCursor } from "./common";
import type { SourceFactory } from "./source";

/**
 * The category's own URL list, paged by offset. No request is made here: each URL goes to the
 * downloader as it is, which refuses bad ones with a recorded reason.
 */
export const urlsSource: SourceFactory = () => ({
	name: "urls",
	async search(request) {
		const list = (request.urls ?? []).map((url) => url.trim()).filter((url) => url !== "");
		const offset = numberCursor(request.cursor, 0);
		const size = Math.max(1, Math.floor(request.pageSize) || 1);
		const end = offset + size;
		return { results: list.slice(offset, end).map((imageUrl) => ({ imageUrl })), next: end < list.length ? end : null };
	},
});
