import type { Dataset, DatasetMetadata, Export, Image } from "../../api/types";

/** Test data of the gallery and exports pages: a dataset, its images, its exports and its metadata. */

export function dataset(overrides: Partial<Dataset> = {}): Dataset {
	return {
		id: "d1",
		ownerId: "user-1",
		projectId: null,
		name: "Pets",
		description: "",
		categories: [
			{ label: "cat", keywords: ["tabby cat"], urls: [] },
			{ label: "dog", keywords: ["puppy"], urls: [] },
		],
		sources: ["wikimedia", "openverse"],
		options: {
			maxImagesPerKeyword: 100,
			minWidth: 128,
			minHeight: 128,
			formats: ["jpeg", "png"],
			validationLevel: "standard",
			dedupThreshold: 8,
			licenses: [],
			keywordExpansion: "none",
		},
		status: "ready",
		stats: { images: 10, valid: 8, duplicates: 1, rejected: 1, bytes: 100_000 },
		currentJobId: null,
		createdAt: "2026-01-01T00:00:00.000Z",
		updatedAt: "2026-01-01T00:00:00.000Z",
		...overrides,
	};
}

export function image(id: string, overrides: Partial<Image> = {}): Image {
	return {
		id,
		datasetId: "d1",
		label: "cat",
		keyword: "tabby cat",
		source: "wikimedia",
		sourceUrl: `https://upload.example.org/${id}.jpg`,
		pageUrl: `https://commons.example.org/wiki/${id}`,
		license: "cc-by",
		author: "Jane Doe",
		sha256: id
			.padEnd(64, "0")
			.slice(0, 64)
			.replace(/[^0-9a-f]/g, "a"),
		phash: "0123456789abcdef",
		width: 640,
		height: 480,
		format: "jpeg",
		bytes: 12_345,
		status: "valid",
		url: `/api/v1/files/${id}`,
		createdAt: "2026-01-02T00:00:00.000Z",
		updatedAt: "2026-01-02T00:00:00.000Z",
		...overrides,
	};
}

export function anExport(id: string, overrides: Partial<Export> = {}): Export {
	return {
		id,
		datasetId: "d1",
		ownerId: "user-1",
		format: "imagefolder",
		split: { train: 0.8, val: 0.1, test: 0.1, seed: 42 },
		licences: null,
		status: "ready",
		taskId: `task-${id}`,
		attempts: 1,
		progress: { done: 8, total: 8 },
		imageCount: 8,
		skipped: 0,
		bytes: 2_048_000,
		sha256: "c".repeat(64),
		fileName: `Pets-${id}.zip`,
		error: null,
		createdAt: "2026-01-03T00:00:00.000Z",
		startedAt: "2026-01-03T00:00:01.000Z",
		finishedAt: "2026-01-03T00:00:05.000Z",
		updatedAt: "2026-01-03T00:00:05.000Z",
		...overrides,
	};
}

export function metadata(overrides: Partial<DatasetMetadata> = {}): DatasetMetadata {
	return {
		datasetId: "d1",
		status: "ready",
		currentJobId: null,
		images: 10,
		perLabel: { cat: 5, dog: 3 },
		perStatus: { valid: 8, duplicate: 1, rejected: 1 },
		perSource: { wikimedia: 6, openverse: 2 },
		perLicense: { "cc-by": 6, cc0: 2 },
		duplicates: 1,
		rejectionReasons: { too_small: 1 },
		bytes: 100_000,
		width: { min: 200, max: 1024 },
		height: { min: 150, max: 768 },
		...overrides,
	};
}
