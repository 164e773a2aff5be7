import fs from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { allVariables, configSchema, loadConfig } from "../../../../lib/config";
import { renderConfigTable, renderEnvExample } from "../../../../lib/config/env-example";
import { projectRoot } from "../../../../lib/project";

const TABLE_START = "<!-- config-table:start -->";
const TABLE_END = "<!-- config-table:end -->";

function readRootFile(name: string): string {
	return fs.readFileSync(path.join(projectRoot, name), "utf8");
}

describe("renderEnvExample", () => {
	const text = renderEnvExample();

	it("lists every variable as an assignment line, with its description on the line above", () => {
		const lines = text.split("\n");
		for (const spec of allVariables()) {
			const index = lines.findIndex((line) => line.startsWith(`${spec.env}=`) || line.startsWith(`# ${spec.env}=`));
			expect(index).toBeGreaterThan(0);
			expect(lines[index - 1]).toContain(spec.description);
		}
	});

	it("has one section per configuration area, in schema order", () => {
		const sections = text.split("\n").filter((line) => line.startsWith("# --- "));
		expect(sections).toHaveLength(Object.keys(configSchema).length);
		expect(sections[0]).toBe("# --- Global ---");
		expect(sections.at(-1)).toBe("# --- Crawling ---");
	});

	it("comments out development defaults so a copied .env never carries them", () => {
		expect(text).toContain("\n# AUTH_JWT_SECRET=\n");
		expect(text).not.toContain(configSchema.auth.jwtSecret.default as string);
		expect(text).toMatch(/\[development default: set it in production\]\n# AUTH_JWT_SECRET=/);
	});

	it("parses, as a .env file, into a configuration equal to the defaults", () => {
		expect(loadConfig(dotenv.parse(text))).toEqual(loadConfig({}));
	});

	it("ends with exactly one newline", () => {
		expect(text.endsWith("\n")).toBe(true);
		expect(text.endsWith("\n\n")).toBe(false);
	});
});

describe("renderConfigTable", () => {
	const rows = renderConfigTable().split("\n");

	it("has a header and one row per variable", () => {
		expect(rows[0]).toBe("| variable | default | meaning |");
		expect(rows[1]).toBe("|---|---|---|");
		expect(rows).toHaveLength(allVariables().length + 2);
		for (const spec of allVariables()) expect(rows.some((row) => row.startsWith(`| \`${spec.env}\` |`))).toBe(true);
	});

	it("shows defaults as code, empty defaults as a dash and never a secret default", () => {
		expect(rows).toContain(`| \`GATEWAY_PORT\` | \`3000\` | ${configSchema.gateway.port.description} |`);
		expect(rows.find((row) => row.startsWith("| `TRANSPORTER` |"))).toContain("| — |");
		expect(rows.find((row) => row.startsWith("| `AUTH_JWT_SECRET` |"))).toContain("| (development value) |");
		expect(renderConfigTable()).not.toContain(configSchema.auth.jwtSecret.default as string);
	});

	it("keeps every row at three cells (pipes in descriptions are escaped)", () => {
		for (const row of rows) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
	});
});

describe("committed configuration documents", () => {
	it(".env.example at the repository root equals renderEnvExample() (run npm run config:example)", () => {
		expect(readRootFile(".env.example")).toBe(renderEnvExample());
	});

	it(".env.example names every variable", () => {
		const committed = readRootFile(".env.example");
		for (const spec of allVariables()) expect(committed).toMatch(new RegExp(`^(# )?${spec.env}=`, "m"));
	});

	it.each(["README.md", "docs/configuration.md"])("%s holds the current configuration table between its markers", (file) => {
		const text = readRootFile(file);
		expect(text).toContain(`${TABLE_START}\n${renderConfigTable()}\n${TABLE_END}`);
		expect(text.split(TABLE_START)).toHaveLength(2);
	});
});
