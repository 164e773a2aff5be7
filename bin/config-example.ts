/** Writes .env.example and the configuration tables from the schema (npm run config:example). */
import fs from "node:fs";
import path from "node:path";
import { renderConfigTable, renderEnvExample } from "../lib/config/env-example";
import { projectRoot } from "../lib/project";

const root = projectRoot;
fs.writeFileSync(path.join(root, ".env.example"), renderEnvExample());
for (const file of ["README.md", "docs/configuration.md"]) {
	const target = path.join(root, file);
	const text = fs.readFileSync(target, "utf8");
	const updated = text.replace(/(<!-- config-table:start -->\n)[\s\S]*?(\n<!-- config-table:end -->)/, `$1${renderConfigTable()}$2`);
	fs.writeFileSync(target, updated);
}
