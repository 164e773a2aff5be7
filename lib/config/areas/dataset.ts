import { z } from "zod";
import { boundedInt, variable, wholeNumber } from "../variable";

export const datasetArea = {
	maxDatasetsPerUser: variable({
		env: "DATASET_MAX_PER_USER",
		schema: boundedInt(0, 1000000),
		default: "100",
		description: "Datasets one user may have (a plan limit: superusers override it per user); 0 means no limit",
	}),
	maxImagesPerUserPerDay: variable({
		env: "DATASET_MAX_IMAGES_PER_USER_PER_DAY",
		schema: boundedInt(0, 100000000),
		default: "100000",
		description:
			"Images one user's builds may store per UTC day (a plan limit: superusers override it per user); a build reaching it stops adding images; 0 means no limit",
	}),
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
