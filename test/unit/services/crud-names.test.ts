import fs from "node:fs";
import path from "node:path";

/** moleculer-db's generic actions, which DbMixin keeps protected; an action of the same name silently merges with one. */
const REPOSITORY_ACTIONS = ["find", "count", "list", "create", "insert", "get", "update", "remove"];
const SERVICES = path.resolve(__dirname, "../../../services");

describe("service actions do not reuse the repository's action names", () => {
	const files = fs.readdirSync(SERVICES).filter((file) => file.endsWith(".service.ts"));

	it.each(files)("%s", (file) => {
		const schema = require(path.join(SERVICES, file)).default as {
			actions?: Record<string, unknown>;
			adapter?: unknown;
			mixins?: { adapter?: unknown }[];
		};
		const usesRepository = (schema.mixins ?? []).some((mixin) => mixin && "adapter" in mixin);
		const clashing = usesRepository ? Object.keys(schema.actions ?? {}).filter((name) => REPOSITORY_ACTIONS.includes(name)) : [];
		expect(clashing).toEqual([]);
	});
});
