import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const RESULTS = path.join(__dirname, "RESULTS.md");

/** The machine a number was measured on: without it a number means little. */
export function machine(): string {
	const cpu = os.cpus()[0]?.model ?? "unknown CPU";
	return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Replaces (or appends) one benchmark's section of bench/RESULTS.md, leaving the others as they are. */
export function writeSection(name: string, markdown: string): void {
	const start = `<!-- bench:${name}:start -->`;
	const end = `<!-- bench:${name}:end -->`;
	const current = fs.existsSync(RESULTS)
		? fs.readFileSync(RESULTS, "utf8")
		: "# Benchmark results\n\nWritten by `npm run bench`; each section is replaced when its benchmark runs again.\n";
	const block = `${start}\n${markdown.trim()}\n${end}`;
	const at = current.indexOf(start);
	const next =
		at >= 0 ? current.slice(0, at) + block + current.slice(current.indexOf(end) + end.length) : `${current.trimEnd()}\n\n${block}\n`;
	fs.writeFileSync(RESULTS, next);
}

export function table(header: string[], rows: (string | number)[][]): string {
	return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`)].join(
		"\n",
	);
}

export const mebibytes = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
