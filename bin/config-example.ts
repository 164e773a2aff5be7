/** Writes .env.example and the configuration tables from the schema (npm run config:example). */
import fs from "node:fs";
import path from "node:path";
import { renderConfigTable, renderEnvExample } from "../lib/config/env-example";
import { projectRoot } from "../lib/project";

const TABLE = /(<!-- config-table:start -->)[\s\S]*?(<!-- config-table:end -->)/;

fs.writeFileSync(path.join(projectRoot, ".env.example"), renderEnvExample());
for (const file of ["README.md", "docs/configuration.md"]) {
	const target = path.join(projectRoot, file);
	const text = fs.readFileSync(target, "utf8");
	fs.writeFileSync(
		target,
		text.replace(TABLE, (_all, start: string, end: string) => `${start}\n${renderConfigTable()}\n${end}`),
	);
}
