import type { Dataset, Job } from "../api/types";

/** A dataset as the API answers it; `changes` on top. */
export function datasetFixture(changes: Partial<Dataset> = {}): Dataset {
	return {
		id: "ds1",
		ownerId: "user-1",
		projectId: null,
		name: "cats vs dogs",
		description: "",
		categories: [
			{ label: "cat", keywords: ["tabby cat"], urls: [] },
			{ label: "dog", keywords: ["beagle"], urls: [] },
		],
		sources: ["wikimedia", "openverse"],
		options: {
			maxImagesPerKeyword: 100,
			minWidth: 64,
			minHeight: 64,
			formats: ["jpeg", "png", "webp", "gif", "avif"],
			validationLevel: "standard",
			dedupThreshold: 8,
			licenses: [],
			keywordExpansion: "predefined",
		},
		status: "draft",
		stats: { images: 0, valid: 0, duplicates: 0, rejected: 0, bytes: 0 },
		currentJobId: null,
		createdAt: "2026-11-01T10:00:00.000Z",
		updatedAt: "2026-11-01T10:00:00.000Z",
		...changes,
	};
}

/** A running build of datasetFixture(); `changes` on top. */
export function jobFixture(changes: Partial<Job> = {}): Job {
	return {
		id: "job1",
		datasetId: "ds1",
		ownerId: "user-1",
		status: "running",
		step: "download",
		round: 1,
		progress: { found: 120, downloaded: 60, valid: 40, duplicates: 5, rejected: 15, failedTasks: 0 },
		targets: { cat: 100, dog: 100 },
		counts: null,
		error: null,
		limitReached: null,
		eventSeq: 7,
		createdAt: "2026-11-01T10:00:00.000Z",
		startedAt: "2026-11-01T10:00:01.000Z",
		finishedAt: null,
		updatedAt: "2026-11-01T10:01:00.000Z",
		...changes,
	};
}
