import { z } from "zod";
import { boundedInt, variable, wholeNumber } from "../variable";

export const datasetArea = {
	exportConcurrency: variable({
		env: "DATASET_EXPORT_CONCURRENCY",
		schema: boundedInt(1, 16),
		default: "2",
		description: "Export archives one dataset service process writes at the same time",
	}),
	maxActiveExportsPerUser: variable({
		env: "DATASET_EXPORT_MAX_ACTIVE_PER_USER",
		schema: boundedInt(1, 100),
		default: "3",
		description: "Exports one user may have queued or running at once",
	}),
	exportMaxBytes: variable({
		env: "DATASET_EXPORT_MAX_BYTES",
		schema: wholeNumber.pipe(z.number().int().positive()),
		default: "53687091200",
		description: "Largest export archive, in bytes (archives may exceed STORAGE_MAX_OBJECT_BYTES)",
	}),
	exportMaxAttempts: variable({
		env: "DATASET_EXPORT_MAX_ATTEMPTS",
		schema: boundedInt(1, 10),
		default: "3",
		description: "Times an export is tried before it is marked failed (storage outages are retried with backoff)",
	}),
};
