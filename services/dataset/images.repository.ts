import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const IMAGES_SERVICE = "dataset-images";

export const IMAGE_FIELDS = [
	"id",
	"datasetId",
	"label",
	"keyword",
	"source",
	"sourceUrl",
	"pageUrl",
	"license",
	"author",
	"storageKey",
	"sha256",
	"phash",
	"width",
	"height",
	"format",
	"bytes",
	"status",
	"reason",
	"duplicateOf",
	"createdAt",
	"updatedAt",
];

/** Image records of every dataset; one per (dataset, sha256), so a repeated add is the same image. */
export function imagesRepository(config: Config) {
	return defineService({
		name: IMAGES_SERVICE,
		mixins: [
			DbMixin(
				{
					collection: "images",
					indexes: [
						{ fields: ["datasetId", "sha256"], unique: true },
						{ fields: ["datasetId"] },
						{ fields: ["label"] },
						{ fields: ["status"] },
						// the perceptual hash's bands: near-duplicate lookups probe these (multi-index hashing)
						{ fields: ["band0"] },
						{ fields: ["band1"] },
						{ fields: ["band2"] },
						{ fields: ["band3"] },
					],
				},
				config,
			),
		],
		settings: { fields: IMAGE_FIELDS },
	});
}
