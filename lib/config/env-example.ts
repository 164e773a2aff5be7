import { allVariables, configSchema } from "./index";
import type { Area } from "./variable";

const AREA_TITLES: Record<keyof typeof configSchema, string> = {
	global: "Global",
	transporter: "Message bus",
	nats: "NATS credentials",
	mongo: "MongoDB",
	redis: "Redis",
	gateway: "HTTP gateway",
	cors: "CORS",
	rateLimit: "Rate limits",
	auth: "Authentication",
	storage: "Storage",
	dataset: "Datasets and exports",
	crawl: "Crawling",
};

/** The text of `.env.example`: every variable, its description and its default. */
export function renderEnvExample(): string {
	const lines = [
		"# PixCrawler configuration. Copy to .env and edit; real environment variables win over this file.",
		"# Generated from lib/config (npm run config:example); a test keeps the two equal.",
	];
	for (const [name, area] of Object.entries(configSchema) as [keyof typeof configSchema, Area][]) {
		lines.push("", `# --- ${AREA_TITLES[name]} ---`);
		for (const spec of Object.values(area)) {
			lines.push(`# ${spec.description}${spec.developmentDefault ? " [development default: set it in production]" : ""}`);
			lines.push(spec.developmentDefault ? `# ${spec.env}=` : `${spec.env}=${spec.default ?? ""}`);
		}
	}
	return `${lines.join("\n")}\n`;
}

/** The configuration table for the README and docs/configuration.md. */
export function renderConfigTable(): string {
	const rows = ["| variable | default | meaning |", "|---|---|---|"];
	for (const spec of allVariables()) {
		const shown = spec.secret && spec.default ? "(development value)" : spec.default ? `\`${spec.default}\`` : "—";
		rows.push(`| \`${spec.env}\` | ${shown} | ${spec.description.replace(/\|/g, "\\|")} |`);
	}
	return rows.join("\n");
}
