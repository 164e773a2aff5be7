import type { Config } from "../../lib/config";
import { defineService } from "../../lib/define-service";
import { DbMixin } from "../../mixins/db.mixin";

export const PROJECTS_SERVICE = "dataset-projects";

/** Projects group a user's datasets. The dataset service drives it through the repository methods. */
export function projectsRepository(config: Config) {
	return defineService({
		name: PROJECTS_SERVICE,
		mixins: [DbMixin({ collection: "projects", indexes: [{ fields: ["ownerId"] }] }, config)],
		settings: { fields: ["id", "ownerId", "name", "description", "createdAt", "updatedAt"] },
	});
}
